"""Review periods set against optimism, and whether the case kept them.

SCHEME.md counts a decision to keep monitoring ("CIN to continue to a review in March") as follow-up of
optimism, unless the case closes before the review. The follow-up tagger records such a decision as a plan;
this module decides, from the plan's sentence and the dates of later closures, whether the period held:

- the sentence keeps the case open ("continue", "runs to", "will not close yet"), and does not drop the
  review ("close now rather than wait for the October review"): both phrase sets are data, in
  `lexicons/review_periods.jsonl`, loaded and saved by the follow-up tagger with its other rule files, so that a
  pipeline built from other lexicons (or loaded from disk) uses its own;
- it names when the review falls: a month ("a review in March", "the August review") or a span ("for three
  months", "12 weeks");
- no later note records a closure or step-down before that date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from pathlib import Path

from .lexicons import REVIEW_PERIOD_SCHEMA, LexiconError, default_lexicon_dir, load_rules

#: The rule file: phrases that keep the case open to the review, and phrases that drop the review.
RULE_FILE = "review_periods.jsonl"

_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12}

_MONTH_NAMED = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")  # capitalised: "may" is a verb
_SPAN = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")[ -](?:(?:more|further) )?(weeks?|months?)\b", re.I)  # "six more weeks"


def compile_phrase_sets(rules: list) -> dict[str, re.Pattern]:
    """One whole-word, case-insensitive regular expression per set of `review_periods.jsonl` rules (loaded with
    `REVIEW_PERIOD_SCHEMA`); a token pattern is refused, since the sets are matched on a sentence's text."""
    sets: dict[str, list[str]] = {name: [] for name in REVIEW_PERIOD_SCHEMA.choices["set"]}
    for rule in rules:
        if not isinstance(rule.pattern, str):
            raise LexiconError(f"{rule.source}: a review-period pattern must be a phrase, not a token pattern")
        sets[rule.get("set")].append(r"\s+".join(re.escape(word) for word in rule.pattern.split()))
    return {name: re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I) for name, phrases in sets.items() if phrases}


@functools.cache
def phrase_sets(directory: Path | None = None) -> dict[str, re.Pattern]:
    """The phrase sets of the `review_periods.jsonl` in `directory` (default: the shipped lexicons), validated on
    load. A pipeline carries its own copy (the follow-up tagger's `review_phrases`), saved with it."""
    return compile_phrase_sets(load_rules(Path(directory or default_lexicon_dir()) / RULE_FILE, REVIEW_PERIOD_SCHEMA))


def keeps_monitoring(sentence: str, sets: dict[str, re.Pattern] | None = None) -> bool:
    """The sentence keeps the case open until a review, rather than closing it before one. `sets`: the phrase
    sets to use (default: the shipped ones)."""
    sets = phrase_sets() if sets is None else sets
    keeps, drops = sets.get("keeps_open"), sets.get("drops_review")
    return bool(keeps and keeps.search(sentence)) and not (drops and drops.search(sentence))


def due_date(sentence: str, written: dt.date | None) -> dt.date | None:
    """When the review the sentence sets falls, counted from the date the note was written; None if it names none."""
    if written is None:
        return None
    month = _MONTH_NAMED.search(sentence)
    if month is not None:
        number = _MONTHS[month.group(1)]
        year = written.year if number > written.month else written.year + 1
        return dt.date(year, number, 1)
    span = _SPAN.search(sentence)
    if span is not None:
        amount = int(span.group(1)) if span.group(1).isdigit() else _NUMBERS[span.group(1).lower()]
        if span.group(2).lower().startswith("week"):
            return written + dt.timedelta(weeks=amount)
        month_index = written.month - 1 + amount
        year, month_number = written.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month_number, min(written.day, calendar.monthrange(year, month_number)[1]))
    return None


def kept(sentence: str, written: dt.date | None, closures: list[dt.date],
         sets: dict[str, re.Pattern] | None = None) -> dt.date | None:
    """The review's due date if the sentence sets a review period that no later closure cut short, else None."""
    if not keeps_monitoring(sentence, sets):
        return None
    due = due_date(sentence, written)
    if due is None or any(closed < due for closed in closures):
        return None
    return due
