"""Write result tables and reports, readable by their owner only unless shared permissions are asked for.

Case records are among the most sensitive data there is, so every file and directory recordscan creates
is opened with mode 0600 / 0700 from the start (not chmod-ed afterwards). CSV files keep note text exactly
as given (`text == original[start:end]` is a contract); the Excel workbook, which people open and click,
stores every value as text so that a note starting with "=" can never run as a formula.

Only what recordscan creates is locked down: an existing --out directory keeps its permissions (recordscan
never chmods a directory it did not make, such as the current directory or /tmp), and an existing output
file is replaced by a new one, so its old mode (or a symlink planted in its place) is never inherited.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
SHARED_FILE, SHARED_DIR = 0o644, 0o755
EXCEL_CELL_LIMIT = 32_767
# Characters an .xlsx file cannot hold (XML 1.0 forbids them; openpyxl raises IllegalCharacterError).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TRUNCATED = "... [truncated: see the CSV files for the full text]"


def make_dir(path: str | Path, shared: bool = False) -> Path:
    """Create a directory (and its parents) with 0700 (or 0755) permissions; an existing directory is left as it is."""
    path = Path(path)
    if path.is_dir():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=SHARED_DIR if shared else PRIVATE_DIR)
    except FileExistsError:
        if path.is_dir():  # created meanwhile by someone else: not ours to chmod
            return path
        raise
    if not shared:
        os.chmod(path, PRIVATE_DIR)
    return path


def open_secure(path: str | Path, mode: str = "w", shared: bool = False, **kwargs):
    """Open a file for writing (or appending) with owner-only permissions from creation."""
    if "a" in mode:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    else:
        # A new file every time: the mode applies from creation, and a symlink or hard link at `path` is
        # replaced rather than written through.
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    fd = os.open(path, flags, SHARED_FILE if shared else PRIVATE_FILE)
    if not shared:
        os.fchmod(fd, PRIVATE_FILE)
    if "b" in mode:
        return os.fdopen(fd, mode)
    kwargs.setdefault("encoding", "utf-8")
    kwargs.setdefault("newline", "")
    return os.fdopen(fd, mode, **kwargs)


class CsvTable:
    """A CSV file written row by row (so a long run never holds a table in memory)."""

    def __init__(self, path: str | Path, columns: Sequence[str], shared: bool = False, append: bool = False):
        self.path = Path(path)
        self.columns = list(columns)
        new = not (append and self.path.exists() and self.path.stat().st_size > 0)
        self._fh = open_secure(self.path, "a" if append else "w", shared=shared)
        self._writer = csv.writer(self._fh)
        if new:
            self._writer.writerow(self.columns)
        self.rows = 0

    def write(self, row: dict) -> None:
        """Write the table's columns of `row` in order (a missing one as an empty cell; other keys are ignored)."""
        self._writer.writerow([_cell(row.get(c, "")) for c in self.columns])
        self.rows += 1

    def write_values(self, values: Sequence) -> None:
        """Write a row given as plain values (strings, numbers, None) already in the table's column order."""
        self._writer.writerow(values)
        self.rows += 1

    def write_many(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "CsvTable":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _xlsx_value(value: Any) -> Any:
    """A value Excel can store: characters XML cannot hold become U+FFFD, and text stops at Excel's cell limit."""
    if isinstance(value, str):
        if _XLSX_ILLEGAL.search(value):
            value = _XLSX_ILLEGAL.sub("\ufffd", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[: EXCEL_CELL_LIMIT - len(_TRUNCATED)] + _TRUNCATED
    return value


def write_json(path: str | Path, obj: Any, shared: bool = False) -> None:
    with open_secure(path, "w", shared=shared) as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, default=str)
        fh.write("\n")


def write_xlsx(path: str | Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]], shared: bool = False) -> None:
    """Write an Excel workbook, one sheet per table. Every cell is stored as text or number, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_xlsx_value(c) for c in columns])
        for row in rows:
            cells = []
            for value in row:
                value = _xlsx_value(_cell(value))
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a value beginning "=" stays text
                cells.append(cell)
            sheet.append(cells)
    tmp = Path(str(path) + ".tmp")
    with open_secure(tmp, "wb", shared=shared) as fh:
        workbook.save(fh)
    os.replace(tmp, path)


def write_html_report(path: str | Path, title: str, summary: dict[str, Any], sections: list[tuple[str, Sequence[str], list[Sequence[Any]]]],
                      notes: Sequence[str] = (), shared: bool = False) -> None:
    """A self-contained HTML page (no scripts, no external resources) an auditor can open anywhere."""
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}"
        "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}"
        "th{background:#f2f2f2}.flag{color:#a00;font-weight:600}caption{text-align:left;font-weight:600}</style>",
        f"</head><body><h1>{esc(title)}</h1>",
        "<dl>" + "".join(f"<dt>{esc(str(k))}</dt><dd>{esc(str(v))}</dd>" for k, v in summary.items()) + "</dl>",
    ]
    for note in notes:
        parts.append(f"<p>{esc(note)}</p>")
    for caption, columns, rows in sections:
        parts.append(f"<h2>{esc(caption)}</h2><table><thead><tr>")
        parts.extend(f"<th>{esc(c)}</th>" for c in columns)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{esc(str(_cell(v)))}</td>" for v in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    with open_secure(path, "w", shared=shared) as fh:
        fh.write("".join(parts))
