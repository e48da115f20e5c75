"""Tag mentions of the four concerns from the term files in `lexicons/concepts/`.

One file per concern (`maternal_mental_health.jsonl`, ...), each line a phrase or a spaCy token pattern.
Matches of one label that overlap are reduced to the longest; mentions of different labels may overlap.
The rules travel with the pipeline: `to_disk` writes them next to the model, `from_disk` reads them back,
so a saved pipeline never needs a path into the repository.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS
from ..extensions import MENTIONS, register_extensions
from ..lexicons import CONCEPT_SCHEMA, Rule, default_lexicon_dir, load_rules, rules_to_jsonl
from .rule_matcher import RuleMatcher, longest_first

register_extensions()


def load_concept_rules(directory: Path) -> dict[str, list[Rule]]:
    directory = Path(directory)
    return {concern: load_rules(directory / f"{concern}.jsonl", CONCEPT_SCHEMA) for concern in CONCERN_LABELS}


class ConceptTagger:
    def __init__(self, nlp: Language, name: str = "recordscan_concepts", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir() / "concepts"
        self._set_rules(load_concept_rules(directory))

    def _set_rules(self, rules_by_concern: dict[str, list[Rule]]) -> None:
        self.rules_by_concern = rules_by_concern
        labelled = []
        for concern, rules in rules_by_concern.items():
            label = CONCERN_LABELS[concern]
            labelled.extend(Rule(r.pattern, {**r.fields, "label": label}, r.source) for r in rules)
        self.matcher = RuleMatcher(self.nlp, labelled, "concepts")

    def __call__(self, doc: Doc) -> Doc:
        by_label: dict[str, list] = {}
        for rule, start, end in self.matcher(doc):
            by_label.setdefault(rule.fields["label"], []).append((rule, start, end))
        spans = []
        for label, matches in by_label.items():
            previous = None
            for rule, start, end in longest_first(matches):
                kind = rule.get("kind") or ""
                if previous is not None and previous.end == start and kind == "service" and previous.kb_id_ == "service":
                    # "CMHT care coordinator", "perinatal CPN": one service named in two terms is one mention, so
                    # whoever owns it ("Nathan's CMHT care coordinator") owns all of it.
                    spans[-1] = previous = Span(doc, previous.start, end, label=label, kb_id=kind)
                    continue
                # The concept kind (symptom, service, medication ...) rides on the span's kb_id.
                previous = Span(doc, start, end, label=label, kb_id=kind)
                spans.append(previous)
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=spans)
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for concern, rules in self.rules_by_concern.items():
            (path / f"{concern}.jsonl").write_text(rules_to_jsonl(rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(load_concept_rules(Path(path)))
        return self
