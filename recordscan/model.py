"""The flag classifier: features of a case and concern -> probability that it is mentioned but never followed up.

A scikit-learn Pipeline (DictVectorizer -> gradient-boosted trees, calibrated with Platt scaling) over the
auditor-style features of `cases.py`, with every feature also crossed with its concern so one model can weigh,
say, a failed action differently for fathers and for GPs. Trees replaced logistic regression at the fourteenth
stop: the features interact (a plan that is never done matters when the case closes; one mention without any
action means less when the tagger finds the concern only once), and leave-writer-batch-out cross-validation on
the development cases scored the trees about 0.008 macro flag F1 higher over two seeds. The flag
threshold is chosen on cross-validated predictions on the training (dev) data and stored with the model.

Saved models are a joblib file plus `metadata.json` and `manifest.json` (SHA-256 of every file).
`load_model` checks the hash before unpickling and refuses a file that does not match: a pickle runs code
when it is loaded, so an altered file must never be opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from .cases import FEATURE_NAMES, ConcernSummary
from .concepts import CONCERNS

MODEL_FILE = "flag_model.joblib"
METADATA_FILE = "metadata.json"
MANIFEST_FILE = "manifest.json"
SCHEMA_VERSION = 1


class ModelIntegrityError(RuntimeError):
    """A model file that does not match its manifest, or a model directory that is incomplete."""


def feature_dict(summary: ConcernSummary) -> dict[str, float]:
    row = {}
    for name in FEATURE_NAMES:
        value = float(summary.features.get(name, 0.0))
        row[name] = value
        row[f"{summary.concern}:{name}"] = value
    row[f"concern={summary.concern}"] = 1.0
    return row


def build_estimator(seed: int = 0, rounds: int = 200):
    """Boosted trees with `rounds` boosting iterations (the one setting `recordscan train` chooses), wrapped in
    sigmoid calibration so that `score` reads as a probability and the threshold sits near 0.5."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline

    base = HistGradientBoostingClassifier(max_iter=int(rounds), learning_rate=0.05, max_leaf_nodes=15,
                                          early_stopping=False, class_weight="balanced", random_state=seed)
    return Pipeline([
        ("vectorise", DictVectorizer(sparse=False)),
        ("classify", CalibratedClassifierCV(base, method="sigmoid", cv=3)),
    ])


@dataclass
class FlagModel:
    """A trained estimator, its flag threshold and its metadata."""

    estimator: object
    threshold: float
    metadata: dict = field(default_factory=dict)

    def score(self, summaries: dict[str, ConcernSummary]) -> dict[str, float]:
        """Probability of 'mentioned and never followed up' per concern; 0.0 for concerns not mentioned."""
        return self.score_cases([summaries])[0]

    def score_cases(self, cases: list[dict[str, ConcernSummary]]) -> list[dict[str, float]]:
        """`score` for many cases in one call: scikit-learn's per-call overhead is far larger than the
        arithmetic, so scan scores a batch of cases at once."""
        keys = [(i, c) for i, summaries in enumerate(cases) for c in CONCERNS if summaries[c].mentioned]
        probs = self.score_many([feature_dict(cases[i][c]) for i, c in keys])
        out = [dict.fromkeys(CONCERNS, 0.0) for _ in cases]
        for (i, c), p in zip(keys, probs):
            out[i][c] = float(p)
        return out

    def score_many(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        vectoriser = _dense_dict_vectoriser(self.estimator)
        if vectoriser is None:
            return self.estimator.predict_proba(rows)[:, 1]
        # The same matrix DictVectorizer.transform builds from numeric features, without its per-value type checks,
        # which took longer than the trees themselves.
        vocabulary = vectoriser.vocabulary_
        matrix = np.zeros((len(rows), len(vocabulary)), dtype=vectoriser.dtype)
        for i, row in enumerate(rows):
            for name, value in row.items():
                j = vocabulary.get(name)
                if j is not None:
                    matrix[i, j] = value
        return self.estimator[1:].predict_proba(matrix)[:, 1]


def _dense_dict_vectoriser(estimator):
    """The leading DictVectorizer of a Pipeline that makes dense matrices (as `build_estimator` does), else None."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline) and len(estimator.steps) > 1:
        first = estimator.steps[0][1]
        if isinstance(first, DictVectorizer) and not first.sparse:
            return first
    return None


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    import joblib
    import sklearn
    import spacy

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "spacy": spacy.__version__,
            "numpy": np.__version__, "joblib": joblib.__version__}


def save_model(model: FlagModel, directory: str | Path) -> None:
    import joblib

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump({"estimator": model.estimator, "threshold": model.threshold, "schema": SCHEMA_VERSION}, directory / MODEL_FILE)
    metadata = {**model.metadata, "threshold": model.threshold, "schema_version": SCHEMA_VERSION, "model_file": MODEL_FILE}
    (directory / METADATA_FILE).write_text(json.dumps(metadata, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    manifest = {"files": {name: sha256_file(directory / name) for name in (MODEL_FILE, METADATA_FILE)},
                "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def verify_model_dir(directory: str | Path) -> dict:
    """Check every file against the manifest; return the manifest. Raises ModelIntegrityError."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelIntegrityError(f"{directory}: no {MANIFEST_FILE}; refusing to load a model whose files cannot be checked")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected = manifest["files"]
    except (ValueError, KeyError, TypeError):
        raise ModelIntegrityError(f"{manifest_path}: not a valid manifest") from None
    for name in (MODEL_FILE, METADATA_FILE):
        path = directory / name
        if name not in expected:
            raise ModelIntegrityError(f"{manifest_path}: no checksum for {name}")
        if not path.is_file():
            raise ModelIntegrityError(f"{path}: missing")
        actual = sha256_file(path)
        if actual != expected[name]:
            raise ModelIntegrityError(f"{path}: SHA-256 {actual[:12]}... does not match the manifest ({expected[name][:12]}...); "
                                      f"the file has been changed or corrupted, refusing to load it")
    return manifest


def load_model(directory: str | Path) -> FlagModel:
    """Load a saved model after checking its SHA-256 against the manifest."""
    import joblib

    directory = Path(directory)
    verify_model_dir(directory)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    payload = joblib.load(directory / MODEL_FILE)
    if payload.get("schema") != SCHEMA_VERSION:
        raise ModelIntegrityError(f"{directory}: model schema {payload.get('schema')} is not {SCHEMA_VERSION}; retrain with this version")
    return FlagModel(payload["estimator"], float(payload["threshold"]), metadata)


def default_model_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("recordscan.resources.models")))


def threshold_curve(labels: Iterable[bool], scores: Iterable[float], concerns: Iterable[str]) -> dict[float, float]:
    """Macro F1 over concerns at every candidate threshold (0.05 to 0.95 in steps of 0.01)."""
    y = np.asarray(list(labels), dtype=bool)
    s = np.asarray(list(scores), dtype=float)
    c = np.asarray(list(concerns))
    curve = {}
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        f1s = []
        for concern in CONCERNS:
            mask = c == concern
            pred = s[mask] >= t
            tp = int((pred & y[mask]).sum())
            fp = int((pred & ~y[mask]).sum())
            fn = int((~pred & y[mask]).sum())
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        curve[float(t)] = float(np.mean(f1s))
    return curve


def best_threshold(labels: Iterable[bool], scores: Iterable[float], concerns: Iterable[str],
                   tolerance: float = 0.0) -> float:
    """The threshold nearest 0.5 among those whose macro F1 is within `tolerance` of the best.

    With tolerance 0 this is the threshold that maximises macro F1 (ties: nearest 0.5). Training passes one standard
    error of the cross-validated macro F1: the curve is flat near its top, and without a tolerance the chosen
    threshold swung between stops (0.37, then 0.58) on differences smaller than its own noise."""
    curve = threshold_curve(labels, scores, concerns)
    top = max(curve.values())
    eligible = [t for t, f1 in curve.items() if f1 >= top - tolerance - 1e-9]
    return min(eligible, key=lambda t: (abs(t - 0.5), t))
