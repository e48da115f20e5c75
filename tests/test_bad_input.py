"""Broken and hostile exports, run through the `recordscan scan` command: one test per kind of bad input.

Every test states the exact outcome: the file is scanned, a row is rejected with a specific reason (and
listed in rejected.csv), or the run stops with ONE line on stderr ("recordscan: error: <file>...") and exit
code 2, never a traceback. Every scan must balance: rows_read == notes_scanned + rows_rejected.

All data here is fictional. Inputs are generated in tmp_path; nothing large is committed.
"""

from __future__ import annotations

import csv
import json
import random
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recordscan.cli import app

HEADER = "case_id,note_id,date,text\n"
runner = CliRunner()


# -- helpers ----------------------------------------------------------------------------------------------
def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def invoke(input_path: Path, out: Path, *extra: str, reports: bool = False):
    args = ["scan", str(input_path), "--out", str(out), "--rules-only"]
    if not reports:
        args.append("--no-reports")
    return runner.invoke(app, [*args, *extra])


def stderr_of(result) -> str:
    # click >= 8.2 always keeps stderr apart (result.output interleaves both); older click raised ValueError
    # here unless CliRunner(mix_stderr=False), and mixed stderr into result.output.
    try:
        return result.stderr
    except ValueError:  # pragma: no cover - old click
        return result.output


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def scanned(result, out: Path) -> dict:
    """Assert a successful scan whose accounting balances; return run.json."""
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows_read"] == run["notes_scanned"] + run["rows_rejected"], run
    assert run["accounting_ok"] is True
    assert len(read_csv(out / "rejected.csv")) == run["rows_rejected"], "every rejected row is listed with its reason"
    return run


def one_line_error(result, path: Path) -> str:
    """Assert exit code 2 and exactly one line on stderr naming the file, with no traceback; return the line."""
    err = stderr_of(result)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("recordscan: error:"), lines[0]
    assert str(path) in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def assert_offsets_true(out: Path, originals: dict[tuple[str, str], str], expect_mentions: bool = True) -> list[dict]:
    """Every mention and follow-up in the output points at its own text in the ORIGINAL note."""
    rows = read_csv(out / "mentions.csv")
    if expect_mentions:
        assert rows, "expected mentions"
        assert {(r["case_id"], r["note_id"]) for r in rows} == set(originals), "every note has a mention"
    for r in rows + read_csv(out / "followups.csv"):
        original = originals[(r["case_id"], r["note_id"])]
        start, end = int(r["start"]), int(r["end"])
        assert 0 <= start < end <= len(original), r
        assert original[start:end] == r["text"], (r, original[start:end])
    return rows


def rejected_reasons(out: Path) -> dict[int, str]:
    return {int(r["row"]): r["reason"] for r in read_csv(out / "rejected.csv")}


# -- truncated and malformed CSV ----------------------------------------------------------------------------
def test_truncated_file_last_row_cut_mid_quote(tmp_path):
    """The export was cut off inside the last note: that row is rejected (never scanned as if complete); the
    complete rows before it are scanned."""
    path = write(tmp_path / "cut.csv", HEADER + 'C1,N1,2024-01-02,"Mum has low mood, ""she said"""\n'
                                                'C2,N1,2024-01-03,Dad was seen.\n'
                                                'C3,N1,2024-01-04,"Dad was seen at home and said that th')
    run = scanned(invoke(path, tmp_path / "out"), tmp_path / "out")
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (3, 2, 1)
    [row] = read_csv(tmp_path / "out" / "rejected.csv")
    assert (row["row"], row["case_id"], row["note_id"]) == ("4", "C3", "N1")
    assert row["reason"] == ("row ends inside a quoted field that is never closed (truncated file, or a stray quote); "
                             "the row was not scanned")


def test_stray_quote_that_merges_rows_is_rejected_not_scanned(tmp_path):
    """An unclosed quote in row 2 that closes on row 3's quote would silently merge the two notes; the merged
    record is rejected with a reason naming how many lines it spans. Row 4 is read normally."""
    path = write(tmp_path / "stray.csv", HEADER + 'C1,N1,2024-01-02,"Mum has low mood\n'
                                                  'C1,N2,2024-01-03,"Dad was seen"\n'
                                                  'C1,N3,2024-01-04,Dad was seen again\n')
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 1, 1)
    assert rejected_reasons(out) == {2: "malformed quoting over 2 lines (a stray quote may have merged rows here); the row was not scanned"}


def test_truncated_last_row_missing_fields(tmp_path):
    path = write(tmp_path / "short.csv", HEADER + "C1,N1,2024-01-02,Mum has low mood\nC1,N2,2024-01")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["notes_scanned"], run["rows_rejected"]) == (1, 1)
    assert rejected_reasons(out) == {3: "row has 3 fields but the header has 4 (truncated row?)"}


def test_bare_carriage_return_rejects_only_that_row(tmp_path):
    """A bare CR inside an unquoted field makes the csv module fail; only that row is rejected."""
    path = write(tmp_path / "cr.csv", HEADER + "C1,N1,2024-01-02,Mum has\rlow mood\nC2,N1,2024-01-02,Dad was seen\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 1, 1)
    reason = rejected_reasons(out)[2]
    assert reason.startswith("malformed CSV row (") and "bare carriage return" in reason


def test_old_mac_line_endings(tmp_path):
    path = write(tmp_path / "mac.csv", HEADER.replace("\n", "\r") + "C1,N1,2024-01-02,Mum has low mood\rC2,N1,2024-01-02,ok\r")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"]) == (2, 2)


# -- encodings and odd bytes -----------------------------------------------------------------------------
def test_mixed_encodings_in_one_file(tmp_path):
    """A UTF-8 export with one Windows-1252 row: the file is read as UTF-8 (its UTF-8 text intact) and the one
    bad row is decoded as Windows-1252 and counted, not rejected."""
    data = (HEADER + "C1,N1,2024-01-02,Caf\u00e9 visit: Mum\u2019s low mood\n").encode("utf-8") + \
        b"C1,N2,2024-01-03,Dad\x92s GP was not contacted\n" + "C1,N3,2024-01-04,Zo\u00eb seen\n".encode("utf-8")
    path = write(tmp_path / "mixed.csv", data)
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert run["encoding"] == "utf-8"
    assert run["rows_decoded_as_cp1252"] == 1
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (3, 3, 0)

    from recordscan.io.readers import read_notes

    notes, rejected, _ = read_notes(path)
    assert [n.text for n in notes] == ["Caf\u00e9 visit: Mum\u2019s low mood", "Dad\u2019s GP was not contacted", "Zo\u00eb seen"]
    assert_offsets_true(out, {(n.case_id, n.note_id): n.text for n in notes}, expect_mentions=False)


def test_nul_bytes_inside_a_note(tmp_path):
    """NUL bytes are replaced by U+FFFD (same length, so offsets stay true), the row is scanned and counted."""
    path = write(tmp_path / "nul.csv", HEADER.encode() + b"C1,N1,2024-01-02,Mum has low mood\x00\x00 and Dad\x00 drinks\n"
                 + b"C2,N1,2024-01-02,padded" + b"\x00" * 300 + b"\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 2, 0)
    assert run["rows_with_nul_bytes"] == 2
    original = "Mum has low mood\ufffd\ufffd and Dad\ufffd drinks"
    rows = assert_offsets_true(out, {("C1", "N1"): original, ("C2", "N1"): "padded" + "\ufffd" * 300}, expect_mentions=False)
    assert ("low mood", 8, 16) in {(r["text"], int(r["start"]), int(r["end"])) for r in rows}


def test_utf16_file_cut_in_half_a_character(tmp_path):
    """A UTF-16 export with an odd number of bytes: the stray byte becomes U+FFFD in a row that is rejected."""
    data = (HEADER + "C1,N1,2024-01-02,Mum has low mood\n").encode("utf-16") + b"\x00"
    path = write(tmp_path / "u16.csv", data)
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert run["encoding"] == "utf-16"
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 1, 1)


# -- size limits ---------------------------------------------------------------------------------------------
TEN_MB = 10_000_000
FILLER = "The weather was mild and the garden was tidy. "  # no concern and no follow-up: linear to tag


def _ten_mb_note() -> str:
    text = "Mum has low mood. " + FILLER * (TEN_MB // len(FILLER) + 1)
    return text[:TEN_MB]


def test_ten_megabyte_note_is_rejected_with_a_reason(tmp_path):
    path = write(tmp_path / "big.csv", HEADER + "C1,N1,2024-01-02," + _ten_mb_note() + "\nC2,N1,2024-01-02,Mum has low mood\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 1, 1)
    assert rejected_reasons(out) == {2: "note longer than 1,000,000 characters (10,000,000); raise --max-note-chars to scan it"}


def test_ten_megabyte_note_is_scanned_with_a_raised_limit(tmp_path):
    path = write(tmp_path / "big.csv", HEADER + "C1,N1,2024-01-02," + _ten_mb_note() + "\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out, "--max-note-chars", "20000000"), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (1, 1, 0)
    assert [(r["text"], r["start"]) for r in read_csv(out / "mentions.csv")] == [("low mood", "8")]


def test_note_of_exactly_excel_cell_limit(tmp_path):
    """32,767 characters is Excel's cell limit: such a note was probably cut by Excel. Scanned, and counted."""
    long_note = ("Mum has low mood. " + FILLER * 800)[:32_767]
    path = write(tmp_path / "excel.csv", HEADER + f"C1,N1,2024-01-02,{long_note}\nC2,N1,2024-01-02,{long_note[:-1]}\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 2, 0)
    assert run["notes_at_excel_cell_limit"] == 1


# -- duplicates -----------------------------------------------------------------------------------------------
def test_duplicated_note_ids(tmp_path):
    """Duplicate rules:
    - an exact repeat (same case id, note id and text) is rejected as "exact duplicate of row N", N being the
      first occurrence (re-exports and overlapping date ranges repeat rows; scanning both would count twice);
    - the same note id with DIFFERENT text in the same case is kept twice: an edited note, or an id the source
      system reused. Neither copy can be preferred safely, so both are scanned and nothing is lost.
    """
    path = write(tmp_path / "dups.csv", HEADER + "C1,N1,2024-01-02,Mum has low mood\n"
                                                 "C1,N1,2024-01-02,Mum has low mood\n"
                                                 "C1,N1,2024-01-05,Mum has low mood (amended)\n"
                                                 "C1,N1,2024-01-02,Mum has low mood\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"], run["duplicates_rejected"]) == (4, 2, 2, 2)
    assert rejected_reasons(out) == {3: "exact duplicate of row 2", 5: "exact duplicate of row 2"}
    assert len(read_csv(out / "mentions.csv")) == 2


def test_group_note_copied_to_several_children(tmp_path):
    """A group note (same note id and text) copied to each child's case is one note per case: all scanned."""
    note = "Sibling group visit. Mum has low mood."
    path = write(tmp_path / "group.csv", HEADER + "".join(f"C{i},G1,2024-01-02,{note}\n" for i in range(1, 4)))
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"], run["cases"]) == (3, 3, 0, 3)
    assert sorted(r["case_id"] for r in read_csv(out / "mentions.csv")) == ["C1", "C2", "C3"]


# -- missing values and dates -----------------------------------------------------------------------------------
def test_row_with_no_case_id(tmp_path):
    path = write(tmp_path / "nocase.csv", HEADER + ",N1,2024-01-02,Mum has low mood\n   ,N2,2024-01-02,Mum has low mood\n"
                                                   "C1,N3,2024-01-02,Mum has low mood\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (3, 1, 2)
    rows = read_csv(out / "rejected.csv")
    assert [(r["row"], r["note_id"], r["column"], r["reason"]) for r in rows] == [
        ("2", "N1", "case_id", "empty case id"), ("3", "N2", "case_id", "empty case id")]


def test_unparseable_future_and_excel_serial_dates(tmp_path):
    path = write(tmp_path / "dates.csv", HEADER + "C1,N1,45000,Mum has low mood\n"
                                                  "C2,N1,2099-01-01,Mum has low mood\n"
                                                  "C3,N1,last Tuesday,Mum has low mood\n"
                                                  "C4,N1,31/02/2024,Mum has low mood\n"
                                                  "C5,N1,,Mum has low mood\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (5, 1, 4)
    assert rejected_reasons(out) == {3: "date 2099-01-01 is in the future",
                                     4: "unparseable date (unrecognised date format)",
                                     5: "unparseable date (impossible calendar date)",
                                     6: "unparseable date (no date)"}
    cases = [r for r in read_csv(out / "cases.csv") if r["mentioned"] == "true"]
    assert [(r["case_id"], r["first_mention_date"]) for r in cases] == [("C1", "2023-03-15")]


# -- markup and unusual characters -------------------------------------------------------------------------
SOUP = {
    ("H1", "N1"): "<p>Mum&#39;s <b>low&nbsp;mood</b> was discussed.</p><br/>Dad&nbsp;drinks &amp; was <i>not</i> seen.",
    ("H2", "N1"): '<div style="color:red"><span>Mum</span> reports low mood</div><!-- Dad --><table><tr><td>GP</td>'
                  "<td>not contacted</td></tr></table>&#x2019;&quot;",
    ("R1", "N1"): r"{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}{\*\generator Riched20;}"
                  r"\f0\pard Mum\'92s low mood was noted\par Dad\u8217?s drinking\par\b Mum\b0  was seen\par}",
    ("R2", "N1"): r"{\rtf1 Mum has low\~mood \u-10179?\u-8704? and Dad\_in\-law called\line GP next\par}",
}


def _soup_csv(path: Path, notes: dict[tuple[str, str], str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "note_id", "date", "text"])
        for (case_id, note_id), text in notes.items():
            writer.writerow([case_id, note_id, "2024-01-02", text])
    return path


def test_html_and_rtf_soup(tmp_path):
    path = _soup_csv(tmp_path / "soup.csv", SOUP)
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (4, 4, 0)
    rows = assert_offsets_true(out, SOUP)
    texts = {(r["case_id"], r["text"]) for r in rows}
    assert ("H1", "low&nbsp;mood") in texts  # the original text, entity and all
    assert ("R2", r"low\~mood") in texts


UNICODE_NOTES = {
    ("U1", "N1"): "\U0001F622\U0001F468\u200D\U0001F469\u200D\U0001F467 Mum has low mood \U0001F614 and Dad drinks",
    ("U2", "N1"): "\u05d0\u05de\u05d0 \u202eMum has low mood\u202c \u0645\u0627\u0645\u0627 Dad was seen",
    ("U3", "N1"): "Zoe\u0301 and Rene\u0301e: Mum has low\u00a0mood; Dad\u0308 drinks. \u0928\u092e\u0938\u094d\u0924\u0947",
    ("U4", "N1"): "\ufeff\u200bMum\u200b has low mood\u2028Dad\u00ad drinks\u2029",
}


def test_emoji_right_to_left_and_combining_characters(tmp_path):
    path = _soup_csv(tmp_path / "uni.csv", UNICODE_NOTES)
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (4, 4, 0)
    rows = assert_offsets_true(out, UNICODE_NOTES)
    assert ("U3", "low\u00a0mood") in {(r["case_id"], r["text"]) for r in rows}


def test_formula_looking_text_never_becomes_a_formula(tmp_path):
    """Ids and text beginning with =, +, - or @ are kept exactly in the CSV files and are plain text in cases.xlsx."""
    import openpyxl

    notes = {('=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0"): "=HYPERLINK(\"http://example.invalid\") Mum has low mood",
             ("@SUM(1+1)", "-2+3"): "+cmd Mum has low mood, Dad not seen",
             ("=1+1", "@A1"): "@SUM(A1:A9) Mum has low mood"}
    path = _soup_csv(tmp_path / "formula.csv", notes)
    out = tmp_path / "out"
    run = scanned(invoke(path, out, reports=True), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (3, 3, 0)
    rows = assert_offsets_true(out, notes)
    assert {(r["case_id"], r["note_id"]) for r in rows} == set(notes)  # exact ids, no quote or apostrophe added

    workbook = openpyxl.load_workbook(out / "cases.xlsx")
    seen = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                seen.add(cell.value)
    assert {case_id for case_id, _ in notes} <= seen
    with zipfile.ZipFile(out / "cases.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_control_characters_in_mentions_do_not_break_the_workbook(tmp_path):
    """Excel cannot store control characters; the workbook gets U+FFFD, the CSV keeps the exact text."""
    import openpyxl

    notes = {("C\x01", "N1"): "Mum has low\x0bmood\x1b and Dad\x0c drinks"}
    path = _soup_csv(tmp_path / "ctrl.csv", notes)
    out = tmp_path / "out"
    run = scanned(invoke(path, out, reports=True), out)
    assert run["notes_scanned"] == 1
    rows = assert_offsets_true(out, notes)
    assert "low\x0bmood" in {r["text"] for r in rows}
    values = {c.value for s in openpyxl.load_workbook(out / "cases.xlsx").worksheets for r in s.iter_rows() for c in r}
    assert "low\ufffdmood" in values and "C\ufffd" in values


@pytest.mark.slow
def test_hundred_thousand_cases_of_one_note_each(tmp_path):
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(100_000):
            fh.write(f"C{i:06d},N1,01/02/2024,Visit {i}: Mum has low mood.\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"], run["cases"]) == (100_000, 100_000, 0, 100_000)
    assert run["flags"]["maternal_mental_health"] == 100_000


# -- headers and columns ----------------------------------------------------------------------------------
def test_header_only_file(tmp_path):
    path = write(tmp_path / "header.csv", HEADER)
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"], run["cases"]) == (0, 0, 0, 0)


def test_blank_lines_before_the_header(tmp_path):
    path = write(tmp_path / "blank.csv", "\n\r\n" + HEADER + "C1,N1,2024-01-02,Mum has low mood\n\nC2,N1,2024-01-02,ok\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"]) == (2, 2)


def test_columns_in_another_order_and_case(tmp_path):
    path = write(tmp_path / "order.csv", " TEXT ,Note_ID,Author_Role,CASE_ID,Date\nMum has low mood,N1,Social Worker,C1,02/01/2024\n")
    out = tmp_path / "out"
    run = scanned(invoke(path, out), out)
    assert (run["rows_read"], run["notes_scanned"]) == (1, 1)
    assert assert_offsets_true(out, {("C1", "N1"): "Mum has low mood"})[0]["text"] == "low mood"


def test_column_mapping_options(tmp_path):
    path = write(tmp_path / "mapped.csv", "Person ID,Record No,Entered,Body\nP1,R1,2024-01-02,Mum has low mood\n")
    out = tmp_path / "out"
    result = invoke(path, out, "--case-col", "Person ID", "--note-col", "record no", "--date-col", "ENTERED", "--text-col", "Body")
    run = scanned(result, out)
    assert (run["rows_read"], run["notes_scanned"]) == (1, 1)
    assert_offsets_true(out, {("P1", "R1"): "Mum has low mood"})


def test_missing_required_column(tmp_path):
    path = write(tmp_path / "missing.csv", "case_id,note_id,date,body\nC1,N1,2024-01-02,Mum has low mood\n")
    line = one_line_error(invoke(path, tmp_path / "out"), path)
    assert line == (f"recordscan: error: {path}, row 1: missing required column 'text' (columns found: 'case_id', "
                    "'note_id', 'date', 'body'); map another column with --text-col")


def test_headerless_file_error_does_not_echo_the_first_note(tmp_path):
    path = write(tmp_path / "noheader.csv", "C1,N1,2024-01-02,Mum has low mood and the house was cold\n")
    line = one_line_error(invoke(path, tmp_path / "out"), path)
    assert "row 1" in line and "'case_id'" in line and "header row" in line
    assert "low mood" not in line and "C1" not in line


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.csv", b"")
    assert one_line_error(invoke(path, tmp_path / "out"), path) == f"recordscan: error: {path}: file is empty"


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff")) + chunk(b"IEND", b""))


def _xlsx_bytes(tmp_path: Path) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["case_id", "note_id", "date", "text"])
    workbook.save(tmp_path / "real.xlsx")
    return (tmp_path / "real.xlsx").read_bytes()


WRONG_TYPE = {
    "png_named_csv": ("image.csv", lambda tmp: _png(), "does not look like a text (CSV) file: it is a PNG image"),
    "random_bytes_named_csv": ("random.csv", lambda tmp: random.Random(42).randbytes(4096),
                               "does not look like a text (CSV) file: it contains binary data"),
    "xlsx_named_csv": ("workbook.csv", _xlsx_bytes, "does not look like a text (CSV) file: it is a ZIP archive"),
    "csv_named_xlsx": ("export.xlsx", lambda tmp: (HEADER + "C1,N1,2024-01-02,x\n").encode(), "not a readable Excel .xlsx file"),
    "text_named_parquet": ("export.parquet", lambda tmp: b"this is plain text, not parquet\n", "not a readable Parquet file"),
    "csv_named_jsonl": ("export.jsonl", lambda tmp: (HEADER + "C1,N1,2024-01-02,x\n").encode(), "not a JSON Lines file"),
    "json_array_named_jsonl": ("array.jsonl", lambda tmp: b'[{"case_id": "C1", "note_id": "N1", "date": "2024-01-02", "text": "x"}]\n',
                               "a JSON array, not JSON Lines"),
    "unknown_extension": ("notes.docx", lambda tmp: b"PK\x03\x04", "unknown file type '.docx'"),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPE))
def test_file_that_is_not_what_its_extension_says(tmp_path, case):
    name, make, message = WRONG_TYPE[case]
    path = write(tmp_path / name, make(tmp_path))
    line = one_line_error(invoke(path, tmp_path / "out"), path)
    assert message in line


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "nope.csv"
    assert one_line_error(invoke(missing, tmp_path / "out"), missing) == f"recordscan: error: {missing}: file not found"
    (tmp_path / "dir.csv").mkdir()
    assert "is a directory" in one_line_error(invoke(tmp_path / "dir.csv", tmp_path / "out2"), tmp_path / "dir.csv").lower()


def test_out_path_that_is_a_file(tmp_path):
    path = write(tmp_path / "ok.csv", HEADER + "C1,N1,2024-01-02,Mum has low mood\n")
    blocker = write(tmp_path / "results", "not a directory")
    result = invoke(path, blocker)
    err = stderr_of(result)
    assert result.exit_code == 2 and len(err.splitlines()) == 1 and str(blocker) in err


def test_input_error_leaves_no_work_directory(tmp_path):
    path = write(tmp_path / "missing.csv", "case_id,note_id,date,body\nC1,N1,2024-01-02,Mum has low mood\n")
    out = tmp_path / "out"
    one_line_error(invoke(path, out), path)
    assert not (out / ".recordscan-work").exists()
