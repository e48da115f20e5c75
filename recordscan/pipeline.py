"""Build, save and load the recordscan spaCy pipeline.

The pipeline starts from `spacy.blank("en")` (nothing is downloaded) with the cleaning tokenizer in front:

    cleaning tokenizer -> segmenter -> concepts -> people -> context -> follow-ups
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import factories  # noqa: F401  (registers the factories and the tokenizer)

COMPONENTS = ("recordscan_segmenter", "recordscan_concepts", "recordscan_people", "recordscan_context", "recordscan_followups")
_LEXICON_COMPONENTS = {
    "recordscan_concepts": "concepts",
    "recordscan_people": "",
    "recordscan_context": "",
    "recordscan_followups": "",
}


def build_pipeline(lexicon_dir: str | Path | None = None) -> Language:
    """A fresh pipeline from the lexicons in `lexicon_dir` (default: the ones shipped with recordscan)."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "recordscan.cleaning_tokenizer.v1"}}})
    for name in COMPONENTS:
        config = {}
        if name in _LEXICON_COMPONENTS and lexicon_dir is not None:
            config["lexicon_dir"] = str(Path(lexicon_dir) / _LEXICON_COMPONENTS[name]) if _LEXICON_COMPONENTS[name] else str(lexicon_dir)
        nlp.add_pipe(name, config=config)
    return nlp


def save_pipeline(nlp: Language, path: str | Path) -> None:
    nlp.to_disk(path)


def load_pipeline(path: str | Path) -> Language:
    """Load a pipeline saved with `save_pipeline`; its rules come from the saved directory, not the repository.
    Each component is first built from the shipped lexicons and then reads its saved rules, so the directory the
    pipeline was built from need not exist any more (a pipeline copied to another machine, say)."""
    overrides = {f"components.{name}.lexicon_dir": None for name in _LEXICON_COMPONENTS}
    return spacy.load(path, config=overrides)
