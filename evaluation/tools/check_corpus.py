"""Check annotated case files against evaluation/GUIDELINES.md (stdlib only, so annotators can run it anywhere).

Usage: python evaluation/tools/check_corpus.py FILE.json [FILE.json ...]
Exit code 1 when any error is found; warnings are printed but do not fail.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import sys

CONCERNS = {
    "maternal_mental_health": "MATERNAL_MENTAL_HEALTH",
    "father_involvement": "FATHER_INVOLVEMENT",
    "gp_contact": "GP_CONTACT",
    "over_optimism": "OVER_OPTIMISM",
}
STATUSES = {"affirmed", "historical", "negated", "hypothetical", "other_experiencer"}
ASSERTED = {"affirmed", "historical"}
KINDS = {"completed", "planned", "failed"}
CASE_KEYS = {"case_id", "notes", "gold", "mentions", "followups", "rationale"}
NOTE_KEYS = {"note_id", "date", "author_role", "note_type", "text"}
MENTION_KEYS = {"note_id", "label", "text", "status", "start", "end"}
FOLLOWUP_KEYS = {"note_id", "concern", "text", "kind", "start", "end"}
GOLD_KEYS = {"mentioned", "followed_up", "followup_note_ids"}


def _check_offsets(annotation: dict, note_text: str, where: str, err) -> None:
    """`start`/`end`, when given, must be integers that cut exactly the annotation's text out of its note."""
    if "start" not in annotation and "end" not in annotation:
        return
    start, end = annotation.get("start"), annotation.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool) and not isinstance(end, bool)):
        err(f"{where}: start and end must both be integers")
    elif note_text[start:end] != annotation.get("text") or not 0 <= start < end <= len(note_text):
        err(f"{where}: start/end {start}-{end} give {note_text[start:end]!r}, not the annotation's text")


def check_case(case: dict, errors: list, warnings: list) -> None:
    cid = case.get("case_id", "?")

    def err(msg):
        errors.append(f"{cid}: {msg}")

    def warn(msg):
        warnings.append(f"{cid}: {msg}")

    unknown = set(case) - CASE_KEYS
    if unknown:
        err(f"unknown keys {sorted(unknown)}")
    notes = {}
    last_date = None
    for note in case.get("notes", []):
        nid = note.get("note_id")
        if set(note) - NOTE_KEYS:
            err(f"note {nid}: unknown keys {sorted(set(note) - NOTE_KEYS)}")
        if nid in notes:
            err(f"duplicate note_id {nid}")
        if not str(nid).startswith(cid):
            err(f"note_id {nid} does not start with case_id")
        try:
            d = dt.date.fromisoformat(note.get("date", ""))
            if last_date and d < last_date:
                err(f"note {nid}: notes not in date order")
            last_date = d
        except ValueError:
            err(f"note {nid}: date {note.get('date')!r} is not YYYY-MM-DD")
        if not note.get("text", "").strip():
            err(f"note {nid}: empty text")
        notes[nid] = note
    if not notes:
        err("no notes")

    used = collections.Counter()
    asserted_labels = set()
    for i, m in enumerate(case.get("mentions", [])):
        where = f"mention {i} ({m.get('note_id')}, {m.get('text')!r})"
        if set(m) - MENTION_KEYS:
            err(f"{where}: unknown keys {sorted(set(m) - MENTION_KEYS)}")
        if m.get("note_id") not in notes:
            err(f"{where}: note_id not in case")
            continue
        if m.get("label") not in CONCERNS.values():
            err(f"{where}: unknown label {m.get('label')!r}")
        if m.get("status") not in STATUSES:
            err(f"{where}: unknown status {m.get('status')!r}")
        text = notes[m["note_id"]]["text"]
        key = (m["note_id"], m.get("text"))
        used[key] += 1
        if not m.get("text") or text.count(m["text"]) < 1:
            err(f"{where}: text is not an exact substring of the note")
        elif used[key] > _count_nonoverlapping(text, m["text"]):
            err(f"{where}: listed {used[key]} times but occurs fewer times in the note")
        _check_offsets(m, text, where, err)
        if m.get("status") in ASSERTED:
            asserted_labels.add(m.get("label"))

    completed = collections.defaultdict(set)
    for i, f in enumerate(case.get("followups", [])):
        where = f"followup {i} ({f.get('note_id')}, {f.get('text')!r})"
        if set(f) - FOLLOWUP_KEYS:
            err(f"{where}: unknown keys {sorted(set(f) - FOLLOWUP_KEYS)}")
        if f.get("note_id") not in notes:
            err(f"{where}: note_id not in case")
            continue
        if f.get("concern") not in CONCERNS:
            err(f"{where}: unknown concern {f.get('concern')!r}")
        if f.get("kind") not in KINDS:
            err(f"{where}: unknown kind {f.get('kind')!r}")
        if not f.get("text") or f["text"] not in notes[f["note_id"]]["text"]:
            err(f"{where}: text is not an exact substring of the note")
        _check_offsets(f, notes[f["note_id"]]["text"], where, err)
        if f.get("kind") == "completed":
            completed[f.get("concern")].add(f["note_id"])

    gold = case.get("gold", {})
    if set(gold) != set(CONCERNS):
        err(f"gold must have exactly {sorted(CONCERNS)}")
    for concern, label in CONCERNS.items():
        g = gold.get(concern, {})
        if set(g) != GOLD_KEYS:
            err(f"gold.{concern}: keys must be {sorted(GOLD_KEYS)}")
            continue
        if g["mentioned"] != (label in asserted_labels):
            err(f"gold.{concern}.mentioned={g['mentioned']} but asserted mentions of {label}: "
                f"{label in asserted_labels}")
        if g["followed_up"] and not g["mentioned"]:
            err(f"gold.{concern}: followed_up without mentioned")
        ids = g["followup_note_ids"]
        if g["followed_up"] != bool(ids):
            err(f"gold.{concern}: followed_up={g['followed_up']} but followup_note_ids={ids}")
        for nid in ids:
            if nid not in notes:
                err(f"gold.{concern}: followup note {nid} not in case")
            elif "followups" in case and nid not in completed[concern]:
                warn(f"gold.{concern}: followup note {nid} has no completed followup annotated")
        if "followups" in case and g["followed_up"]:
            missing = completed[concern] - set(ids)
            if missing:
                warn(f"gold.{concern}: completed followups in {sorted(missing)} not in followup_note_ids")
        if "followups" in case and not g["followed_up"] and completed[concern] and concern not in (
            "father_involvement",
            "over_optimism",
        ):
            err(f"gold.{concern}: completed followups annotated but followed_up is false")
    if any(g.get("mentioned") and not g.get("followed_up") for g in gold.values()) and not case.get("rationale"):
        err("flagged concern without a rationale")


def _count_nonoverlapping(text: str, sub: str) -> int:
    return text.count(sub)


def main(paths: list[str]) -> int:
    errors, warnings = [], []
    outcome = collections.Counter()
    n_cases = n_notes = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            errors.append(f"{path}: cannot read: {exc}")
            continue
        for case in data.get("cases", []):
            n_cases += 1
            n_notes += len(case.get("notes", []))
            check_case(case, errors, warnings)
            for concern, g in case.get("gold", {}).items():
                state = "not_mentioned" if not g.get("mentioned") else ("followed_up" if g.get("followed_up") else "FLAG")
                outcome[(concern, state)] += 1
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{n_cases} cases, {n_notes} notes, {len(errors)} errors, {len(warnings)} warnings")
    for concern in CONCERNS:
        print(f"  {concern:24s}", {s: outcome[(concern, s)] for s in ("not_mentioned", "followed_up", "FLAG")})
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
