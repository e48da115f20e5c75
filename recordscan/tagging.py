"""Run the spaCy pipeline over notes and turn its spans into plain records with offsets into the ORIGINAL text.

This is the boundary between spaCy objects and the rest of recordscan: everything downstream (case
assembly, writers, evaluation) works with the dataclasses defined here.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import deque
from dataclasses import dataclass, fields
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .components.context import MENTION_INFO_KEY
from .components.followup_tagger import TARGET_JOIN, followup_parts
from .extensions import FOLLOWUPS, MENTIONS, doc_text, doc_value, register_extensions

register_extensions()


@dataclass(frozen=True)
class Note:
    """One row of an export, after reading and validation."""

    case_id: str
    note_id: str
    date: dt.date | None
    text: str
    author_role: str | None = None
    note_type: str | None = None
    row: int | None = None  # row number in the input file, for messages


@dataclass(frozen=True)
class MentionRecord:
    case_id: str
    note_id: str
    label: str
    start: int  # offsets into the original note text: text == original[start:end]
    end: int
    text: str
    status: str
    reason: str | None = None

    def as_dict(self) -> dict:
        return _flat_dict(self)

    def values(self) -> tuple:
        """The fields in declaration order: a row of mentions.csv."""
        return _MENTION_VALUES(self)


@dataclass(frozen=True)
class FollowupRecord:
    case_id: str
    note_id: str
    concern: str
    start: int
    end: int
    text: str
    kind: str
    action: str | None = None
    target: str | None = None

    def as_dict(self) -> dict:
        return _flat_dict(self)

    def values(self) -> tuple:
        """The fields in declaration order: a row of followups.csv."""
        return _FOLLOWUP_VALUES(self)


MENTION_FIELDS = [f.name for f in fields(MentionRecord)]
FOLLOWUP_FIELDS = [f.name for f in fields(FollowupRecord)]
_MENTION_VALUES = operator.attrgetter(*MENTION_FIELDS)
_FOLLOWUP_VALUES = operator.attrgetter(*FOLLOWUP_FIELDS)


def _flat_dict(record) -> dict:
    """Field name -> value; the records hold only flat values, so dataclasses.asdict's deep copy is wasted work."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def make_doc(nlp: Language, note: Note) -> Doc:
    """Tokenize (and clean) a note and attach its metadata, before the pipeline components run."""
    if len(note.text) >= nlp.max_length:
        # The readers enforce the user's --max-note-chars; spaCy's own limit must not contradict it.
        nlp.max_length = len(note.text) + 1
    doc = nlp.make_doc(note.text)
    doc._.note_date = note.date
    doc._.author_role = note.author_role
    doc._.note_type = note.note_type
    return doc


def tag_notes(nlp: Language, notes: Iterable[Note], batch_size: int = 256, disable: Iterable[str] = ()) -> Iterator[tuple[Note, Doc]]:
    """Yield (note, processed doc) pairs in input order; `disable` names components to skip."""
    pending: deque[Note] = deque()

    def docs(items: Iterable[Note]) -> Iterator[Doc]:
        for note in items:
            pending.append(note)
            yield make_doc(nlp, note)

    for doc in nlp.pipe(docs(notes), batch_size=batch_size, disable=list(disable)):
        yield pending.popleft(), doc


def original_span(doc: Doc, span: Span) -> tuple[int, int]:
    """Offsets of a span in the note text the user gave us."""
    return _to_original(doc._.offset_map, span)


def _to_original(offset_map, span: Span) -> tuple[int, int]:
    if offset_map is None:
        return span.start_char, span.end_char
    return offset_map.span(span.start_char, span.end_char)


def _changed_offsets(doc: Doc):
    """The note's offset map, or None when cleaning moved no character (most notes): case assembly then reads
    offsets straight off the spans."""
    offset_map = doc_value(doc, "offset_map")
    return None if offset_map is None or offset_map.is_identity() else offset_map


def original_text(doc: Doc) -> str:
    text = doc_value(doc, "original_text")
    return text if text is not None else doc_text(doc)


def mention_records(note: Note, doc: Doc) -> list[MentionRecord]:
    text = original_text(doc)
    offset_map = _changed_offsets(doc)
    out = []
    info = doc.user_data.get(MENTION_INFO_KEY, {})
    for span in doc.spans.get(MENTIONS, []):
        start, end = _to_original(offset_map, span)
        reason = info.get((span.start, span.end, span.label_), (None, None))[0]
        out.append(MentionRecord(note.case_id, note.note_id, span.label_, start, end, text[start:end], span.id_ or "affirmed", reason))
    return out


def followup_records(note: Note, doc: Doc, group: str = FOLLOWUPS) -> list[FollowupRecord]:
    return followup_records_of_groups(note, doc, (group,))[0]


def followup_records_of_groups(note: Note, doc: Doc, groups: tuple[str, ...]) -> list[list[FollowupRecord]]:
    """`followup_records` for several span groups, reading the note's text and offset map once."""
    text = original_text(doc)
    offset_map = _changed_offsets(doc)
    # Cleaning that kept every offset may still have changed characters (a curly apostrophe made straight).
    retyped = text != doc_text(doc)
    as_given = None
    out = []
    for group in groups:
        records = []
        for span in doc.spans.get(group, []):
            start, end = _to_original(offset_map, span)
            kind, action, target = followup_parts(span)
            if target is not None and retyped:
                # The target was read off the cleaned text ("Ellie-Mae's"); mentions carry the text as given
                # ("Ellie-Mae&#39;s"), and the two must match for the action to be tied to its person.
                if as_given is None:
                    as_given = {m.text: text[slice(*_to_original(offset_map, m))] for m in doc.spans.get(MENTIONS, [])}
                target = TARGET_JOIN.join(as_given.get(part, part) for part in target.split(TARGET_JOIN))
            records.append(FollowupRecord(note.case_id, note.note_id, span.label_, start, end, text[start:end], kind, action, target))
        out.append(records)
    return out
