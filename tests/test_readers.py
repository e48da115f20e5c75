"""Every reader (CSV in its encodings and dialects, Excel, JSON Lines, Parquet) and the date parser, table-driven.

Files are written inside each test (openpyxl and pyarrow build the binary formats); all data is fictional.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from recordscan.io.dates import DateError, parse_date
from recordscan.io.readers import ColumnMap, ExportReader, InputError, read_notes

TODAY = dt.date(2024, 6, 1)
D = dt.date


def read(path: Path, **kwargs):
    notes, rejected, stats = read_notes(path, today=TODAY, **kwargs)
    assert stats.rows_read == len(notes) + len(rejected)
    return notes, rejected, stats


def summary(notes) -> list[tuple]:
    return [(n.case_id, n.note_id, n.date, n.text, n.row) for n in notes]


def to_csv(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


# -- CSV ---------------------------------------------------------------------------------------------------
ROWS = [["case_id", "note_id", "date", "text"],
        ["C1", "N1", "05/03/2024", "Mum\u2019s low mood \u2013 Zo\u00eb seen"],
        ["C1", "N2", "2024-03-06", "line one\nline two, with \"quotes\"\r\nline three"],
        ["C2", "N1", "6 March 2024", "plain"]]
EXPECTED = [("C1", "N1", D(2024, 3, 5), "Mum\u2019s low mood \u2013 Zo\u00eb seen", 2),
            ("C1", "N2", D(2024, 3, 6), "line one\nline two, with \"quotes\"\r\nline three", 3),
            ("C2", "N1", D(2024, 3, 6), "plain", 4)]

CSV_CASES = {
    # name: (suffix, bytes, expected encoding)
    "utf-8": (".csv", to_csv(ROWS).encode("utf-8"), "utf-8"),
    "utf-8 with BOM": (".csv", codecs.BOM_UTF8 + to_csv(ROWS).encode("utf-8"), "utf-8-sig"),
    "utf-16 LE with BOM": (".csv", to_csv(ROWS).encode("utf-16"), "utf-16"),
    "utf-16 BE with BOM": (".csv", codecs.BOM_UTF16_BE + to_csv(ROWS).encode("utf-16-be"), "utf-16"),
    "utf-16 LE without BOM": (".csv", to_csv(ROWS).encode("utf-16-le"), "utf-16-le"),
    "windows-1252": (".csv", to_csv(ROWS).encode("cp1252"), "cp1252"),
    "LF line endings": (".csv", to_csv(ROWS, lineterminator="\n").encode(), "utf-8"),
    "semicolon": (".csv", to_csv(ROWS, delimiter=";").encode(), "utf-8"),
    "tab in .csv": (".csv", to_csv(ROWS, delimiter="\t").encode(), "utf-8"),
    "pipe": (".csv", to_csv(ROWS, delimiter="|").encode(), "utf-8"),
    ".tsv": (".tsv", to_csv(ROWS, delimiter="\t").encode(), "utf-8"),
    ".txt": (".txt", to_csv(ROWS).encode(), "utf-8"),
}


@pytest.mark.parametrize("name", list(CSV_CASES))
def test_csv_encodings_and_dialects(tmp_path, name):
    suffix, data, encoding = CSV_CASES[name]
    path = tmp_path / f"export{suffix}"
    path.write_bytes(data)
    notes, rejected, stats = read(path)
    assert rejected == []
    assert stats.encoding == encoding and stats.format == "csv"
    assert summary(notes) == EXPECTED  # multi-line cells keep their line breaks; rows count records, header = row 1


def test_windows_1252_curly_quote(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(b"case_id,note_id,date,text\r\nC1,N1,2024-01-02,Mum\x92s \x93view\x94 \x96 \x80 5\r\n")
    notes, _, stats = read(path)
    assert stats.encoding == "cp1252" and stats.rows_decoded_as_cp1252 == 0
    assert notes[0].text == "Mum\u2019s \u201cview\u201d \u2013 \u20ac 5"


def test_quoted_multiline_cells_number_rows_by_record(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('case_id,note_id,date,text\nC1,N1,2024-01-02,"a\nb\nc"\nC1,N2,2024-01-02,bad-date-row\n'
                    'C1,N3,not a date,"x\n\ny"\nC1,N4,2024-01-02,last\n', encoding="utf-8")
    notes, rejected, _ = read(path)
    assert [(n.note_id, n.row, n.text) for n in notes] == [("N1", 2, "a\nb\nc"), ("N2", 3, "bad-date-row"), ("N4", 5, "last")]
    assert [(r.row, r.note_id, r.column, r.reason) for r in rejected] == [(4, "N3", "date", "unparseable date (unrecognised date format)")]


def test_csv_chunks_and_resume(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("case_id,note_id,date,text\n" + "".join(f"C{i},N{i},2024-01-02,t{i}\n" for i in range(7)), encoding="utf-8")
    reader = ExportReader(path, chunk_rows=3, today=TODAY)
    assert [(len(c.notes), c.rows_read) for c in reader] == [(3, 3), (3, 3), (1, 1)]
    reader = ExportReader(path, chunk_rows=3, today=TODAY, skip_rows=5)
    assert [n.note_id for c in reader for n in c.notes] == ["N5", "N6"] and reader.stats.rows_read == 7


def test_ragged_rows(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("case_id,note_id,date,text,note_type\nC1,N1,2024-01-02,ok\nC1,N2,2024-01-02\n"
                    "C1,N3,2024-01-02,a,b,c\nC1,N4,2024-01-02,a,b,,\n", encoding="utf-8")
    notes, rejected, _ = read(path)
    assert [n.note_id for n in notes] == ["N1", "N4"]  # a missing optional column, and empty trailing fields, are fine
    assert [(r.row, r.column, r.reason) for r in rejected] == [
        (3, "text", "row has 3 fields but the header has 5 (truncated row?)"),
        (4, None, "row has 6 fields but the header has 5 (unquoted delimiter?)")]


def test_optional_columns_and_mapping(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("Person ID,Note,When,Body,Role,Kind\nP1,7,2024-01-02,text,GP,Visit\nP2,8,2024-01-02,text,,\n", encoding="utf-8")
    notes, _, _ = read(path, columns=ColumnMap("person id", "NOTE", "when", "body", "role", "kind"))
    assert [(n.case_id, n.note_id, n.author_role, n.note_type) for n in notes] == [("P1", "7", "GP", "Visit"), ("P2", "8", None, None)]


@pytest.mark.parametrize("content, message", [
    ("case_id,note_id,date\nC1,N1,2024-01-02\n", "row 1: missing required column 'text' (columns found: 'case_id', 'note_id', 'date'); "
                                                  "map another column with --text-col"),
    ("\n\n", "file has no header row"),
    ('case_id,"note_id,date,text\nC1,N1,2024-01-02,x\n', "row 1: the header row opens a quoted field that never closes"),
])
def test_csv_file_errors(tmp_path, content, message):
    path = tmp_path / "e.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value) == f"{path}{', ' if message.startswith('row') else ': '}{message}"
    assert "\n" not in str(info.value)


# -- Excel ---------------------------------------------------------------------------------------------------
def _workbook(path: Path, rows: list[list], title: str | None = None, blank_rows: int = 0) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for _ in range(blank_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, as Excel stores a typed '=...; openpyxl would write a formula
    workbook.save(path)
    return path


def test_xlsx_types(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", [
        ["Case_ID", "note_id", "date", "text", "author_role"],
        [123.0, 7.0, dt.datetime(2024, 3, 5, 14, 30), "Mum has low mood", "Social Worker"],
        [124, 8, dt.date(2024, 3, 6), "=not a formula", None],
        ["C-3", "N3", 45000, "serial date", None],
        ["C-4", "N4", "05/03/2024", 42, None],
        ["C-5", "N5", 45000.75, "serial with a time", None],
        [None, None, None, None, None],
        ["C-6", "N6", "2024-03-05", None, None],
        ["C-7", "N7", 99999, "out-of-range serial", None],
    ])
    notes, rejected, stats = read(path)
    assert stats.format == "xlsx" and stats.rows_read == 7  # the empty row is not a row
    assert summary(notes) == [("123", "7", D(2024, 3, 5), "Mum has low mood", 2), ("124", "8", D(2024, 3, 6), "=not a formula", 3),
                              ("C-3", "N3", D(2023, 3, 15), "serial date", 4), ("C-4", "N4", D(2024, 3, 5), "42", 5),
                              ("C-5", "N5", D(2023, 3, 15), "serial with a time", 6)]
    assert notes[0].author_role == "Social Worker"
    assert [(r.row, r.reason) for r in rejected] == [(8, "empty text"), (9, "unparseable date (number outside the range of Excel date serials)")]


def test_xlsx_sheet_choice_and_header_below_blank_rows(tmp_path):
    import openpyxl

    path = _workbook(tmp_path / "s.xlsx", [["ignore me"]], title="Cover")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet("Notes")
    sheet.append([])
    sheet.append([])
    sheet.append(["case_id", "note_id", "date", "text"])
    sheet.append(["C1", "N1", "2024-01-02", "hello"])
    workbook.save(path)
    notes, _, _ = read(path, sheet="Notes")
    assert [(n.case_id, n.row) for n in notes] == [("C1", 4)]
    with pytest.raises(InputError, match=r"no sheet named 'Missing' \(sheets: Cover, Notes\)"):
        read(path, sheet="Missing")
    with pytest.raises(InputError, match=r"row 1: missing required column 'case_id'"):
        read(path)


def test_xlsx_empty_sheet(tmp_path):
    path = _workbook(tmp_path / "empty.xlsx", [])
    with pytest.raises(InputError, match="the sheet is empty"):
        read(path)


# -- JSON Lines ------------------------------------------------------------------------------------------------
def test_jsonl(tmp_path):
    lines = [json.dumps({"Case_ID": "C1", "note_id": 1, "date": "2024-03-05", "text": "Mum\u2019s low mood", "extra": [1]}),
             "",
             '{"case_id": "C1", "note_id": 2, "date": "2024-03-05", "text": "cut off',
             json.dumps(["not", "an", "object"]),
             json.dumps({"case_id": "C2", "note_id": "3", "date": 45000, "text": "serial"}),
             json.dumps({"case_id": "C3", "note_id": "4", "date": "2024-03-05"}),
             ]
    path = tmp_path / "n.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(lines).encode("utf-8") + b"\n\xff\xfe not utf-8\n")
    notes, rejected, stats = read(path)
    assert stats.format == "jsonl" and stats.rows_read == 6
    assert summary(notes) == [("C1", "1", D(2024, 3, 5), "Mum\u2019s low mood", 1), ("C2", "3", D(2023, 3, 15), "serial", 5)]
    assert [(r.row, r.reason) for r in rejected] == [(3, "not a valid JSON object"), (4, "line is not a JSON object"),
                                                     (6, "empty text"), (7, "not a valid JSON object")]


@pytest.mark.parametrize("content, message", [
    ('{"case_id": "C1", "date": "2024-01-02", "text": "x"}\n', "row 1: missing required field 'note_id' in the first record"),
    ("case_id,note_id\n", "row 1: not a JSON Lines file (the first record is not a JSON object)"),
    ('[{"case_id": "C1"}]\n', "row 1: a JSON array, not JSON Lines (one JSON object per line)"),
])
def test_jsonl_file_errors(tmp_path, content, message):
    path = tmp_path / "e.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value) == f"{path}, {message}"


# -- Parquet ---------------------------------------------------------------------------------------------------
def test_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "CASE_ID": pa.array([101, 102, None, 104], pa.int64()),
        "note_id": ["a", "b", "c", "d"],
        "date": pa.array([D(2024, 3, 5), D(2024, 3, 6), D(2024, 3, 7), D(2030, 1, 1)], pa.date32()),
        "text": ["Mum has low mood", None, "orphan", "future"],
        "unused": [1.5, 2.5, 3.5, 4.5],
    })
    path = tmp_path / "p.parquet"
    pq.write_table(table, path, row_group_size=2)
    notes, rejected, stats = read(path, chunk_rows=3)
    assert stats.format == "parquet" and stats.rows_read == 4
    assert summary(notes) == [("101", "a", D(2024, 3, 5), "Mum has low mood", 1)]
    assert [(r.row, r.reason) for r in rejected] == [(2, "empty text"), (3, "empty case id"), (4, "date 2030-01-01 is in the future")]


def test_parquet_timestamps_and_binary_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"case_id": ["C1", "C2"], "note_id": ["1", "2"],
                      "date": pa.array([dt.datetime(2024, 3, 5, 23, 59), dt.datetime(2024, 3, 6)], pa.timestamp("ms")),
                      "text": pa.array([b"caf\xc3\xa9", b"bad \xff byte"], pa.binary())})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    notes, _, _ = read(path)
    assert [(n.date, n.text) for n in notes] == [(D(2024, 3, 5), "caf\u00e9"), (D(2024, 3, 6), "bad \ufffd byte")]


def test_parquet_missing_column(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "m.parquet"
    pq.write_table(pa.table({"case_id": ["C1"], "note_id": ["1"], "date": ["2024-01-01"]}), path)
    with pytest.raises(InputError, match=r"row 1: missing required column 'text' \(columns found: 'case_id', 'note_id', 'date'\)"):
        read(path)


# -- dates ------------------------------------------------------------------------------------------------------
DATES = [
    ("2024-03-05", D(2024, 3, 5)),
    ("2024-3-5", D(2024, 3, 5)),
    ("2024-03-05T14:30:00", D(2024, 3, 5)),
    ("2024-03-05T14:30:00.123+01:00", D(2024, 3, 5)),
    ("2024-03-05 14:30", D(2024, 3, 5)),
    ("2024-03-05T14:30:00Z", D(2024, 3, 5)),
    ("05/03/2024", D(2024, 3, 5)),
    ("3/4/2024", D(2024, 4, 3)),  # UK: day first, the 3rd of April
    ("13/01/2024", D(2024, 1, 13)),
    ("05-03-24", D(2024, 3, 5)),
    ("05.03.1999", D(1999, 3, 5)),
    ("05/03/75", D(1975, 3, 5)),
    ("05/03/2024 10:15", D(2024, 3, 5)),
    ("5 March 2024", D(2024, 3, 5)),
    ("5th Mar 2024", D(2024, 3, 5)),
    ("05 Sept. 2024", D(2024, 9, 5)),
    ("  2024-03-05  ", D(2024, 3, 5)),
    ("45000", D(2023, 3, 15)),
    ("45000.5", D(2023, 3, 15)),
    (45000, D(2023, 3, 15)),
    (45000.99, D(2023, 3, 15)),
    (dt.datetime(2024, 3, 5, 23, 59), D(2024, 3, 5)),
    (D(2024, 3, 5), D(2024, 3, 5)),
]

BAD_DATES = [
    (None, "no date"),
    ("", "no date"),
    ("   ", "no date"),
    ("31/02/2024", "impossible calendar date"),
    ("2024-02-30", "impossible calendar date"),
    ("2023-02-29", "impossible calendar date"),
    ("0000-01-01", "impossible calendar date"),
    ("13/13/2024", "impossible calendar date"),
    ("5 Smarch 2024", "unrecognised date format"),
    ("last Tuesday", "unrecognised date format"),
    ("2024/03/05 is the date", "unrecognised date format"),
    ("12345678", "unrecognised date format"),
    ("99999", "number outside the range of Excel date serials"),
    ("10000", "number outside the range of Excel date serials"),
    (2024, "number outside the range of Excel date serials"),
    (-1, "number outside the range of Excel date serials"),
    (float("nan"), "number outside the range of Excel date serials"),
    (float("inf"), "number outside the range of Excel date serials"),
    (True, "not a date"),
]


@pytest.mark.parametrize("value, expected", DATES, ids=[repr(v) for v, _ in DATES])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, message", BAD_DATES, ids=[repr(v) for v, _ in BAD_DATES])
def test_parse_date_rejects(value, message):
    with pytest.raises(DateError) as info:
        parse_date(value)
    assert str(info.value) == message


def test_nul_bytes_are_counted_per_row_in_every_format(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"case_id": "C1", "note_id": "1", "date": "2024-01-02", "text": "a\u0000b"}) + "\n"
                    + json.dumps({"case_id": "C1", "note_id": "2", "date": "bad", "text": "c\u0000d"}) + "\n"
                    + json.dumps({"case_id": "C1", "note_id": "3", "date": "2024-01-02", "text": "clean"}) + "\n", encoding="utf-8")
    notes, rejected, stats = read(path)
    assert stats.rows_with_nul_bytes == 2  # rejected rows count too
    assert notes[0].text == "a\x00b"  # kept as given: offsets into it stay true (the cleaner turns it into a space)
    csv_path = tmp_path / "n.csv"
    csv_path.write_bytes(b"case_id,note_id,date,text\nC1,1,2024-01-02,\"a\x00\nb\x00\"\nC1,2,2024-01-02,ok\n")
    notes, _, stats = read(csv_path)
    assert stats.rows_with_nul_bytes == 1  # one row, though it spans two lines with a NUL each
    assert notes[0].text == "a\ufffd\nb\ufffd"


def test_xlsx_damaged_inside_the_sheet(tmp_path):
    """A workbook whose sheet XML is cut short fails while rows are read: still one clear InputError."""
    import zipfile

    good = _workbook(tmp_path / "good.xlsx", [["case_id", "note_id", "date", "text"]] + [[f"C{i}", "N", "2024-01-02", "x"] for i in range(50)])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(InputError) as info:
        read(bad)
    assert str(info.value).startswith(f"{bad}: not a readable Excel .xlsx file")
