"""Review periods set against optimism: when they fall and whether a later closure cut them short."""

from __future__ import annotations

import datetime as dt

import pytest

from recordscan.review_periods import due_date, keeps_monitoring, kept

WRITTEN = dt.date(2024, 11, 12)


@pytest.mark.parametrize("sentence, due", [
    ("We will not close yet: CIN to continue with a review in March.", dt.date(2025, 3, 1)),
    ("The CIN plan will run for three months, with visits every fortnight.", dt.date(2025, 2, 12)),
    ("CIN continues for 12 weeks.", dt.date(2025, 2, 4)),
    ("We may keep the plan open a while longer.", None),  # 'may' is no month
    ("CIN continues until the review.", None),
])
def test_due_date_of_a_review(sentence, due):
    assert due_date(sentence, WRITTEN) == due


@pytest.mark.parametrize("sentence, keeps", [
    ("The CIN plan runs to a review in November, with monthly visits.", True),
    ("We will not step down on group feedback: the plan runs to a review in November.", True),
    ("I agree to close early rather than wait for the October review.", False),
    ("Recommend closure at the January review.", False),
])
def test_a_sentence_that_keeps_the_case_open_or_drops_the_review(sentence, keeps):
    assert keeps_monitoring(sentence) is keeps


def test_a_closure_before_the_review_cuts_the_period_short():
    sentence = "CIN to continue with a review in March."
    assert kept(sentence, WRITTEN, [dt.date(2025, 3, 25)]) == dt.date(2025, 3, 1)
    assert kept(sentence, WRITTEN, [dt.date(2025, 1, 10)]) is None


def test_the_phrase_sets_are_data_validated_on_load(tmp_path):
    """An unknown set is refused with file and line, and a token pattern is refused: the sets are matched on text."""
    from recordscan.lexicons import LexiconError
    from recordscan.review_periods import RULE_FILE, phrase_sets

    (tmp_path / RULE_FILE).write_text('{"pattern": "carry on", "set": "keeps_open"}\n'
                                      '{"pattern": "cut short", "set": "shortens"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"review_periods.jsonl:2: set='shortens'"):
        phrase_sets(tmp_path)
    (tmp_path / RULE_FILE).write_text('{"pattern": [{"LOWER": "carry"}], "set": "keeps_open"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"review_periods.jsonl:1: .*must be a phrase"):
        phrase_sets(tmp_path)
    (tmp_path / RULE_FILE).write_text('{"pattern": "carry on", "set": "keeps_open"}\n', encoding="utf-8")
    assert keeps_monitoring("We will carry on to the March review.", phrase_sets(tmp_path))
    assert not keeps_monitoring("CIN to continue to the March review.", phrase_sets(tmp_path))
