"""Run recordscan over gold cases and line predictions up with the gold, as DataFrames."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from spacy.language import Language

from ..analyse import CaseAnalysis, analyse_cases
from ..concepts import CONCERNS
from .gold import GoldCase

MENTION_COLUMNS = ["case_id", "note_id", "label", "start", "end", "text", "status"]


def gold_mentions(cases: list[GoldCase]) -> pd.DataFrame:
    rows = [{"case_id": c.case_id, "note_id": m.note_id, "label": m.label, "start": m.start, "end": m.end, "text": m.text, "status": m.status}
            for c in cases for m in c.mentions]
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def predicted_mentions(analyses: list[CaseAnalysis]) -> pd.DataFrame:
    rows = [m.as_dict() for a in analyses for res in a.case.notes for m in res.mentions]
    return pd.DataFrame(rows, columns=MENTION_COLUMNS + ["reason"]) if rows else pd.DataFrame(columns=MENTION_COLUMNS + ["reason"])


def case_table(cases: list[GoldCase], analyses: list[CaseAnalysis]) -> pd.DataFrame:
    """One row per case and concern: gold and predicted mentioned/followed_up/flag and the score."""
    by_id = {a.case.case_id: a for a in analyses}
    rows = []
    for c in cases:
        a = by_id.get(c.case_id)
        for concern in CONCERNS:
            g = c.gold[concern]
            d = a.decisions[concern] if a else None
            rows.append({
                "case_id": c.case_id, "concern": concern,
                "gold_mentioned": g.mentioned, "gold_followed_up": g.followed_up, "gold_flag": g.flag,
                "pred_mentioned": bool(d and d.mentioned), "pred_followed_up": bool(d and d.followed_up),
                "pred_flag": bool(d and d.flag), "score": float(d.score) if d else 0.0,
                "gold_followup_note_ids": list(g.followup_note_ids),
                "pred_evidence_note_ids": a.summaries[concern].evidence_note_ids() if a else [],
            })
    return pd.DataFrame(rows)


@dataclass
class Predictions:
    cases: list[GoldCase]
    analyses: list[CaseAnalysis]
    gold_mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    pred_mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    case_table: pd.DataFrame = field(default_factory=pd.DataFrame)


def predict(nlp: Language, cases: list[GoldCase], model=None) -> Predictions:
    analyses = list(analyse_cases(nlp, ([n for n in c.notes] for c in cases), model=model))
    return Predictions(cases, analyses, gold_mentions(cases), predicted_mentions(analyses), case_table(cases, analyses))
