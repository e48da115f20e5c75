"""Match every lexicon rule of every component in one pass over a Doc.

Speed is why this module exists. spaCy's token Matcher costs ~40 microseconds per note *per pattern*
here, while a PhraseMatcher with thousands of phrases costs ~10 microseconds in all. So:

- token patterns made of words, word lists and `?`/`*`/`+` are expanded into phrases at load time (`*` and
  `+` allow at most one repetition) and matched by one PhraseMatcher on lower-cased text;
- the few things a phrase cannot say are rule fields checked in Python on the (rare) hits:
  `left`: "title" | "number" | "year" (a capitalised name, a number, or a year must come just before, and
  the match grows to include it: "Larkmoor" + "Surgery"), `right`: "number" | "year" (the same, after:
  "EPDS" ... "16", "in" ... "2019"), `not_followed_by` / `not_preceded_by`: words that veto the match;
- every component's rules go into one matcher shared by the pipeline (`SharedMatcher`), which runs once
  per Doc and keeps its results in `doc.user_data` (plain tuples, so Docs stay serialisable).

A token pattern that cannot be expanded (other attributes such as IS_ALPHA, LIKE_NUM or IS_SPACE) still works,
through spaCy's Matcher, but a pattern that starts with a broad test costs ~0.1 ms per note. So each such
pattern is run only on short windows around its *anchor* words (the words of its first required word-list
token), found with one array lookup; a match must contain an anchor, and the window reaches as far as the
pattern can (`+` counted as up to `_MAX_REPEAT` tokens).
"""

from __future__ import annotations

import itertools
import re
from typing import Iterable, NamedTuple, Sequence

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.attrs import LOWER
from spacy.tokens import Doc

from ..lexicons import LexiconError, Rule

_MAX_EXPANSIONS = 20_000
_MAX_REPEAT = 8
_CONDITION_KEYS = {"left", "right", "not_followed_by", "not_preceded_by"}
_EXPANDABLE_KEYS = {"LOWER", "ORTH", "TEXT", "OP"}
_YEAR = re.compile(r"^(19|20)\d\d$")
# Past-tense verbs that open a sentence in capitals: "Rang Ashgrove Health Centre" names the centre, not "Rang ...".
_VERBS_OPENING_A_NOTE = frozenset({"rang", "phoned", "called", "emailed", "contacted", "visited", "met", "saw", "spoke", "wrote",
                                   "texted", "told", "asked", "chased", "attended", "left", "sent", "telephoned", "messaged"})
#: Words before a name and "'s surgery" that make the surgery an operation ("after Maisie's surgery").
_BEFORE_AN_OPERATION = frozenset({"after", "before", "following", "since", "post", "until", "pending", "awaiting"})
_MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august",
           "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"}


def expand_pattern(pattern: list[dict]) -> list[tuple[str, ...]] | None:
    """All lower-cased word sequences a simple token pattern matches, or None if it is not simple."""
    choices: list[list[tuple[str, ...]]] = []
    for spec in pattern:
        if not set(spec) <= _EXPANDABLE_KEYS:
            return None
        keys = [k for k in spec if k != "OP"]
        if len(keys) != 1:
            return None
        value = spec[keys[0]]
        if isinstance(value, str):
            words = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            words = list(value["IN"])
        else:
            return None
        words = [w.lower() for w in words]
        op = spec.get("OP")
        if op in (None, "+"):
            options = [(w,) for w in words]
        elif op in ("?", "*"):
            options = [()] + [(w,) for w in words]
        else:
            return None
        choices.append(options)
    total = 1
    for c in choices:
        total *= len(c)
    if total > _MAX_EXPANSIONS:
        return None
    phrases = {tuple(w for part in combo for w in part) for combo in itertools.product(*choices)}
    return sorted(p for p in phrases if p)


class SharedMatcher:
    """One PhraseMatcher (plus a slow-path Matcher) for all recordscan components of a pipeline."""

    USER_DATA_KEY = "rs_rule_matches"

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.slow: dict[str, tuple[Matcher, _Anchor | None]] = {}
        self._slow_whole: list[Matcher] = []  # slow patterns with no anchor word
        self._slow_by_word: dict[int, list[tuple[Matcher, _Anchor]]] = {}  # anchor word hash -> its patterns
        self.rules: dict[str, list[Rule]] = {}
        self.keys: dict[int, tuple[str, int, bool]] = {}  # match id -> (namespace, rule index, has conditions)
        self.version = 0
        self._word_tokens: dict[str, list[str]] = {}  # a pattern word -> the tokens note text would have

    @classmethod
    def for_pipeline(cls, nlp: Language) -> "SharedMatcher":
        shared = getattr(nlp, "_recordscan_shared_matcher", None)
        if shared is None:
            shared = cls(nlp)
            nlp._recordscan_shared_matcher = shared
        return shared

    def register(self, namespace: str, rules: Sequence[Rule]) -> None:
        """(Re)load one component's rules; the previous rules of that namespace are removed."""
        for key_id, (ns, _, _) in list(self.keys.items()):
            if ns == namespace:
                key = self.nlp.vocab.strings[key_id]
                if key in self.phrase:
                    self.phrase.remove(key)
                self.slow.pop(key, None)
                del self.keys[key_id]
        self.rules[namespace] = list(rules)
        for i, rule in enumerate(rules):
            key = f"{namespace}#{i}"
            key_id = self.nlp.vocab.strings.add(key)
            self.keys[key_id] = (namespace, i, bool(rule.fields.keys() & _CONDITION_KEYS))
            try:
                if isinstance(rule.pattern, str):
                    self.phrase.add(key, [self.nlp.make_doc(rule.pattern)])
                    continue
                phrases = expand_pattern(rule.pattern)
                if phrases is not None:
                    self.phrase.add(key, [Doc(self.nlp.vocab, words=self._as_tokens(p)) for p in phrases])
                else:
                    matcher = Matcher(self.nlp.vocab, validate=True)
                    matcher.add(key, [rule.pattern])
                    self.slow[key] = (matcher, _anchor(self.nlp, rule.pattern))
            except (ValueError, KeyError, TypeError) as exc:
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise LexiconError(f"{rule.source}: pattern rejected by spaCy: {first_line}") from None
        self._slow_whole = [matcher for matcher, anchor in self.slow.values() if anchor is None]
        self._slow_by_word = {}
        for matcher, anchor in self.slow.values():
            for word in anchor.words if anchor else ():
                self._slow_by_word.setdefault(word, []).append((matcher, anchor))
        self.version += 1

    def _as_tokens(self, words: tuple[str, ...]) -> list[str]:
        """The words of an expanded pattern as note text is tokenized: "cannot" is "can not", "co-op" is
        "co - op", "can't" is "ca n't". A clitic on its own ("'s", "n't") is already one token."""
        out: list[str] = []
        for word in words:
            split = self._word_tokens.get(word)
            if split is None:
                split = [word] if word[:1] in "'’" else [t.text for t in self.nlp.tokenizer(word)] or [word]
                self._word_tokens[word] = split
            out.extend(split)
        return out

    def matches(self, doc: Doc, namespace: str) -> list[tuple[Rule, int, int]]:
        cached = doc.user_data.get(self.USER_DATA_KEY)
        if cached is None or cached[0] != (id(self), self.version):
            cached = ((id(self), self.version), self._match_all(doc))
            doc.user_data[self.USER_DATA_KEY] = cached
        rules = self.rules[namespace]
        return [(rules[i], start, end) for i, start, end in cached[1].get(namespace, ())]

    def _match_all(self, doc: Doc) -> dict[str, list[tuple[int, int, int]]]:
        found: dict[str, list[tuple[int, int, int]]] = {}
        raw = self.phrase(doc)
        if self.slow:
            raw = list(raw) + _slow_matches(doc, self._slow_whole, self._slow_by_word)
        for key_id, start, end in raw:
            namespace, i, conditional = self.keys[key_id]
            if conditional:
                span = _apply_conditions(doc, self.rules[namespace][i], start, end)
                if span is None:
                    continue
                start, end = span
            found.setdefault(namespace, []).append((i, start, end))
        for matches in found.values():
            # In file order, so that of two rules matching the same words the earlier wins, whatever the match ids'
            # hashes (which change as rules are added elsewhere).
            matches.sort(key=lambda m: (m[1], m[2], m[0]))
        return found


class _Anchor(NamedTuple):
    """Where a slow pattern can match: around one of `words` (LOWER hashes), `before`/`after` tokens either side."""

    words: frozenset[int]
    before: int
    after: int


def _longest_repeat(op: str | None) -> int:
    """How many tokens one pattern token can take: 1, `_MAX_REPEAT` for '+' and '*', m for spaCy's '{n,m}'."""
    if op in ("+", "*"):
        return _MAX_REPEAT
    if op and op.startswith("{"):
        upper = op.strip("{}").split(",")[-1]
        return int(upper) if upper.isdigit() else _MAX_REPEAT
    return 1


def _anchor(nlp: Language, pattern: list[dict]) -> _Anchor | None:
    """The first token of `pattern` that is required (no `?`, `*` or `{n,m}`) and tests LOWER/ORTH/TEXT against a
    word or a word list (other tests on it only narrow it), or None if no token is pinned to words: then the
    pattern runs on the whole Doc."""
    def reach(specs: list[dict]) -> int:
        return sum(_longest_repeat(spec.get("OP")) for spec in specs)

    for position, spec in enumerate(pattern):
        if spec.get("OP") in ("?", "*", "!") or (spec.get("OP") or "").startswith("{"):
            continue
        word_keys = [k for k in spec if k in ("LOWER", "ORTH", "TEXT")]
        if len(word_keys) != 1:
            continue
        value = spec[word_keys[0]]
        words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
        if not words or not all(isinstance(w, str) for w in words):
            continue
        hashes = frozenset(nlp.vocab.strings.add(w.lower()) for w in words)
        return _Anchor(hashes, reach(pattern[:position]), reach(pattern[position + 1:]))
    return None


def _slow_matches(doc: Doc, whole: list[Matcher], by_word: dict[int, list[tuple[Matcher, _Anchor]]]) -> list[tuple[int, int, int]]:
    """Matches of the slow patterns: those without anchors over the whole Doc, the others around their anchors."""
    found: set[tuple[int, int, int]] = set()
    for matcher in whole:
        found.update(matcher(doc))
    n = len(doc)
    for hit, word in enumerate(doc.to_array(LOWER).tolist()):
        for matcher, anchor in by_word.get(word, ()):
            a, b = max(0, hit - anchor.before), min(n, hit + anchor.after + 1)
            found.update((key, a + start, a + end) for key, start, end in matcher(doc[a:b]))
    return sorted(found, key=lambda m: (m[1], m[2], m[0]))


def _apply_conditions(doc: Doc, rule: Rule, start: int, end: int) -> tuple[int, int] | None:
    fields = rule.fields
    veto = fields.get("not_followed_by")
    if veto and end < len(doc) and doc[end].lower_ in veto:
        return None
    veto = fields.get("not_preceded_by")
    if veto and start > 0 and doc[start - 1].lower_ in veto:
        return None
    left = fields.get("left")
    if left:
        if left == "title":
            k = start
            while k > 0 and start - k < 4:
                token = doc[k - 1]
                if token.is_title and token.is_alpha and not token.is_stop and token.lower_ not in _VERBS_OPENING_A_NOTE:
                    k -= 1
                elif token.lower_ in ("'s", "\u2019s") and k >= 2 and doc[k - 2].is_title and doc[k - 2].is_alpha:
                    k -= 1  # "St Anselm's Surgery"
                else:
                    break
            if k == start:
                return None
            if k > 0 and doc[k - 1].lower_ in _BEFORE_AN_OPERATION and any(doc[j].lower_ in ("'s", "\u2019s") for j in range(k, start)):
                return None  # "after Maisie's surgery": an operation, not her GP's
            start = k
        else:
            pos = _find(doc, range(start - 1, max(-1, start - 4), -1), left)
            if pos is None:
                return None
            start = pos
    right = fields.get("right")
    if right:
        pos = _find(doc, range(end, min(len(doc), end + 7)), right)
        if pos is None:
            return None
        end = pos + 1
    return start, end


#: Words after a number that make it an age, a date or a time ("her 10-day check"), never a screening score.
TIME_UNITS = frozenset({"day", "days", "week", "weeks", "wk", "wks", "month", "months", "year", "years", "yr", "yrs",
                        "hour", "hours", "am", "pm"})


def _unit_of_time_after(doc: Doc, k: int) -> bool:
    """'10-day check', '6 weeks': an age or a time, not a screening score."""
    nxt = k + 1
    if nxt < len(doc) and doc[nxt].text == "-":
        nxt += 1
    return nxt < len(doc) and doc[nxt].lower_ in TIME_UNITS


def _find(doc: Doc, positions: Iterable[int], kind: str) -> int | None:
    for k in positions:
        token = doc[k]
        if kind == "year" and _YEAR.match(token.text):
            return k
        if kind == "number" and token.like_num and not _unit_of_time_after(doc, k):
            return k
        if kind == "year" and token.lower_ in _MONTHS:
            continue  # "in March 2019"
        if token.lower_ in (".", ";", "!", "?") or "\n" in token.text:
            return None  # the number must be in the same sentence
        if kind == "year" and not (token.is_punct or token.lower_ in ("of", "the", "at", "around", "about", "early", "late", "mid")):
            return None
    return None
    return None


class RuleMatcher:
    """A component's view of the shared matcher: its own rules, matched in the pipeline's single pass."""

    def __init__(self, nlp: Language, rules: Sequence[Rule], namespace: str):
        self.rules = list(rules)
        self.namespace = namespace
        self.shared = SharedMatcher.for_pipeline(nlp)
        self.shared.register(namespace, self.rules)

    def __call__(self, doc: Doc) -> list[tuple[Rule, int, int]]:
        return self.shared.matches(doc, self.namespace)


def longest_first(matches: Iterable[tuple[Rule, int, int]], keep_ties: bool = False) -> list[tuple[Rule, int, int]]:
    """Drop matches that overlap a longer (or equally long, earlier) match, like spacy.util.filter_spans.

    With `keep_ties`, matches with exactly the same span as a kept match are kept too (two rules for the same
    words, e.g. a general and a label-specific trigger)."""
    if not isinstance(matches, list):
        matches = list(matches)
    if len(matches) <= 1:
        return matches
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
