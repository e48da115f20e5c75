"""The library's main loop: notes of a case -> tagged, resolved, summarised and (optionally) scored.

`scan` (files), `evaluate` (gold files) and the Spark job all call `analyse_case`/`analyse_cases`, so the
three never disagree about what a case means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.language import Language

from .case_resolver import CaseResult, order_notes, resolve_case
from .cases import ConcernSummary, summarise_case
from .concepts import CONCERNS
from .tagging import Note, tag_notes


@dataclass
class ConcernDecision:
    concern: str
    mentioned: bool
    followed_up: bool
    flag: bool
    score: float
    source: str  # "model" or "rules"


@dataclass
class CaseAnalysis:
    case: CaseResult
    summaries: dict[str, ConcernSummary]
    decisions: dict[str, ConcernDecision]


def analyse_cases(nlp: Language, cases: Iterable[list[Note]], model=None, batch_size: int = 256) -> Iterator[CaseAnalysis]:
    """Analyse cases given as lists of notes. Notes of one case are tagged together in one nlp.pipe stream."""
    def all_notes():
        for notes in cases:
            ordered = order_notes(notes)
            for i, note in enumerate(ordered):
                yield (note, i == len(ordered) - 1)

    current: list = []
    stream = all_notes()
    flags = []

    def notes_only():
        for note, last in stream:
            flags.append(last)
            yield note

    for note, doc in tag_notes(nlp, notes_only(), batch_size=batch_size):
        current.append((note, doc))
        if flags.pop(0):
            yield decide(resolve_case(nlp, current), model)
            current = []


def decide(case: CaseResult, model=None) -> CaseAnalysis:
    summaries = summarise_case(case)
    if model is not None:
        scores = model.score(summaries)
        decisions = {
            c: ConcernDecision(c, s.mentioned, s.mentioned and scores[c] < model.threshold, s.mentioned and scores[c] >= model.threshold,
                               scores[c] if s.mentioned else 0.0, "model")
            for c, s in summaries.items()
        }
    else:
        decisions = {
            c: ConcernDecision(c, s.mentioned, s.mentioned and s.rule_followed_up, s.rule_flag, float(s.rule_flag), "rules")
            for c, s in summaries.items()
        }
    return CaseAnalysis(case, summaries, decisions)


__all__ = ["CaseAnalysis", "ConcernDecision", "analyse_cases", "decide", "CONCERNS"]
