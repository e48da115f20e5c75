"""Load and validate the rule and term files in `lexicons/`.

Every file is JSON Lines: one rule per line, so an error can name the file and line. Unknown keys, missing
keys, values outside the allowed set and patterns spaCy's Matcher rejects all fail loudly at load time,
never silently at match time. Blank lines and lines starting with `#` are comments.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .concepts import CONCERNS, FOLLOWUP_KINDS, LABELS

ROLES = ("MOTHER", "FATHER", "CHILD", "OTHER", "PROFESSIONAL", "GP", "PRONOUN", "SELF")
CONTEXT_CATEGORIES = ("NEGATED", "HISTORICAL", "HYPOTHETICAL", "PAST_DATE", "TERMINATE", "PSEUDO", "REPORTING", "ACTOR", "EXCLUDE", "NO_ROLE")
DIRECTIONS = ("forward", "backward", "bidirectional", "none")


class LexiconError(ValueError):
    """A rule file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    """One validated line of a lexicon file. `pattern` is a phrase (str) or a Matcher token pattern (list)."""

    pattern: str | list
    fields: dict[str, Any]
    source: str  # "file:line", for error messages and for auditors asking "which rule fired?"

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def to_json(self) -> dict:
        fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in self.fields.items()}
        return {"pattern": self.pattern, **fields}


@dataclass(frozen=True)
class Schema:
    """What a lexicon file may contain: required keys, optional keys and allowed values."""

    name: str
    required: frozenset[str]
    optional: frozenset[str]
    choices: dict[str, tuple] = field(default_factory=dict)
    list_choices: dict[str, tuple] = field(default_factory=dict)
    ints: frozenset[str] = frozenset()


# "reassurance": an optimistic statement made with a negation ("I have no worries now"); the negation is part of it.
# "anaphor": a term that points back ("her illness", "medication"); a mention only after a plain one in the same note.
# "case_anaphor": a term that points back to a difficulty the case already knows ("the tablets", "the checking"); a
# mention after a plain one in the same note or in an earlier note of the case.
# "reassurance_anaphor": a reassurance too bare to stand alone ("no concerns", "no worries"), which is as often a
# negated health finding ("Tommy: no concerns, immunisations complete"); a mention only after a plain optimistic one
# in the same note ("Really positive session, no concerns").
# "idiom": a difficulty told in words whose negation is part of them ("she can't see the point", "Mum's not been
# right"); it is a symptom whose inner negation does not negate it.
CONCEPT_KINDS = ("symptom", "service", "medication", "screening", "person", "place", "record", "statement", "reassurance", "anaphor",
                 "case_anaphor", "idiom", "reassurance_anaphor")
CONCEPT_SCHEMA = Schema("concept", frozenset({"pattern"}), frozenset({"id", "comment", "kind"}), choices={"kind": CONCEPT_KINDS})
CONTEXT_SCHEMA = Schema(
    "context",
    frozenset({"pattern", "category", "direction"}),
    frozenset({"max_scope", "labels", "comment", "id", "reach"}),
    choices={"category": CONTEXT_CATEGORIES, "direction": DIRECTIONS, "reach": ("scope", "sentence_opening")},
    list_choices={"labels": LABELS},
    ints=frozenset({"max_scope"}),
)
PEOPLE_SCHEMA = Schema(
    "people",
    frozenset({"pattern", "role"}),
    frozenset({"gender", "comment", "id", "possessive"}),
    choices={"role": ROLES, "gender": ("f", "m"), "possessive": (True, False)},
)
FOLLOWUP_SCHEMA = Schema(
    "followup",
    frozenset({"pattern", "action", "kind", "concerns"}),
    frozenset({"comment", "id", "needs_mention", "needs_kind", "link", "one_way", "also_needs", "needs_words"}),
    choices={"kind": FOLLOWUP_KINDS, "one_way": (True, False), "needs_mention": (True, False),
             "link": ("any", "subject", "subject_strict", "object", "nearby")},
    list_choices={"concerns": CONCERNS, "needs_kind": CONCEPT_KINDS, "also_needs": LABELS},
)
FOLLOWUP_MODIFIER_SCHEMA = Schema(
    "followup modifier",
    frozenset({"pattern", "kind", "direction"}),
    frozenset({"max_scope", "comment", "reach"}),
    choices={"kind": ("planned", "failed", "negated", "terminate", "clause_break", "pseudo", "notice"), "direction": DIRECTIONS,
             "reach": ("scope", "sentence", "previous_sentence")},
    ints=frozenset({"max_scope"}),
)
CASE_EVENT_SCHEMA = Schema(
    "case event",
    frozenset({"pattern", "event"}),
    frozenset({"comment"}),
    choices={"event": ("closure", "step_down", "step_up", "review_planned")},
)
WORDLIST_SCHEMA = Schema("wordlist", frozenset({"pattern", "set"}), frozenset({"comment"}),
                         choices={"set": ("not_name", "organisation")})
#: Phrases only (no token patterns): review_periods.py matches them on a sentence's text during case assembly; the
#: follow-up tagger loads and saves them with its own rule files.
REVIEW_PERIOD_SCHEMA = Schema("review period", frozenset({"pattern", "set"}), frozenset({"comment"}),
                              choices={"set": ("keeps_open", "drops_review")})
CUE_WORD_SCHEMA = Schema("cue word", frozenset({"pattern", "set"}), frozenset({"comment"}),
                         choices={"set": ("child_thing", "speaker_verb", "common_word", "womans_name")})
#: Word sets of the context component (see components/context.py's ContextWords); every set but
#: childs_own_record_author holds single words.
CONTEXT_WORD_SETS = ("praise", "distress", "childs_own_record_author", "adult_only", "childs_presentation", "content_noun",
                     "body_part", "gp_record_word", "venue_heading")
CONTEXT_WORD_SCHEMA = Schema("context word", frozenset({"pattern", "set"}), frozenset({"comment"}),
                             choices={"set": CONTEXT_WORD_SETS})


#: Fields any rule may carry: conditions checked on a phrase match (see components/rule_matcher.py).
MATCH_CONDITIONS = frozenset({"left", "right", "not_followed_by", "not_preceded_by"})
_CONDITION_CHOICES = {"left": ("title", "number", "year"), "right": ("number", "year")}


def load_rules(path: Path, schema: Schema) -> list[Rule]:
    """Read and validate one JSONL rule file."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 ({exc.reason})") from None
    return parse_rules(lines, schema, str(path))


def parse_rules(lines: Iterable[str], schema: Schema, source_name: str) -> list[Rule]:
    """Parse and validate rules; a rule repeated word for word (ignoring its comment) is an error, since an
    edit to one copy would silently not take effect."""
    rules = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{source_name}:{lineno}"
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        rule = _validate(obj, schema, where)
        key = json.dumps({k: v for k, v in obj.items() if k != "comment"}, sort_keys=True)
        if key in seen:
            raise LexiconError(f"{where}: duplicate of the rule on line {seen[key]}")
        seen[key] = lineno
        rules.append(rule)
    return rules


def _validate(obj: Any, schema: Schema, where: str) -> Rule:
    if not isinstance(obj, dict):
        raise LexiconError(f"{where}: each line must be a JSON object")
    unknown = set(obj) - schema.required - schema.optional - MATCH_CONDITIONS
    if unknown:
        raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)} for a {schema.name} rule")
    missing = schema.required - set(obj)
    if missing:
        raise LexiconError(f"{where}: missing key(s) {sorted(missing)}")
    pattern = obj["pattern"]
    _validate_pattern(pattern, where)
    for key, allowed in schema.choices.items():
        if key in obj and obj[key] not in allowed:
            raise LexiconError(f"{where}: {key}={obj[key]!r} is not one of {list(allowed)}")
    for key, allowed in schema.list_choices.items():
        if key in obj:
            value = obj[key]
            if not isinstance(value, list) or not value:
                raise LexiconError(f"{where}: {key} must be a non-empty list")
            bad = [v for v in value if v not in allowed]
            if bad:
                raise LexiconError(f"{where}: {key} has unknown value(s) {bad}; allowed: {list(allowed)}")
    for key in schema.ints:
        if key in obj and (not isinstance(obj[key], int) or isinstance(obj[key], bool) or obj[key] < 1):
            raise LexiconError(f"{where}: {key} must be a positive integer")
    for key, allowed in _CONDITION_CHOICES.items():
        if key in obj and obj[key] not in allowed:
            raise LexiconError(f"{where}: {key}={obj[key]!r} is not one of {list(allowed)}")
    for key in ("not_followed_by", "not_preceded_by", "needs_words"):
        if key in obj:
            veto = obj[key]
            if not isinstance(veto, list) or not veto or not all(isinstance(v, str) for v in veto):
                raise LexiconError(f"{where}: {key} must be a non-empty list of words")
            obj = {**obj, key: frozenset(v.lower() for v in veto)}
    fields = {k: v for k, v in obj.items() if k != "pattern"}
    return Rule(pattern=pattern, fields=fields, source=where)


def _validate_pattern(pattern: Any, where: str) -> None:
    if isinstance(pattern, str):
        if not pattern.strip():
            raise LexiconError(f"{where}: pattern is an empty string")
        return
    if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) and t for t in pattern):
        raise LexiconError(f"{where}: pattern must be a phrase string or a non-empty list of token objects")
    # spaCy's own schema check, so a typo such as {"LOWR": "x"} is reported here with the line number.
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern(pattern)
    if errors:
        raise LexiconError(f"{where}: bad token pattern: {'; '.join(errors)}")


def rules_to_jsonl(rules: Iterable[Rule]) -> str:
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in rules)


def default_lexicon_dir() -> Path:
    """The lexicons shipped with the package (the repository's top-level `lexicons/`)."""
    return Path(str(resources.files("recordscan.resources.lexicons")))


def lexicon_hash(directory: Path | None = None) -> str:
    """SHA-256 over every rule file's name and bytes, so a run records exactly which rules it used."""
    directory = Path(directory or default_lexicon_dir())
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.jsonl")):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
