"""Accuracy metrics, computed from plain tables so each can be checked by hand on a small fixture.

Mention level: a gold mention and a predicted mention *match* when they are in the same note, have the same
label and overlap (lenient) or have identical offsets (strict). Case level: precision, recall and F1 of
`mentioned` and `flag` per concern, AUROC and average precision of `score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..concepts import ASSERTED_STATUSES, CONCERNS, LABELS, STATUSES, TRAP_STATUSES


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall, "f1": self.f1}


def prf_from_bools(gold: Sequence[bool], pred: Sequence[bool]) -> PRF:
    g = np.asarray(gold, dtype=bool)
    p = np.asarray(pred, dtype=bool)
    return PRF(int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum()))


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def match_mentions(gold: pd.DataFrame, pred: pd.DataFrame, strict: bool = False) -> pd.DataFrame:
    """For each gold mention, the best matching predicted mention (same case, note, label; overlapping or exact).

    Both frames need columns case_id, note_id, label, start, end, status. Returns the gold rows with
    `pred_index` (or -1) and `pred_status` (or None). The best match is the one with the largest overlap.
    """
    out = gold.copy()
    out["pred_index"] = -1
    out["pred_status"] = None
    if gold.empty:
        return out
    by_key = {key: grp for key, grp in pred.groupby(["case_id", "note_id", "label"], sort=False)} if not pred.empty else {}
    pred_idx, pred_status = [], []
    for row in gold.itertuples():
        grp = by_key.get((row.case_id, row.note_id, row.label))
        best, best_overlap = -1, 0
        best_status = None
        if grp is not None:
            for p in grp.itertuples():
                if strict:
                    if p.start == row.start and p.end == row.end:
                        best, best_status = p.Index, p.status
                        break
                    continue
                ov = min(p.end, row.end) - max(p.start, row.start)
                if ov > best_overlap:
                    best, best_overlap, best_status = p.Index, ov, p.status
        pred_idx.append(best)
        pred_status.append(best_status)
    out["pred_index"] = pred_idx
    out["pred_status"] = pred_status
    return out


def mention_prf(gold: pd.DataFrame, pred: pd.DataFrame, strict: bool = False) -> pd.DataFrame:
    """Per label precision/recall/F1 of spans (status ignored), strict or lenient."""
    rows = []
    g_matched = match_mentions(gold, pred, strict)
    p_matched = match_mentions(pred, gold, strict)
    for label in LABELS:
        g = g_matched[g_matched.label == label] if not g_matched.empty else g_matched
        p = p_matched[p_matched.label == label] if not p_matched.empty else p_matched
        tp = int((g.pred_index >= 0).sum()) if len(g) else 0
        fn = int((g.pred_index < 0).sum()) if len(g) else 0
        fp = int((p.pred_index < 0).sum()) if len(p) else 0
        rows.append({"label": label, "matching": "strict" if strict else "lenient", **PRF(tp, fp, fn).as_dict()})
    return pd.DataFrame(rows)


def asserted_recall(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Per label: share of gold asserted mentions found by an overlapping prediction that is also asserted."""
    matched = match_mentions(gold[gold.status.isin(ASSERTED_STATUSES)], pred)
    rows = []
    for label in LABELS:
        g = matched[matched.label == label]
        found = int(g.pred_status.isin(ASSERTED_STATUSES).sum()) if len(g) else 0
        rows.append({"label": label, "gold_asserted": len(g), "found_asserted": found, "recall": found / len(g) if len(g) else float("nan")})
    return pd.DataFrame(rows)


def trap_rate(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Per label: share of gold trap mentions (negated, hypothetical, other) that a prediction reports as asserted."""
    matched = match_mentions(gold[gold.status.isin(TRAP_STATUSES)], pred)
    rows = []
    for label in [*LABELS, "ALL"]:
        g = matched if label == "ALL" else matched[matched.label == label]
        wrong = int(g.pred_status.isin(ASSERTED_STATUSES).sum()) if len(g) else 0
        rows.append({"label": label, "gold_traps": len(g), "reported_asserted": wrong, "rate": wrong / len(g) if len(g) else float("nan")})
    return pd.DataFrame(rows)


def status_confusion(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Gold status (rows) by predicted status of the overlapping prediction (columns; 'missed' when none)."""
    matched = match_mentions(gold, pred)
    matched["pred_status"] = matched["pred_status"].fillna("missed")
    table = pd.crosstab(matched["status"], matched["pred_status"])
    return table.reindex(index=list(STATUSES), columns=[*STATUSES, "missed"], fill_value=0)


def case_prf(cases: pd.DataFrame, field: str) -> pd.DataFrame:
    """Per concern P/R/F1 of a boolean case field: needs columns concern, gold_<field>, pred_<field>."""
    rows = []
    for concern in CONCERNS:
        sub = cases[cases.concern == concern]
        rows.append({"concern": concern, "field": field, **prf_from_bools(sub[f"gold_{field}"], sub[f"pred_{field}"]).as_dict()})
    df = pd.DataFrame(rows)
    macro = {"concern": "macro", "field": field, "tp": int(df.tp.sum()), "fp": int(df.fp.sum()), "fn": int(df.fn.sum()),
             "precision": df.precision.mean(), "recall": df.recall.mean(), "f1": df.f1.mean()}
    return pd.concat([df, pd.DataFrame([macro])], ignore_index=True)


def auroc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve by the rank-sum formula (ties count half); NaN without both classes."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(s).rank(method="average").to_numpy()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Average precision: mean of precision at each positive, ranking by score (ties broken by order given)."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    if y.sum() == 0:
        return float("nan")
    order = np.argsort(-s, kind="stable")
    y_sorted = y[order]
    hits = np.cumsum(y_sorted)
    precision_at = hits / np.arange(1, len(y_sorted) + 1)
    return float(precision_at[y_sorted].mean())


def score_metrics(cases: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for concern in CONCERNS:
        sub = cases[cases.concern == concern]
        rows.append({"concern": concern, "auroc": auroc(sub.gold_flag, sub.score), "average_precision": average_precision(sub.gold_flag, sub.score)})
    return pd.DataFrame(rows)


def macro_f1(per_concern: Iterable[float]) -> float:
    values = list(per_concern)
    return float(np.mean(values)) if values else float("nan")
