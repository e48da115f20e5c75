"""Error analysis: every mistake the tool makes, one row each, with enough context to read it.

Aggregate scores say how often recordscan is wrong; researchers improving the lexicons and rules need to
see *which* mentions and cases are wrong and *why*, sorted into kinds that point at different fixes.

Mention-level kinds (`mention_errors`). Gold and predicted mentions are paired as metrics.match_mentions
pairs them (same case, note and label; the largest overlap wins): every gold mention with its best
overlapping prediction, then every prediction no gold mention chose with its best overlapping gold mention.
- ``missed``: a gold mention with no overlapping prediction of the same label (a lenient false negative).
- ``spurious``: a prediction with no overlapping gold mention of the same label (a lenient false positive).
- ``wrong_status``: an overlapping pair whose statuses differ (checked first: a status error changes
  whether the concern counts as mentioned, a boundary error does not).
- ``span_boundary``: an overlapping pair with the same status but different offsets (including a second
  prediction overlapping an already matched gold mention, e.g. one gold span predicted as two pieces).
Exact matches (same offsets, same status) are not errors. So the number of ``missed`` rows equals the
lenient fn of metrics.mention_prf and the number of ``spurious`` rows its fp.

Case-level kinds (`case_errors`), for false positives / negatives of ``mentioned`` and ``flag``
(flag = mentioned and not followed up):
- ``mention_error``: gold and tool disagree on ``mentioned`` (every ``mentioned`` error, and a ``flag``
  error that follows from it). Look at the mention-level errors of that case and label.
- Otherwise both say mentioned and the flag error comes from the follow-up decision. The tool's
  follow-up notes are the notes where it found follow-up actions (completed, planned or failed, read from
  `analyses` when given; without them, pred_evidence_note_ids when the tool says followed up, else none,
  since for a concern without follow-up the evidence ids are the mention notes).
  - ``wrong_followup_link``: gold and tool each point at follow-up notes and the two sets do not overlap:
    gold says followed up and the tool flags having found follow-up only in other notes, or gold lists
    follow-up notes (partial follow-up, judged not enough) and the tool accepts follow-up found elsewhere.
  - ``missed_followup``: gold says followed up, the tool flags, and it found no follow-up or found it in
    a note gold also lists but judged it not enough (e.g. only planned).
  - ``spurious_followup``: gold says not followed up, the tool says followed up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from .gold import GoldCase
from .metrics import match_mentions

MENTION_ERROR_COLUMNS = ["case_id", "note_id", "label", "error_kind", "gold_start", "gold_end", "gold_text", "gold_status",
                         "pred_start", "pred_end", "pred_text", "pred_status", "sentence_context"]
MENTION_ERROR_KINDS = ("missed", "spurious", "wrong_status", "span_boundary")
CASE_ERROR_COLUMNS = ["case_id", "concern", "field", "error", "error_kind", "score", "gold_followup_note_ids",
                      "pred_evidence_note_ids", "pred_followup_note_ids"]
CASE_ERROR_KINDS = ("mention_error", "wrong_followup_link", "missed_followup", "spurious_followup")
RUN_FIELDS = ("mentioned", "followed_up", "flag")

_BOUNDARY = re.compile(r"[.!?]+(?=\s|$)|\n")


# --- mention level ----------------------------------------------------------------------------------------


def note_texts(cases: Iterable[GoldCase]) -> dict[tuple[str, str], str]:
    """The {(case_id, note_id): text} mapping mention_errors needs, from gold cases."""
    return {(c.case_id, n.note_id): n.text for c in cases for n in c.notes}


def sentence_context(text: str, start: int, end: int, context_chars: int = 60,
                     window: tuple[int, int] | None = None) -> str:
    """The sentence around text[start:end] with the span marked [[ ]], whitespace collapsed.

    The sentence runs between terminators (. ! ? followed by whitespace, or a line break) around `window`
    (default: the span). When it reaches further than 3 * context_chars either side, we show
    ±context_chars around the window instead, with "…" where cut.
    """
    w_start, w_end = window or (start, end)
    w_start, w_end = min(w_start, start), max(w_end, end)
    left = 0
    for m in _BOUNDARY.finditer(text, 0, w_start):
        left = m.end()
    m = _BOUNDARY.search(text, w_end)
    right = m.end() if m else len(text)
    prefix = suffix = ""
    if w_start - left > 3 * context_chars or right - w_end > 3 * context_chars:
        left, right = max(0, w_start - context_chars), min(len(text), w_end + context_chars)
        prefix, suffix = ("…" if left > 0 else ""), ("…" if right < len(text) else "")
    shown = text[left:start] + "[[" + text[start:end] + "]]" + text[end:right]
    return prefix + re.sub(r"\s+", " ", shown).strip() + suffix


def _pair_kind(g: dict, p: dict) -> str | None:
    if g["status"] != p["status"]:
        return "wrong_status"
    if g["start"] != p["start"] or g["end"] != p["end"]:
        return "span_boundary"
    return None


def mention_errors(gold_mentions: pd.DataFrame, pred_mentions: pd.DataFrame,
                   notes: dict[tuple[str, str], str] | None = None, context_chars: int = 60) -> pd.DataFrame:
    """Every mention-level error (missed, spurious, wrong_status, span_boundary), one row each.

    `notes` maps (case_id, note_id) to note text for the sentence_context column (empty when missing).
    The context marks the gold span, or the predicted span for a spurious mention.
    """
    gold = gold_mentions.reset_index(drop=True)
    pred = pred_mentions.reset_index(drop=True)
    gold_rows, pred_rows = gold.to_dict("records"), pred.to_dict("records")
    notes = notes or {}
    rows = []

    def add(kind: str, g: dict | None, p: dict | None) -> None:
        ref = g if g is not None else p
        text = notes.get((ref["case_id"], ref["note_id"]))
        window = (min(g["start"], p["start"]), max(g["end"], p["end"])) if g is not None and p is not None else None
        rows.append({
            "case_id": ref["case_id"], "note_id": ref["note_id"], "label": ref["label"], "error_kind": kind,
            **{f"gold_{k}": (g[k] if g is not None else None) for k in ("start", "end", "text", "status")},
            **{f"pred_{k}": (p[k] if p is not None else None) for k in ("start", "end", "text", "status")},
            "sentence_context": (sentence_context(text, int(ref["start"]), int(ref["end"]), context_chars, window)
                                 if text is not None else ""),
        })

    chosen: set[int] = set()
    if gold_rows:
        for g, pi in zip(gold_rows, match_mentions(gold, pred).pred_index):
            if pi < 0:
                add("missed", g, None)
                continue
            chosen.add(int(pi))
            kind = _pair_kind(g, pred_rows[pi])
            if kind:
                add(kind, g, pred_rows[pi])
    if pred_rows:
        for i, (p, gi) in enumerate(zip(pred_rows, match_mentions(pred, gold).pred_index)):
            if i in chosen:
                continue
            if gi < 0:
                add("spurious", None, p)
                continue
            kind = _pair_kind(gold_rows[gi], p)
            if kind:
                add(kind, gold_rows[gi], p)

    out = pd.DataFrame(rows, columns=MENTION_ERROR_COLUMNS)
    for col in ("gold_start", "gold_end", "pred_start", "pred_end"):
        out[col] = out[col].astype("Int64")
    sort_start = out.gold_start.fillna(out.pred_start)
    order = out.assign(_s=sort_start).sort_values(["case_id", "note_id", "label", "_s"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


# --- case level -------------------------------------------------------------------------------------------


def _ids(value) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [x for x in value.split(";") if x]
    return [str(x) for x in value]


def _followup_notes_from_analyses(analyses) -> dict[tuple[str, str], list[str]]:
    out = {}
    for a in analyses or ():
        for concern, summary in a.summaries.items():
            found = [res.note.note_id for kind in ("completed", "planned", "failed") for res, _ in getattr(summary, kind, [])]
            out[(a.case.case_id, concern)] = list(dict.fromkeys(found))
    return out


def _flag_kind(row, pred_followup: list[str]) -> str:
    if bool(row.gold_mentioned) != bool(row.pred_mentioned):
        return "mention_error"
    gold_ids = set(_ids(row.gold_followup_note_ids))
    linked_elsewhere = bool(gold_ids) and bool(pred_followup) and not gold_ids & set(pred_followup)
    if bool(row.gold_followed_up):  # and the tool flags
        return "wrong_followup_link" if linked_elsewhere else "missed_followup"
    return "wrong_followup_link" if linked_elsewhere else "spurious_followup"


def case_errors(case_table: pd.DataFrame, analyses=None) -> pd.DataFrame:
    """Every case-level false positive / false negative of `mentioned` and `flag`, with its error kind.

    `case_table` is runner.case_table's frame; `analyses` (runner.Predictions.analyses) sharpens the
    follow-up kinds by telling which notes the tool found follow-up actions in (see module docstring).
    """
    from_analyses = _followup_notes_from_analyses(analyses) if analyses is not None else None
    rows = []
    for row in case_table.itertuples(index=False):
        evidence = _ids(row.pred_evidence_note_ids)
        if from_analyses is not None:
            pred_followup = from_analyses.get((row.case_id, row.concern), [])
        else:
            pred_followup = evidence if bool(row.pred_followed_up) else []
        for field in ("mentioned", "flag"):
            gold, pred = bool(getattr(row, f"gold_{field}")), bool(getattr(row, f"pred_{field}"))
            if gold == pred:
                continue
            rows.append({
                "case_id": row.case_id, "concern": row.concern, "field": field,
                "error": "false_positive" if pred else "false_negative",
                "error_kind": "mention_error" if field == "mentioned" else _flag_kind(row, pred_followup),
                "score": float(row.score) if hasattr(row, "score") else float("nan"),
                "gold_followup_note_ids": _ids(row.gold_followup_note_ids), "pred_evidence_note_ids": evidence,
                "pred_followup_note_ids": pred_followup,
            })
    return pd.DataFrame(rows, columns=CASE_ERROR_COLUMNS)


def error_summary(mention_err_df: pd.DataFrame | None, case_err_df: pd.DataFrame | None) -> pd.DataFrame:
    """Error counts: mention errors by label and kind, case errors by concern, field, error and kind.

    Columns level ("mention" / "case"), group (label or concern), field ("span" for mentions), error
    (false_positive / false_negative; None for mention errors), error_kind, count.
    """
    parts = []
    if mention_err_df is not None and len(mention_err_df):
        m = mention_err_df.groupby(["label", "error_kind"]).size().reset_index(name="count")
        parts.append(pd.DataFrame({"level": "mention", "group": m.label, "field": "span", "error": None,
                                   "error_kind": m.error_kind, "count": m["count"]}))
    if case_err_df is not None and len(case_err_df):
        c = case_err_df.groupby(["concern", "field", "error", "error_kind"]).size().reset_index(name="count")
        parts.append(pd.DataFrame({"level": "case", "group": c.concern, "field": c.field, "error": c.error,
                                   "error_kind": c.error_kind, "count": c["count"]}))
    columns = ["level", "group", "field", "error", "error_kind", "count"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    out["count"] = out["count"].astype(int)
    return out


# --- comparing two runs ------------------------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _to_bool(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return pd.NA
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
        if v in ("", "nan", "none", "<na>"):
            return pd.NA
        raise ValueError(f"not a boolean: {value!r}")
    return bool(value)


def _normalise_cases(cases: pd.DataFrame) -> pd.DataFrame:
    out = cases.copy()
    out["case_id"] = out["case_id"].astype(str)
    for col in RUN_FIELDS:
        if col in out.columns:
            out[col] = pd.array([_to_bool(v) for v in out[col]], dtype="boolean")
    if "score" in out.columns:
        out["score"] = pd.to_numeric(out["score"], errors="coerce")
    return out


def load_cases_csv(path: str | Path) -> pd.DataFrame:
    """Read a recordscan cases.csv: ids as text, mentioned/followed_up/flag as booleans ("true"/"false"), score as float."""
    text_cols = {"case_id": str, "concern": str, "evidence_note_ids": str, "first_mention_note_id": str}
    cases = pd.read_csv(path, dtype=text_cols, keep_default_na=False)
    return _normalise_cases(cases)


def _differs(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) != pd.isna(b)
    return bool(a != b)


def compare_runs(cases_a: pd.DataFrame, cases_b: pd.DataFrame) -> pd.DataFrame:
    """Every (case_id, concern) whose mentioned / followed_up / flag differs between run A (before) and B (after).

    Columns: case_id, concern, only_in ("a" / "b" for pairs in one run only, else missing), changed (the
    fields that changed, comma separated), <field>_a and <field>_b for each field, score_a, score_b and
    score_change (b - a). Booleans may be bools or "true"/"false" strings.
    """
    keys = ["case_id", "concern"]
    frames = []
    for side, cases in (("a", cases_a), ("b", cases_b)):
        norm = _normalise_cases(cases)
        dupes = norm[norm.duplicated(keys)]
        if len(dupes):
            raise ValueError(f"run {side.upper()} has repeated (case_id, concern) rows, e.g. {tuple(dupes.iloc[0][keys])}")
        cols = [c for c in (*RUN_FIELDS, "score") if c in norm.columns]
        frames.append(norm[keys + cols].rename(columns={c: f"{c}_{side}" for c in cols}))
    merged = frames[0].merge(frames[1], on=keys, how="outer", indicator=True)
    sides = merged["_merge"].astype(str)
    merged["only_in"] = [{"left_only": "a", "right_only": "b"}.get(m) for m in sides]
    both = sides == "both"
    fields = [f for f in RUN_FIELDS if f"{f}_a" in merged and f"{f}_b" in merged]
    changed = [",".join(f for f in fields if _differs(row[f"{f}_a"], row[f"{f}_b"])) if side == "both" else ""
               for side, (_, row) in zip(sides, merged.iterrows())]
    merged["changed"] = changed
    if "score_a" in merged and "score_b" in merged:
        merged["score_change"] = merged["score_b"] - merged["score_a"]
    keep = (~both) | (merged["changed"] != "")
    columns = [*keys, "only_in", "changed"] + [f"{f}_{s}" for f in RUN_FIELDS for s in "ab" if f"{f}_{s}" in merged] \
        + [c for c in ("score_a", "score_b", "score_change") if c in merged]
    return merged.loc[keep, columns].sort_values(keys, kind="stable").reset_index(drop=True)
