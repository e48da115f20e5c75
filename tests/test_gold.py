"""The SCHEME.md gold loader: offsets resolved, malformed files named precisely, round trip."""

from __future__ import annotations

import json

import pytest

from recordscan.evaluation.gold import GoldFormatError, case_to_json, load_gold, parse_case, write_gold


def base_case(**changes):
    case = {
        "case_id": "G-1",
        "notes": [{"note_id": "G-1-01", "date": "2024-01-02", "text": "Mum has low mood. Later, low mood again; dad seen."}],
        "gold": {c: {"mentioned": False, "followed_up": False, "followup_note_ids": []}
                 for c in ("maternal_mental_health", "father_involvement", "gp_contact", "over_optimism")},
        "mentions": [{"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "affirmed"},
                     {"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "affirmed"}],
    }
    case.update(changes)
    return case


def test_repeated_text_resolves_to_successive_occurrences():
    case = parse_case(base_case())
    assert [(m.start, m.end) for m in case.mentions] == [(8, 16), (25, 33)]


@pytest.mark.parametrize("mention,message", [
    ({"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "sad", "status": "affirmed"}, "not a substring"),
    ({"note_id": "G-1-01", "label": "MUM_MOOD", "text": "low mood", "status": "affirmed"}, "unknown label 'MUM_MOOD'"),
    ({"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "maybe"}, "unknown status 'maybe'"),
    ({"note_id": "G-1-09", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "affirmed"}, "note_id not in the case"),
    ({"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "affirmed", "start": 0, "end": 8},
     "does not match the note at 0-8"),
    ({"note_id": "G-1-01", "label": "MATERNAL_MENTAL_HEALTH", "text": "low mood", "status": "affirmed", "start": 40, "end": 400},
     "outside the note"),
])
def test_malformed_annotation_names_case_note_and_annotation(mention, message):
    with pytest.raises(GoldFormatError) as err:
        parse_case(base_case(mentions=[mention]), "gold.json")
    text = str(err.value)
    assert "gold.json: case G-1" in text and f"note {mention['note_id']}" in text and "mention 0" in text and message in text


def test_listed_more_often_than_it_occurs():
    mentions = [{"note_id": "G-1-01", "label": "FATHER_INVOLVEMENT", "text": "dad", "status": "affirmed"}] * 2
    with pytest.raises(GoldFormatError, match="listed 2 times but occurs only 1"):
        parse_case(base_case(mentions=mentions))


def test_unreadable_and_non_json_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(GoldFormatError, match="not valid JSON"):
        load_gold(bad)
    bad.write_text(json.dumps({"items": []}))
    with pytest.raises(GoldFormatError, match="'cases' list"):
        load_gold(bad)


def test_round_trip_keeps_everything(tmp_path, dev_corpus_dir):
    cases = load_gold(dev_corpus_dir / "batch_A.json")
    write_gold(cases, tmp_path / "copy.json")
    again = load_gold(tmp_path / "copy.json")
    assert [case_to_json(c) for c in cases] == [case_to_json(c) for c in again]


def test_cli_reports_malformed_gold_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from recordscan.cli import app

    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"cases": [base_case(mentions=[{"note_id": "G-1-01", "label": "X", "text": "low mood", "status": "affirmed"}])]}))
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(path), "--rules-only"])
    assert result.exit_code == 2
    assert "case G-1" in result.output and "unknown label 'X'" in result.output and "Traceback" not in result.output
