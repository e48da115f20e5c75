"""Export/import of gold cases in annotation-tool formats (recordscan.evaluation.formats).

Equality of cases is `case_to_json` equality after `canonical_order` (mentions and follow-ups sorted by note
position, start, end, label, status): importers always return that order, because the tools do not keep the
order in which annotations were listed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from recordscan.concepts import LABELS, STATUSES
from recordscan.evaluation.formats import (
    BRAT_METADATA,
    FORMATS,
    canonical_order,
    export_cases,
    import_cases,
    labelstudio_config,
)
from recordscan.evaluation.gold import GoldCase, GoldFormatError, case_to_json, load_gold, parse_case

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILE = ROOT / "evaluation" / "corpus" / "dev" / "batch_A.json"
IMPORTABLE = [f for f in FORMATS if f != "docbin"]
SUFFIX = {"scheme": "json", "doccano": "jsonl", "labelstudio": "json", "prodigy": "jsonl", "brat": None, "docbin": "spacy"}

NOTE1_ID = "T/1:01 *?"  # unsafe for file names
NOTE1 = (
    "Low mood reported; mum's HV says a history of low\nmood in 2019.\n"
    "Dad\t(Mr O'Neil) &amp; &lt;partner&gt; \u2014 café ☕ 🙂 visit.\r\n"
    "GP: Dr Ngozi Ádé\u2028line sep\xa0nbsp; no concerns re mum's mental health. "
    "If dad's mood dips he will see his GP. MGM has depression. Mum is doing really well"
)
NOTE2 = "Follow-up: SW phoned GP re mum's low mood; GP reply received.\nDad seen at home."


def _span(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(sub, pos + 1)
    return pos, pos + len(sub)


def _m(note_id: str, text: str, sub: str, label: str, status: str, nth: int = 0) -> dict:
    s, e = _span(text, sub, nth)
    return {"note_id": note_id, "label": label, "text": sub, "status": status, "start": s, "end": e}


def _f(note_id: str, text: str, sub: str, concern: str, kind: str) -> dict:
    s, e = _span(text, sub)
    return {"note_id": note_id, "concern": concern, "text": sub, "kind": kind, "start": s, "end": e}


def tricky_cases() -> list[GoldCase]:
    """Two hand-built cases covering the awkward corners of every format."""
    case1 = {
        "case_id": "T/1",
        "notes": [
            {"note_id": NOTE1_ID, "date": "2024-03-05", "author_role": "Social Worker", "note_type": "Home Visit", "text": NOTE1},
            {"note_id": "T/1:02", "date": "2024-03-12", "author_role": "Social Worker", "note_type": "Case Note", "text": NOTE2},
        ],
        "mentions": [
            # listed out of order on purpose
            _m(NOTE1_ID, NOTE1, "doing really well", "OVER_OPTIMISM", "affirmed"),       # ends at the end of the text
            _m(NOTE1_ID, NOTE1, "Low mood", "MATERNAL_MENTAL_HEALTH", "affirmed"),      # offset 0
            _m(NOTE1_ID, NOTE1, "low\nmood", "MATERNAL_MENTAL_HEALTH", "historical"),   # crosses a newline
            _m(NOTE1_ID, NOTE1, "Dad\t(Mr O'Neil)", "FATHER_INVOLVEMENT", "affirmed"),  # tab and apostrophe
            _m(NOTE1_ID, NOTE1, "GP: Dr Ngozi Ádé", "GP_CONTACT", "affirmed"),          # overlaps the next one
            _m(NOTE1_ID, NOTE1, "Dr Ngozi Ádé\u2028line", "FATHER_INVOLVEMENT", "affirmed"),
            _m(NOTE1_ID, NOTE1, "&lt;partner&gt;", "FATHER_INVOLVEMENT", "affirmed"),   # HTML entities, kept literally
            _m(NOTE1_ID, NOTE1, "no concerns re mum's mental health", "MATERNAL_MENTAL_HEALTH", "negated"),
            _m(NOTE1_ID, NOTE1, "If dad's mood dips", "MATERNAL_MENTAL_HEALTH", "hypothetical"),
            _m(NOTE1_ID, NOTE1, "MGM has depression", "MATERNAL_MENTAL_HEALTH", "other_experiencer"),
            _m(NOTE1_ID, NOTE1, "GP", "GP_CONTACT", "hypothetical", nth=1),
            _m("T/1:02", NOTE2, "GP", "GP_CONTACT", "affirmed"),
            _m("T/1:02", NOTE2, "Dad", "FATHER_INVOLVEMENT", "affirmed"),
        ],
        "followups": [
            _f("T/1:02", NOTE2, "SW phoned GP re mum's low mood", "gp_contact", "completed"),
            _f("T/1:02", NOTE2, "SW phoned GP re mum's low mood", "maternal_mental_health", "completed"),
            _f("T/1:02", NOTE2, "Dad seen at home", "father_involvement", "completed"),
        ],
        "gold": {
            "maternal_mental_health": {"mentioned": True, "followed_up": True, "followup_note_ids": ["T/1:02"]},
            "father_involvement": {"mentioned": True, "followed_up": True, "followup_note_ids": ["T/1:02"]},
            "gp_contact": {"mentioned": True, "followed_up": True, "followup_note_ids": ["T/1:02"]},
            "over_optimism": {"mentioned": True, "followed_up": False, "followup_note_ids": []},
        },
        "rationale": "Over-optimism on one visit; \"doing really well\" not tested.\nSecond line.",
    }
    case2 = {
        "case_id": "T-2",
        "notes": [
            {"note_id": "t_1_01_", "text": "Dad not known. No GP registered."},  # same file stem as NOTE1_ID
            {"note_id": "N3", "date": "2024-01-02", "text": ""},
        ],
        "mentions": [
            _m("t_1_01_", "Dad not known. No GP registered.", "Dad", "FATHER_INVOLVEMENT", "affirmed"),
            _m("t_1_01_", "Dad not known. No GP registered.", "GP", "GP_CONTACT", "affirmed"),
        ],
        "followups": [],  # annotated for follow-ups, none found
    }
    return [parse_case(case1, "<fixture>"), parse_case(case2, "<fixture>")]


def corpus_cases() -> list[GoldCase]:
    return load_gold(CORPUS_FILE)


DATASETS = {"tricky": tricky_cases, "corpus": corpus_cases}


def _target(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / ("brat" if SUFFIX[fmt] is None else f"export.{SUFFIX[fmt]}")


def _expected(cases: list[GoldCase]) -> list[dict]:
    return [case_to_json(canonical_order(c)) for c in cases]


# ---------------------------------------------------------------------------------------------------- round trips

@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_round_trip(tmp_path, fmt, dataset):
    cases = DATASETS[dataset]()
    path = _target(tmp_path, fmt)
    export_cases(cases, fmt, path)
    back = import_cases(fmt, path)
    if fmt == "scheme":  # load_gold keeps the file's order
        back = [canonical_order(c) for c in back]
    assert [case_to_json(c) for c in back] == _expected(cases)
    assert [c.has_followup_annotations for c in back] == [c.has_followup_annotations for c in cases]


def test_fixture_covers_the_tricky_corners():
    case = tricky_cases()[0]
    note = case.notes[0]
    starts_ends = {(m.start, m.end) for m in case.mentions if m.note_id == note.note_id}
    assert {m.status for m in case.mentions} == set(STATUSES)
    assert min(s for s, _ in starts_ends) == 0 and max(e for _, e in starts_ends) == len(note.text)
    assert any("\n" in m.text for m in case.mentions) and "\t" in note.text and "\r\n" in note.text
    overlapping = [(a, b) for a in case.mentions for b in case.mentions
                   if a.note_id == b.note_id and a.label != b.label and a.start < b.end and b.start < a.end]
    assert overlapping


def test_import_returns_canonical_order(tmp_path):
    cases = tricky_cases()
    assert case_to_json(cases[0]) != case_to_json(canonical_order(cases[0]))  # the fixture lists them out of order
    export_cases(cases, "prodigy", tmp_path / "p.jsonl")
    back = import_cases("prodigy", tmp_path / "p.jsonl")
    assert [case_to_json(c) for c in back] == [case_to_json(c) for c in map(canonical_order, back)]


# ---------------------------------------------------------------------------------------------------- format details

def test_doccano_encodes_status_in_label_and_plain_label_is_affirmed(tmp_path):
    path = tmp_path / "d.jsonl"
    export_cases(tricky_cases(), "doccano", path)
    first = json.loads(path.read_text(encoding="utf-8").split("\n")[0])
    assert [0, 8, "MATERNAL_MENTAL_HEALTH|affirmed"] in first["label"]
    assert "case_gold" in first

    path.write_text(json.dumps({"text": "Mum has low mood.", "case_id": "X", "note_id": "X-1",
                                "label": [[8, 16, "MATERNAL_MENTAL_HEALTH"]]}) + "\n", encoding="utf-8")
    (case,) = import_cases("doccano", path)
    assert case.mentions[0].status == "affirmed" and case.mentions[0].text == "low mood"
    assert case.gold["maternal_mental_health"].mentioned  # derived from the mentions without case_gold
    assert not case.has_followup_annotations


def test_labelstudio_pairs_status_by_region_id(tmp_path):
    path = tmp_path / "ls.json"
    export_cases(tricky_cases(), "labelstudio", path)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    result = tasks[0]["annotations"][0]["result"]
    result.reverse()  # choices now come before their labels results
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert [case_to_json(c) for c in import_cases("labelstudio", path)] == _expected(tricky_cases())

    config = ET.fromstring(labelstudio_config())
    values = {e.get("value") for e in config.iter("Label")}
    assert set(LABELS) <= values
    assert {e.get("value") for e in config.iter("Choice")} >= set(STATUSES)


def test_brat_files_are_safe_unique_and_exact(tmp_path):
    out = tmp_path / "brat"
    export_cases(tricky_cases(), "brat", out)
    meta = json.loads((out / BRAT_METADATA).read_text(encoding="utf-8"))["notes"]
    stems = list(meta)
    assert len({s.lower() for s in stems}) == len(stems) == 4
    assert all(set(s) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") for s in stems)
    stem1 = next(s for s, e in meta.items() if e["note_id"] == NOTE1_ID)
    assert (out / f"{stem1}.txt").read_bytes().decode("utf-8") == NOTE1  # \r\n not translated
    ann = (out / f"{stem1}.ann").read_text(encoding="utf-8")
    s, e = _span(NOTE1, "low\nmood")
    assert f"T2\tMATERNAL_MENTAL_HEALTH {s} {s + 3};{s + 4} {e}\tlow mood\n" in ann  # fragments around the newline
    assert "A2\tStatus T2 historical\n" in ann
    assert (out / "annotation.conf").is_file()


def test_brat_binary_status_attribute_and_default(tmp_path):
    out = tmp_path / "brat"
    export_cases(tricky_cases()[1:], "brat", out)
    meta = json.loads((out / BRAT_METADATA).read_text(encoding="utf-8"))["notes"]
    stem = next(s for s, e in meta.items() if e["note_id"] == "t_1_01_")
    (out / f"{stem}.ann").write_text("T1\tFATHER_INVOLVEMENT 0 3\tDad\nA1\tNegated T1\nT2\tGP_CONTACT 18 20\tGP\n",
                                     encoding="utf-8")
    (case,) = import_cases("brat", out)
    assert [(m.text, m.status) for m in case.mentions] == [("Dad", "negated"), ("GP", "affirmed")]


def test_docbin_export_loads_back(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    cases = tricky_cases() + corpus_cases()
    path = tmp_path / "gold.spacy"
    export_cases(cases, "docbin", path)
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    notes = [(c, n) for c in cases for n in c.notes]
    assert len(docs) == len(notes)
    for doc, (case, note) in zip(docs, notes):
        assert doc.text == note.text
        assert (doc.user_data["case_id"], doc.user_data["note_id"]) == (case.case_id, note.note_id)
        mentions = [m for m in canonical_order(case).mentions if m.note_id == note.note_id]
        spans = list(doc.spans["sc"])
        assert [s.label_ for s in spans] == [m.label for m in mentions]
        assert [s.kb_id_ for s in spans] == [m.status for m in mentions] == list(doc.user_data["recordscan_statuses"])
        assert [list(x) for x in doc.user_data["recordscan_char_spans"]] == [[m.start, m.end] for m in mentions]
        for s, m in zip(spans, mentions):
            assert s.start_char <= m.start and m.end <= s.end_char and m.text in s.text
        ents = list(doc.ents)
        assert all(a.end <= b.start for a, b in zip(ents, ents[1:]))
        assert {(e.start_char, e.end_char, e.label_) for e in ents} <= {(s.start_char, s.end_char, s.label_) for s in spans}
    first = docs[0]
    assert {(s.text, s.label_, s.kb_id_) for s in first.spans["sc"]} >= {
        ("Low mood", "MATERNAL_MENTAL_HEALTH", "affirmed"), ("doing really well", "OVER_OPTIMISM", "affirmed"),
        ("MGM has depression", "MATERNAL_MENTAL_HEALTH", "other_experiencer")}


def test_dispatch_rejects_unknown_and_docbin_import(tmp_path):
    with pytest.raises(ValueError):
        import_cases("docbin", tmp_path / "x.spacy")
    with pytest.raises(ValueError):
        export_cases(tricky_cases(), "conll", tmp_path / "x")
    with pytest.raises(ValueError):
        import_cases("conll", tmp_path / "x")


# ---------------------------------------------------------------------------------------------------- malformed input
# Each mutation edits the FIRST annotation of the first note (case T/1, note NOTE1_ID: "Low mood" at 0-8).

def _edit_jsonl(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    row = json.loads(lines[0])
    edit(row)
    lines[0] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines), encoding="utf-8")


def _doccano(problem):
    def edit(row):
        s, e, label = row["label"][0]
        row["label"][0] = {"outside": [s, 10_000, label], "label": [s, e, "NOPE|affirmed"],
                           "status": [s, e, "MATERNAL_MENTAL_HEALTH|maybe"]}[problem]
    return lambda path: _edit_jsonl(path, edit)


def _prodigy(problem):
    def edit(row):
        span = row["spans"][0]
        span.update({"outside": {"end": 10_000}, "label": {"label": "NOPE"}, "status": {"status": "maybe"},
                     "text": {"text": "High mood"}}[problem])
    return lambda path: _edit_jsonl(path, edit)


def _labelstudio(problem):
    def mutate(path: Path):
        tasks = json.loads(path.read_text(encoding="utf-8"))
        labels, choices = tasks[0]["annotations"][0]["result"][:2]
        assert labels["id"] == choices["id"] == "m1"
        if problem == "outside":
            labels["value"]["end"] = choices["value"]["end"] = 10_000
        elif problem == "label":
            labels["value"]["labels"] = ["NOPE"]
        elif problem == "status":
            choices["value"]["choices"] = ["maybe"]
        else:
            labels["value"]["text"] = "High mood"
        path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return mutate


def _brat(problem):
    def mutate(directory: Path):
        meta = json.loads((directory / BRAT_METADATA).read_text(encoding="utf-8"))["notes"]
        stem = next(s for s, e in meta.items() if e["note_id"] == NOTE1_ID)
        ann = directory / f"{stem}.ann"
        content = ann.read_text(encoding="utf-8")
        old_t, old_a = "T1\tMATERNAL_MENTAL_HEALTH 0 8\tLow mood\n", "A1\tStatus T1 affirmed\n"
        assert content.startswith(old_t + old_a)
        new = {"outside": ("T1\tMATERNAL_MENTAL_HEALTH 0 10000\tLow mood\n", old_a),
               "label": ("T1\tNOPE 0 8\tLow mood\n", old_a),
               "status": (old_t, "A1\tStatus T1 maybe\n"),
               "text": ("T1\tMATERNAL_MENTAL_HEALTH 0 8\tHigh mood\n", old_a)}[problem]
        ann.write_text("".join(new) + content[len(old_t + old_a):], encoding="utf-8")
    return mutate


MUTATORS = {"doccano": (_doccano, "span 0"), "prodigy": (_prodigy, "span 0"),
            "labelstudio": (_labelstudio, "m1"), "brat": (_brat, "T1")}
PROBLEMS = {"outside": "outside", "label": "unknown label", "status": "unknown status", "text": "does not match"}
MALFORMED = [(fmt, problem) for fmt in MUTATORS for problem in PROBLEMS
             if not (fmt == "doccano" and problem == "text")]  # doccano exports carry no span text to check


@pytest.mark.parametrize("fmt,problem", MALFORMED)
def test_malformed_input_names_file_note_and_annotation(tmp_path, fmt, problem):
    path = _target(tmp_path, fmt)
    export_cases(tricky_cases(), fmt, path)
    make_mutation, ann_id = MUTATORS[fmt]
    make_mutation(problem)(path)
    with pytest.raises(GoldFormatError) as err:
        import_cases(fmt, path)
    msg = str(err.value)
    assert PROBLEMS[problem] in msg
    assert NOTE1_ID in msg and "T/1" in msg and ann_id in msg
    assert str(path) in msg
    assert "line sep" not in msg and "Mum is doing" not in msg  # no note text beyond the annotation's own


def test_unreadable_inputs(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "case_id": "C", "note_id": "N", "label": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match="line 2"):
        import_cases("doccano", bad)
    bad.write_text('{"text": "x", "label": []}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match="case_id"):
        import_cases("prodigy", bad)
    with pytest.raises(GoldFormatError, match=BRAT_METADATA):
        import_cases("brat", tmp_path)
