"""Every custom Doc and Span attribute recordscan uses, declared once.

Components import `register_extensions()` and call it before use; it is idempotent, so importing the
package twice or loading two pipelines does not re-declare anything.

Span groups (in `doc.spans`) carry the annotations, so they survive `DocBin` serialisation:
- `SEGMENTS`: sentences and list items, label = kind (sentence, heading, bullet, present, apologies)
- `MENTIONS`: concern mentions, label = mention label (MATERNAL_MENTAL_HEALTH ...), kb_id = concept kind,
  id = status (on the span itself: reading a Span._ extension costs ~25 times more, and the hot loops read it)
- `PEOPLE`: references to people, label = role (MOTHER, FATHER, CHILD, OTHER, PROFESSIONAL, PERSON), kb_id = name,
  id = gender
- `MODIFIERS`: ConText triggers, label = category (NEGATED, HISTORICAL, HYPOTHETICAL, TERMINATE, PSEUDO)
- `FOLLOWUPS`: follow-up actions, label = concern key (one span per concern an action addresses); kind and
  action are stored on the span (kb_id, id) because two follow-ups can share offsets (see followup_tagger)
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SEGMENTS = "rs_segments"
MENTIONS = "rs_mentions"
PEOPLE = "rs_people"
MODIFIERS = "rs_modifiers"
FOLLOWUPS = "rs_followups"

_DOC_EXTENSIONS = {
    "original_text": None,  # the text as the user gave it (before cleaning)
    "clean_text": None,  # doc.text, cached: spaCy rebuilds doc.text from its tokens on every access
    "offset_map": None,  # text_cleaning.OffsetMap from doc.text offsets to original_text offsets
    "note_date": None,  # datetime.date of the note, when known
    "author_role": None,  # "Social Worker", "GP", ...
    "note_type": None,
    "people": None,  # people.PeopleRegistry of the names this note (or, after case assembly, its case) defines
}
_SPAN_EXTENSIONS = {
    "status_reason": None,  # the trigger or rule that set the status, for auditors
    "modality": None,  # ConText category from triggers alone (NEGATED, HISTORICAL, HYPOTHETICAL) or None
    "experiencer": None,  # role the mention is about (MOTHER, FATHER, CHILD, OTHER, ...) or None
    "anchor_name": None,  # a named person the mention is about, when their role is not yet known
    "speaker": None,  # for optimism: role of the person whose view it is
    "speaker_name": None,
}


def doc_text(doc: Doc) -> str:
    """The Doc's text, without spaCy re-joining every token each time it is asked."""
    text = doc._.clean_text
    if text is None:
        text = doc.text
        doc._.clean_text = text
    return text


def register_extensions() -> None:
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
