"""Inter-annotator agreement between two annotators' gold files over the same cases.

The gold standard is only as good as the annotators agree: if two trained people disagree on whether a
concern was followed up in a fifth of cases, the tool cannot be expected to do better, and the places where
they disagree are where SCHEME.md needs sharper wording. This module measures agreement at the two levels
the tool is scored at: case decisions (mentioned, followed_up, flag per concern; Cohen's kappa) and mention
spans (span F1 treating annotator A as the reference, which is symmetric in F1, plus kappa on the statuses
of the spans both annotators marked).

Only cases present in both files are compared; the counts of cases in only one file are reported so a
partly double-annotated batch is not mistaken for a complete one.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Sequence

import numpy as np
import pandas as pd

from ..concepts import CONCERNS, LABELS
from .gold import GoldCase
from .metrics import PRF, match_mentions, mention_prf
from .runner import gold_mentions

CASE_FIELDS = ("mentioned", "followed_up", "flag")


def _plain(value: Hashable) -> Hashable:
    return bool(value) if isinstance(value, (bool, np.bool_)) else value


def cohens_kappa(a: Sequence[bool | str], b: Sequence[bool | str]) -> float:
    """Cohen's kappa of two raters' labels for the same items: (p_o - p_e) / (1 - p_e).

    p_o is the share of items with the same label, p_e the agreement expected by chance from each rater's
    label frequencies. When p_e == 1 (both raters used one and the same label throughout) kappa is
    undefined; we return 1.0 if the raters agree on every item (always so in that case) and 0.0 otherwise.
    NaN for no items; ValueError when the sequences differ in length.
    """
    a, b = [_plain(x) for x in a], [_plain(x) for x in b]
    if len(a) != len(b):
        raise ValueError(f"cohens_kappa needs two sequences of the same length, got {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if np.isclose(expected, 1.0):
        return 1.0 if np.isclose(observed, 1.0) else 0.0
    return float((observed - expected) / (1 - expected))


def _by_id(cases: list[GoldCase], side: str) -> dict[str, GoldCase]:
    out: dict[str, GoldCase] = {}
    for c in cases:
        if c.case_id in out:
            raise ValueError(f"annotator {side}: case {c.case_id} appears twice")
        out[c.case_id] = c
    return out


def _split(cases_a: list[GoldCase], cases_b: list[GoldCase]) -> tuple[list[str], list[str], list[str], dict, dict]:
    a, b = _by_id(cases_a, "A"), _by_id(cases_b, "B")
    shared = [cid for cid in a if cid in b]
    return shared, [cid for cid in a if cid not in b], [cid for cid in b if cid not in a], a, b


def case_agreement(cases_a: list[GoldCase], cases_b: list[GoldCase]) -> pd.DataFrame:
    """Per concern and field (mentioned, followed_up, flag): n, positives per side, observed agreement, kappa.

    Computed over the cases in both lists; columns only_in_a / only_in_b count the cases left out.
    """
    shared, only_a, only_b, a, b = _split(cases_a, cases_b)
    rows = []
    for concern in CONCERNS:
        for field in CASE_FIELDS:
            va = [bool(getattr(a[cid].gold[concern], field)) for cid in shared]
            vb = [bool(getattr(b[cid].gold[concern], field)) for cid in shared]
            n = len(shared)
            rows.append({
                "concern": concern, "field": field, "n": n, "a_true": sum(va), "b_true": sum(vb),
                "observed": sum(x == y for x, y in zip(va, vb)) / n if n else float("nan"),
                "kappa": cohens_kappa(va, vb), "only_in_a": len(only_a), "only_in_b": len(only_b),
            })
    return pd.DataFrame(rows)


def span_agreement(cases_a: list[GoldCase], cases_b: list[GoldCase]) -> pd.DataFrame:
    """Per label (and "ALL", pooled) span agreement over shared cases, A as reference.

    Strict (identical offsets) and lenient (overlap) precision/recall/F1 from metrics.mention_prf, and for
    the lenient-matched spans (each A span with its largest-overlap B span) the observed status agreement
    and Cohen's kappa of the statuses.
    """
    shared, _, _, a, b = _split(cases_a, cases_b)
    ma = gold_mentions([a[cid] for cid in shared])
    mb = gold_mentions([b[cid] for cid in shared])
    strict = mention_prf(ma, mb, strict=True).set_index("label")
    lenient = mention_prf(ma, mb, strict=False).set_index("label")
    matched = match_mentions(ma.reset_index(drop=True), mb.reset_index(drop=True))
    matched = matched[matched.pred_index >= 0]
    rows = []
    for label in [*LABELS, "ALL"]:
        labels = list(LABELS) if label == "ALL" else [label]
        row = {"label": label, "n_a": int(ma.label.isin(labels).sum()), "n_b": int(mb.label.isin(labels).sum())}
        for name, table in (("strict", strict), ("lenient", lenient)):
            sub = table.loc[labels]
            prf = PRF(int(sub.tp.sum()), int(sub.fp.sum()), int(sub.fn.sum()))
            row.update({f"{name}_{k}": v for k, v in prf.as_dict().items()})
        pairs = matched[matched.label.isin(labels)]
        row["status_pairs"] = len(pairs)
        row["status_observed"] = float((pairs.status == pairs.pred_status).mean()) if len(pairs) else float("nan")
        row["status_kappa"] = cohens_kappa(list(pairs.status), list(pairs.pred_status))
        rows.append(row)
    return pd.DataFrame(rows)


def agreement_report(cases_a: list[GoldCase], cases_b: list[GoldCase]) -> dict:
    """Case and span agreement together, with the case ids in only one file and notes whose text differs.

    Span offsets are only comparable when both annotators saw the same note text, so notes of shared cases
    whose text differs (or that one side lacks) are listed as (case_id, note_id).
    """
    shared, only_a, only_b, a, b = _split(cases_a, cases_b)
    differing = []
    for cid in shared:
        texts_a = {n.note_id: n.text for n in a[cid].notes}
        texts_b = {n.note_id: n.text for n in b[cid].notes}
        for nid in dict.fromkeys([*texts_a, *texts_b]):
            if texts_a.get(nid) != texts_b.get(nid):
                differing.append((cid, nid))
    return {
        "n_shared": len(shared), "only_in_a": only_a, "only_in_b": only_b, "notes_text_differs": differing,
        "cases": case_agreement(cases_a, cases_b), "spans": span_agreement(cases_a, cases_b),
    }
