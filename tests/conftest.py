"""Shared fixtures: one spaCy pipeline per test session (building it takes about a second)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT.parent / "shared" / "calibration" / "sample_cases.json"

try:  # hypothesis profiles: CI runs the default; `HYPOTHESIS_PROFILE=thorough` runs 10,000 examples
    from hypothesis import HealthCheck, settings

    settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("thorough", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # pragma: no cover - hypothesis is a test extra
    pass


@pytest.fixture(scope="session")
def nlp():
    from recordscan.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def dev_corpus_dir() -> Path:
    return ROOT / "evaluation" / "corpus" / "dev"


@pytest.fixture(scope="session")
def sample_export() -> Path:
    return ROOT / "evaluation" / "sample" / "export.csv"
