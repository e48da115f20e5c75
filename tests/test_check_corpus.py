"""The annotators' checker (evaluation/tools/check_corpus.py): offsets that do not cut out the span are errors."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _checker():
    spec = importlib.util.spec_from_file_location("check_corpus", ROOT / "evaluation" / "tools" / "check_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _errors(case: dict) -> list[str]:
    errors: list[str] = []
    _checker().check_case(case, errors, [])
    return errors


def _first_dev_case() -> dict:
    """The first case of batch S, the batch writers are shown as the format with offsets."""
    path = ROOT / "evaluation" / "corpus" / "dev" / "batch_S.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return (data["cases"] if isinstance(data, dict) else data)[0]


def test_a_corpus_case_passes_and_a_shifted_offset_fails():
    case = _first_dev_case()
    assert _errors(case) == []
    for key in ("mentions", "followups"):
        broken = copy.deepcopy(case)
        with_offsets = [a for a in broken[key] if "start" in a]
        assert with_offsets, f"the first dev case has {key} with offsets"
        with_offsets[0]["start"] += 1
        assert any("start/end" in e for e in _errors(broken)), key


def test_offsets_must_be_integers():
    case = copy.deepcopy(_first_dev_case())
    mention = next(m for m in case["mentions"] if "start" in m)
    mention["end"] = str(mention["end"])
    assert any("must both be integers" in e for e in _errors(case))
