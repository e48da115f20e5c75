"""Property-based tests: arbitrary text never crashes the pipeline and every span points into the original;
the cleaner's offset map is monotone and in bounds; random CSVs always balance their row accounting.

The number of examples comes from the hypothesis profile in conftest.py ("default": 200, "thorough":
10,000 with HYPOTHESIS_PROFILE=thorough). All generated data is fictional by construction.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from recordscan.io.dates import DateError, parse_date
from recordscan.io.readers import ExportReader
from recordscan.tagging import Note, followup_records, mention_records, tag_notes
from recordscan.text_cleaning import clean_text

# The session-scoped `nlp` fixture is built once and is not reset between examples: that is intended.
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CONCERN_WORDS = ["Mum", "mum", "mother", "low mood", "depressed", "anxiety", "Dad", "father", "drinks", "GP", "not", "no",
                 "referral", "referred", "seen", "will", "history of", "visit", "CAMHS", "perinatal", "said", "she", "he",
                 "Dr Hale", "SW", ". ", ", ", "\n", "- ", "1.", "(8)", "?"]
HTML_BITS = ["<p>", "</p>", "<br>", "<br/>", "<b>", "</b>", '<span class="x">', "</span>", "<td>", "</td>", "<tr>", "<li>",
             "<!-- c -->", "<!--", "-->", "<o:p>", "</o:p>", "<Child A>", "<", ">", "&amp;", "&nbsp;", "&#39;", "&quot;",
             "&#x2019;", "&#8217;", "&#0;", "&#13;", "&#55296;", "&#x1F600;", "&bogus;", "&", ";"]
RTF_BITS = ["{\\rtf1 ", "{\\rtf1\\ansi{\\fonttbl{\\f0 Calibri;}}", "\\par ", "\\'92", "\\'e9", "\\'81", "\\u8217?",
            "\\u-10179?\\u-8704?", "\\u-10179?", "\\u-8704?", "\\u55296?", "\\u56832?", "\\~", "\\_", "\\-",
            "{\\*\\generator x;}", "{", "}", "\\", "\\\\", "\\b ", "\\line", "\\tab "]
ODD_CHARS = ["\u00a0", "\u2019", "\u201c", "\u200b", "\u00ad", "\ufeff", "\u2028", "\u202e", "\r", "\r\n", "\x00", "\x0b",
             "\x1b", "\x85", "\U0001F600", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0627\u0645\u0627", "\ufffd"]

# Arbitrary Unicode (every category but surrogates, which a Python str cannot encode), and note-like soup:
# each group of fragments is drawn as often as the others, so rare escapes still turn up in a few hundred examples.
any_text = st.text()
soup = st.lists(st.one_of(st.sampled_from(CONCERN_WORDS), st.sampled_from(HTML_BITS), st.sampled_from(RTF_BITS),
                          st.sampled_from(ODD_CHARS), st.text(max_size=6)), max_size=40).map("".join)
rtf_soup = st.lists(st.one_of(st.sampled_from(CONCERN_WORDS), st.sampled_from(RTF_BITS), st.sampled_from(ODD_CHARS),
                              st.text(max_size=4)), max_size=40).map(lambda parts: "{\\rtf1 " + "".join(parts))  # RTF only if it starts {\rtf
note_text = st.one_of(any_text, soup, rtf_soup)


def _check_records(note: Note, doc) -> None:
    original = note.text
    for r in mention_records(note, doc) + followup_records(note, doc):
        assert 0 <= r.start <= r.end <= len(original), r
        assert r.text == original[r.start:r.end]
        r.text.encode("utf-8")  # writable: no surrogates
    for r in mention_records(note, doc):
        assert r.start < r.end, r  # a mention is never an empty piece of the original


@FIXTURE_OK
@given(texts=st.lists(note_text, min_size=1, max_size=3))
@example(texts=["{\\rtf1 \\u55296?low mood \\u-10179?\\u-8704?}"])
@example(texts=["Mum has low&nbsp;mood\x00 and <b>Dad</b> drinks &amp; was not seen\r"])
@example(texts=[""])
def test_pipeline_never_crashes_and_spans_point_into_the_original(nlp, texts):
    notes = [Note("C1", f"N{i}", None, text) for i, text in enumerate(texts)]
    pairs = list(tag_notes(nlp, notes, batch_size=2))
    assert [n for n, _ in pairs] == notes  # input order kept
    for note, doc in pairs:
        _check_records(note, doc)


@given(text=note_text)
@example(text="{\\rtf1 a\\u-10179?\\u-8704?b}")
@example(text="{\\rtf1 a\\u55296?b \\u-8704?}")
@example(text="&NotEqualTilde; x")
def test_offset_map_is_monotone_and_in_bounds(text):
    cleaned, offsets = clean_text(text)
    cleaned.encode("utf-8")  # no surrogate ever reaches the tokenizer
    n, length = len(cleaned), len(text)
    assert offsets.clean_length == n and offsets.orig_length == length
    starts = [offsets.start(i) for i in range(n + 1)]
    ends = [offsets.end(i) for i in range(n + 1)]
    assert all(0 <= s <= length for s in starts) and all(0 <= e <= length for e in ends)
    assert starts == sorted(starts) and ends == sorted(ends)
    assert ends[0] == 0 and starts[n] == length
    for i in range(n):
        assert starts[i] < ends[i + 1], i  # every cleaned character comes from a non-empty piece of the original
    # Copied segments line up character for character (a character may be swapped one-for-one, e.g. ' for ’).
    m = offsets
    for k, copied in enumerate(m.copied):
        if not copied or m.orig_ends[k] == m.orig_starts[k]:
            continue
        clean_end = m.clean_starts[k + 1] if k + 1 < len(m.clean_starts) else n
        assert clean_end - m.clean_starts[k] == m.orig_ends[k] - m.orig_starts[k]
        for c, o in zip(cleaned[m.clean_starts[k]:clean_end], text[m.orig_starts[k]:m.orig_ends[k]]):
            assert c == o or clean_text(o)[0] == c, (c, o)


@given(text=note_text, data=st.data())
def test_any_span_maps_inside_the_original(text, data):
    cleaned, offsets = clean_text(text)
    i = data.draw(st.integers(0, len(cleaned)))
    j = data.draw(st.integers(i, len(cleaned)))
    start, end = offsets.span(i, j)
    assert 0 <= start <= end <= len(text)
    if i < j:
        assert start < end


# Markup that produces no letters or digits, so every word of the cleaned text must be a word of the original.
HTML_FRAGMENTS = ["<p>", "</p>", "<br>", "<br />", "<b>", "</b>", "<i>", '<span style="x">', "</span>", "<div>", "</div>",
                  "<td>", "</td>", "<table>", "<li>", "<!-- -->", "<o:p>", "</o:p>", "&amp;", "&nbsp;", "&#39;", "&quot;",
                  "&#x2019;", "&#8217;", "&lt;", "&gt;", "&ndash;", "&#13;", "\u00a0", "\u2019", "\u201c", "\u200b", "\r\n", "\r"]
RTF_FRAGMENTS = ["\\par", "\\b", "\\b0", "\\i", "\\line", "\\tab", "\\pard\\sa200\\sl276", "\\fs22", "\\'92", "\\'93", "\\u8217?",
                 "\\u-10179?\\u-8704?", "\\~", "\\_", "\\-", "\\{", "\\}", "\\\\", "{\\fonttbl{\\f0\\fswiss Calibri;}}",
                 "{\\colortbl;\\red0\\green0\\blue0;}", "{\\*\\generator Riched20 10.0;}", "{", "}", "\r\n"]
words = st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True)
WORD = re.compile(r"[A-Za-z]+")


def _assert_words_map_back(original: str) -> None:
    cleaned, offsets = clean_text(original)
    for m in WORD.finditer(cleaned):
        start, end = offsets.span(m.start(), m.end())
        assert original[start:end] == m.group(), (m.group(), original[start:end])


@given(items=st.lists(st.one_of(words, st.sampled_from(HTML_FRAGMENTS)), min_size=1, max_size=30))
def test_words_of_cleaned_html_map_back_to_the_same_words(items):
    _assert_words_map_back(" ".join(items))


@given(items=st.lists(st.one_of(words, st.sampled_from(RTF_FRAGMENTS)), min_size=1, max_size=30))
def test_words_of_cleaned_rtf_map_back_to_the_same_words(items):
    original = "{\\rtf1\\ansi " + " ".join(items) + "}"
    _assert_words_map_back(original)
    # and no word of the font table or other metadata leaks into the cleaned text
    assert "Calibri" not in clean_text(original)[0] and "Riched" not in clean_text(original)[0]


# -- row accounting --------------------------------------------------------------------------------------------
TODAY = dt.date(2024, 6, 1)
ids = st.one_of(st.just(""), st.just("  "), st.from_regex(r"C[0-9]{1,3}", fullmatch=True), st.text(max_size=5))
dates = st.one_of(st.just(""), st.sampled_from(["2024-01-02", "05/03/2024", "45000", "2099-01-01", "31/02/2024", "5 March 2024"]),
                  st.text(max_size=10))
no_nul = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
texts = st.one_of(st.just(""), st.text(no_nul, max_size=40),
                  st.lists(st.sampled_from(CONCERN_WORDS + HTML_BITS + RTF_BITS + ODD_CHARS[:10]), max_size=8).map(" ".join))
full_rows = st.tuples(ids, ids, dates, texts).map(list)
ragged_rows = st.lists(st.one_of(ids, texts), max_size=6)


def _write_csv(rows: list[list[str]], delimiter: str, lineterminator: str, quoting: int) -> str:
    if lineterminator == "\n" and any("\r" in v for row in rows for v in row):
        # With a "\n" terminator the csv module leaves a field holding a bare CR unquoted: an ambiguous file
        # ("x\r\n" reads as a CRLF line end). Quote everything so that the file says what the rows say.
        quoting = csv.QUOTE_ALL
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(["case_id", "note_id", "date", "text"])
    writer.writerows(rows)
    return buf.getvalue()


@given(rows=st.lists(st.one_of(full_rows, full_rows, ragged_rows), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       delimiter=st.sampled_from([",", ";", "\t"]), lineterminator=st.sampled_from(["\r\n", "\n"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
@example(rows=[["", "", "", ""], ["0", "0", "2024-01-02", "0\r"]], encoding="utf-8", delimiter=",", lineterminator="\n",
         quoting=csv.QUOTE_MINIMAL)
@example(rows=[["\x00", "0", "2024-01-02", "0"]], encoding="utf-8", delimiter=",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
def test_row_accounting_balances_for_random_csvs(rows, encoding, delimiter, lineterminator, quoting):
    content = _write_csv(rows, delimiter, lineterminator, quoting)
    try:
        data = content.encode(encoding)
    except UnicodeEncodeError:  # not every character exists in Windows-1252
        encoding, data = "utf-8", content.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(data)
        reader = ExportReader(path, today=TODAY, chunk_rows=3)
        notes, rejected = [], []
        for chunk in reader:
            assert chunk.rows_read == len(chunk.notes) + len(chunk.rejected)
            notes.extend(chunk.notes)
            rejected.extend(chunk.rejected)
    stats = reader.stats
    assert stats.rows_read == len(notes) + len(rejected)
    # Nothing lost and nothing invented: every non-blank row written is one row read, under its own number.
    written = {i + 2: row for i, row in enumerate(rows) if any(v != "" for v in row)}
    assert stats.rows_read == len(written)
    assert sorted([n.row for n in notes] + [r.row for r in rejected]) == sorted(written)
    assert all(r.reason for r in rejected)
    if encoding != "cp1252":  # a Windows-1252 line can happen to be valid UTF-8; other encodings round-trip exactly
        for note in notes:  # ... except NUL, which a CSV row gets as U+FFFD (same length: offsets stay true)
            assert note.text == written[note.row][3].replace("\x00", "\ufffd")
            assert note.case_id == written[note.row][0].strip().replace("\x00", "\ufffd")


@given(value=st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.none(),
                       st.from_regex(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}", fullmatch=True),
                       st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True)))
def test_parse_date_only_ever_raises_date_error(value):
    try:
        result = parse_date(value)
    except DateError as exc:
        assert str(exc) in {"no date", "not a date", "unrecognised date format", "impossible calendar date",
                            "number outside the range of Excel date serials"}
    else:
        assert isinstance(result, dt.date) and not isinstance(result, dt.datetime)
