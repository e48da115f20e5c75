"""The cleaning tokenizer: cleans export artefacts, then tokenizes, keeping a map back to the original.

Cleaning has to happen before tokenization (a `<br>` or `&#39;` inside a word changes the tokens), and a
spaCy pipeline component only ever sees a Doc that is already tokenized. So the cleaner wraps spaCy's
tokenizer: it is registered in spaCy's `tokenizers` registry and named in the pipeline config, which is the
spaCy way of putting a step in front of tokenization. The Doc keeps the original text and an OffsetMap, so
every span can be reported against the text the user gave us.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.language import create_tokenizer as create_default_tokenizer
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..text_cleaning import clean_text

register_extensions()


class CleaningTokenizer:
    """Callable tokenizer: clean(text) -> spaCy's default English tokenizer -> Doc with original text attached."""

    def __init__(self, inner):
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        cleaned, offset_map = clean_text(text)
        doc = self.inner(cleaned)
        doc._.original_text = text
        doc._.offset_map = offset_map
        doc._.clean_text = cleaned
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # Serialisation delegates to the wrapped tokenizer, so nlp.to_disk/from_disk keep working.
    def to_disk(self, path: str | Path, **kwargs) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path: str | Path, **kwargs) -> "CleaningTokenizer":
        self.inner.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs) -> "CleaningTokenizer":
        self.inner.from_bytes(data, **kwargs)
        return self

    def explain(self, text: str):
        return self.inner.explain(clean_text(text)[0])


_DIGIT_EMOTICON = re.compile(r"[(]-?[0-9]|[0-9]-?[)(DdPp]|[0-9][._][0-9oO]|[<=:;][0-9]")


@spacy.registry.tokenizers("recordscan.cleaning_tokenizer.v1")
def create_cleaning_tokenizer() -> Callable[[Language], CleaningTokenizer]:
    def make(nlp: Language) -> CleaningTokenizer:
        inner = create_default_tokenizer()(nlp)
        # Case notes write ages as "(8)" and "(Year 8)": spaCy's emoticon exceptions would keep "8)" and "(8"
        # as single tokens, hiding the bracket. Digit emoticons are dropped; the rest of the exceptions stay.
        inner.rules = {k: v for k, v in inner.rules.items() if not _DIGIT_EMOTICON.fullmatch(k)}
        return CleaningTokenizer(inner)

    return make
