"""Error analysis: each mention and case error kind on tiny hand-made fixtures, and run comparison."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from recordscan.evaluation.errors import (case_errors, compare_runs, error_summary, load_cases_csv, mention_errors,
                                          sentence_context)
from recordscan.evaluation.metrics import mention_prf

M, F, G, O = "MATERNAL_MENTAL_HEALTH", "FATHER_INVOLVEMENT", "GP_CONTACT", "OVER_OPTIMISM"
NOTES = {
    ("E1", "N1"): "Mum said her low mood has lifted. Dad was not seen today.",
    ("E1", "N2"): "Visited with the health visitor. Mum is doing really well with the baby.",
    ("E1", "N3"): "The GP at Hillside surgery has not been contacted. Maternal grandmother has depression.",
}


def _m(note: str, label: str, text: str, status: str) -> dict:
    start = NOTES[("E1", note)].index(text)
    return {"case_id": "E1", "note_id": note, "label": label, "start": start, "end": start + len(text), "text": text, "status": status}


GOLD = pd.DataFrame([
    _m("N1", M, "low mood", "affirmed"),
    _m("N1", F, "Dad", "affirmed"),
    _m("N2", O, "doing really well", "affirmed"),
    _m("N3", G, "GP", "affirmed"),
])
PRED = pd.DataFrame([
    _m("N1", M, "low mood", "negated"),        # same span, other status      -> wrong_status
    _m("N1", F, "Dad", "affirmed"),            # exact match                  -> no error
    _m("N2", O, "really well", "affirmed"),    # inside the gold span         -> span_boundary
    _m("N3", M, "depression", "affirmed"),     # no gold MMH in N3            -> spurious
])                                             # gold GP in N3 not predicted  -> missed


def test_each_mention_error_kind_with_context():
    err = mention_errors(GOLD, PRED, NOTES)
    kinds = dict(zip(err.note_id + "/" + err.label, err.error_kind))
    assert kinds == {f"N1/{M}": "wrong_status", f"N2/{O}": "span_boundary", f"N3/{G}": "missed", f"N3/{M}": "spurious"}
    by_kind = err.set_index("error_kind")
    ws = by_kind.loc["wrong_status"]
    assert (ws.gold_status, ws.pred_status, ws.gold_text, ws.pred_text) == ("affirmed", "negated", "low mood", "low mood")
    assert ws.sentence_context == "Mum said her [[low mood]] has lifted."
    sb = by_kind.loc["span_boundary"]
    assert (sb.gold_start, sb.gold_end) == (40, 57)  # "Visited with the health visitor. Mum is " is 40 characters
    assert (sb.pred_start, sb.pred_end) == (46, 57)  # "really well" starts 6 later ("doing ")
    assert sb.sentence_context == "Mum is [[doing really well]] with the baby."
    missed = by_kind.loc["missed"]
    assert pd.isna(missed.pred_start) and pd.isna(missed.pred_text)
    assert missed.sentence_context == "The [[GP]] at Hillside surgery has not been contacted."
    spurious = by_kind.loc["spurious"]
    assert pd.isna(spurious.gold_start) and spurious.pred_text == "depression"
    assert spurious.sentence_context == "Maternal grandmother has [[depression]]."
    assert list(err.columns) == ["case_id", "note_id", "label", "error_kind", "gold_start", "gold_end", "gold_text", "gold_status",
                                 "pred_start", "pred_end", "pred_text", "pred_status", "sentence_context"]


def test_missed_and_spurious_counts_match_lenient_metrics():
    err = mention_errors(GOLD, PRED, NOTES)
    prf = mention_prf(GOLD, PRED)
    assert (err.error_kind == "missed").sum() == prf.fn.sum() == 1
    assert (err.error_kind == "spurious").sum() == prf.fp.sum() == 1


def test_split_prediction_and_label_mismatch():
    # One gold span "low mood" predicted as two pieces "low" and "mood": gold pairs with the larger overlap
    # ("mood", 4 chars vs 3), the other piece is a second span_boundary. A GP prediction over the MMH span is
    # a different label: spurious, and no match for the gold MMH of that label is created by it.
    gold = pd.DataFrame([_m("N1", M, "low mood", "affirmed")])
    low, mood = _m("N1", M, "low", "affirmed"), _m("N1", M, "mood", "affirmed")
    err = mention_errors(gold, pd.DataFrame([low, mood]), NOTES)
    assert list(err.error_kind) == ["span_boundary", "span_boundary"]
    assert set(err.pred_text) == {"low", "mood"}
    wrong_label = {**_m("N1", M, "low mood", "affirmed"), "label": G}
    err = mention_errors(gold, pd.DataFrame([wrong_label]), NOTES)
    assert sorted(err.error_kind) == ["missed", "spurious"]
    # exact match everywhere: no errors
    assert mention_errors(GOLD, GOLD, NOTES).empty


def test_context_falls_back_to_a_window_and_handles_missing_notes():
    text = "word " * 100 + "anxiety " + "word " * 100  # no sentence boundaries
    start = text.index("anxiety")
    ctx = sentence_context(text, start, start + 7, context_chars=20)
    # 20 characters each side of the span: "word " * 4 before, " word" * 4 after; cut marks on both ends
    assert ctx == "…word word word word [[anxiety]] word word word word…"
    err = mention_errors(GOLD, PRED, notes=None)
    assert (err.sentence_context == "").all()


# --- case errors ----------------------------------------------------------------------------------------------


def _row(cid, concern, gm, gf, pm, pf, gold_ids=(), evidence=()):
    return {"case_id": cid, "concern": concern, "gold_mentioned": gm, "gold_followed_up": gf, "gold_flag": gm and not gf,
            "pred_mentioned": pm, "pred_followed_up": pf, "pred_flag": pm and not pf, "score": 0.5,
            "gold_followup_note_ids": list(gold_ids), "pred_evidence_note_ids": list(evidence)}


MMH, FI, GPC, OOP = "maternal_mental_health", "father_involvement", "gp_contact", "over_optimism"
CASES = pd.DataFrame([
    _row("K1", MMH, True, False, False, False),                       # mentioned FN + flag FN: mention_error x2
    _row("K1", FI, True, True, True, False, ["n3"], ["n1"]),          # flag FP, tool found no follow-up: missed_followup
    _row("K1", GPC, True, False, True, True, [], ["n2"]),             # flag FN, gold lists no follow-up: spurious_followup
    _row("K1", OOP, True, False, True, True, ["n4"], ["n5"]),         # flag FN, gold n4 (partial) vs tool n5: wrong_followup_link
    _row("K2", MMH, False, False, True, False, [], ["n1"]),           # mentioned FP + flag FP: mention_error x2
    _row("K2", FI, True, True, True, False, ["n2"], ["n2"]),          # flag FP: missed_followup
    _row("K2", GPC, True, True, True, True, ["n1"], ["n9"]),          # right decision (links differ): not an error
    _row("K2", OOP, False, False, False, False),                      # correct
])


def test_case_error_kinds_by_hand():
    err = case_errors(CASES)
    got = {(r.case_id, r.concern, r.field): (r.error, r.error_kind) for r in err.itertuples()}
    assert got == {
        ("K1", MMH, "mentioned"): ("false_negative", "mention_error"),
        ("K1", MMH, "flag"): ("false_negative", "mention_error"),
        ("K1", FI, "flag"): ("false_positive", "missed_followup"),
        ("K1", GPC, "flag"): ("false_negative", "spurious_followup"),
        ("K1", OOP, "flag"): ("false_negative", "wrong_followup_link"),
        ("K2", MMH, "mentioned"): ("false_positive", "mention_error"),
        ("K2", MMH, "flag"): ("false_positive", "mention_error"),
        ("K2", FI, "flag"): ("false_positive", "missed_followup"),
    }
    row = err[(err.case_id == "K1") & (err.concern == OOP)].iloc[0]
    assert row.gold_followup_note_ids == ["n4"] and row.pred_evidence_note_ids == ["n5"]


def test_case_errors_use_analyses_for_the_tools_followup_notes():
    # The tool found a planned follow-up for K1's father in n2 (gold: n3) but did not count it: a wrong link.
    res = lambda nid: SimpleNamespace(note=SimpleNamespace(note_id=nid))  # noqa: E731
    k1 = SimpleNamespace(case=SimpleNamespace(case_id="K1"),
                         summaries={FI: SimpleNamespace(completed=[], planned=[(res("n2"), None)], failed=[])})
    k2 = SimpleNamespace(case=SimpleNamespace(case_id="K2"),
                         summaries={FI: SimpleNamespace(completed=[], planned=[(res("n2"), None)], failed=[])})
    err = case_errors(CASES, analyses=[k1, k2]).set_index(["case_id", "concern", "field"])
    assert err.loc[("K1", FI, "flag"), "error_kind"] == "wrong_followup_link"
    assert err.loc[("K1", FI, "flag"), "pred_followup_note_ids"] == ["n2"]
    # K2: the tool saw the gold note n2 but judged it not enough -> still missed_followup
    assert err.loc[("K2", FI, "flag"), "error_kind"] == "missed_followup"


def test_error_summary_counts():
    summary = error_summary(mention_errors(GOLD, PRED, NOTES), case_errors(CASES))
    mention = summary[summary.level == "mention"].set_index(["group", "error_kind"])["count"]
    assert mention.to_dict() == {(G, "missed"): 1, (M, "spurious"): 1, (M, "wrong_status"): 1, (O, "span_boundary"): 1}
    case = summary[summary.level == "case"]
    assert case["count"].sum() == 8
    mmh_mentioned = case[(case.group == MMH) & (case.field == "mentioned")].set_index("error")["count"].to_dict()
    assert mmh_mentioned == {"false_negative": 1, "false_positive": 1}
    assert case[(case.group == FI)].set_index("error_kind")["count"].to_dict() == {"missed_followup": 2}
    assert error_summary(None, None).empty


# --- comparing runs -------------------------------------------------------------------------------------------


RUN_A = pd.DataFrame([
    {"case_id": "c1", "concern": MMH, "mentioned": True, "followed_up": False, "flag": True, "score": 0.9},
    {"case_id": "c1", "concern": FI, "mentioned": False, "followed_up": False, "flag": False, "score": 0.1},
    {"case_id": "c2", "concern": MMH, "mentioned": True, "followed_up": True, "flag": False, "score": 0.2},
    {"case_id": "c3", "concern": GPC, "mentioned": True, "followed_up": False, "flag": True, "score": 0.7},
])
RUN_B = pd.DataFrame([
    {"case_id": "c1", "concern": MMH, "mentioned": "true", "followed_up": "true", "flag": "false", "score": 0.3},  # changed
    {"case_id": "c1", "concern": FI, "mentioned": "false", "followed_up": "false", "flag": "false", "score": 0.15},  # score only
    {"case_id": "c2", "concern": MMH, "mentioned": "TRUE", "followed_up": "True", "flag": "false", "score": 0.2},  # same
    {"case_id": "c4", "concern": OOP, "mentioned": "true", "followed_up": "false", "flag": "true", "score": 0.8},  # only in B
])


def test_compare_runs_by_hand():
    diff = compare_runs(RUN_A, RUN_B)
    assert list(zip(diff.case_id, diff.concern)) == [("c1", MMH), ("c3", GPC), ("c4", OOP)]
    c1 = diff.iloc[0]
    assert pd.isna(c1.only_in) and c1.changed == "followed_up,flag"
    assert (c1.mentioned_a, c1.mentioned_b, c1.followed_up_a, c1.followed_up_b, c1.flag_a, c1.flag_b) == (True, True, False, True, True, False)
    assert c1.score_change == pytest.approx(0.3 - 0.9)
    assert diff.iloc[1].only_in == "a" and pd.isna(diff.iloc[1].flag_b) and pd.isna(diff.iloc[1].score_change)
    assert diff.iloc[2].only_in == "b" and bool(diff.iloc[2].flag_b) is True
    assert compare_runs(RUN_A, RUN_A).empty


def test_compare_runs_rejects_repeated_rows():
    with pytest.raises(ValueError):
        compare_runs(pd.concat([RUN_A, RUN_A.iloc[:1]]), RUN_B)


def test_load_cases_csv(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,concern,mentioned,followed_up,flag,score,evidence_note_ids\n"
                    "007,maternal_mental_health,true,false,true,0.8,007-01;007-03\n"
                    "007,gp_contact,false,false,false,0.1,\n", encoding="utf-8")
    cases = load_cases_csv(path)
    assert list(cases.case_id) == ["007", "007"]
    assert list(cases.flag) == [True, False] and str(cases.flag.dtype) == "boolean"
    assert cases.score.tolist() == [0.8, 0.1]
    assert cases.evidence_note_ids.tolist() == ["007-01;007-03", ""]
    path.write_text("case_id,concern,mentioned,followed_up,flag,score\n1,gp_contact,maybe,false,false,0\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_cases_csv(path)
