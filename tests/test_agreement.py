"""Inter-annotator agreement, checked against kappa and F1 values worked out by hand."""

from __future__ import annotations

import math

import pytest

from recordscan.concepts import CONCERNS
from recordscan.evaluation.agreement import agreement_report, case_agreement, cohens_kappa, span_agreement
from recordscan.evaluation.gold import parse_case

MMH, OO = "maternal_mental_health", "over_optimism"
TEXT = "Mum has low mood and anxiety. Dad not seen. GP to be informed."


# --- cohens_kappa -------------------------------------------------------------------------------------------


def test_kappa_classic_2x2():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # p_o = (20 + 15) / 50 = 0.7; A says yes 25/50 = 0.5, B says yes 30/50 = 0.6;
    # p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    a = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohens_kappa(a, b) == pytest.approx(0.4)
    # the same with string labels
    to_s = lambda xs: ["yes" if x else "no" for x in xs]  # noqa: E731
    assert cohens_kappa(to_s(a), to_s(b)) == pytest.approx(0.4)


def test_kappa_perfect_opposite_and_degenerate():
    assert cohens_kappa([True, False, True], [True, False, True]) == 1.0
    assert cohens_kappa(["affirmed", "negated", "historical"], ["affirmed", "negated", "historical"]) == 1.0
    # complete disagreement on a balanced pair: p_o 0, p_e = 0.5*0.5 + 0.5*0.5 = 0.5 -> (0 - 0.5) / 0.5 = -1
    assert cohens_kappa([True, False], [False, True]) == pytest.approx(-1.0)
    # both raters always say False: p_e = 1, agree on everything -> 1.0 by convention
    assert cohens_kappa([False] * 4, [False] * 4) == 1.0
    # one rater constant: A yes 1/4, B yes 0 -> p_e = 0.75*1 = 0.75, p_o = 0.75 -> kappa 0
    assert cohens_kappa([True, False, False, False], [False] * 4) == pytest.approx(0.0)
    assert math.isnan(cohens_kappa([], []))
    with pytest.raises(ValueError):
        cohens_kappa([True], [True, False])


# --- fixtures -----------------------------------------------------------------------------------------------


def _case(cid: str, gold: dict, mentions=()) -> object:
    """A one-note case; gold = {concern: (mentioned, followed_up)}, unlisted concerns all False."""
    return parse_case({
        "case_id": cid,
        "notes": [{"note_id": f"{cid}-01", "text": TEXT}],
        "gold": {c: {"mentioned": gold.get(c, (False, False))[0], "followed_up": gold.get(c, (False, False))[1]} for c in CONCERNS},
        "mentions": [{"note_id": f"{cid}-01", "label": lab, "text": t, "status": st} for lab, t, st in mentions],
    })


M, F, G = "MATERNAL_MENTAL_HEALTH", "FATHER_INVOLVEMENT", "GP_CONTACT"
A = [
    _case("X1", {MMH: (True, True)}, [(M, "low mood", "affirmed"), (M, "anxiety", "affirmed"), (F, "Dad", "affirmed"), (G, "GP", "hypothetical")]),
    _case("X2", {MMH: (True, False)}),
    _case("X3", {}),
    _case("X4", {MMH: (True, False)}, [(M, "low mood", "affirmed")]),  # only in A: never compared
]
B = [
    _case("X1", {MMH: (True, True)}, [(M, "low mood and anxiety", "affirmed"), (F, "Dad", "negated")]),
    _case("X2", {}),
    _case("X3", {}),
    _case("X5", {MMH: (True, True)}),  # only in B
]


def test_case_agreement_by_hand():
    df = case_agreement(A, B).set_index(["concern", "field"])
    assert (df.n == 3).all() and (df.only_in_a == 1).all() and (df.only_in_b == 1).all()
    # MMH mentioned over X1..X3: A = T, T, F; B = T, F, F. p_o = 2/3.
    # A yes 2/3, B yes 1/3: p_e = 2/3*1/3 + 1/3*2/3 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4.
    row = df.loc[(MMH, "mentioned")]
    assert (row.a_true, row.b_true) == (2, 1)
    assert row.observed == pytest.approx(2 / 3)
    assert row.kappa == pytest.approx(0.4)
    # MMH followed_up: A = T, F, F; B = T, F, F -> identical: p_o 1, p_e = 1/9 + 4/9 = 5/9 -> kappa 1.
    assert df.loc[(MMH, "followed_up"), "kappa"] == pytest.approx(1.0)
    # MMH flag: A = F, T, F; B = F, F, F. p_o = 2/3; p_e = 1/3*0 + 2/3*1 = 2/3 -> kappa 0.
    assert df.loc[(MMH, "flag"), "observed"] == pytest.approx(2 / 3)
    assert df.loc[(MMH, "flag"), "kappa"] == pytest.approx(0.0)
    # over_optimism: everyone says False everywhere -> p_e = 1 and p_o = 1 -> 1.0 by convention.
    assert df.loc[(OO, "mentioned"), "kappa"] == 1.0
    assert len(df) == len(CONCERNS) * 3


def test_span_agreement_by_hand():
    df = span_agreement(A, B).set_index("label")
    # Only X1 has spans among the shared cases (X4's span is not counted).
    # MMH: A "low mood", "anxiety"; B "low mood and anxiety".
    #   strict: no identical offsets -> tp 0, fn 2, fp 1 -> F1 0.
    #   lenient: both A spans overlap B's, B's overlaps A's -> tp 2, fn 0, fp 0 -> F1 1.
    assert (df.loc[M, "n_a"], df.loc[M, "n_b"]) == (2, 1)
    assert df.loc[M, "strict_f1"] == 0.0
    assert df.loc[M, "lenient_f1"] == pytest.approx(1.0)
    # FATHER: "Dad" in both -> strict and lenient F1 1; statuses affirmed vs negated.
    assert df.loc[F, "strict_f1"] == pytest.approx(1.0)
    # GP: only A -> fn 1 -> F1 0, no status pairs.
    assert df.loc[G, "lenient_f1"] == 0.0 and df.loc[G, "status_pairs"] == 0 and math.isnan(df.loc[G, "status_kappa"])
    # ALL strict: tp 1 (Dad), fp 1 (B's MMH), fn 3 -> P 1/2, R 1/4, F1 = 2/(2+1+3) = 1/3.
    assert df.loc["ALL", "strict_precision"] == pytest.approx(0.5)
    assert df.loc["ALL", "strict_recall"] == pytest.approx(0.25)
    assert df.loc["ALL", "strict_f1"] == pytest.approx(1 / 3)
    # ALL lenient: tp 3, fp 0, fn 1 (GP) -> P 1, R 3/4, F1 = 6/7.
    assert df.loc["ALL", "lenient_f1"] == pytest.approx(6 / 7)
    # Status pairs: (affirmed, affirmed) x2 for MMH, (affirmed, negated) for Dad.
    # MMH: all affirmed on both sides -> p_e = 1, p_o = 1 -> 1.0.
    assert df.loc[M, "status_pairs"] == 2 and df.loc[M, "status_kappa"] == 1.0
    # FATHER: one pair, A affirmed, B negated: p_o 0, p_e 0 -> kappa 0.
    assert df.loc[F, "status_kappa"] == pytest.approx(0.0)
    # ALL: A = aff x3, B = aff x2 + neg; p_o = 2/3; p_e = 1 * 2/3 = 2/3 -> kappa 0.
    assert df.loc["ALL", "status_pairs"] == 3
    assert df.loc["ALL", "status_observed"] == pytest.approx(2 / 3)
    assert df.loc["ALL", "status_kappa"] == pytest.approx(0.0)


def test_agreement_report_bundles_and_flags_text_differences():
    changed = _case("X3", {})
    changed.notes[0] = type(changed.notes[0])("X3", "X3-01", None, TEXT + " Edited.")
    rep = agreement_report(A, [*B[:2], changed, B[3]])
    assert rep["n_shared"] == 3
    assert rep["only_in_a"] == ["X4"] and rep["only_in_b"] == ["X5"]
    assert rep["notes_text_differs"] == [("X3", "X3-01")]
    assert set(rep["cases"].columns) >= {"concern", "field", "kappa"}
    assert "lenient_f1" in rep["spans"].columns
    assert agreement_report(A, B)["notes_text_differs"] == []


def test_duplicate_case_ids_rejected():
    with pytest.raises(ValueError):
        case_agreement([A[0], A[0]], B)
