"""Every custom Doc and Span attribute recordscan uses, declared once.

Components import `register_extensions()` and call it before use; it is idempotent, so importing the
package twice or loading two pipelines does not re-declare anything.

Span groups (in `doc.spans`) carry the results users see, so they survive `DocBin` serialisation:
- `MENTIONS`: concern mentions, label = mention label (MATERNAL_MENTAL_HEALTH ...), kb_id = concept kind,
  id = status (on the span itself: reading a Span._ extension costs ~25 times more, and the hot loops read it);
  the reason for each status is in `doc.user_data["rs.mention_info"]`
- `FOLLOWUPS`: follow-up actions, label = concern key (one span per concern an action addresses); kind and
  action are stored on the span (kb_id, id) because two follow-ups can share offsets (see followup_tagger)
The components' working data (segments, people, ConText triggers) are plain tuples in `doc.user_data`
(see components/notestate.py).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

MENTIONS = "rs_mentions"
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
_SPAN_EXTENSIONS: dict = {}


def doc_value(doc: Doc, name: str):
    """`doc._.<name>` for one of the attributes above, read straight from `doc.user_data` where spaCy keeps it.
    Case assembly reads the original text tens of times per note, and each `doc._` builds a new accessor object
    first, which costs several times more than this dictionary lookup. Only for plain attributes (no getter or
    method), which all of ours are."""
    return doc.user_data.get(("._.", name, None, None), _DOC_EXTENSIONS[name])


def doc_text(doc: Doc) -> str:
    """The Doc's text, without spaCy re-joining every token each time it is asked."""
    text = doc_value(doc, "clean_text")
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
