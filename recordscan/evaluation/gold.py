"""Gold annotations in the SCHEME.md JSON format: load, validate, resolve character offsets, write back.

SCHEME.md gives each mention as an exact substring of its note; we resolve it to offsets (the k-th listing
of the same string in a note is its k-th occurrence), or check `start`/`end` when a file carries them.
A malformed file raises GoldFormatError naming the file, case, note and annotation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..concepts import CONCERNS, FOLLOWUP_KINDS, LABELS, STATUSES, is_asserted, CONCERN_LABELS
from ..tagging import Note


class GoldFormatError(ValueError):
    """A gold file that cannot be used; the message says where."""


@dataclass(frozen=True)
class GoldMention:
    note_id: str
    label: str
    start: int
    end: int
    text: str
    status: str


@dataclass(frozen=True)
class GoldFollowup:
    note_id: str
    concern: str
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class GoldConcern:
    mentioned: bool
    followed_up: bool
    followup_note_ids: tuple[str, ...] = ()

    @property
    def flag(self) -> bool:
        return self.mentioned and not self.followed_up


@dataclass
class GoldCase:
    case_id: str
    notes: list[Note]
    mentions: list[GoldMention]
    gold: dict[str, GoldConcern]
    followups: list[GoldFollowup] = field(default_factory=list)
    rationale: str = ""
    has_followup_annotations: bool = False

    def note(self, note_id: str) -> Note:
        return next(n for n in self.notes if n.note_id == note_id)


def load_gold(paths: str | Path | Iterable[str | Path]) -> list[GoldCase]:
    """Load one or more SCHEME.md files (or directories of them) into GoldCase objects."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    cases: list[GoldCase] = []
    for path in _expand(paths):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldFormatError(f"{path}: cannot read ({exc})") from None
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise GoldFormatError(f"{path}: expected an object with a 'cases' list")
        cases.extend(parse_case(raw, str(path)) for raw in data["cases"])
    seen = Counter(c.case_id for c in cases)
    dupes = [cid for cid, n in seen.items() if n > 1]
    if dupes:
        raise GoldFormatError(f"duplicate case ids across gold files: {dupes[:5]}")
    return cases


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        out.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return out


def parse_case(raw: dict, source: str = "<gold>") -> GoldCase:
    if not isinstance(raw, dict) or "case_id" not in raw:
        raise GoldFormatError(f"{source}: a case without a case_id")
    cid = str(raw["case_id"])
    where = f"{source}: case {cid}"
    notes = []
    texts: dict[str, str] = {}
    for i, n in enumerate(raw.get("notes") or []):
        try:
            nid, text = str(n["note_id"]), n["text"]
        except (KeyError, TypeError):
            raise GoldFormatError(f"{where}, note {i}: needs note_id and text") from None
        if not isinstance(text, str):
            raise GoldFormatError(f"{where}, note {nid}: text must be a string")
        if nid in texts:
            raise GoldFormatError(f"{where}, note {nid}: duplicate note_id")
        date = None
        if n.get("date"):
            try:
                date = dt.date.fromisoformat(str(n["date"]))
            except ValueError:
                raise GoldFormatError(f"{where}, note {nid}: date {n['date']!r} is not YYYY-MM-DD") from None
        texts[nid] = text
        notes.append(Note(cid, nid, date, text, n.get("author_role"), n.get("note_type")))
    if not notes:
        raise GoldFormatError(f"{where}: no notes")

    occurrences: Counter = Counter()
    mentions = []
    for i, m in enumerate(raw.get("mentions") or []):
        label, status = m.get("label"), m.get("status")
        ann = f"{where}, note {m.get('note_id')}, mention {i} ({m.get('text')!r})"
        if label not in LABELS:
            raise GoldFormatError(f"{ann}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
        if status not in STATUSES:
            raise GoldFormatError(f"{ann}: unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        start, end = _resolve(m, texts, occurrences, ann)
        mentions.append(GoldMention(str(m["note_id"]), label, start, end, texts[str(m["note_id"])][start:end], status))

    followups = []
    f_occurrences: Counter = Counter()
    for i, f in enumerate(raw.get("followups") or []):
        ann = f"{where}, note {f.get('note_id')}, followup {i} ({f.get('text')!r})"
        if f.get("concern") not in CONCERNS:
            raise GoldFormatError(f"{ann}: unknown concern {f.get('concern')!r}")
        if f.get("kind") not in FOLLOWUP_KINDS:
            raise GoldFormatError(f"{ann}: unknown kind {f.get('kind')!r}")
        start, end = _resolve(f, texts, f_occurrences, ann, key_extra=f["concern"])  # one action may serve two concerns
        followups.append(GoldFollowup(str(f["note_id"]), f["concern"], start, end, texts[str(f["note_id"])][start:end], f["kind"]))

    gold = {}
    raw_gold = raw.get("gold") or {}
    asserted = {m.label for m in mentions if is_asserted(m.status)}
    for concern in CONCERNS:
        g = raw_gold.get(concern)
        if g is None:
            # Derive from mentions when a file has only span annotations (e.g. imported from doccano).
            gold[concern] = GoldConcern(CONCERN_LABELS[concern] in asserted, False, ())
            continue
        ids = tuple(str(x) for x in g.get("followup_note_ids") or ())
        missing = [x for x in ids if x not in texts]
        if missing:
            raise GoldFormatError(f"{where}: gold.{concern}.followup_note_ids names notes not in the case: {missing}")
        gold[concern] = GoldConcern(bool(g.get("mentioned")), bool(g.get("followed_up")), ids)
    return GoldCase(cid, notes, mentions, gold, followups, str(raw.get("rationale") or ""), "followups" in raw)


def _resolve(ann: dict, texts: dict[str, str], occurrences: Counter, where: str, key_extra: str = "") -> tuple[int, int]:
    nid = str(ann.get("note_id"))
    if nid not in texts:
        raise GoldFormatError(f"{where}: note_id not in the case")
    text = texts[nid]
    span_text = ann.get("text")
    if "start" in ann and "end" in ann:
        start, end = ann["start"], ann["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise GoldFormatError(f"{where}: span {start}-{end} is outside the note (length {len(text)})")
        if span_text is not None and text[start:end] != span_text:
            raise GoldFormatError(f"{where}: text does not match the note at {start}-{end} (found {text[start:end]!r})")
        return start, end
    if not isinstance(span_text, str) or not span_text:
        raise GoldFormatError(f"{where}: needs a non-empty text (or start and end)")
    key = (nid, span_text, key_extra)
    k = occurrences[key]
    occurrences[key] += 1
    pos = -1
    for _ in range(k + 1):
        pos = text.find(span_text, pos + 1)
        if pos < 0:
            if k == 0:
                raise GoldFormatError(f"{where}: text is not a substring of the note")
            raise GoldFormatError(f"{where}: listed {k + 1} times but occurs only {k} time(s) in the note")
    return pos, pos + len(span_text)


def case_to_json(case: GoldCase, with_offsets: bool = True) -> dict:
    """The SCHEME.md representation of a case (with start/end added when `with_offsets`)."""
    def ann(d: dict, start: int, end: int) -> dict:
        return {**d, "start": start, "end": end} if with_offsets else d

    out = {
        "case_id": case.case_id,
        "notes": [
            {k: v for k, v in {"note_id": n.note_id, "date": n.date.isoformat() if n.date else None,
                               "author_role": n.author_role, "note_type": n.note_type, "text": n.text}.items() if v is not None}
            for n in case.notes
        ],
        "gold": {c: {"mentioned": g.mentioned, "followed_up": g.followed_up, "followup_note_ids": list(g.followup_note_ids)}
                 for c, g in case.gold.items()},
        "mentions": [ann({"note_id": m.note_id, "label": m.label, "text": m.text, "status": m.status}, m.start, m.end) for m in case.mentions],
    }
    if case.has_followup_annotations:
        out["followups"] = [ann({"note_id": f.note_id, "concern": f.concern, "text": f.text, "kind": f.kind}, f.start, f.end) for f in case.followups]
    if case.rationale:
        out["rationale"] = case.rationale
    return out


def write_gold(cases: Iterable[GoldCase], path: str | Path, with_offsets: bool = True) -> None:
    data = {"cases": [case_to_json(c, with_offsets) for c in cases]}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
