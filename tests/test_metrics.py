"""Every metric against values worked out by hand on tiny fixtures (the working is in the comments)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from recordscan.evaluation import metrics as M

MMH, FI = "MATERNAL_MENTAL_HEALTH", "FATHER_INVOLVEMENT"


def mentions(rows):
    return pd.DataFrame(rows, columns=["case_id", "note_id", "label", "start", "end", "text", "status"])


GOLD = mentions([
    ("C1", "N1", MMH, 0, 8, "low mood", "affirmed"),        # found exactly, asserted
    ("C1", "N1", MMH, 20, 30, "depression", "historical"),  # found by overlap (22-30), asserted
    ("C1", "N1", MMH, 40, 48, "MGM's PND", "other_experiencer"),  # trap, reported asserted -> counted
    ("C1", "N2", FI, 0, 3, "dad", "affirmed"),              # found but predicted negated -> not asserted-recalled
    ("C2", "N3", FI, 5, 11, "father", "negated"),          # trap, not predicted at all -> fine
])
PRED = mentions([
    ("C1", "N1", MMH, 0, 8, "low mood", "affirmed"),
    ("C1", "N1", MMH, 22, 30, "pression", "affirmed"),
    ("C1", "N1", MMH, 40, 48, "MGM's PND", "affirmed"),
    ("C1", "N2", FI, 0, 3, "dad", "negated"),
    ("C2", "N3", MMH, 0, 4, "xxxx", "affirmed"),            # spurious MMH
])


def test_lenient_span_prf():
    # MMH: gold 3, pred 4; lenient matches 3 -> tp 3, fn 0, fp 1 (the C2 one): P = 3/4, R = 1, F1 = 6/7.
    # FI: gold 2, pred 1; matches 1 -> tp 1, fn 1, fp 0: P = 1, R = 1/2, F1 = 2/3.
    df = M.mention_prf(GOLD, PRED).set_index("label")
    assert df.loc[MMH, ["tp", "fp", "fn"]].tolist() == [3, 1, 0]
    assert df.loc[MMH, "f1"] == pytest.approx(6 / 7)
    assert df.loc[FI, ["tp", "fp", "fn"]].tolist() == [1, 0, 1]
    assert df.loc[FI, "f1"] == pytest.approx(2 / 3)


def test_strict_span_prf():
    # Strict: the 20-30 vs 22-30 pair does not match. MMH tp 2, fp 2, fn 1: P = 1/2, R = 2/3, F1 = 4/7.
    df = M.mention_prf(GOLD, PRED, strict=True).set_index("label")
    assert df.loc[MMH, ["tp", "fp", "fn"]].tolist() == [2, 2, 1]
    assert df.loc[MMH, "f1"] == pytest.approx(4 / 7)


def test_asserted_recall_and_trap_rate():
    # Asserted gold: MMH 2 (both found asserted) -> 1.0; FI 1 (found but negated) -> 0.0.
    rec = M.asserted_recall(GOLD, PRED).set_index("label")
    assert rec.loc[MMH, "recall"] == 1.0 and rec.loc[FI, "recall"] == 0.0
    # Traps: MMH 1 (reported asserted) -> 1/1; FI 1 (not predicted) -> 0/1; ALL 1/2.
    traps = M.trap_rate(GOLD, PRED).set_index("label")
    assert traps.loc[MMH, "rate"] == 1.0 and traps.loc[FI, "rate"] == 0.0 and traps.loc["ALL", "rate"] == 0.5
    assert math.isnan(traps.loc["GP_CONTACT", "rate"])


def test_status_confusion():
    table = M.status_confusion(GOLD, PRED)
    assert table.loc["affirmed", "affirmed"] == 1
    assert table.loc["affirmed", "negated"] == 1  # the dad
    assert table.loc["historical", "affirmed"] == 1
    assert table.loc["other_experiencer", "affirmed"] == 1
    assert table.loc["negated", "missed"] == 1
    assert table.values.sum() == len(GOLD)


def test_case_prf_and_macro():
    # gold flag / pred flag per concern; the other concerns have no rows (F1 0 by convention).
    rows = [("A", "maternal_mental_health", True, True), ("B", "maternal_mental_health", True, False),
            ("C", "maternal_mental_health", False, True), ("D", "maternal_mental_health", False, False)]
    table = pd.DataFrame([{"case_id": c, "concern": k, "gold_flag": g, "pred_flag": p} for c, k, g, p in rows])
    df = M.case_prf(table, "flag").set_index("concern")
    # tp 1, fp 1, fn 1 -> P = R = F1 = 0.5
    assert df.loc["maternal_mental_health", ["tp", "fp", "fn"]].tolist() == [1, 1, 1]
    assert df.loc["maternal_mental_health", "f1"] == 0.5
    assert df.loc["macro", "f1"] == pytest.approx(0.5 / 4)


@pytest.mark.parametrize("labels,scores,expected", [
    ([True, False], [0.9, 0.1], 1.0),
    ([True, False], [0.1, 0.9], 0.0),
    ([True, False, True, False], [0.8, 0.8, 0.6, 0.2], 0.625),  # pairs (pos, neg): (.8,.8)=.5 (.8,.2)=1 (.6,.8)=0 (.6,.2)=1 -> 2.5/4
    ([True, True], [0.5, 0.6], float("nan")),
])
def test_auroc(labels, scores, expected):
    got = M.auroc(labels, scores)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_average_precision():
    # ranking: 0.9 (pos) 0.8 (neg) 0.7 (pos) 0.1 (neg): precision at the positives 1/1 and 2/3 -> mean 5/6
    assert M.average_precision([True, False, True, False], [0.9, 0.8, 0.7, 0.1]) == pytest.approx(5 / 6)
    assert math.isnan(M.average_precision([False, False], [0.1, 0.2]))


def test_prf_zero_division_is_zero():
    prf = M.PRF(0, 0, 0)
    assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)
