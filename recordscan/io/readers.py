"""Read record exports (CSV, Excel, JSON Lines, Parquet) in chunks, validating every row.

Each reader yields `Chunk`s: valid notes plus rejected rows with a reason, so `rows_read == notes +
rejected` holds by construction. A problem with the file as a whole (missing column, unreadable
encoding, empty file, wrong format for its extension) raises `InputError`, whose message is one line
naming the file, and the row and column where there is one. No message ever contains note text.

CSV is decoded line by line: the encoding is detected from the start of the file (UTF-8, UTF-8 with BOM,
UTF-16 with or without a BOM, or Windows-1252), and a line that does not decode in it is decoded as Windows-1252
instead and counted, so one mis-encoded row in a UTF-8 export neither stops the run nor is lost. A file is
read as UTF-8 whenever its sample holds UTF-8 text, even if some lines in it are Windows-1252.

A row the CSV parser cannot read (a bare carriage return in an unquoted field) is rejected with a reason and
reading goes on; so is a last row that ends inside a quoted field that never closes (a truncated file, or
a stray quote that swallowed the rest of the file): such a row is never scanned as if it were complete.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import json
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..tagging import Note
from .dates import DateError, parse_date

FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl",
           ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
DEFAULT_CHUNK_ROWS = 5_000
DEFAULT_MAX_NOTE_CHARS = 1_000_000  # spaCy's default max_length; longer "notes" are export debris
EXCEL_CELL_LIMIT = 32_767

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class InputError(Exception):
    """The input cannot be read at all. `str(error)` is a single line for the user."""

    def __init__(self, path: str | Path, message: str, row: int | None = None, column: str | None = None):
        self.path, self.row, self.column = str(path), row, column
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class ColumnMap:
    """Which input column holds each field. Matching ignores case and surrounding spaces."""

    case_id: str = "case_id"
    note_id: str = "note_id"
    date: str = "date"
    text: str = "text"
    author_role: str = "author_role"
    note_type: str = "note_type"

    REQUIRED = ("case_id", "note_id", "date", "text")

    def resolve(self, header: list[Any], path: str | Path, header_row: int = 1) -> dict[str, int]:
        normalised = [_norm(h) for h in header]
        positions: dict[str, int] = {}
        for f in fields(self):
            wanted = _norm(getattr(self, f.name))
            if wanted in normalised:
                positions[f.name] = normalised.index(wanted)
            elif f.name in self.REQUIRED:
                option = "--" + f.name.replace("_id", "").replace("_", "-") + "-col"
                if _looks_like_data(header):
                    # A headerless export: its first row is a note, and error messages never contain note text.
                    found = "the first row looks like data, not column names: does the file have a header row?"
                else:
                    found = "columns found: " + (", ".join(repr(str(h).strip()) for h in header if str(h).strip()) or "none")
                raise InputError(path, f"missing required column {getattr(self, f.name)!r} ({found}); "
                                       f"map another column with {option}", row=header_row)
        return positions


MAX_HEADER_NAME = 64


def _looks_like_data(header: list[Any]) -> bool:
    """True when a "header" row is really a record: a long or multi-line cell, or a cell holding a date."""
    for h in header:
        if h is None:
            continue
        if isinstance(h, (dt.date, int, float)) and not isinstance(h, bool):
            return True
        text = str(h).strip()
        if len(text) > MAX_HEADER_NAME or "\n" in text or "\r" in text:
            return True
        try:
            parse_date(text)
            return True
        except DateError:
            pass
    return False


def _norm(name: Any) -> str:
    return " ".join(str(name if name is not None else "").replace("\ufeff", "").strip().lower().split())


@dataclass
class RejectedRow:
    row: int
    case_id: str | None
    note_id: str | None
    column: str | None
    reason: str


@dataclass
class Chunk:
    notes: list[Note]
    rejected: list[RejectedRow]
    rows_read: int


@dataclass
class ReadStats:
    """What the reader noticed, for run.json."""

    format: str = ""
    encoding: str | None = None
    rows_read: int = 0
    rows_decoded_as_cp1252: int = 0
    rows_with_nul_bytes: int = 0
    notes_at_excel_cell_limit: int = 0
    extra: dict = field(default_factory=dict)


class ExportReader:
    """Iterate over an export in chunks of validated notes. `stats` fills in as it reads."""

    def __init__(self, path: str | Path, columns: ColumnMap | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                 max_note_chars: int = DEFAULT_MAX_NOTE_CHARS, today: dt.date | None = None, sheet: str | None = None,
                 file_format: str | None = None, skip_rows: int = 0):
        self.path = Path(path)
        self.columns = columns or ColumnMap()
        self.chunk_rows = chunk_rows
        self.max_note_chars = max_note_chars
        self.today = today or dt.date.today()
        self.sheet = sheet
        self.skip_rows = skip_rows  # data rows already processed (resuming a run)
        self.stats = ReadStats()
        self.format = file_format or FORMATS.get(self.path.suffix.lower())
        if not self.path.exists():
            raise InputError(self.path, "file not found")
        if self.path.is_dir():
            raise InputError(self.path, "is a directory, not an export file")
        if self.format is None:
            raise InputError(self.path, f"unknown file type {self.path.suffix!r}; use .csv, .tsv, .xlsx, .jsonl or .parquet")
        if self.path.stat().st_size == 0:
            raise InputError(self.path, "file is empty")
        self.stats.format = self.format

    def __iter__(self) -> Iterator[Chunk]:
        rows = {"csv": self._csv_rows, "xlsx": self._xlsx_rows, "jsonl": self._jsonl_rows, "parquet": self._parquet_rows}[self.format]()
        notes: list[Note] = []
        rejected: list[RejectedRow] = []
        count = 0
        for row_number, record, problem in rows:
            self.stats.rows_read += 1
            if self.stats.rows_read <= self.skip_rows:
                continue
            count += 1
            if record.pop(_NUL_KEY, False) or any(isinstance(v, str) and "\x00" in v for v in record.values()):
                self.stats.rows_with_nul_bytes += 1
            if problem is not None:
                rejected.append(RejectedRow(row_number, _id(record.get("case_id")), _id(record.get("note_id")), problem[0], problem[1]))
            else:
                result = self._validate(row_number, record)
                (rejected if isinstance(result, RejectedRow) else notes).append(result)
            if count >= self.chunk_rows:
                yield Chunk(notes, rejected, count)
                notes, rejected, count = [], [], 0
        if count:
            yield Chunk(notes, rejected, count)

    # -- validation ------------------------------------------------------------------------------------
    def _validate(self, row: int, record: dict) -> Note | RejectedRow:
        case_id, note_id = _id(record.get("case_id")), _id(record.get("note_id"))
        if not case_id:
            return RejectedRow(row, case_id, note_id, self.columns.case_id, "empty case id")
        if not note_id:
            return RejectedRow(row, case_id, note_id, self.columns.note_id, "empty note id")
        text = record.get("text")
        if isinstance(text, (bytes, bytearray)):  # a binary Parquet column
            text = bytes(text).decode("utf-8", errors="replace")
        text = "" if text is None else str(text) if not isinstance(text, str) else text
        if not text.strip():
            return RejectedRow(row, case_id, note_id, self.columns.text, "empty text")
        if len(text) > self.max_note_chars:
            return RejectedRow(row, case_id, note_id, self.columns.text,
                               f"note longer than {self.max_note_chars:,} characters ({len(text):,}); raise --max-note-chars to scan it")
        if len(text) == EXCEL_CELL_LIMIT:
            self.stats.notes_at_excel_cell_limit += 1
        try:
            date = parse_date(record.get("date"))
        except DateError as exc:
            return RejectedRow(row, case_id, note_id, self.columns.date, f"unparseable date ({exc})")
        if date > self.today + dt.timedelta(days=1):
            return RejectedRow(row, case_id, note_id, self.columns.date, f"date {date.isoformat()} is in the future")
        return Note(case_id, note_id, date, text, _opt(record.get("author_role")), _opt(record.get("note_type")), row)

    # -- formats ---------------------------------------------------------------------------------------
    def _records(self, header: list[Any], rows: Iterable[tuple], header_row: int = 1) -> Iterator[tuple[int, dict, tuple | None]]:
        """(row number, values) or (row number, values, problem found while parsing) -> (row, record, problem)."""
        positions = self.columns.resolve(header, self.path, header_row)
        width = len(header)
        names = {v: k for k, v in positions.items()}
        required = [positions[name] for name in ColumnMap.REQUIRED]
        for item in rows:
            row_number, values = item[0], item[1]
            parse_problem = item[2] if len(item) > 2 else None
            extra = {}
            if values and isinstance(values[-1], _NulMark):
                values = values[:-1]
                extra[_NUL_KEY] = True
            if parse_problem is None and not any(v not in (None, "") for v in values):
                continue  # blank line: not a row
            record = {name: values[i] if i < len(values) else None for i, name in names.items()}
            record.update(extra)
            problem = parse_problem
            if problem is None and len(values) < width and max(required) >= len(values):
                # Only a missing REQUIRED field makes the row unusable; a row that stops before optional columns is read.
                missing = header[min(i for i in required if i >= len(values))]
                problem = (str(missing), f"row has {len(values)} fields but the header has {width} (truncated row?)")
            elif problem is None and len(values) > width and any(v not in (None, "") for v in values[width:]):
                problem = (None, f"row has {len(values)} fields but the header has {width} (unquoted delimiter?)")
            yield row_number, record, problem

    def _csv_rows(self):
        encoding, delimiter, line_end = self._sniff_csv()
        self.stats.encoding = encoding
        lines: list[list[str]] = [[]]  # lines[0]: the physical lines of the record being parsed
        nul_in_record = [False]

        def tracked() -> Iterator[str]:
            for line in self._decoded_lines(encoding, line_end):
                if "\x00" in line:
                    # The csv module refuses NUL; U+FFFD keeps the text the same length, so offsets stay true.
                    line = line.replace("\x00", "\ufffd")
                    nul_in_record[0] = True
                lines[0].append(line)
                yield line

        reader = csv.reader(tracked(), delimiter=delimiter)
        # Rows are numbered as a spreadsheet shows them: a quoted multi-line cell is one row. Blank lines before
        # the header are skipped (the header is row 1 in a file that starts with it).
        header, header_row = None, 0
        while header is None:
            header_row += 1
            try:
                values = next(reader)
            except StopIteration:
                raise InputError(self.path, "file has no header row") from None
            except csv.Error as exc:
                raise InputError(self.path, f"not a readable CSV file ({exc})", row=header_row) from None
            if any(v.strip() for v in values):
                header = values
        if _ends_inside_quotes("".join(lines[0]), delimiter):
            raise InputError(self.path, "the header row opens a quoted field that never closes", row=header_row)

        well_formed = _well_formed_record(delimiter)

        def numbered():
            row_number = header_row
            pending = pending_lines = None  # one row of look-ahead: only the last row can end inside an unclosed quote
            while True:
                record_lines = lines[0] = []
                nul_in_record[0] = False
                row_number += 1
                try:
                    values = next(reader)
                    item = (row_number, values + [_NulMark()] if nul_in_record[0] else values)
                except StopIteration:
                    break
                except csv.Error as exc:
                    # The parser resets at the next line: reject this row, with the reason, and read on.
                    reason = f"malformed CSV row ({exc}); the row was not read".replace(
                        " - do you need to open the file in universal-newline mode?", " (a bare carriage return?)")
                    item = (row_number, [_NulMark()] if nul_in_record[0] else [], (None, reason))
                if len(item) == 2 and len(record_lines) > 1 and not well_formed.fullmatch("".join(record_lines)):
                    # A quoted field that closes in the middle of a later line: a stray quote has merged rows.
                    item = (*item, (None, f"malformed quoting over {len(record_lines)} lines (a stray quote may have merged "
                                          "rows here); the row was not scanned"))
                if pending is not None:
                    yield pending
                pending, pending_lines = item, record_lines
            if pending is not None:
                if len(pending) == 2 and _ends_inside_quotes("".join(pending_lines), delimiter):
                    count = len(pending_lines)
                    swallowed = f"; it runs over {count} lines to the end of the file" if count > 1 else ""
                    pending = (*pending, (None, "row ends inside a quoted field that is never closed (truncated file, or "
                                                f"a stray quote){swallowed}; the row was not scanned"))
                yield pending

        yield from self._records(header, numbered(), header_row)

    def _sniff_csv(self) -> tuple[str, str, str]:
        """(encoding, delimiter, line ending) of a CSV file; InputError if it is not text."""
        with self.path.open("rb") as fh:
            sample = fh.read(SNIFF_BYTES)
        complete = len(sample) < SNIFF_BYTES
        if sample.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif _utf16_without_bom(sample):
            encoding = _utf16_without_bom(sample)
        else:
            kind = _binary_kind(sample)
            if kind is not None:
                raise InputError(self.path, f"does not look like a text (CSV) file: {kind}")
            encoding = _detect_encoding(sample, complete)
            if encoding is None:
                raise InputError(self.path, "cannot determine the text encoding (tried UTF-8 and Windows-1252); "
                                            "re-export the file as UTF-8")
        text = sample.decode(encoding, errors="replace")
        # Old Mac exports end lines with a bare CR; anything with a LF is split on LF (a CR inside is data).
        line_end = "\r" if "\r" in text and "\n" not in text else "\n"
        first = text.lstrip("\r\n").splitlines()[0] if text.strip("\r\n") else ""
        if self.path.suffix.lower() == ".tsv":
            return encoding, "\t", line_end
        counts = {d: _count_outside_quotes(first, d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        return encoding, delimiter, line_end

    def _decoded_lines(self, encoding: str, line_end: str = "\n") -> Iterator[str]:
        if encoding.startswith("utf-16"):
            # errors="replace": a truncated file or a lone surrogate must not stop the run.
            with self.path.open("r", encoding=encoding, errors="replace", newline="") as fh:
                yield from fh
            return
        first = True
        for raw in _binary_lines(self.path, line_end.encode()):
            if first and encoding == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            first = False
            try:
                line = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError:
                line = raw.decode("cp1252", errors="replace")
                self.stats.rows_decoded_as_cp1252 += 1
            yield line

    def _xlsx_rows(self):
        try:
            import openpyxl
            from openpyxl.utils.exceptions import InvalidFileException
        except ImportError:  # pragma: no cover - openpyxl is a dependency
            raise InputError(self.path, "reading Excel files needs openpyxl") from None
        import zipfile
        import zlib

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise InputError(self.path, f"not a readable Excel .xlsx file ({type(exc).__name__})") from None
        try:
            sheet = workbook[self.sheet] if self.sheet else workbook.worksheets[0]
        except KeyError:
            raise InputError(self.path, f"no sheet named {self.sheet!r} (sheets: {', '.join(workbook.sheetnames)})") from None
        rows = sheet.iter_rows(values_only=True)
        header, header_row = None, 0
        for i, values in enumerate(rows, start=1):
            if values and any(v not in (None, "") for v in values):
                header, header_row = list(values), i
                break
        if header is None:
            raise InputError(self.path, "the sheet is empty")
        numbered = ((header_row + k, list(v)) for k, v in enumerate(rows, start=1))
        try:
            yield from self._records(header, numbered, header_row)
        except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, KeyError, ValueError) as exc:
            # A damaged workbook can fail part-way through a sheet (ElementTree's ParseError is a SyntaxError).
            raise InputError(self.path, f"not a readable Excel .xlsx file: the sheet is damaged ({type(exc).__name__})") from None
        finally:
            workbook.close()

    def _jsonl_rows(self):
        columns = self.columns
        wanted = {name: _norm(getattr(columns, name)) for name in ("case_id", "note_id", "date", "text", "author_role", "note_type")}
        seen_any = False
        with self.path.open("rb") as fh:
            for line_number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if line_number == 1 else "utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    if not seen_any and not raw.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
                        raise InputError(self.path, "not a JSON Lines file (the first record is not a JSON object)", row=line_number) from None
                    yield line_number, {}, (None, "not a valid JSON object")
                    continue
                if not isinstance(obj, dict):
                    if not seen_any and isinstance(obj, list):
                        raise InputError(self.path, "a JSON array, not JSON Lines (one JSON object per line)", row=line_number)
                    yield line_number, {}, (None, "line is not a JSON object")
                    continue
                keys = {_norm(k): k for k in obj}
                if not seen_any:
                    for name in ColumnMap.REQUIRED:
                        if wanted[name] not in keys:
                            raise InputError(self.path, f"missing required field {getattr(columns, name)!r} in the first record", row=line_number)
                seen_any = True
                record = {name: obj.get(keys[w]) if w in keys else None for name, w in wanted.items()}
                yield line_number, record, None

    def _parquet_rows(self):
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover
            raise InputError(self.path, "reading Parquet files needs pyarrow") from None
        try:
            parquet = pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise InputError(self.path, f"not a readable Parquet file ({type(exc).__name__})") from None
        header = parquet.schema_arrow.names
        positions = self.columns.resolve(header, self.path)
        selected = [header[i] for i in sorted(set(positions.values()))]
        names = {header[i]: name for name, i in positions.items()}
        row_number = 0
        for batch in parquet.iter_batches(batch_size=self.chunk_rows, columns=selected):
            for item in batch.to_pylist():
                row_number += 1
                yield row_number, {names[k]: v for k, v in item.items() if k in names}, None


SNIFF_BYTES = 256 * 1024
_MAGIC = [(b"\x89PNG", "it is a PNG image"), (b"GIF8", "it is a GIF image"), (b"\xff\xd8\xff", "it is a JPEG image"),
          (b"%PDF", "it is a PDF document"), (b"PK\x03\x04", "it is a ZIP archive (an .xlsx workbook? name it .xlsx)"),
          (b"\xd0\xcf\x11\xe0", "it is an old Excel .xls or Office document (save it as .xlsx or .csv)"),
          (b"PAR1", "it is a Parquet file (name it .parquet)"), (b"\x1f\x8b", "it is gzip-compressed")]
_CONTROL_BYTES = frozenset(range(0x01, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}


class _NulMark:
    """Appended to a CSV row's values when a NUL byte was replaced in it (removed before validation)."""


_NUL_KEY = "\x00nul"


def _binary_kind(sample: bytes) -> str | None:
    """Why `sample` is not text, or None. NUL bytes inside notes happen (legacy exports pad text fields with
    them), so they are set aside before judging: binary data is full of other control bytes as well."""
    for magic, kind in _MAGIC:
        if sample.startswith(magic):
            return kind
    text = sample.replace(b"\x00", b"")
    if sample and not text:
        return "it contains only NUL bytes"
    controls = sum(1 for b in text if b in _CONTROL_BYTES)
    if controls > max(8, len(text) // 20):
        for encoding in ("utf-8", "cp1252"):  # text with many control characters is still text
            try:
                text.decode(encoding)
                return None
            except UnicodeDecodeError:
                pass
        return "it contains binary data"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text has a NUL in every other byte (for Latin text): "utf-16-le", "utf-16-be" or None."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _binary_lines(path: Path, terminator: bytes) -> Iterator[bytes]:
    """Lines of a binary file, each with its terminator (b"\\n" lines keep a preceding b"\\r")."""
    with path.open("rb") as fh:
        if terminator == b"\n":
            yield from fh
            return
        rest = b""
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            parts = (rest + block).split(terminator)
            rest = parts.pop()
            for part in parts:
                yield part + terminator
        if rest:
            yield rest


@functools.lru_cache(maxsize=8)
def _well_formed_record(delimiter: str) -> re.Pattern:
    """A record whose quoted fields are closed and followed by a delimiter or the end of the line."""
    d = re.escape(delimiter)
    field = rf'(?:"(?:[^"]|"")*"|[^"{d}\r\n][^{d}\r\n]*|)'
    return re.compile(rf"{field}(?:{d}{field})*(?:\r\n|\n|\r)?")


def _ends_inside_quotes(raw: str, delimiter: str, quote: str = '"') -> bool:
    """Does a record (its raw text) end inside an open quoted field? Follows the csv module's non-strict rules."""
    if quote not in raw:
        return False
    state = "start"  # start of a field, in an unquoted field, in a quoted field, or just after a quote inside one
    for ch in raw:
        if state == "start":
            state = "quoted" if ch == quote else "start" if ch in (delimiter, "\r", "\n") else "field"
        elif state == "field":
            if ch in (delimiter, "\r", "\n"):
                state = "start"
        elif state == "quoted":
            if ch == quote:
                state = "quote"
        else:  # after a quote inside a quoted field: "" is an escaped quote, anything else ends the quoting
            state = "quoted" if ch == quote else "start" if ch in (delimiter, "\r", "\n") else "field"
    return state == "quoted"


def _detect_encoding(sample: bytes, complete: bool = True) -> str | None:
    """UTF-8 if the sample holds UTF-8 text (lines that are not UTF-8 are decoded one by one as Windows-1252),
    Windows-1252 if nothing in it is UTF-8, else a best guess."""
    lines = sample.split(b"\n")
    if not complete and len(lines) > 1:
        lines.pop()  # the last line may be cut in the middle of a character
    utf8_text = failed = False
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_text = True
        except UnicodeDecodeError:
            failed = True
    if utf8_text or not failed:
        return "utf-8"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None and best.encoding:
            return best.encoding
    except Exception:  # pragma: no cover - detection is best effort
        return None
    return None


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores numeric ids as floats
    text = str(value).strip()
    return text or None


def _opt(value: Any) -> str | None:
    return _id(value)


def read_notes(path: str | Path, **kwargs) -> tuple[list[Note], list[RejectedRow], ReadStats]:
    """Read a whole (small) export into memory: for notebooks and tests."""
    reader = ExportReader(path, **kwargs)
    notes, rejected = [], []
    for chunk in reader:
        notes.extend(chunk.notes)
        rejected.extend(chunk.rejected)
    return notes, rejected, reader.stats
