"""Compare the shipped flag classifier with logistic regression, on development cases only.

Why: the fourteenth stop replaced logistic regression with gradient-boosted trees. This re-runs the comparison that
choice rested on. Folds leave out whole writers' batches (the letters of the case ids), so every fold is scored on
wording its model never saw, the nearest thing to files written by other hands that the development cases allow.
For each estimator, the threshold is chosen on the out-of-fold scores as `recordscan train` does.

Usage: python evaluation/tools/compare_estimators.py [--gold evaluation/corpus/dev] [--seeds 0 1]
"""

from __future__ import annotations

import argparse
import re

import numpy as np

from recordscan.concepts import CONCERNS
from recordscan.evaluation.gold import load_gold
from recordscan.model import build_estimator
from recordscan.pipeline import build_pipeline
from recordscan.training import case_rows, cross_validate, flag_f1_at_best_threshold


def logistic_regression(seed: int):
    """The classifier shipped until the thirteenth stop: scaled features, balanced logistic regression (C=1.0)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    base = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=seed)
    return Pipeline([("vectorise", DictVectorizer(sparse=False)), ("scale", StandardScaler()),
                     ("classify", CalibratedClassifierCV(base, method="sigmoid", cv=3))])


ESTIMATORS = {"logistic regression": logistic_regression, "boosted trees (shipped)": lambda seed: build_estimator(seed)}


def leave_batches_out(rows: list[dict], make, seed: int, folds: int) -> dict:
    """Flag F1 of out-of-fold predictions, folds grouped by writer batch."""
    batch_of = lambda row: re.match(r"[A-Z]+", row["case_id"]).group(0)  # noqa: E731
    scores = cross_validate(rows, seed, folds, make_estimator=make, group_of=batch_of)
    return flag_f1_at_best_threshold(rows, scores)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default="evaluation/corpus/dev")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = case_rows(build_pipeline(), load_gold(args.gold))
    print(f"{'leave-batches-out flag F1':28s}" + "".join(f"{c[:12]:>14s}" for c in [*CONCERNS, "macro"]))
    for name, make in ESTIMATORS.items():
        results = [leave_batches_out(rows, make, seed, args.folds) for seed in args.seeds]
        print(f"{name:28s}" + "".join(f"{np.mean([r[c] for r in results]):14.4f}" for c in [*CONCERNS, "macro"]))


if __name__ == "__main__":
    main()
