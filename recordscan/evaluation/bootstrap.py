"""Bootstrap confidence intervals for the accuracy metrics, resampling whole cases.

The dev and test sets hold a few hundred cases, so a difference of a few F1 points between two runs can be
noise. A percentile bootstrap gives an honest range. We resample *cases*, not mentions or case-concern
rows, because notes within a case are written by the same people about the same family: their errors are
correlated, and resampling smaller units would make the intervals too narrow.

`bootstrap_ci` takes any statistic of a list of case ids (slow but general). `case_metric_cis` and
`mention_metric_cis` are the fast paths for the standard metrics: they count tp/fp/fn once per case and
then sum those counts per resample with one matrix product, so 1000 resamples over 200 cases take well
under a second. All three draw the same case indices for the same ids, seed and number of resamples, so a
fast-path interval equals the one `bootstrap_ci` gives for the same statistic.
"""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from ..concepts import ASSERTED_STATUSES, CONCERNS, LABELS
from .metrics import match_mentions

CI_COLUMNS = ["estimate", "ci_low", "ci_high", "n_cases", "n_resamples"]


def draw_indices(n_cases: int, n_resamples: int, seed: int) -> np.ndarray:
    """Case indices of every resample: an (n_resamples, n_cases) integer array from a seeded Generator."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_cases, size=(n_resamples, n_cases))


def multiplicities(indices: np.ndarray, n_cases: int) -> np.ndarray:
    """How many times each case is drawn in each resample: (n_resamples, n_cases) counts."""
    n_resamples = indices.shape[0]
    flat = (indices + np.arange(n_resamples)[:, None] * n_cases).ravel()
    return np.bincount(flat, minlength=n_resamples * n_cases).reshape(n_resamples, n_cases)


def percentile_interval(values: Iterable[float], alpha: float = 0.05) -> tuple[float, float]:
    """The (alpha/2, 1 - alpha/2) percentiles of the non-NaN values; (nan, nan) when there are none."""
    v = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return float("nan"), float("nan")
    low, high = np.quantile(v, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _check(n_resamples: int, alpha: float) -> None:
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1, got {n_resamples}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")


def bootstrap_ci(case_ids: Iterable[Hashable], statistic: Callable[[list], float], n_resamples: int = 1000,
                 seed: int = 0, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic(sample_case_ids)`, resampling distinct cases with replacement.

    Repeated ids in `case_ids` are collapsed (so a case_table's case_id column can be passed as is); a
    sample may hold a case several times, and the statistic should count it that many times. Resamples
    where the statistic is NaN are ignored; if all are NaN the interval is (nan, nan).
    """
    _check(n_resamples, alpha)
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return float("nan"), float("nan")
    indices = draw_indices(len(ids), n_resamples, seed)
    values = [statistic([ids[i] for i in row]) for row in indices]
    return percentile_interval(values, alpha)


# --- fast paths: per-case counts, summed per resample ---------------------------------------------------


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, undefined: float = 0.0) -> np.ndarray:
    """F1 = 2tp / (2tp + fp + fn); `undefined` when there is nothing to count (metrics.PRF says 0)."""
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    return _ratio(2 * tp, 2 * tp + fp + fn, undefined)


def _ratio(num: np.ndarray, denom: np.ndarray, undefined: float) -> np.ndarray:
    num, denom = np.asarray(num, dtype=float), np.asarray(denom, dtype=float)
    return np.divide(num, denom, out=np.full(denom.shape, undefined, dtype=float), where=denom > 0)


def _metric(name: str, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, undefined: float = 0.0) -> np.ndarray:
    if name == "f1":
        return _f1(tp, fp, fn, undefined)
    if name == "precision":
        return _ratio(tp, tp + fp, undefined)
    if name == "recall":
        return _ratio(tp, tp + fn, undefined)
    raise ValueError(f"unknown metric {name!r} (expected precision, recall or f1)")


def _case_codes(ids: Sequence[Hashable], column: pd.Series) -> np.ndarray:
    pos = {cid: i for i, cid in enumerate(ids)}
    codes = column.map(pos)
    if codes.isna().any():
        missing = sorted({str(c) for c in column[codes.isna()]})[:5]
        raise ValueError(f"rows for cases not in case_ids: {missing}")
    return codes.to_numpy(dtype=int)


def _per_case(codes: np.ndarray, values: np.ndarray, n_cases: int) -> np.ndarray:
    return np.bincount(codes, weights=values.astype(float), minlength=n_cases)


def case_metric_cis(case_table: pd.DataFrame, n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05,
                    fields: Sequence[str] = ("mentioned", "flag"), metrics: Sequence[str] = ("f1",)) -> pd.DataFrame:
    """Per concern and "macro" (mean over concerns), case-level metrics of each field with bootstrap CIs.

    `case_table` is runner.case_table's frame (columns case_id, concern, gold_<field>, pred_<field>).
    Point estimates equal metrics.case_prf. A resample in which a concern has nothing to count (no gold
    and no predicted positives) leaves its metric undefined and is ignored for that concern's interval
    (so a concern with no positives at all has a NaN interval); "macro" follows case_prf and counts such
    a concern as 0. Returns columns concern, field, metric, estimate, ci_low, ci_high, n_cases, n_resamples.
    """
    _check(n_resamples, alpha)
    ids = list(dict.fromkeys(case_table.case_id))
    n = len(ids)
    codes = _case_codes(ids, case_table.case_id)
    concern_col = case_table.concern.to_numpy()
    # counts[case, k, tp/fp/fn] for k over (field, concern)
    keys = [(f, c) for f in fields for c in CONCERNS]
    counts = np.zeros((n, len(keys), 3))
    for k, (field, concern) in enumerate(keys):
        g = case_table[f"gold_{field}"].to_numpy(dtype=bool)
        p = case_table[f"pred_{field}"].to_numpy(dtype=bool)
        m = concern_col == concern
        for j, hit in enumerate((g & p, ~g & p, g & ~p)):
            counts[:, k, j] = _per_case(codes[m], hit[m], n)
    point = counts.sum(axis=0)  # (k, 3)
    if n:
        resampled = (multiplicities(draw_indices(n, n_resamples, seed), n) @ counts.reshape(n, -1)).reshape(n_resamples, len(keys), 3)
    else:
        resampled = np.zeros((0, len(keys), 3))
    rows = []
    for field in fields:
        ks = [k for k, key in enumerate(keys) if key[0] == field]
        for metric in metrics:
            est = _metric(metric, point[ks, 0], point[ks, 1], point[ks, 2])
            tp, fp, fn = resampled[:, ks, 0], resampled[:, ks, 1], resampled[:, ks, 2]  # each (R, concerns)
            boot = _metric(metric, tp, fp, fn, undefined=float("nan"))
            for i, concern in enumerate(CONCERNS):
                rows.append(_ci_row({"concern": concern, "field": field, "metric": metric}, est[i], boot[:, i], alpha, n, n_resamples))
            macro = _metric(metric, tp, fp, fn).mean(axis=1)  # as metrics.case_prf: an empty concern counts 0
            rows.append(_ci_row({"concern": "macro", "field": field, "metric": metric}, est.mean(), macro, alpha, n, n_resamples))
    return pd.DataFrame(rows, columns=["concern", "field", "metric", *CI_COLUMNS])


def _ci_row(key: dict, estimate: float, boot: np.ndarray, alpha: float, n: int, n_resamples: int) -> dict:
    low, high = percentile_interval(boot, alpha) if n else (float("nan"), float("nan"))
    return {**key, "estimate": float(estimate), "ci_low": low, "ci_high": high, "n_cases": n, "n_resamples": n_resamples}


def mention_case_counts(gold_mentions: pd.DataFrame, pred_mentions: pd.DataFrame, case_ids: Sequence[Hashable]) -> np.ndarray:
    """Per case and label the lenient tp, fp, fn and the asserted-recall counts (gold asserted, found asserted).

    Returns an array of shape (len(case_ids), len(LABELS), 5), matching metrics.mention_prf (lenient) and
    metrics.asserted_recall when summed over cases. The matching (metrics.match_mentions) is the slow part;
    it runs once, not per resample.
    """
    gold = gold_mentions.reset_index(drop=True)
    pred = pred_mentions.reset_index(drop=True)
    n = len(case_ids)
    out = np.zeros((n, len(LABELS), 5))
    g_match = match_mentions(gold, pred)
    p_match = match_mentions(pred, gold)
    a_match = g_match[g_match.status.isin(ASSERTED_STATUSES)]  # a gold mention's best match does not depend on the others
    for li, label in enumerate(LABELS):
        g = g_match[g_match.label == label]
        p = p_match[p_match.label == label]
        a = a_match[a_match.label == label]
        parts = [
            (g, (g.pred_index >= 0).to_numpy()),
            (p, (p.pred_index < 0).to_numpy()),
            (g, (g.pred_index < 0).to_numpy()),
            (a, np.ones(len(a), dtype=bool)),
            (a, a.pred_status.isin(ASSERTED_STATUSES).to_numpy()),
        ]
        for j, (frame, hit) in enumerate(parts):
            if len(frame):
                out[:, li, j] = _per_case(_case_codes(case_ids, frame.case_id), hit, n)
    return out


def mention_metric_cis(gold_mentions: pd.DataFrame, pred_mentions: pd.DataFrame, n_resamples: int = 1000, seed: int = 0,
                       alpha: float = 0.05, case_ids: Iterable[Hashable] | None = None) -> pd.DataFrame:
    """Per label lenient span F1 and asserted recall with bootstrap CIs, resampling cases.

    Pass `case_ids` (all evaluated cases) so that cases without any mention take part in the resampling;
    by default the cases seen in either frame are used. Point estimates equal metrics.mention_prf (lenient)
    and metrics.asserted_recall; resamples where a label's metric is undefined (no mentions, no gold
    asserted mentions) are ignored for its interval. Returns columns label, metric, support, estimate, ci_low, ci_high,
    n_cases, n_resamples (support: gold mentions, or gold asserted mentions for asserted_recall).
    """
    _check(n_resamples, alpha)
    if case_ids is None:
        case_ids = [*gold_mentions.case_id, *pred_mentions.case_id]
    ids = list(dict.fromkeys(case_ids))
    n = len(ids)
    counts = mention_case_counts(gold_mentions, pred_mentions, ids)
    point = counts.sum(axis=0)  # (labels, 5)
    if n:
        resampled = (multiplicities(draw_indices(n, n_resamples, seed), n) @ counts.reshape(n, -1)).reshape(n_resamples, len(LABELS), 5)
    else:
        resampled = np.zeros((0, len(LABELS), 5))
    rows = []
    for li, label in enumerate(LABELS):
        tp, fp, fn, asserted, found = point[li]
        boot = resampled[:, li, :]
        f1 = _f1(boot[:, 0], boot[:, 1], boot[:, 2], undefined=float("nan"))
        rec = _ratio(boot[:, 4], boot[:, 3], float("nan"))
        rows.append({"label": label, "metric": "lenient_f1", "support": int(tp + fn),
                     **_ci_row({}, _f1(tp, fp, fn), f1, alpha, n, n_resamples)})
        rows.append({"label": label, "metric": "asserted_recall", "support": int(asserted),
                     **_ci_row({}, found / asserted if asserted else float("nan"), rec, alpha, n, n_resamples)})
    return pd.DataFrame(rows, columns=["label", "metric", "support", *CI_COLUMNS])
