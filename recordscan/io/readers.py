"""Read record exports (CSV, Excel, JSON Lines, Parquet) in chunks, validating every row.

Each reader yields `Chunk`s: valid notes plus rejected rows with a reason, so `rows_read == notes +
rejected` holds by construction. A problem with the file as a whole (missing column, unreadable
encoding, empty file, wrong format for its extension) raises `InputError`, whose message is one line
naming the file, and the row and column where there is one. No message ever contains note text.

CSV is decoded line by line: the encoding is detected from the start of the file (UTF-8, UTF-8 with BOM,
UTF-16 with BOM or Windows-1252), and a line that does not decode in it is decoded as Windows-1252
instead and counted, so one mis-encoded row in a UTF-8 export neither stops the run nor is lost.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
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

    def resolve(self, header: list[Any], path: str | Path) -> dict[str, int]:
        normalised = [_norm(h) for h in header]
        positions: dict[str, int] = {}
        for f in fields(self):
            wanted = _norm(getattr(self, f.name))
            if wanted in normalised:
                positions[f.name] = normalised.index(wanted)
            elif f.name in self.REQUIRED:
                found = ", ".join(repr(str(h)) for h in header if str(h).strip()) or "none"
                option = "--" + f.name.replace("_id", "").replace("_", "-") + "-col"
                raise InputError(path, f"missing required column {getattr(self, f.name)!r} (columns found: {found}); "
                                       f"map another column with {option}", row=1)
        return positions


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
        text = "" if text is None else str(text) if not isinstance(text, str) else text
        if not text.strip():
            return RejectedRow(row, case_id, note_id, self.columns.text, "empty text")
        if len(text) > self.max_note_chars:
            return RejectedRow(row, case_id, note_id, self.columns.text,
                               f"note longer than {self.max_note_chars:,} characters ({len(text):,}); raise --max-note-chars to scan it")
        if "\x00" in text:
            self.stats.rows_with_nul_bytes += 1
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
    def _records(self, header: list[Any], rows: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, dict, tuple | None]]:
        positions = self.columns.resolve(header, self.path)
        width = len(header)
        names = {v: k for k, v in positions.items()}
        for row_number, values in rows:
            if not any(v not in (None, "") for v in values):
                continue  # blank line: not a row
            record = {name: values[i] if i < len(values) else None for i, name in names.items()}
            problem = None
            if len(values) < width and width - len(values) > 0 and max(positions.values()) >= len(values):
                missing = next(h for h, i in zip(header, range(width)) if i >= len(values))
                problem = (str(missing), f"row has {len(values)} fields but the header has {width} (truncated row?)")
            elif len(values) > width and any(v not in (None, "") for v in values[width:]):
                problem = (None, f"row has {len(values)} fields but the header has {width} (unquoted delimiter?)")
            yield row_number, record, problem

    def _csv_rows(self):
        encoding, delimiter = self._sniff_csv()
        self.stats.encoding = encoding
        lines = self._decoded_lines(encoding)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(self.path, "file has no header row") from None
        except csv.Error as exc:
            raise InputError(self.path, f"not a readable CSV file ({exc})", row=1) from None
        if not any(h.strip() for h in header):
            raise InputError(self.path, "first row is empty; expected a header row", row=1)

        def numbered():
            # Rows are numbered as a spreadsheet shows them: the header is row 1, a quoted multi-line cell is one row.
            row_number = 1
            while True:
                row_number += 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise InputError(self.path, f"malformed CSV ({exc}) near line {reader.line_num}", row=row_number) from None
                yield row_number, values

        yield from self._records(header, numbered())

    def _sniff_csv(self) -> tuple[str, str]:
        with self.path.open("rb") as fh:
            sample = fh.read(256 * 1024)
        if sample.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            if sample.count(b"\x00") > max(8, len(sample) // 100):
                raise InputError(self.path, "does not look like a text (CSV) file: it contains binary data")
            encoding = _detect_encoding(sample)
            if encoding is None:
                raise InputError(self.path, "cannot determine the text encoding (tried UTF-8 and Windows-1252); "
                                            "re-export as UTF-8 or pass --encoding")
        text = sample.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="replace")
        first = text.splitlines()[0] if text else ""
        if self.path.suffix.lower() == ".tsv":
            return encoding, "\t"
        counts = {d: _count_outside_quotes(first, d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        return encoding, delimiter

    def _decoded_lines(self, encoding: str) -> Iterator[str]:
        if encoding == "utf-16":
            with self.path.open("r", encoding="utf-16", newline="") as fh:
                for line in fh:
                    yield self._strip_nul(line)
            return
        with self.path.open("rb") as fh:
            first = True
            for raw in fh:
                if first and encoding == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                first = False
                try:
                    line = raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
                except UnicodeDecodeError:
                    line = raw.decode("cp1252", errors="replace")
                    self.stats.rows_decoded_as_cp1252 += 1
                yield self._strip_nul(line)

    @staticmethod
    def _strip_nul(line: str) -> str:
        # The csv module refuses NUL; U+FFFD keeps the text the same length, so offsets stay true.
        return line.replace("\x00", "\ufffd") if "\x00" in line else line

    def _xlsx_rows(self):
        try:
            import openpyxl
            from openpyxl.utils.exceptions import InvalidFileException
        except ImportError:  # pragma: no cover - openpyxl is a dependency
            raise InputError(self.path, "reading Excel files needs openpyxl") from None
        import zipfile

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
            yield from self._records(header, numbered)
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


def _detect_encoding(sample: bytes) -> str | None:
    trimmed = sample
    for cut in range(0, 4):  # a multi-byte character may be split at the end of the sample
        try:
            (trimmed[: len(trimmed) - cut] if cut else trimmed).decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start < len(trimmed) - 4:
                break
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
