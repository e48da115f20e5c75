"""Scan a record export end to end, in bounded memory, resumably.

    export --read in chunks--> validated notes --partition by case--> bucket files
    each bucket --group by case, date order--> analyse (tag, resolve, summarise, score) --> table parts
    parts --concatenate--> mentions.csv, followups.csv, cases.csv, rejected.csv, run.json (+ cases.xlsx, report.html)

Partitioning by a hash of the case id means a case's notes meet in one bucket however the export is sorted,
and a bucket's size is bounded (the number of buckets grows with the input), so peak memory does not grow
with the export. Each finished bucket is recorded in `state.json`; `resume=True` skips finished work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import math
import os
import shutil
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from . import __version__
from .analyse import CaseAnalysis, analyse_cases
from .concepts import CONCERNS
from .io.readers import DEFAULT_CHUNK_ROWS, DEFAULT_MAX_NOTE_CHARS, ColumnMap, ExportReader, InputError, RejectedRow
from .io.writers import CsvTable, make_dir, open_secure, write_json
from .lexicons import lexicon_hash
from .tagging import FOLLOWUP_FIELDS, MENTION_FIELDS, Note

MENTION_COLUMNS = MENTION_FIELDS  # one column per field of a MentionRecord, in order (see write_analysis)
FOLLOWUP_COLUMNS = FOLLOWUP_FIELDS
CASE_COLUMNS = ["case_id", "concern", "mentioned", "followed_up", "flag", "score", "evidence_note_ids", "first_mention_note_id",
                "first_mention_date", "first_mention_text", "reason", "decided_by"]
REJECTED_COLUMNS = ["row", "case_id", "note_id", "column", "reason"]
TABLES = {"mentions": MENTION_COLUMNS, "followups": FOLLOWUP_COLUMNS, "cases": CASE_COLUMNS, "rejected": REJECTED_COLUMNS}
WORK_DIR = ".recordscan-work"
DEFAULT_BUCKET_BYTES = 4 * 1024 * 1024


@dataclass
class ScanOptions:
    columns: ColumnMap = field(default_factory=ColumnMap)
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    max_note_chars: int = DEFAULT_MAX_NOTE_CHARS
    batch_size: int = 256
    bucket_bytes: int = DEFAULT_BUCKET_BYTES
    shared_perms: bool = False
    resume: bool = False
    keep_work: bool = False
    sheet: str | None = None
    reports: bool = True  # cases.xlsx and report.html for auditors
    today: dt.date | None = None


class ScanObserver:
    """Progress reaches the user interface through this small interface; the library never prints."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def warn(self, message: str) -> None: ...


@dataclass
class ScanSummary:
    rows_read: int = 0
    notes_scanned: int = 0
    rows_rejected: int = 0
    cases: int = 0
    flags: dict = field(default_factory=dict)
    output_dir: str = ""
    run: dict = field(default_factory=dict)


def scan(input_path: str | Path, out_dir: str | Path, nlp, model=None, options: ScanOptions | None = None,
         observer: ScanObserver | None = None, model_info: dict | None = None) -> ScanSummary:
    """Scan `input_path` into `out_dir`. Raises InputError for an unreadable input."""
    options = options or ScanOptions()
    observer = observer or ScanObserver()
    input_path, out_dir = Path(input_path), Path(out_dir)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    # Open the input first: a file that cannot be read at all must not leave an output directory behind.
    ExportReader(input_path, options.columns, options.chunk_rows, options.max_note_chars, options.today, options.sheet)
    created_out = not out_dir.exists()
    make_dir(out_dir, options.shared_perms)
    work = make_dir(out_dir / WORK_DIR, options.shared_perms)
    fingerprint = _fingerprint(input_path, options)
    state = _load_state(work) if options.resume else {}
    if state.get("fingerprint") != fingerprint:
        if options.resume and state:
            observer.warn("the input or options changed since the interrupted run; starting again")
        shutil.rmtree(work)
        work = make_dir(out_dir / WORK_DIR, options.shared_perms)
        state = {"fingerprint": fingerprint, "partitioned": False, "done_buckets": [], "bucket_counts": {}}

    t0 = time.perf_counter()
    if not state["partitioned"]:
        try:
            state.update(_partition(input_path, work, options, observer))
        except InputError:
            # The partial bucket files hold note text: remove them, and the output directory if we made it.
            shutil.rmtree(work, ignore_errors=True)
            if created_out:
                shutil.rmtree(out_dir, ignore_errors=True)
            raise
        state["partitioned"] = True
        _save_state(work, state)
    timings["read_and_partition_s"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    buckets = state["buckets"]
    observer.stage("analysing cases", buckets)
    done = set(state["done_buckets"])
    with batch_garbage_collection():
        for b in range(buckets):
            if b in done:
                observer.advance()
                continue
            state["bucket_counts"][str(b)] = _analyse_bucket(b, work, nlp, model, options)
            state["done_buckets"].append(b)
            _save_state(work, state)
            observer.advance()
    timings["analyse_s"] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    _assemble(work, out_dir, buckets, options)
    counts = {"duplicates": 0, "cases": 0, "flags": dict.fromkeys(CONCERNS, 0)}
    for c in state["bucket_counts"].values():
        counts["duplicates"] += c["duplicates"]
        counts["cases"] += c["cases"]
        for concern, n in c["flags"].items():
            counts["flags"][concern] += n
    timings["write_s"] = round(time.perf_counter() - t0, 3)
    timings["total_s"] = round(time.perf_counter() - started, 3)

    rows_read = state["rows_read"]
    rejected = state["rows_rejected_on_read"] + counts["duplicates"]
    scanned = state["notes_partitioned"] - counts["duplicates"]
    run = {
        "tool": "recordscan", "version": __version__, "input": str(input_path), "input_format": state["format"],
        "encoding": state["encoding"], "rows_read": rows_read, "notes_scanned": scanned, "rows_rejected": rejected,
        "accounting_ok": rows_read == scanned + rejected, "cases": counts["cases"], "flags": counts["flags"],
        "duplicates_rejected": counts["duplicates"], "rows_decoded_as_cp1252": state["rows_decoded_as_cp1252"],
        "rows_with_nul_bytes": state["rows_with_nul_bytes"], "notes_at_excel_cell_limit": state["notes_at_excel_cell_limit"],
        "buckets": buckets, "lexicon_hash": lexicon_hash(), "decided_by": "model" if model is not None else "rules",
        "model": model_info or {}, "timings": timings, "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    write_json(out_dir / "run.json", run, options.shared_perms)
    if options.reports:
        from .report import write_reports

        write_reports(out_dir, run, options.shared_perms)
    if not options.keep_work:
        shutil.rmtree(out_dir / WORK_DIR, ignore_errors=True)
    return ScanSummary(rows_read, scanned, rejected, counts["cases"], counts["flags"], str(out_dir), run)


#: Young-generation threshold while cases are analysed (Python's default is 700).
BATCH_GC_THRESHOLD = 20_000


@contextlib.contextmanager
def batch_garbage_collection():
    """Case assembly keeps each batch of resolved cases (records, registries) alive until it is written, so with
    Python's default settings the cyclic collector runs hundreds of times per thousand notes, and each full
    collection walks the pipeline's and the model's few hundred thousand objects, which never become garbage. For the
    analysis stage only: the objects that exist when it starts are frozen out of collection (unless the caller froze
    some already), and young garbage is collected less often. Both are restored on exit, even after an error."""
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    if thresholds[0]:  # 0 means the caller turned collection off: leave it off
        gc.set_threshold(max(thresholds[0], BATCH_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


# -- stage 1: read and partition ------------------------------------------------------------------------
def _partition(input_path: Path, work: Path, options: ScanOptions, observer: ScanObserver) -> dict:
    size = input_path.stat().st_size if input_path.exists() else 0
    reader = ExportReader(input_path, options.columns, options.chunk_rows, options.max_note_chars, options.today, options.sheet)
    buckets = max(1, min(4096, math.ceil(size / options.bucket_bytes)))
    for old in work.glob("bucket_*.jsonl"):
        old.unlink()
    handles = {}
    rejected = CsvTable(work / "read_rejected.csv", REJECTED_COLUMNS, options.shared_perms)
    observer.stage("reading", None)
    notes = rejected_count = 0
    try:
        for chunk in reader:
            for note in chunk.notes:
                b = bucket_of(note.case_id, buckets)
                fh = handles.get(b)
                if fh is None:
                    fh = handles[b] = open_secure(work / f"bucket_{b:04d}.jsonl", "a", options.shared_perms)
                fh.write(json.dumps([note.case_id, note.note_id, note.date.isoformat() if note.date else None, note.text,
                                     note.author_role, note.note_type, note.row], ensure_ascii=False) + "\n")
            notes += len(chunk.notes)
            for r in chunk.rejected:
                rejected.write(asdict(r))
            rejected_count += len(chunk.rejected)
            observer.advance(chunk.rows_read)
    finally:
        for fh in handles.values():
            fh.close()
        rejected.close()
    stats = reader.stats
    return {"buckets": buckets, "rows_read": stats.rows_read, "notes_partitioned": notes, "rows_rejected_on_read": rejected_count,
            "format": stats.format, "encoding": stats.encoding, "rows_decoded_as_cp1252": stats.rows_decoded_as_cp1252,
            "rows_with_nul_bytes": stats.rows_with_nul_bytes, "notes_at_excel_cell_limit": stats.notes_at_excel_cell_limit}


def bucket_of(case_id: str, buckets: int) -> int:
    return zlib.crc32(case_id.encode("utf-8")) % buckets


# -- stage 2: analyse one bucket ------------------------------------------------------------------------
def _read_bucket(path: Path) -> Iterator[Note]:
    if not path.exists():
        return
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            case_id, note_id, date, text, role, note_type, row = json.loads(line)
            yield Note(case_id, note_id, dt.date.fromisoformat(date) if date else None, text, role, note_type, row)


def group_cases(notes: Iterator[Note]) -> tuple[dict[str, list[Note]], list[RejectedRow]]:
    """Notes by case, input order kept; an exact repeat of a note (same case, id and text) is rejected."""
    cases: dict[str, list[Note]] = {}
    seen: dict[tuple[str, str, str], int | None] = {}
    duplicates = []
    for note in notes:
        key = (note.case_id, note.note_id, hashlib.sha1(note.text.encode("utf-8")).hexdigest())
        if key in seen:
            duplicates.append(RejectedRow(note.row or 0, note.case_id, note.note_id, None, f"exact duplicate of row {seen[key]}"))
            continue
        seen[key] = note.row
        cases.setdefault(note.case_id, []).append(note)
    return cases, duplicates


def _analyse_bucket(b: int, work: Path, nlp, model, options: ScanOptions) -> dict:
    """Analyse every case of one bucket into its own part directory; return its counts."""
    cases, duplicates = group_cases(_read_bucket(work / f"bucket_{b:04d}.jsonl"))
    flags = dict.fromkeys(CONCERNS, 0)
    part = work / f"part_{b:04d}"
    if part.exists():
        shutil.rmtree(part)
    make_dir(part, options.shared_perms)
    tables = {name: CsvTable(part / f"{name}.csv", cols, options.shared_perms) for name, cols in TABLES.items()}
    try:
        for r in duplicates:
            tables["rejected"].write(asdict(r))
        ordered = [cases[cid] for cid in sorted(cases)]
        for analysis in analyse_cases(nlp, ordered, model=model, batch_size=options.batch_size):
            write_analysis(analysis, tables)
            for concern, decision in analysis.decisions.items():
                flags[concern] += int(decision.flag)
    finally:
        for t in tables.values():
            t.close()
    return {"duplicates": len(duplicates), "cases": len(cases), "flags": flags}


def case_rows(analysis: CaseAnalysis) -> Iterator[dict]:
    for concern in CONCERNS:
        s = analysis.summaries[concern]
        d = analysis.decisions[concern]
        first, first_note = s.first_mention, s.first_mention_note
        yield {
            "case_id": analysis.case.case_id, "concern": concern, "mentioned": d.mentioned, "followed_up": d.followed_up,
            "flag": d.flag, "score": round(d.score, 4), "evidence_note_ids": s.evidence_note_ids() if d.mentioned else [],
            "first_mention_note_id": first.note_id if first else "",
            "first_mention_date": first_note.note.date.isoformat() if first_note and first_note.note.date else "",
            "first_mention_text": first.text if first else "", "reason": s.explanation(), "decided_by": d.source,
        }


def write_analysis(analysis: CaseAnalysis, tables: dict[str, CsvTable]) -> None:
    for res in analysis.case.notes:
        for m in res.mentions:
            tables["mentions"].write_values(m.values())
        for f in res.followups:
            tables["followups"].write_values(f.values())
    tables["cases"].write_many(case_rows(analysis))


# -- stage 3: assemble ----------------------------------------------------------------------------------
def _assemble(work: Path, out_dir: Path, buckets: int, options: ScanOptions) -> None:
    """Concatenate the bucket parts into the output tables (one header each)."""
    for name, columns in TABLES.items():
        sources = ([work / "read_rejected.csv"] if name == "rejected" else []) + [work / f"part_{b:04d}" / f"{name}.csv" for b in range(buckets)]
        with open_secure(out_dir / f"{name}.csv", "w", options.shared_perms) as out:
            header_written = False
            for src in sources:
                if not src.exists():
                    continue
                with src.open("r", encoding="utf-8", newline="") as fh:
                    header = fh.readline()
                    if not header_written:
                        out.write(header)
                        header_written = True
                    shutil.copyfileobj(fh, out)
            if not header_written:
                out.write(",".join(columns) + "\r\n")


def _fingerprint(path: Path, options: ScanOptions) -> str:
    digest = hashlib.sha256()
    try:
        st = path.stat()
        digest.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
        with path.open("rb") as fh:
            digest.update(fh.read(1 << 20))
    except OSError as exc:
        raise InputError(path, "file not found" if isinstance(exc, FileNotFoundError) else f"cannot read ({exc.strerror})") from None
    digest.update(json.dumps({k: v for k, v in asdict(options).items() if k not in ("resume", "keep_work")}, default=str, sort_keys=True).encode())
    digest.update(lexicon_hash().encode())
    return digest.hexdigest()


def _load_state(work: Path) -> dict:
    try:
        return json.loads((work / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(work: Path, state: dict) -> None:
    tmp = work / "state.json.tmp"
    with open_secure(tmp, "w") as fh:
        fh.write(json.dumps(state))
    os.replace(tmp, work / "state.json")
