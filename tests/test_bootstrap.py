"""Bootstrap intervals: determinism, hand-checked point estimates, agreement with the slow general path."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from recordscan.concepts import CONCERNS
from recordscan.evaluation.bootstrap import bootstrap_ci, case_metric_cis, mention_metric_cis
from recordscan.evaluation.metrics import asserted_recall, case_prf, mention_prf, prf_from_bools

MMH, FATHER, GP = "maternal_mental_health", "father_involvement", "gp_contact"


def _mean_of(values: dict):
    return lambda ids: float(np.mean([values[i] for i in ids]))


# --- bootstrap_ci -------------------------------------------------------------------------------------------


def test_same_seed_same_interval_other_seed_differs():
    rng = np.random.default_rng(123)
    values = {f"c{i}": float(v) for i, v in enumerate(rng.normal(size=30))}
    first = bootstrap_ci(values, _mean_of(values), n_resamples=300, seed=7)
    again = bootstrap_ci(values, _mean_of(values), n_resamples=300, seed=7)
    other = bootstrap_ci(values, _mean_of(values), n_resamples=300, seed=8)
    assert first == again
    assert first != other
    point = np.mean(list(values.values()))
    assert first[0] <= point <= first[1]


def test_two_cases_by_hand():
    # Cases a=0, b=1, statistic = mean. A resample of 2 cases has mean 0 (aa, p=1/4), 0.5 (ab/ba, p=1/2)
    # or 1 (bb, p=1/4), so the 2.5% and 97.5% percentiles are 0 and 1.
    values = {"a": 0.0, "b": 1.0}
    assert bootstrap_ci(["a", "b"], _mean_of(values), n_resamples=2000, seed=0) == (0.0, 1.0)


def test_single_case_gives_a_point_interval():
    # Every resample is [only]: the statistic is always 3.5.
    assert bootstrap_ci(["only"], lambda ids: 3.5 * len(ids), n_resamples=50) == (3.5, 3.5)


def test_nan_resamples_are_ignored_and_all_nan_gives_nan():
    # NaN unless the resample is (b, b); the remaining resamples all have value 1.
    stat = lambda ids: 1.0 if set(ids) == {"b"} else float("nan")  # noqa: E731
    assert bootstrap_ci(["a", "b"], stat, n_resamples=200, seed=1) == (1.0, 1.0)
    low, high = bootstrap_ci(["a", "b"], lambda ids: float("nan"), n_resamples=20)
    assert math.isnan(low) and math.isnan(high)


def test_repeated_ids_are_collapsed_and_empty_is_nan():
    values = {"a": 0.0, "b": 1.0, "c": 5.0}
    assert bootstrap_ci(["a", "a", "b", "c", "c"], _mean_of(values), 100, seed=3) == bootstrap_ci(["a", "b", "c"], _mean_of(values), 100, seed=3)
    assert all(math.isnan(x) for x in bootstrap_ci([], _mean_of(values)))
    with pytest.raises(ValueError):
        bootstrap_ci(["a"], _mean_of(values), n_resamples=0)


# --- case_metric_cis ----------------------------------------------------------------------------------------


def _case_table(spec: dict) -> pd.DataFrame:
    """spec[(case_id, concern)] = (gold_mentioned, pred_mentioned, gold_flag, pred_flag); other rows all False."""
    case_ids = list(dict.fromkeys(cid for cid, _ in spec))
    rows = []
    for cid in case_ids:
        for concern in CONCERNS:
            gm, pm, gf, pf = spec.get((cid, concern), (False, False, False, False))
            rows.append({"case_id": cid, "concern": concern, "gold_mentioned": gm, "pred_mentioned": pm,
                         "gold_flag": gf, "pred_flag": pf, "score": 0.5})
    return pd.DataFrame(rows)


# maternal_mental_health mentioned: c1 tp, c2 fn, c3 fp, c4 tp -> tp 2, fp 1, fn 1: P = R = F1 = 2/3.
# maternal_mental_health flag: c1 fn, c4 tp -> tp 1, fp 0, fn 1: P 1, R 1/2, F1 = 2/3.
# father_involvement mentioned: c1 tp only -> F1 1. Other concerns have nothing: F1 0 (as metrics.PRF).
# macro F1 of mentioned = (2/3 + 1 + 0 + 0) / 4 = 5/12; of flag = (2/3 + 0 + 0 + 0) / 4 = 1/6.
SPEC = {
    ("c1", MMH): (True, True, True, False),
    ("c2", MMH): (True, False, False, False),
    ("c3", MMH): (False, True, False, False),
    ("c4", MMH): (True, True, True, True),
    ("c1", FATHER): (True, True, False, False),
}


def test_case_metric_point_estimates_by_hand():
    cis = case_metric_cis(_case_table(SPEC), n_resamples=200, seed=0).set_index(["concern", "field"])
    assert cis.loc[(MMH, "mentioned"), "estimate"] == pytest.approx(2 / 3)
    assert cis.loc[(MMH, "flag"), "estimate"] == pytest.approx(2 / 3)
    assert cis.loc[(FATHER, "mentioned"), "estimate"] == pytest.approx(1.0)
    assert cis.loc[(GP, "mentioned"), "estimate"] == 0.0  # nothing to count: 0 as case_prf, interval undefined
    assert math.isnan(cis.loc[(GP, "mentioned"), "ci_low"]) and math.isnan(cis.loc[(GP, "mentioned"), "ci_high"])
    assert cis.loc[("macro", "mentioned"), "estimate"] == pytest.approx(5 / 12)
    assert cis.loc[("macro", "flag"), "estimate"] == pytest.approx(1 / 6)
    assert (cis.n_cases == 4).all() and (cis.n_resamples == 200).all()
    # and they agree with metrics.case_prf
    for field in ("mentioned", "flag"):
        ref = case_prf(_case_table(SPEC), field).set_index("concern").f1
        for concern in [*CONCERNS, "macro"]:
            assert cis.loc[(concern, field), "estimate"] == pytest.approx(ref[concern])
    for _, row in cis.dropna().iterrows():
        assert row.ci_low <= row.estimate + 1e-12 and row.estimate <= row.ci_high + 1e-12


def test_case_metric_cis_equal_the_general_path_with_repeated_cases():
    # The fast path sums per-case counts; the slow path rebuilds the resampled rows (a case drawn twice
    # contributes its rows twice) and scores them with metrics.prf_from_bools. Same seed -> same draws.
    table = _case_table(SPEC)
    rows = {(cid, concern, field): (list(g[f"gold_{field}"]), list(g[f"pred_{field}"]))
            for (cid, concern), g in table.groupby(["case_id", "concern"]) for field in ("mentioned", "flag")}

    def prf(ids, field, concern):
        gold = [x for i in ids for x in rows[(i, concern, field)][0]]
        pred = [x for i in ids for x in rows[(i, concern, field)][1]]
        return prf_from_bools(gold, pred)

    def stat(ids, field, concern):
        if concern == "macro":  # as case_prf: an empty concern counts 0
            return float(np.mean([prf(ids, field, c).f1 for c in CONCERNS]))
        r = prf(ids, field, concern)
        return r.f1 if r.tp + r.fp + r.fn else float("nan")  # nothing to count: undefined, ignored

    fast = case_metric_cis(table, n_resamples=150, seed=11).set_index(["concern", "field"])
    for field, concern in (("mentioned", MMH), ("flag", MMH), ("mentioned", "macro")):
        low, high = bootstrap_ci(table.case_id, lambda ids: stat(ids, field, concern), n_resamples=150, seed=11)
        assert fast.loc[(concern, field), "ci_low"] == pytest.approx(low)
        assert fast.loc[(concern, field), "ci_high"] == pytest.approx(high)


def test_case_metric_cis_seeded_and_precision_recall():
    table = _case_table(SPEC)
    a = case_metric_cis(table, n_resamples=100, seed=5, metrics=("precision", "recall", "f1"))
    b = case_metric_cis(table, n_resamples=100, seed=5, metrics=("precision", "recall", "f1"))
    pd.testing.assert_frame_equal(a, b)
    flag = a[(a.concern == MMH) & (a.field == "flag")].set_index("metric").estimate
    assert flag["precision"] == pytest.approx(1.0) and flag["recall"] == pytest.approx(0.5)


def test_case_metric_cis_is_fast_on_200_cases():
    rng = np.random.default_rng(0)
    n = 200
    rows = [{"case_id": f"C{i:03d}", "concern": c, "gold_mentioned": g, "pred_mentioned": g ^ (rng.random() < 0.2),
             "gold_flag": g and rng.random() < 0.5, "pred_flag": rng.random() < 0.3, "score": 0.0}
            for i in range(n) for c in CONCERNS for g in [bool(rng.random() < 0.5)]]
    table = pd.DataFrame(rows)
    t0 = time.perf_counter()
    cis = case_metric_cis(table, n_resamples=1000, seed=0)
    assert time.perf_counter() - t0 < 3.0
    assert len(cis) == 2 * (len(CONCERNS) + 1)
    assert ((cis.ci_low <= cis.estimate + 1e-12) & (cis.estimate <= cis.ci_high + 1e-12)).all()


# --- mention_metric_cis -------------------------------------------------------------------------------------

M, G = "MATERNAL_MENTAL_HEALTH", "GP_CONTACT"


def _mentions(rows) -> pd.DataFrame:
    return pd.DataFrame([{"case_id": c, "note_id": "n1", "label": lab, "start": s, "end": e, "text": "x", "status": st}
                         for c, lab, s, e, st in rows], columns=["case_id", "note_id", "label", "start", "end", "text", "status"])


GOLD = _mentions([("c1", M, 0, 8, "affirmed"), ("c1", G, 20, 22, "affirmed"),
                  ("c2", M, 5, 10, "negated"), ("c2", M, 30, 40, "historical")])
PRED = _mentions([("c1", M, 0, 8, "affirmed"), ("c2", M, 30, 35, "negated"),
                  ("c2", G, 50, 52, "affirmed"), ("c3", M, 0, 4, "affirmed")])
# MMH lenient: gold c1[0,8) matched, c2[5,10) missed, c2[30,40) overlaps pred [30,35) -> tp 2, fn 1;
#   pred c3[0,4) has no gold -> fp 1: F1 = 2*2 / (4 + 1 + 1) = 2/3.
# MMH asserted recall: gold asserted = c1 affirmed + c2 historical = 2; c1's match is affirmed (found),
#   c2's match is negated (not found): 1/2.
# GP: gold c1 missed (fn 1), pred c2 spurious (fp 1), tp 0: F1 0; asserted recall 0/1 = 0.
# FATHER_INVOLVEMENT: no mentions: F1 0, asserted recall NaN (and a NaN interval).


def test_mention_metric_point_estimates_by_hand():
    cis = mention_metric_cis(GOLD, PRED, n_resamples=200, seed=0, case_ids=["c1", "c2", "c3", "c4"]).set_index(["label", "metric"])
    assert cis.loc[(M, "lenient_f1"), "estimate"] == pytest.approx(2 / 3)
    assert cis.loc[(M, "lenient_f1"), "support"] == 3
    assert cis.loc[(M, "asserted_recall"), "estimate"] == pytest.approx(0.5)
    assert cis.loc[(M, "asserted_recall"), "support"] == 2
    assert cis.loc[(G, "lenient_f1"), "estimate"] == 0.0
    assert cis.loc[(G, "asserted_recall"), "estimate"] == 0.0
    assert math.isnan(cis.loc[("FATHER_INVOLVEMENT", "asserted_recall"), "estimate"])
    assert math.isnan(cis.loc[("FATHER_INVOLVEMENT", "asserted_recall"), "ci_low"])
    assert (cis.n_cases == 4).all()
    # agree with metrics.mention_prf / asserted_recall
    ref_f1 = mention_prf(GOLD, PRED).set_index("label").f1
    ref_ar = asserted_recall(GOLD, PRED).set_index("label").recall
    assert cis.loc[(M, "lenient_f1"), "estimate"] == pytest.approx(ref_f1[M])
    assert cis.loc[(M, "asserted_recall"), "estimate"] == pytest.approx(ref_ar[M])
    row = cis.loc[(M, "lenient_f1")]
    assert row.ci_low <= row.estimate <= row.ci_high


def test_mention_metric_cis_equal_the_general_path():
    ids = ["c1", "c2", "c3", "c4"]
    g_by = {c: GOLD[GOLD.case_id == c] for c in ids}
    p_by = {c: PRED[PRED.case_id == c] for c in ids}

    def frames(sample):
        return (pd.concat([g_by[c] for c in sample], ignore_index=True), pd.concat([p_by[c] for c in sample], ignore_index=True))

    def f1(sample):
        g, p = frames(sample)
        r = mention_prf(g, p).set_index("label").loc[M]
        return r.f1 if r.tp + r.fp + r.fn else float("nan")

    def ar(sample):
        g, p = frames(sample)
        return asserted_recall(g, p).set_index("label").recall[M]

    fast = mention_metric_cis(GOLD, PRED, n_resamples=25, seed=2, case_ids=ids).set_index(["label", "metric"])
    for metric, stat in (("lenient_f1", f1), ("asserted_recall", ar)):
        low, high = bootstrap_ci(ids, stat, n_resamples=25, seed=2)
        assert fast.loc[(M, metric), "ci_low"] == pytest.approx(low)
        assert fast.loc[(M, metric), "ci_high"] == pytest.approx(high)


def test_mention_metric_cis_default_cases_and_unknown_case():
    cis = mention_metric_cis(GOLD, PRED, n_resamples=20)
    assert (cis.n_cases == 3).all()  # c1, c2, c3 seen in the frames
    with pytest.raises(ValueError):
        mention_metric_cis(GOLD, PRED, n_resamples=20, case_ids=["c1"])
