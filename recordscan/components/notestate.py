"""The working data the components pass each other: segments, people and triggers of one note.

These are plain named tuples kept in `doc.user_data` (so a Doc still serialises), not spaCy spans: a Span
costs two Token objects to create and every `Span._` read goes through a dictionary keyed by offsets,
and the components read this data many times per note. Only the results users see (mentions and
follow-ups) are span groups. `tokens(doc)` gives cached token attribute arrays for the same reason.

Everything here is keyed by token index within the Doc.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from typing import Iterable, NamedTuple

from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, IS_PUNCT, IS_STOP, IS_TITLE, LENGTH, LIKE_NUM, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc

SEGMENTS_KEY = "rs.segments"
#: Segment kinds of the items of a meeting's lists: who was there, who sent apologies, who was invited.
ATTENDEE_LIST_KINDS = ("present", "apologies", "invited")
PEOPLE_KEY = "rs.people"
TRIGGERS_KEY = "rs.triggers"


class Segment(NamedTuple):
    start: int
    end: int
    kind: str  # sentence, heading, bullet, or an item of an attendee list: present, apologies, invited


class Person(NamedTuple):
    start: int
    end: int
    role: str  # MOTHER, FATHER, CHILD, OTHER, PROFESSIONAL, GP, PRONOUN, SELF, PERSON (a name, role unknown)
    name: str | None  # the name as written (for names), else None
    gender: str | None  # "f", "m" or None


class Trigger(NamedTuple):
    start: int
    end: int
    category: str  # NEGATED, HISTORICAL, HYPOTHETICAL, PAST_DATE, TERMINATE, PSEUDO, REPORTING, ACTOR, EXCLUDE
    direction: str
    scope: int
    labels: tuple  # mention labels the trigger applies to; empty = all
    reach: str = "scope"  # "sentence_opening": opening its sentence, the trigger covers the whole of it


def _restore(items, cls):
    # After DocBin serialisation the tuples come back as lists.
    return [x if isinstance(x, cls) else cls(*x) for x in items]


def segments(doc: Doc) -> list[Segment]:
    found = doc.user_data.get(SEGMENTS_KEY)
    if found is None:
        return [Segment(0, len(doc), "sentence")]
    return _restore(found, Segment)


def people(doc: Doc) -> list[Person]:
    return _restore(doc.user_data.get(PEOPLE_KEY, ()), Person)


def triggers(doc: Doc) -> list[Trigger]:
    return _restore(doc.user_data.get(TRIGGERS_KEY, ()), Trigger)


def hashes(words: Iterable[str]) -> frozenset[int]:
    """Hashes of lower-cased words, to compare with `Tokens.lower` without creating Token objects."""
    return frozenset(hash_string(w.lower()) for w in words)


class Tokens:
    """Token attributes of one Doc as Python lists (built once, from one `to_array` call)."""

    # No reference to the Doc itself: the cache below holds these strongly and the Doc weakly, so a
    # reference back would keep every Doc alive for ever.
    __slots__ = ("strings", "lower", "idx", "length", "title", "alpha", "punct", "like_num", "stop", "is_lower", "n", "text_", "__weakref__")

    def __init__(self, doc: Doc):
        self.strings = doc.vocab.strings
        self.n = len(doc)
        from ..extensions import doc_text

        self.text_ = doc_text(doc)
        if self.n == 0:
            self.lower = self.idx = self.length = self.title = self.alpha = self.punct = self.like_num = self.stop = self.is_lower = []
            return
        arr = doc.to_array([LOWER, IDX, LENGTH, IS_TITLE, IS_ALPHA, IS_PUNCT, LIKE_NUM, IS_STOP, IS_LOWER])
        (self.lower, self.idx, self.length, self.title, self.alpha, self.punct, self.like_num, self.stop,
         self.is_lower) = (arr[:, i].tolist() for i in range(9))

    def low(self, k: int) -> str:
        """The lower-cased text of token k."""
        return self.strings[self.lower[k]]

    def text(self, k: int) -> str:
        start = self.idx[k]
        return self.text_[start:start + self.length[k]]

    def is_(self, k: int, words: frozenset[int]) -> bool:
        return 0 <= k < self.n and self.lower[k] in words


def relative_clauses(tok: Tokens, start: int, end: int, openers: tuple[str, ...] = ("who", "which")):
    """Each ", who ... ," clause opening between start and end: (its opening comma, its closing comma, or None when
    the clause does not close before end). The context component skips such clauses when it looks for a subject, the
    follow-up tagger when a status reaches back to its action."""
    for k in range(start, end - 1):
        if tok.low(k) == "," and tok.low(k + 1) in openers:
            yield k, next((j for j in range(k + 2, end) if tok.low(j) == ","), None)


_CACHE: "weakref.WeakKeyDictionary[Doc, Tokens]" = weakref.WeakKeyDictionary()


def tokens(doc: Doc) -> Tokens:
    found = _CACHE.get(doc)
    if found is None or found.n != len(doc):
        found = _CACHE[doc] = Tokens(doc)
    return found


def segment_index(starts: list[int], token: int) -> int:
    """Index of the segment containing `token`, given the sorted segment starts."""
    return max(0, bisect_right(starts, token) - 1)
