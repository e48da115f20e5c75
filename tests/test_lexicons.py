"""Rule files are validated on load, and every error names the file and line."""

from __future__ import annotations

import json
import shutil

import pytest

from recordscan.components.rule_matcher import expand_pattern
from recordscan.lexicons import CONCEPT_SCHEMA, CONTEXT_SCHEMA, FOLLOWUP_SCHEMA, LexiconError, default_lexicon_dir, lexicon_hash, load_rules


def write(tmp_path, lines):
    path = tmp_path / "rules.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_repeated_rule_is_rejected_with_both_lines(tmp_path):
    path = write(tmp_path, ['{"pattern": "low mood", "kind": "symptom"}', '{"pattern": "flat affect"}',
                            '{"pattern": "low mood", "kind": "symptom", "comment": "again"}'])
    with pytest.raises(LexiconError, match=r"rules.jsonl:3: duplicate of the rule on line 1"):
        load_rules(path, CONCEPT_SCHEMA)


@pytest.mark.parametrize("line,schema,message", [
    ('{"pattern": "low mood", "colour": "red"}', CONCEPT_SCHEMA, "unknown key(s) ['colour']"),
    ('{"pattern": [{"LOWR": "low"}]}', CONCEPT_SCHEMA, "bad token pattern"),
    ('{"pattern": [{"LOWER": "low", "OP": "!!"}]}', CONCEPT_SCHEMA, "bad token pattern"),
    ('{"pattern": ""}', CONCEPT_SCHEMA, "empty string"),
    ('{"pattern": 42}', CONCEPT_SCHEMA, "phrase string or a non-empty list"),
    ('{"pattern": "low mood", "kind": "feeling"}', CONCEPT_SCHEMA, "kind='feeling' is not one of"),
    ('not json', CONCEPT_SCHEMA, "not valid JSON"),
    ('["a list"]', CONCEPT_SCHEMA, "must be a JSON object"),
    ('{"pattern": "no", "category": "NEGATED"}', CONTEXT_SCHEMA, "missing key(s) ['direction']"),
    ('{"pattern": "no", "category": "NEGATIVE", "direction": "forward"}', CONTEXT_SCHEMA, "category='NEGATIVE'"),
    ('{"pattern": "no", "category": "NEGATED", "direction": "forward", "labels": ["MUM_MOOD"]}', CONTEXT_SCHEMA, "unknown value(s) ['MUM_MOOD']"),
    ('{"pattern": "no", "category": "NEGATED", "direction": "forward", "max_scope": 0}', CONTEXT_SCHEMA, "positive integer"),
    ('{"pattern": "rang", "action": "contact", "kind": "done", "concerns": ["gp_contact"]}', FOLLOWUP_SCHEMA, "kind='done'"),
    ('{"pattern": "rang", "action": "contact", "kind": "completed", "concerns": []}', FOLLOWUP_SCHEMA, "non-empty list"),
    ('{"pattern": "surgery", "left": "name"}', CONCEPT_SCHEMA, "left='name'"),
    ('{"pattern": "sent", "not_preceded_by": "was"}', CONCEPT_SCHEMA, "not_preceded_by must be a non-empty list"),
    ('{"pattern": "each time", "action": "review", "kind": "completed", "concerns": ["over_optimism"], "needs_words": []}',
     FOLLOWUP_SCHEMA, "needs_words must be a non-empty list"),
    ('{"pattern": "low mood", "needs_words": ["visits"]}', CONCEPT_SCHEMA, "unknown key(s) ['needs_words']"),
])
def test_bad_rule_names_file_and_line(tmp_path, line, schema, message):
    path = write(tmp_path, ["# a comment", '{"pattern": "fine"}' if schema is CONCEPT_SCHEMA else "", line])
    with pytest.raises(LexiconError) as err:
        load_rules(path, schema)
    assert f"{path}:3:" in str(err.value)
    assert message in str(err.value)


def test_pipeline_refuses_a_lexicon_directory_with_a_bad_pattern(tmp_path):
    from recordscan.pipeline import build_pipeline

    copy = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), copy)
    target = copy / "concepts" / "gp_contact.jsonl"
    lines = target.read_text().splitlines()
    lines.append(json.dumps({"pattern": [{"TEXTT": "GP"}]}))
    target.write_text("\n".join(lines) + "\n")
    with pytest.raises(LexiconError, match=f"gp_contact.jsonl:{len(lines)}:"):
        build_pipeline(copy)


def test_bad_lexicon_through_the_cli_is_one_line(tmp_path, sample_export):
    from typer.testing import CliRunner

    from recordscan.cli import app

    copy = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), copy)
    (copy / "people.jsonl").write_text('{"pattern": "mum", "role": "MUMMY"}\n')
    result = CliRunner().invoke(app, ["scan", str(sample_export), "--out", str(tmp_path / "o"), "--lexicons", str(copy), "--rules-only"])
    assert result.exit_code == 2
    assert "people.jsonl:1:" in result.output and "Traceback" not in result.output


def test_shipped_lexicons_load_and_hash_is_stable():
    from recordscan.pipeline import build_pipeline

    build_pipeline()
    assert lexicon_hash() == lexicon_hash()
    assert len(lexicon_hash()) == 64


@pytest.mark.parametrize("pattern,phrases", [
    ([{"LOWER": "low"}, {"LOWER": "mood"}], [("low", "mood")]),
    ([{"LOWER": {"IN": ["feels", "felt"]}}, {"LOWER": "very", "OP": "?"}, {"LOWER": "low"}],
     [("feels", "low"), ("feels", "very", "low"), ("felt", "low"), ("felt", "very", "low")]),
    ([{"LOWER": "gp"}, {"ORTH": "(", "OP": "*"}], [("gp",), ("gp", "(")]),
    ([{"SHAPE": "dddd"}], None),  # not expandable: goes to spaCy's Matcher
    ([{"LOWER": {"NOT_IN": ["a"]}}], None),
])
def test_token_patterns_expand_to_phrases(pattern, phrases):
    assert expand_pattern(pattern) == phrases


def test_a_pattern_word_the_tokenizer_splits_still_matches():
    """Note text has "cannot" as "can not" and "Co-op" as "Co - op": a pattern written with the whole word matches it."""
    import spacy

    from recordscan.components.rule_matcher import RuleMatcher
    from recordscan.lexicons import Rule

    nlp = spacy.blank("en")
    rules = [Rule([{"LOWER": {"IN": ["cannot", "can't"]}}, {"LOWER": "be"}], {}, "test:1"), Rule([{"LOWER": "co-op"}], {}, "test:2")]
    matcher = RuleMatcher(nlp, rules, "test_split_words")
    doc = nlp.make_doc("We cannot be sure; she can't be sure either. She works at the Co-op.")
    assert [doc[s:e].text for _, s, e in matcher(doc)] == ["cannot be", "can't be", "Co-op"]


def test_unexpandable_patterns_still_match():
    """A user lexicon may use any spaCy token pattern; it goes through the (slower) Matcher."""
    import spacy

    from recordscan.components.rule_matcher import RuleMatcher
    from recordscan.lexicons import Rule

    nlp = spacy.blank("en")  # its own shared matcher, so the slow pattern does not leak into other tests
    matcher = RuleMatcher(nlp, [Rule([{"SHAPE": "dddd"}], {}, "test:1")], "test_slow_path")
    doc = nlp.make_doc("Seen in 2019 and 2020.")
    assert [doc[s:e].text for _, s, e in matcher(doc)] == ["2019", "2020"]


@pytest.mark.parametrize("pattern", [
    [{"IS_ALPHA": True}, {"LOWER": {"IN": ["'s", "’s"]}}, {"LOWER": "mood"}],  # anchor after a broad token
    [{"LOWER": "should"}, {"IS_TITLE": True, "OP": "+"}, {"IS_LOWER": True, "IS_STOP": False}],  # `+` after the anchor
    [{"LOWER": "took"}, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": ["tablets", "pills"]}}],
    [{"ORTH": {"IN": ["-", "–"]}, "SPACY": True}],  # a one-token pattern
    [{"LOWER": "should"}, {"IS_ALPHA": True, "OP": "{0,5}"}, {"LOWER": "visit"}],  # spaCy's {n,m}: the window must reach 5 on
])
def test_slow_patterns_run_around_their_anchors_find_what_the_whole_doc_matcher_finds(pattern):
    """Slow patterns run only on windows around their anchor words; that must not lose or move any match,
    including matches at the very start or end of the note."""
    import spacy
    from spacy.matcher import Matcher

    from recordscan.components.rule_matcher import RuleMatcher
    from recordscan.lexicons import Rule

    nlp = spacy.blank("en")
    windowed = RuleMatcher(nlp, [Rule(pattern, {}, "test:1")], "test_anchor_windows")
    whole = Matcher(nlp.vocab)
    whole.add("x", [pattern])
    text = ("Mum's mood was low - she took 2 tablets. If Dad should Ring Back tomorrow we will visit - "
            "Should Sam Agree happily? She took pills and Kim's mood dipped -")
    doc = nlp.make_doc(text)
    expected = sorted({(s, e) for _, s, e in whole(doc)})
    assert expected, "the text must exercise the pattern"
    assert sorted({(s, e) for _, s, e in windowed(doc)}) == expected


def _lexicons_without(tmp_path, file_name, dropped_line):
    """A copy of the shipped lexicons with one line of one file left out."""
    copy = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), copy)
    target = copy / file_name
    lines = target.read_text(encoding="utf-8").splitlines()
    assert dropped_line in lines
    target.write_text("\n".join(line for line in lines if line != dropped_line) + "\n", encoding="utf-8")
    return copy


def test_a_context_word_the_tokenizer_splits_is_refused_with_file_and_line(tmp_path):
    """A set of single words tested token by token could never hold 'non-attendance' (three tokens): refused on load."""
    from recordscan.pipeline import build_pipeline

    copy = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), copy)
    target = copy / "context_words.jsonl"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines.append(json.dumps({"pattern": "non-attendance", "set": "childs_presentation"}))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=f"context_words.jsonl:{len(lines)}: 'non-attendance' is more than one token"):
        build_pipeline(copy)


def test_a_context_word_set_must_be_known(tmp_path):
    from recordscan.lexicons import CONTEXT_WORD_SCHEMA

    path = write(tmp_path, ['{"pattern": "lovely", "set": "praise"}', '{"pattern": "grand", "set": "praises"}'])
    with pytest.raises(LexiconError, match=r"rules.jsonl:2: set='praises' is not one of"):
        load_rules(path, CONTEXT_WORD_SCHEMA)


def test_context_words_are_data_and_travel_with_the_pipeline(tmp_path):
    """'spotless' in the praise set is what lets "the house spotless" go on with "doing so well": a pipeline built
    without it finds no second clause, also once saved and loaded without its lexicon directory, and also when case
    assembly re-reads the note after learning who Kerry is."""
    from recordscan.analyse import analyse_cases
    from recordscan.extensions import MENTIONS
    from recordscan.pipeline import build_pipeline, load_pipeline, save_pipeline
    from recordscan.tagging import Note

    text = "Kerry is doing so well, the house spotless."
    continued = lambda doc: [s.text for s in doc.spans[MENTIONS] if s.kb_id_ == "continuation"]  # noqa: E731
    assert continued(build_pipeline()(text)) == ["the house spotless"]
    lexicons = _lexicons_without(tmp_path, "context_words.jsonl", '{"pattern": "spotless", "set": "praise"}')
    save_pipeline(build_pipeline(lexicons), tmp_path / "pipeline")
    shutil.rmtree(lexicons)
    loaded = load_pipeline(tmp_path / "pipeline")
    assert continued(loaded(text)) == []
    notes = [Note("T", "T-01", None, "Kerry (mum) and Maisie seen at home."), Note("T", "T-02", None, text)]
    for nlp, expected in ((build_pipeline(), ["the house spotless"]), (loaded, [])):
        second = next(analyse_cases(nlp, [notes])).case.notes[1]
        assert [m.text for m in second.mentions if m.label == "OVER_OPTIMISM" and m.start > 20] == expected
