"""A spaCy matcher built from validated lexicon rules, shared by every rule-driven component.

Phrase rules ("low mood") go to a PhraseMatcher on lower-cased text, token-pattern rules to a Matcher;
matches come back as (rule, start, end) so a component can read the rule's fields (label, kind, ...).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..lexicons import LexiconError, Rule


class RuleMatcher:
    def __init__(self, nlp: Language, rules: Sequence[Rule]):
        self.vocab = nlp.vocab
        self.rules: list[Rule] = list(rules)
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.token_matcher = Matcher(nlp.vocab, validate=True)
        self._rule_by_key: dict[int, Rule] = {}
        for i, rule in enumerate(self.rules):
            key = f"rule{i}"
            key_id = nlp.vocab.strings.add(key)
            self._rule_by_key[key_id] = rule
            try:
                if isinstance(rule.pattern, str):
                    self.phrase_matcher.add(key, [nlp.make_doc(rule.pattern)])
                else:
                    self.token_matcher.add(key, [rule.pattern])
            except (ValueError, KeyError, TypeError) as exc:
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise LexiconError(f"{rule.source}: pattern rejected by spaCy: {first_line}") from None

    def __call__(self, doc: Doc) -> list[tuple[Rule, int, int]]:
        matches = []
        if self.phrase_matcher:
            matches.extend(self.phrase_matcher(doc))
        if self.token_matcher:
            matches.extend(self.token_matcher(doc))
        return [(self._rule_by_key[key], start, end) for key, start, end in matches]


def longest_first(matches: Iterable[tuple[Rule, int, int]], keep_ties: bool = False) -> list[tuple[Rule, int, int]]:
    """Drop matches that overlap a longer (or equally long, earlier) match, like spacy.util.filter_spans.

    With `keep_ties`, matches with exactly the same span as a kept match are kept too (two rules for the same
    words, e.g. a general and a label-specific trigger)."""
    ordered = sorted(matches, key=lambda m: (-(m[2] - m[1]), m[1]))
    taken: set[int] = set()
    kept_spans: set[tuple[int, int]] = set()
    kept = []
    for rule, start, end in ordered:
        if keep_ties and (start, end) in kept_spans:
            kept.append((rule, start, end))
            continue
        if any(i in taken for i in range(start, end)):
            continue
        kept.append((rule, start, end))
        kept_spans.add((start, end))
        taken.update(range(start, end))
    return sorted(kept, key=lambda m: m[1])
