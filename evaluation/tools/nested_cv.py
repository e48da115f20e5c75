"""Compare ways of choosing the classifier's number of boosting rounds, on development cases only.

Nested cross-validation: the outer folds are never used to choose anything. In each outer training part, every number of
rounds in the grid is cross-validated (inner folds) and a threshold chosen as `recordscan train` does; each selection rule
then picks its rounds, the model is fitted on the outer training part and flags the outer fold. The figures are the
outer folds' flag F1, so the rules are compared on cases none of their choices saw.

Usage: python evaluation/tools/nested_cv.py [--gold evaluation/corpus/dev] [--seeds 11 12]
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from recordscan.concepts import CONCERNS
from recordscan.evaluation.gold import load_gold
from recordscan.model import build_estimator
from recordscan.pipeline import build_pipeline
from recordscan.training import _flag_f1, best_rounds, case_rows, one_standard_error_rounds, scores_by_rounds

RULES = {"best cross-validated rounds": lambda rows, by_rounds: best_rounds(by_rounds),
         "one-standard-error rounds": lambda rows, by_rounds: one_standard_error_rounds(rows, by_rounds, 0)}


def outer_predictions(rows: list[dict], seed: int, folds: int) -> dict[str, list[bool]]:
    """Outer-fold flags of every selection rule (and the transparent rules) for every row."""
    y = np.array([r["gold_flag"] for r in rows])
    preds = {name: [False] * len(rows) for name in [*RULES, "transparent rules"]}
    for train_idx, test_idx in StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(rows, y, [r["case_id"] for r in rows]):
        train = [rows[i] for i in train_idx]
        by_rounds = scores_by_rounds(train, 0, folds)
        usable = [r for r in train if r["mentioned"]]
        for name, rule in RULES.items():
            n = rule(train, by_rounds)
            estimator = build_estimator(0, n).fit([r["features"] for r in usable], np.array([r["gold_flag"] for r in usable]))
            scored = [i for i in test_idx if rows[i]["mentioned"]]
            for i, p in zip(scored, estimator.predict_proba([rows[i]["features"] for i in scored])[:, 1]):
                preds[name][i] = bool(p >= by_rounds[n][1])
        for i in test_idx:
            preds["transparent rules"][i] = bool(rows[i]["rule_flag"])
    return preds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default="evaluation/corpus/dev")
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = case_rows(build_pipeline(), load_gold(args.gold))
    totals: dict[str, list[dict]] = {}
    for seed in args.seeds:
        for name, flags in outer_predictions(rows, seed, args.folds).items():
            totals.setdefault(name, []).append(_flag_f1(rows, flags))
    print(f"{'outer-fold flag F1':28s}" + "".join(f"{c[:12]:>14s}" for c in [*CONCERNS, "macro"]))
    for name, scores in totals.items():
        print(f"{name:28s}" + "".join(f"{np.mean([s[c] for s in scores]):14.4f}" for c in [*CONCERNS, "macro"]))


if __name__ == "__main__":
    main()
