"""Convert gold cases to and from the annotation formats researchers already use.

One *document* in every tool is one note. Each document carries the note's metadata (``case_id``,
``note_id``, ``date``, ``author_role``, ``note_type``) so that import can rebuild the cases; notes keep the
order in which they appear in the file (brat: the ``order`` field of the metadata file). Offsets are
0-based, end exclusive, counted in Unicode code points of the note text (Python string indices).

Status encodings (SCHEME.md "Mention status"), chosen so that each tool shows the status natively where it
can, and so that a span with no status at all is read as ``affirmed`` (the common case, and what a
researcher labelling from scratch means):

* **doccano** has span labels only, no span attributes, so the status goes into the label string:
  ``"MATERNAL_MENTAL_HEALTH|negated"``. A plain ``"MATERNAL_MENTAL_HEALTH"`` imports as affirmed.
  doccano creates the combined labels on import; the cost is 4 x 5 label names in its label list.
* **Label Studio** supports per-region choices, so the status is a ``choices`` result (``from_name``
  ``"status"``) carrying the same region ``id`` as the ``labels`` result; import pairs them by id.
  :func:`labelstudio_config` returns a labelling config that matches the export.
* **brat** has attributes: ``A1<TAB>Status T1 negated`` (a multi-valued attribute ``Status``). Binary
  attributes named after a status (``A1<TAB>Negated T1``) are accepted on import too.
  :func:`to_brat` also writes an ``annotation.conf`` declaring the labels and attributes.
* **Prodigy** spans are free-form dicts, so the status is simply a ``"status"`` key of the span.
* **spaCy DocBin** (export only): ``span.kb_id_`` of each span in ``doc.spans["sc"]`` and the list
  ``doc.user_data["recordscan_statuses"]`` aligned with those spans.

Case-level data (the per-concern gold, the rationale, and whether the case was annotated for follow-ups)
has no place in these span formats; it is stored as ``case_gold`` in the metadata of the case's FIRST note
(doccano: a top-level key; Label Studio: ``data.case_gold``; Prodigy: ``meta.case_gold``; brat: the metadata
file). When it is absent, as in notes annotated from scratch, the gold is derived from the mentions (see
:func:`~recordscan.evaluation.gold.parse_case`).

Follow-up annotations (``GoldCase.followups``) are extra spans with a distinct label prefix:
doccano ``"FOLLOWUP:<concern>|<kind>"``; Label Studio label ``"FOLLOWUP:<concern>"`` plus a ``choices`` result
``from_name="kind"``; Prodigy label ``"FOLLOWUP:<concern>"`` with a ``"kind"`` key; brat entity type
``FOLLOWUP-<concern>`` (brat type names should not contain ``:``) with a ``Kind`` attribute.

Round trips: importing an export returns cases equal to the originals under
:func:`~recordscan.evaluation.gold.case_to_json`, except that import always returns mentions and follow-ups in
the canonical order of :func:`canonical_order` (by note position, then start, end, label, status): the tools do
not keep the order in which annotations were listed. brat cannot represent a span that begins or ends with a
line break (it writes spans across line breaks as fragments); exporting one raises ``ValueError``.

Caveat: browser-based tools (doccano, Label Studio) have been known to count characters outside the Basic
Multilingual Plane (emoji) as two. Label Studio, brat and Prodigy exports carry the span text, and import
checks it against the offsets; doccano exports do not, so such shifts cannot be detected there.

Every problem found on import raises :class:`~recordscan.evaluation.gold.GoldFormatError` naming the file,
the note (and case if known) and the annotation. Messages never quote note text beyond an annotation's own
(shortened) text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from ..concepts import CONCERNS, FOLLOWUP_KINDS, LABELS, STATUSES
from .gold import GoldCase, GoldFollowup, GoldFormatError, GoldMention, load_gold, parse_case, write_gold

FORMATS: tuple[str, ...] = ("scheme", "doccano", "labelstudio", "brat", "prodigy", "docbin")

#: Label prefix marking a follow-up span in doccano, Label Studio and Prodigy.
FOLLOWUP_PREFIX = "FOLLOWUP:"
#: The same for brat, whose entity type names are kept to letters, digits, ``_`` and ``-``.
BRAT_FOLLOWUP_PREFIX = "FOLLOWUP-"
#: brat metadata file (note_id, case_id, date, ... per .txt/.ann pair).
BRAT_METADATA = "recordscan_notes.json"
#: Default status of a span whose tool record carries none.
DEFAULT_STATUS = "affirmed"

_NOTE_META = ("case_id", "note_id", "date", "author_role", "note_type")
_MAX_QUOTE = 40


# --------------------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------------------

def canonical_order(case: GoldCase) -> GoldCase:
    """A copy of `case` with mentions and follow-ups sorted as every importer returns them.

    Order: position of the note in the case, then start, end, label (concern) and status (kind).
    """
    pos = {n.note_id: i for i, n in enumerate(case.notes)}
    mentions = sorted(case.mentions, key=lambda m: (pos.get(m.note_id, len(pos)), m.start, m.end, m.label, m.status))
    followups = sorted(case.followups, key=lambda f: (pos.get(f.note_id, len(pos)), f.start, f.end, f.concern, f.kind))
    return replace(case, mentions=mentions, followups=followups)


def _quote(text: Any) -> str:
    """repr() of an annotation's text, shortened so that messages never carry much note text."""
    if not isinstance(text, str):
        return repr(text)
    return repr(text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1] + "…")


def _case_gold(case: GoldCase) -> dict:
    """The case-level data stored in the metadata of a case's first note."""
    return {
        "gold": {c: {"mentioned": g.mentioned, "followed_up": g.followed_up, "followup_note_ids": list(g.followup_note_ids)}
                 for c, g in case.gold.items()},
        "rationale": case.rationale,
        "followups_annotated": case.has_followup_annotations,
    }


def _note_meta(case: GoldCase, note) -> dict:
    return {"case_id": case.case_id, "note_id": note.note_id,
            "date": note.date.isoformat() if note.date else None,
            "author_role": note.author_role, "note_type": note.note_type}


@dataclass
class _ExportNote:
    """One note of one case, with its annotations, as every exporter sees it."""

    meta: dict
    text: str
    mentions: list[GoldMention]
    followups: list[GoldFollowup]
    case_gold: dict | None  # only on the first note of a case


def _export_notes(cases: list[GoldCase]) -> Iterator[_ExportNote]:
    for case in cases:
        case = canonical_order(case)
        for i, note in enumerate(case.notes):
            yield _ExportNote(
                _note_meta(case, note), note.text,
                [m for m in case.mentions if m.note_id == note.note_id],
                [f for f in case.followups if f.note_id == note.note_id],
                _case_gold(case) if i == 0 else None,
            )


@dataclass
class _ImportNote:
    """One document read from a tool's file, before the notes are grouped into cases."""

    where: str  # "<file>[ line n]" for messages
    meta: dict
    text: str
    mentions: list[dict] = field(default_factory=list)   # SCHEME.md mention dicts with start/end
    followups: list[dict] = field(default_factory=list)  # SCHEME.md follow-up dicts with start/end
    case_gold: dict | None = None

    @property
    def where_name(self) -> str:
        """How messages name this note: file, case and note."""
        return f"{self.where}: case {self.meta.get('case_id')}, note {self.meta.get('note_id')}"


def _read_meta(where: str, source: dict, text: Any) -> tuple[dict, str]:
    """Validate and pick the note metadata (and the text) of one document."""
    if not isinstance(text, str):
        raise GoldFormatError(f"{where}: the document text is missing or not a string")
    meta = {k: source.get(k) for k in _NOTE_META}
    for key in ("case_id", "note_id"):
        if meta[key] is None or meta[key] == "":
            raise GoldFormatError(f"{where}: document without {key} in its metadata "
                                  "(export notes with recordscan so that cases can be rebuilt)")
        meta[key] = str(meta[key])
    return meta, text


def _check_span(note: _ImportNote, ann: str, start: Any, end: Any, claimed: Any = None) -> None:
    """Offsets are integers inside the text; `claimed` (the tool's copy of the span text) must match."""
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise GoldFormatError(f"{note.where_name}, {ann}: start/end must be integers (got {start!r}, {end!r})")
    if not 0 <= start < end <= len(note.text):
        raise GoldFormatError(f"{note.where_name}, {ann}: span {start}-{end} is outside the note text "
                              f"(length {len(note.text)}) or empty")
    if claimed is not None and note.text[start:end] != claimed:
        raise GoldFormatError(f"{note.where_name}, {ann}: text {_quote(claimed)} does not match the note text at {start}-{end}")


def _add_span(note: _ImportNote, ann: str, start: Any, end: Any, label: Any, status: Any, claimed: Any = None) -> None:
    """Validate one mention span and keep it."""
    if label not in LABELS:
        raise GoldFormatError(f"{note.where_name}, {ann}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
    if status not in STATUSES:
        raise GoldFormatError(f"{note.where_name}, {ann}: unknown status {status!r} (expected one of {', '.join(STATUSES)})")
    _check_span(note, ann, start, end, claimed)
    note.mentions.append({"note_id": note.meta["note_id"], "label": label, "status": status, "start": start, "end": end,
                          "text": note.text[start:end]})


def _add_followup(note: _ImportNote, ann: str, start: Any, end: Any, concern: Any, kind: Any, claimed: Any = None) -> None:
    """Validate one follow-up span and keep it."""
    if concern not in CONCERNS:
        raise GoldFormatError(f"{note.where_name}, {ann}: unknown follow-up concern {concern!r} "
                              f"(expected one of {', '.join(CONCERNS)})")
    if kind not in FOLLOWUP_KINDS:
        raise GoldFormatError(f"{note.where_name}, {ann}: unknown follow-up kind {kind!r} "
                              f"(expected one of {', '.join(FOLLOWUP_KINDS)})")
    _check_span(note, ann, start, end, claimed)
    note.followups.append({"note_id": note.meta["note_id"], "concern": concern, "kind": kind, "start": start, "end": end,
                           "text": note.text[start:end]})


def _check_case_gold(note: _ImportNote, raw: Any) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("gold", {}), dict):
        raise GoldFormatError(f"{note.where_name}: case_gold must be an object with a 'gold' object")
    return raw


def _assemble(notes: list[_ImportNote], source: str) -> list[GoldCase]:
    """Group documents into cases (first appearance order) and build GoldCase objects via parse_case."""
    by_case: dict[str, list[_ImportNote]] = {}
    for n in notes:
        by_case.setdefault(n.meta["case_id"], []).append(n)
    cases = []
    for cid, group in by_case.items():
        carriers = [n for n in group if n.case_gold is not None]
        if len(carriers) > 1:
            raise GoldFormatError(f"{source}: case {cid}: case_gold appears on more than one note "
                                  f"({', '.join(n.meta['note_id'] for n in carriers)})")
        case_gold = carriers[0].case_gold if carriers else {}
        raw: dict[str, Any] = {
            "case_id": cid,
            "notes": [{k: n.meta[k] for k in ("note_id", "date", "author_role", "note_type") if n.meta[k] is not None}
                      | {"text": n.text} for n in group],
            "mentions": [m for n in group for m in n.mentions],
        }
        if case_gold.get("gold"):
            raw["gold"] = case_gold["gold"]
        if case_gold.get("rationale"):
            raw["rationale"] = case_gold["rationale"]
        followups = [f for n in group for f in n.followups]
        if followups or case_gold.get("followups_annotated"):
            raw["followups"] = followups
        cases.append(canonical_order(parse_case(raw, source)))
    return cases


def _split_status(label: str, sep: str = "|") -> tuple[str, str]:
    """'LABEL|status' -> ('LABEL', 'status'); a plain 'LABEL' is affirmed."""
    base, has_sep, status = label.partition(sep)
    return (base, status) if has_sep else (base, DEFAULT_STATUS)


def _read_jsonl(path: Path) -> Iterator[tuple[str, dict]]:
    """(where, object) for each non-blank line. Splits on '\\n' only: U+2028 etc. may occur raw inside strings."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from None
    for lineno, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path} line {lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not valid JSON (column {exc.colno}: {exc.msg})") from None
        if not isinstance(obj, dict):
            raise GoldFormatError(f"{where}: expected a JSON object")
        yield where, obj


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


# --------------------------------------------------------------------------------------------------------
# doccano JSONL
# --------------------------------------------------------------------------------------------------------

def to_doccano(cases: list[GoldCase], path: str | Path) -> None:
    """One line per note: ``{"text", "label": [[start, end, "LABEL|status"], ...], case_id, note_id, ...}``."""
    rows = []
    for n in _export_notes(cases):
        labels = [[m.start, m.end, f"{m.label}|{m.status}"] for m in n.mentions]
        labels += [[f.start, f.end, f"{FOLLOWUP_PREFIX}{f.concern}|{f.kind}"] for f in n.followups]
        row = {"text": n.text, "label": labels, **n.meta}
        if n.case_gold is not None:
            row["case_gold"] = n.case_gold
        rows.append(row)
    _write_jsonl(Path(path), rows)


def from_doccano(path: str | Path) -> list[GoldCase]:
    """Read a doccano sequence-labelling JSONL export (labels under "label" or "labels").

    Metadata may be top-level keys or inside a "meta" object (doccano versions differ).
    """
    path = Path(path)
    notes = []
    for where, obj in _read_jsonl(path):
        source = {**(obj.get("meta") if isinstance(obj.get("meta"), dict) else {}), **obj}
        meta, text = _read_meta(where, source, obj.get("text"))
        note = _ImportNote(where, meta, text)
        note.case_gold = _check_case_gold(note, source.get("case_gold"))
        spans = obj.get("label", obj.get("labels", []))
        if not isinstance(spans, list):
            raise GoldFormatError(f"{note.where_name}: 'label' must be a list of [start, end, label]")
        for i, span in enumerate(spans):
            ann = f"span {i}"
            if not (isinstance(span, (list, tuple)) and len(span) == 3 and isinstance(span[2], str)):
                raise GoldFormatError(f"{note.where_name}, {ann}: expected [start, end, label], got {span!r}"[:300])
            start, end, label = span
            if label.startswith(FOLLOWUP_PREFIX):
                concern, sep, kind = label[len(FOLLOWUP_PREFIX):].partition("|")
                _add_followup(note, f"{ann} ({label!r})", start, end, concern, kind if sep else None)
            else:
                base, status = _split_status(label)
                _add_span(note, f"{ann} ({label!r})", start, end, base, status)
        notes.append(note)
    return _assemble(notes, str(path))


# --------------------------------------------------------------------------------------------------------
# Label Studio JSON
# --------------------------------------------------------------------------------------------------------

def labelstudio_config() -> str:
    """A Label Studio labelling config (XML) matching :func:`to_labelstudio`."""
    labels = "".join(f'\n    <Label value="{x}"/>' for x in LABELS)
    labels += "".join(f'\n    <Label value="{FOLLOWUP_PREFIX}{c}"/>' for c in CONCERNS)
    statuses = "".join(f'\n    <Choice value="{s}"/>' for s in STATUSES)
    kinds = "".join(f'\n    <Choice value="{k}"/>' for k in FOLLOWUP_KINDS)
    return (f'<View>\n  <Labels name="label" toName="text">{labels}\n  </Labels>\n'
            f'  <Text name="text" value="$text"/>\n'
            f'  <Choices name="status" toName="text" perRegion="true" choice="single">{statuses}\n  </Choices>\n'
            f'  <Choices name="kind" toName="text" perRegion="true" choice="single">{kinds}\n  </Choices>\n</View>\n')


def _ls_region(rid: str, start: int, end: int, text: str, label: str, choice_name: str, choice: str) -> list[dict]:
    return [
        {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": end, "text": text, "labels": [label]}},
        {"id": rid, "from_name": choice_name, "to_name": "text", "type": "choices",
         "value": {"start": start, "end": end, "choices": [choice]}},
    ]


def to_labelstudio(cases: list[GoldCase], path: str | Path) -> None:
    """A JSON list of tasks, one per note, each with one annotation (regions ``m<i>`` and ``f<i>``)."""
    tasks = []
    for task_id, n in enumerate(_export_notes(cases), 1):
        result = []
        for i, m in enumerate(n.mentions, 1):
            result += _ls_region(f"m{i}", m.start, m.end, m.text, m.label, "status", m.status)
        for i, f in enumerate(n.followups, 1):
            result += _ls_region(f"f{i}", f.start, f.end, f.text, FOLLOWUP_PREFIX + f.concern, "kind", f.kind)
        data = {"text": n.text, **n.meta}
        if n.case_gold is not None:
            data["case_gold"] = n.case_gold
        tasks.append({"id": task_id, "data": data, "annotations": [{"result": result}]})
    Path(path).write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def from_labelstudio(path: str | Path) -> list[GoldCase]:
    """Read a Label Studio JSON export; labels and status/kind choices are paired by region id.

    Uses the first annotation of each task that was not cancelled; predictions are ignored. A region
    without a status choice is affirmed; a follow-up region needs a kind.
    """
    path = Path(path)
    tasks = _read_json(path)
    if not isinstance(tasks, list):
        raise GoldFormatError(f"{path}: expected a JSON list of tasks")
    notes = []
    for t, task in enumerate(tasks):
        where = f"{path} task {task.get('id', t) if isinstance(task, dict) else t}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise GoldFormatError(f"{where}: expected a task object with 'data'")
        meta, text = _read_meta(where, task["data"], task["data"].get("text"))
        note = _ImportNote(where, meta, text)
        note.case_gold = _check_case_gold(note, task["data"].get("case_gold"))
        annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        results = (annotations[0].get("result") or []) if annotations else []
        if not isinstance(results, list):
            raise GoldFormatError(f"{note.where_name}: the annotation result must be a list")
        _ls_results(note, results)
        notes.append(note)
    return _assemble(notes, str(path))


def _ls_results(note: _ImportNote, results: list) -> None:
    regions: dict[str, dict] = {}  # id -> labels result value
    choices: dict[tuple[str, str], dict] = {}  # (id, from_name) -> choices result value
    order: list[str] = []
    for i, r in enumerate(results):
        if not isinstance(r, dict) or not isinstance(r.get("value"), dict):
            raise GoldFormatError(f"{note.where_name}, result {i}: expected an object with a 'value'")
        rid = str(r.get("id", f"#{i}"))
        if r.get("type") == "labels":
            if rid in regions:
                raise GoldFormatError(f"{note.where_name}, region {rid}: two labels results with this id")
            regions[rid] = r["value"]
            order.append(rid)
        elif r.get("type") == "choices" and r.get("from_name") in ("status", "kind"):
            choices[(rid, r["from_name"])] = r["value"]
        # other result types (document-level choices, relations, ...) are not part of the gold model
    for (rid, name), value in choices.items():
        if rid not in regions:
            raise GoldFormatError(f"{note.where_name}, region {rid}: a {name} choice without a labels result of the same id")
    for rid in order:
        value = regions[rid]
        ann = f"region {rid} ({_quote(value.get('text'))})"
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise GoldFormatError(f"{note.where_name}, {ann}: 'labels' must be a non-empty list")
        _check_span(note, ann, value.get("start"), value.get("end"), value.get("text"))
        for label in labels:
            name = "kind" if isinstance(label, str) and label.startswith(FOLLOWUP_PREFIX) else "status"
            picked = _ls_choice(note, ann, rid, name, value, choices.get((rid, name)))
            if name == "kind":
                _add_followup(note, ann, value.get("start"), value.get("end"), label[len(FOLLOWUP_PREFIX):], picked,
                              value.get("text"))
            else:
                _add_span(note, ann, value.get("start"), value.get("end"), label, picked, value.get("text"))


def _ls_choice(note: _ImportNote, ann: str, rid: str, name: str, region: dict, value: dict | None) -> str | None:
    """The single status/kind chosen for a region (status defaults to affirmed)."""
    if value is None:
        return DEFAULT_STATUS if name == "status" else None
    picked = value.get("choices")
    if not isinstance(picked, list) or len(picked) != 1:
        raise GoldFormatError(f"{note.where_name}, {ann}: {name} must be exactly one choice, got {picked!r}")
    for key in ("start", "end"):
        if key in value and value[key] != region.get(key):
            raise GoldFormatError(f"{note.where_name}, {ann}: the {name} choice of region {rid} has a different {key}")
    return picked[0]


# --------------------------------------------------------------------------------------------------------
# Prodigy JSONL
# --------------------------------------------------------------------------------------------------------

def to_prodigy(cases: list[GoldCase], path: str | Path) -> None:
    """One line per note: ``{"text", "spans": [{"start","end","text","label","status"}], "meta", "answer"}``."""
    rows = []
    for n in _export_notes(cases):
        spans = [{"start": m.start, "end": m.end, "text": m.text, "label": m.label, "status": m.status} for m in n.mentions]
        spans += [{"start": f.start, "end": f.end, "text": f.text, "label": FOLLOWUP_PREFIX + f.concern, "kind": f.kind}
                  for f in n.followups]
        meta = dict(n.meta)
        if n.case_gold is not None:
            meta["case_gold"] = n.case_gold
        rows.append({"text": n.text, "spans": spans, "meta": meta, "answer": "accept"})
    _write_jsonl(Path(path), rows)


def from_prodigy(path: str | Path) -> list[GoldCase]:
    """Read Prodigy JSONL (e.g. from ``prodigy db-out``); a span without "status" is affirmed.

    The "answer" is not interpreted: every line is a note of its case, whatever the annotator answered.
    """
    path = Path(path)
    notes = []
    for where, obj in _read_jsonl(path):
        meta_src = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        meta, text = _read_meta(where, meta_src, obj.get("text"))
        note = _ImportNote(where, meta, text)
        note.case_gold = _check_case_gold(note, meta_src.get("case_gold"))
        spans = obj.get("spans") or []
        if not isinstance(spans, list):
            raise GoldFormatError(f"{note.where_name}: 'spans' must be a list")
        for i, span in enumerate(spans):
            if not isinstance(span, dict):
                raise GoldFormatError(f"{note.where_name}, span {i}: expected an object")
            ann = f"span {i} ({_quote(span.get('text'))})"
            label = span.get("label")
            if isinstance(label, str) and label.startswith(FOLLOWUP_PREFIX):
                _add_followup(note, ann, span.get("start"), span.get("end"), label[len(FOLLOWUP_PREFIX):],
                              span.get("kind"), span.get("text"))
            else:
                _add_span(note, ann, span.get("start"), span.get("end"), label, span.get("status", DEFAULT_STATUS),
                          span.get("text"))
        notes.append(note)
    return _assemble(notes, str(path))


# --------------------------------------------------------------------------------------------------------
# brat standoff
# --------------------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_LINE_BREAK = re.compile(r"[\r\n]+")


def _file_stem(note_id: str, taken: set[str]) -> str:
    """A file-name-safe, unique (case-insensitively) stem for a note id."""
    stem = _UNSAFE.sub("_", note_id).strip(".")[:100] or "note"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    candidate, k = stem, 1
    while candidate.lower() in taken:
        k += 1
        candidate = f"{stem}__{k}"
    taken.add(candidate.lower())
    return candidate


def _brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at line breaks: brat text-bound annotations cannot hold a newline."""
    frags, pos = [], start
    for br in _LINE_BREAK.finditer(text, start, end):
        frags.append((pos, br.start()))
        pos = br.end()
    frags.append((pos, end))
    if any(s >= e for s, e in frags):
        raise ValueError("a span that begins or ends with a line break cannot be written as brat standoff")
    return frags


def _brat_textbound(tid: str, type_: str, text: str, start: int, end: int, where: str) -> str:
    try:
        frags = _brat_fragments(text, start, end)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{type_} {offsets}\t{' '.join(text[s:e] for s, e in frags)}"


def brat_annotation_conf() -> str:
    """The brat ``annotation.conf`` declaring the labels and the Status/Kind attributes."""
    entities = "\n".join([*LABELS, *(BRAT_FOLLOWUP_PREFIX + c for c in CONCERNS)])
    mentions = "|".join(LABELS)
    followups = "|".join(BRAT_FOLLOWUP_PREFIX + c for c in CONCERNS)
    return (f"[entities]\n{entities}\n\n[relations]\n\n[events]\n\n[attributes]\n"
            f"Status\tArg:{mentions}, Value:{'|'.join(STATUSES)}\n"
            f"Kind\tArg:{followups}, Value:{'|'.join(FOLLOWUP_KINDS)}\n")


def to_brat(cases: list[GoldCase], directory: str | Path) -> None:
    """Write ``<stem>.txt``/``<stem>.ann`` per note, ``annotation.conf`` and the metadata file to `directory`.

    The stem is the note id made file-name safe (and unique); the metadata file maps each stem to the true
    note id, case id, date, author role, note type, position ("order") and, for a case's first note, case_gold.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    metadata: dict[str, dict] = {}
    for order, n in enumerate(_export_notes(cases)):
        stem = _file_stem(n.meta["note_id"], taken)
        where = f"case {n.meta['case_id']}, note {n.meta['note_id']}"
        lines, t, a = [], 0, 0
        for i, m in enumerate(n.mentions):
            t, a = t + 1, a + 1
            lines.append(_brat_textbound(f"T{t}", m.label, n.text, m.start, m.end, f"{where}, mention {i}"))
            lines.append(f"A{a}\tStatus T{t} {m.status}")
        for i, f in enumerate(n.followups):
            t, a = t + 1, a + 1
            lines.append(_brat_textbound(f"T{t}", BRAT_FOLLOWUP_PREFIX + f.concern, n.text, f.start, f.end,
                                         f"{where}, follow-up {i}"))
            lines.append(f"A{a}\tKind T{t} {f.kind}")
        with open(directory / f"{stem}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(n.text)
        with open(directory / f"{stem}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write("".join(line + "\n" for line in lines))
        entry = {**n.meta, "order": order}
        if n.case_gold is not None:
            entry["case_gold"] = n.case_gold
        metadata[stem] = entry
    (directory / "annotation.conf").write_text(brat_annotation_conf(), encoding="utf-8")
    (directory / BRAT_METADATA).write_text(
        json.dumps({"format": "recordscan-brat", "version": 1, "notes": metadata}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")


def from_brat(directory: str | Path) -> list[GoldCase]:
    """Read a directory written by :func:`to_brat` (after annotation in brat).

    Supports text-bound annotations (``T``, with discontinuous fragments across line breaks), attributes
    ``Status``/``Kind`` with a value or binary status attributes (``A``, or brat's older ``M``), and ignores
    annotator notes (``#``). Other annotation kinds (relations, events) raise GoldFormatError.
    """
    directory = Path(directory)
    meta_path = directory / BRAT_METADATA
    if not meta_path.is_file():
        raise GoldFormatError(f"{directory}: no {BRAT_METADATA} (the note/case metadata written by recordscan)")
    metadata = _read_json(meta_path)
    entries = metadata.get("notes") if isinstance(metadata, dict) else None
    if not isinstance(entries, dict):
        raise GoldFormatError(f"{meta_path}: expected an object with a 'notes' object")
    bad = [stem for stem, e in entries.items() if not isinstance(e, dict)]
    if bad:
        raise GoldFormatError(f"{meta_path}: note entry {bad[0]!r} is not an object")
    notes = []
    for stem, entry in sorted(entries.items(), key=lambda kv: (kv[1].get("order", 0), kv[0])):
        txt, ann_path = directory / f"{stem}.txt", directory / f"{stem}.ann"
        try:
            with open(txt, encoding="utf-8", newline="") as fh:
                text = fh.read()
            with open(ann_path, encoding="utf-8", newline="") as fh:
                ann_lines = fh.read().split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldFormatError(f"{directory}: note file {stem}: cannot read ({exc})") from None
        meta, text = _read_meta(f"{ann_path}", entry, text)
        note = _ImportNote(str(ann_path), meta, text)
        note.case_gold = _check_case_gold(note, entry.get("case_gold"))
        _brat_annotations(note, ann_lines)
        notes.append(note)
    return _assemble(notes, str(directory))


_BINARY_STATUS = {s.lower(): s for s in STATUSES}


def _brat_annotations(note: _ImportNote, lines: list[str]) -> None:
    spans: dict[str, tuple[str, int, int, str]] = {}  # T id -> (type, start, end, text)
    attrs: dict[tuple[str, str], str] = {}  # (T id, "Status"|"Kind") -> value
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        ident, _, rest = line.partition("\t")
        ann = f"line {lineno} ({ident})"
        if ident.startswith("T"):
            spans[ident] = _brat_textbound_parse(note, ann, rest)
        elif ident.startswith(("A", "M")):
            parts = rest.split()
            if len(parts) == 3 and parts[0] in ("Status", "Kind"):
                name, target, value = parts
            elif len(parts) == 2 and parts[0].lower() in _BINARY_STATUS:
                name, target, value = "Status", parts[1], _BINARY_STATUS[parts[0].lower()]
            elif len(parts) == 3 and parts[0].lower() in _BINARY_STATUS and parts[2].lower() == "true":
                name, target, value = "Status", parts[1], _BINARY_STATUS[parts[0].lower()]
            else:
                raise GoldFormatError(f"{note.where_name}, {ann}: unsupported attribute {rest[:60]!r} "
                                      "(expected 'Status T<n> <status>' or 'Kind T<n> <kind>')")
            if (target, name) in attrs:
                raise GoldFormatError(f"{note.where_name}, {ann}: a second {name} for {target}")
            attrs[(target, name)] = value
        else:
            raise GoldFormatError(f"{note.where_name}, {ann}: unsupported brat annotation (only T, A, M and # lines are read)")
    for target, name in attrs:
        if target not in spans:
            raise GoldFormatError(f"{note.where_name}, attribute {name} of {target}: no text-bound annotation {target}")
    for tid, (type_, start, end, claimed) in spans.items():
        ann = f"annotation {tid} ({_quote(claimed)})"
        if type_.startswith(BRAT_FOLLOWUP_PREFIX):
            _add_followup(note, ann, start, end, type_[len(BRAT_FOLLOWUP_PREFIX):], attrs.get((tid, "Kind")))
        else:
            _add_span(note, ann, start, end, type_, attrs.get((tid, "Status"), DEFAULT_STATUS))


def _brat_textbound_parse(note: _ImportNote, ann: str, rest: str) -> tuple[str, int, int, str]:
    """Parse ``TYPE s e[;s e...]<TAB>text``; check every fragment against the .txt; return the covering span."""
    type_offsets, sep, claimed = rest.partition("\t")
    type_, _, offsets = type_offsets.partition(" ")
    try:
        frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
        if not sep or any(len(f) != 2 for f in frags):
            raise ValueError
    except ValueError:
        raise GoldFormatError(f"{note.where_name}, {ann}: expected 'TYPE start end<TAB>text'") from None
    for s, e in frags:
        _check_span(note, f"{ann} {_quote(claimed)}", s, e)
    if " ".join(note.text[s:e] for s, e in frags) != claimed:
        raise GoldFormatError(f"{note.where_name}, {ann}: text {_quote(claimed)} does not match the note text at {offsets}")
    return type_, frags[0][0], frags[-1][1], claimed


# --------------------------------------------------------------------------------------------------------
# spaCy DocBin (export only)
# --------------------------------------------------------------------------------------------------------

def to_docbin(cases: list[GoldCase], path: str | Path) -> None:
    """A ``.spacy`` file with one Doc per note (``spacy.blank("en")`` tokenizer).

    Mentions become ``doc.spans["sc"]`` (label = mention label, kb_id = status; boundaries expanded to whole
    tokens), and ``doc.ents`` holds the longest non-overlapping subset of them. ``doc.user_data`` holds
    ``case_id``, ``note_id``, ``date``, ``author_role``, ``note_type``, ``recordscan_statuses`` (aligned with
    ``doc.spans["sc"]``) and ``recordscan_char_spans`` (the exact [start, end] character offsets). Follow-ups
    go to ``doc.spans["recordscan_followups"]`` (label = concern, kb_id = kind). The lists in user_data come
    back as tuples after ``DocBin().from_disk`` (msgpack).
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=True)
    for n in _export_notes(cases):
        doc = nlp.make_doc(n.text)
        where = f"case {n.meta['case_id']}, note {n.meta['note_id']}"
        spans = _char_spans(doc, [(m.start, m.end, m.label, m.status, m.text) for m in n.mentions], f"{where}, mention")
        doc.spans["sc"] = spans
        doc.ents = filter_spans(spans)
        doc.spans["recordscan_followups"] = _char_spans(
            doc, [(f.start, f.end, f.concern, f.kind, f.text) for f in n.followups], f"{where}, follow-up")
        doc.user_data.update(n.meta)
        doc.user_data["recordscan_statuses"] = [m.status for m in n.mentions]
        doc.user_data["recordscan_char_spans"] = [[m.start, m.end] for m in n.mentions]
        db.add(doc)
    db.to_disk(path)


def _char_spans(doc, items: list[tuple[int, int, str, str, str]], what: str) -> list:
    """Spans for (start, end, label, kb_id, text) annotations; one that covers no token is an error."""
    spans = []
    for i, (start, end, label, kb_id, text) in enumerate(items):
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is None:
            raise ValueError(f"{what} {i} ({_quote(text)}): covers no token")
        spans.append(span)
    return spans


# --------------------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------------------

_EXPORTERS = {
    "scheme": write_gold,
    "doccano": to_doccano,
    "labelstudio": to_labelstudio,
    "brat": to_brat,
    "prodigy": to_prodigy,
    "docbin": to_docbin,
}
_IMPORTERS = {
    "scheme": load_gold,
    "doccano": from_doccano,
    "labelstudio": from_labelstudio,
    "brat": from_brat,
    "prodigy": from_prodigy,
}


def export_cases(cases: list[GoldCase], fmt: str, path: str | Path) -> None:
    """Write `cases` in format `fmt` (one of FORMATS) to `path` (a file; a directory for brat)."""
    if fmt not in _EXPORTERS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    _EXPORTERS[fmt](list(cases), path)


def import_cases(fmt: str, path: str | Path) -> list[GoldCase]:
    """Read cases in format `fmt` from `path` (a file; a directory for brat). "docbin" is export only."""
    if fmt == "docbin":
        raise ValueError("docbin is export only (to_docbin); keep the scheme file as the source of truth")
    if fmt not in _IMPORTERS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return _IMPORTERS[fmt](path)
