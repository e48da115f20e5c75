"""The library's main loop: notes of a case -> tagged, resolved, summarised and (optionally) scored.

`scan` (files), `evaluate` (gold files) and `train` all call `analyse_cases`, so they never disagree about
what a case means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.language import Language

from .case_resolver import FOLLOWUP_COMPONENT, CaseResult, order_notes, resolve_case
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


#: Cases resolved before the classifier scores them together (bounded, so memory stays flat).
SCORE_BATCH = 256


def analyse_cases(nlp: Language, cases: Iterable[list[Note]], model=None, batch_size: int = 256) -> Iterator[CaseAnalysis]:
    """Analyse cases given as lists of notes, in the order given. Notes of one case are tagged together in one
    nlp.pipe stream; with a model, up to SCORE_BATCH resolved cases are scored in one call."""
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

    pending: list[CaseResult] = []
    # Follow-ups are tagged once per note in resolve_case, after the case has settled who everyone is; tagging
    # them in nlp.pipe too would do the work twice for every note the case re-reads.
    deferred = [FOLLOWUP_COMPONENT] if FOLLOWUP_COMPONENT in nlp.pipe_names else []
    for note, doc in tag_notes(nlp, notes_only(), batch_size=batch_size, disable=deferred):
        current.append((note, doc))
        if flags.pop(0):
            pending.append(resolve_case(nlp, current, followups_tagged=not deferred))
            current = []
            if model is None or len(pending) >= SCORE_BATCH:
                yield from decide_many(pending, model)
                pending = []
    yield from decide_many(pending, model)


def decide(case: CaseResult, model=None) -> CaseAnalysis:
    return decide_many([case], model)[0]


def decide_many(cases: list[CaseResult], model=None) -> list[CaseAnalysis]:
    """Summaries and decisions for resolved cases: the classifier's when a model is given, else the rules'."""
    all_summaries = [summarise_case(case) for case in cases]
    if model is None:
        return [CaseAnalysis(case, summaries, {
            c: ConcernDecision(c, s.mentioned, s.mentioned and s.rule_followed_up, s.rule_flag, float(s.rule_flag), "rules")
            for c, s in summaries.items()}) for case, summaries in zip(cases, all_summaries)]
    out = []
    for case, summaries, scores in zip(cases, all_summaries, model.score_cases(all_summaries)):
        decisions = {
            c: ConcernDecision(c, s.mentioned, s.mentioned and scores[c] < model.threshold, s.mentioned and scores[c] >= model.threshold,
                               scores[c] if s.mentioned else 0.0, "model")
            for c, s in summaries.items()
        }
        out.append(CaseAnalysis(case, summaries, decisions))
    return out


__all__ = ["CaseAnalysis", "ConcernDecision", "analyse_cases", "decide", "decide_many", "CONCERNS"]
