"""Every spaCy factory recordscan registers, in one place (exposed through the `spacy_factories` entry point).

Each factory's config names the lexicon directory; `None` means the lexicons shipped with the package.
A saved pipeline carries its own copy of the rules (each component's `to_disk`), so loading one never
reads the repository's `lexicons/`.
"""

from __future__ import annotations

from typing import Optional

from spacy.language import Language

from .components.cleaner import CleaningTokenizer, create_cleaning_tokenizer  # noqa: F401  (registers the tokenizer)
from .components.concept_tagger import ConceptTagger
from .components.context import ContextComponent
from .components.followup_tagger import FollowupTagger
from .components.people_tagger import PeopleTagger
from .components.segmenter import NoteSegmenter


@Language.factory("recordscan_segmenter")
def make_segmenter(nlp: Language, name: str) -> NoteSegmenter:
    return NoteSegmenter(nlp, name)


@Language.factory("recordscan_concepts", default_config={"lexicon_dir": None})
def make_concept_tagger(nlp: Language, name: str, lexicon_dir: Optional[str]) -> ConceptTagger:
    return ConceptTagger(nlp, name, lexicon_dir=lexicon_dir)


@Language.factory("recordscan_people", default_config={"lexicon_dir": None})
def make_people_tagger(nlp: Language, name: str, lexicon_dir: Optional[str]) -> PeopleTagger:
    return PeopleTagger(nlp, name, lexicon_dir=lexicon_dir)


@Language.factory("recordscan_context", default_config={"lexicon_dir": None})
def make_context(nlp: Language, name: str, lexicon_dir: Optional[str]) -> ContextComponent:
    return ContextComponent(nlp, name, lexicon_dir=lexicon_dir)


@Language.factory("recordscan_followups", default_config={"lexicon_dir": None})
def make_followup_tagger(nlp: Language, name: str, lexicon_dir: Optional[str]) -> FollowupTagger:
    return FollowupTagger(nlp, name, lexicon_dir=lexicon_dir)
