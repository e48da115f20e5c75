"""Give each mention one ConText-style status: affirmed, historical, negated, hypothetical, other_experiencer.

Two questions decide a status:

1. **Modality**, from trigger rules in `lexicons/context_rules.jsonl` (ConText: a trigger modifies targets in
   its direction, up to `max_scope` tokens, stopping at a terminator or the end of the segment; pseudo-
   triggers such as "not only" block the trigger inside them; `labels` limits a rule to some concerns).
   Years before the note's own year ("overdose in 2020") make a mention historical.
2. **Whose is it** (the experiencer): the mother's mental health, not the grandmother's or the child's; the
   child's father, not the mother's own father; the professional's optimism, not the parent's view of
   their own progress. The person is found from a possessor ("MGM's depression", "her anxiety"), else the
   nearest person to the left in the segment, with pronouns resolved to the sentence's subject. Named
   people are looked up in a PeopleRegistry: the note's own here, the whole case's in case assembly.

`assign_statuses(doc, registry)` is public so case assembly can recompute statuses once it knows more names.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS, Status
from ..extensions import MENTIONS, MODIFIERS, PEOPLE, SEGMENTS, register_extensions
from ..lexicons import CONTEXT_SCHEMA, Rule, default_lexicon_dir, load_rules, rules_to_jsonl
from ..people import PeopleRegistry
from .people_tagger import person_gender, person_name
from .rule_matcher import RuleMatcher, longest_first

register_extensions()

MMH = CONCERN_LABELS["maternal_mental_health"]
FATHER = CONCERN_LABELS["father_involvement"]
GP = CONCERN_LABELS["gp_contact"]
OPTIMISM = CONCERN_LABELS["over_optimism"]

NON_EXPERIENCERS = {"PROFESSIONAL", "GP", "SELF"}  # people who act on a concern rather than have it
PROFESSIONAL_SPEAKERS = {"PROFESSIONAL", "GP", "SELF"}
_MODALITY_ORDER = ("NEGATED", "HYPOTHETICAL", "HISTORICAL")
_POSSESSIVE_PRONOUNS = {"her": "f", "his": "m", "their": None, "my": "self", "our": "self"}
_SKIPPABLE_BETWEEN_POSSESSOR = {"own", "ongoing", "long-standing", "longstanding", "current", "recent", "previous", "past",
                                "historic", "historical", "diagnosed", "known", "severe", "mild", "moderate", "chronic", "new",
                                "reported", "apparent", "increasing", "worsening", "significant", "continuing", "low", "poor"}


def load_context_rules(directory: Path) -> list[Rule]:
    return load_rules(Path(directory) / "context_rules.jsonl", CONTEXT_SCHEMA)


class ContextComponent:
    def __init__(self, nlp: Language, name: str = "recordscan_context", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(load_context_rules(directory))

    def _set_rules(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.matcher = RuleMatcher(self.nlp, rules, "context")

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc.spans.get(MENTIONS)
        if not mentions:
            doc.spans[MODIFIERS] = SpanGroup(doc, name=MODIFIERS, spans=[])
            return doc
        modifiers = [modifier_span(doc, start, end, rule) for rule, start, end in resolve_triggers(self.matcher(doc))]
        doc.spans[MODIFIERS] = SpanGroup(doc, name=MODIFIERS, spans=modifiers)
        assign_statuses(doc, doc._.people or PeopleRegistry())
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "context_rules.jsonl").write_text(rules_to_jsonl(self.rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(load_context_rules(Path(path)))
        return self


def resolve_triggers(matches):
    """ConText overlap rules: a pseudo-trigger ("not only") cancels the triggers inside it; otherwise the longest
    trigger wins among rules of the same category and labels, and rules of different kinds do not compete."""
    matches = list(matches)
    pseudo = [(s, e) for r, s, e in matches if r.get("category") == "PSEUDO"]
    groups: dict[tuple, list] = {}
    for rule, start, end in matches:
        if rule.get("category") != "PSEUDO" and any(ps <= start and end <= pe and (pe - ps) > (end - start) for ps, pe in pseudo):
            continue
        groups.setdefault((rule.get("category"), tuple(rule.get("labels") or ())), []).append((rule, start, end))
    kept = [m for group in groups.values() for m in longest_first(group, keep_ties=True)]
    return sorted(kept, key=lambda m: (m[1], m[2]))


def modifier_span(doc: Doc, start: int, end: int, rule: Rule) -> Span:
    """A trigger span. Its direction, scope and labels are stored on the span (kb_id), not in Span._
    extensions, which are keyed by character offsets: two rules may match the same words."""
    info = f"{rule.get('direction')}|{rule.get('max_scope', 8)}|{','.join(rule.get('labels') or ())}"
    return Span(doc, start, end, label=rule.get("category"), kb_id=info)


def modifier_parts(span: Span) -> tuple[str, int, tuple[str, ...]]:
    """(direction, max_scope, labels) of a trigger span made by `modifier_span`."""
    direction, scope, labels = span.kb_id_.split("|")
    return direction, int(scope), tuple(l for l in labels.split(",") if l)


# ---------------------------------------------------------------------------------------------------
class _DocIndex:
    """Segments, modifiers and people of one doc, indexed for the per-mention look-ups."""

    def __init__(self, doc: Doc, registry: PeopleRegistry):
        self.doc = doc
        self.registry = registry
        self.segments = list(doc.spans.get(SEGMENTS, [])) or [doc[:]]
        self.segment_starts = [s.start for s in self.segments]
        self.modifiers = list(doc.spans.get(MODIFIERS, []))
        self.people = list(doc.spans.get(PEOPLE, []))
        self.people_starts = [p.start for p in self.people]
        note_date = doc._.note_date
        self.note_year = note_date.year if isinstance(note_date, (dt.date, dt.datetime)) else dt.date.today().year

    def segment_index(self, token: int) -> int:
        return max(0, bisect_right(self.segment_starts, token) - 1)

    def segment(self, token: int) -> Span:
        return self.segments[self.segment_index(token)]

    def people_in(self, start: int, end: int) -> list[Span]:
        lo = bisect_right(self.people_starts, start - 1)
        hi = bisect_right(self.people_starts, end - 1)
        return self.people[lo:hi]

    def role_of(self, person: Span) -> tuple[str, str | None, str | None]:
        """(role, gender, name) of a person reference, using the registry for names."""
        label = person.label_
        name = person_name(person)
        if label == "MOTHER" and name is None and person.start > 0:
            owner = _owner_role(self, person.start)
            if owner is not None and owner != "CHILD":
                return "OTHER", "f", None  # "her mum", "Keeley's mum": the maternal grandmother
        if name is not None:
            entry = self.registry.lookup(name.split(), _title(person))
            if entry is not None:
                return entry.role, entry.gender or person_gender(person), entry.full_name
            return "PERSON", person_gender(person), name
        return label, person_gender(person), None


def _owner_role(index: "_DocIndex", position: int) -> str | None:
    """Role of the possessor just before `position` ("Zara's" -> CHILD, "her" -> resolved), None if none."""
    doc = index.doc
    prev = doc[position - 1].lower_
    if prev in ("her", "his", "their"):
        role = _resolve_pronoun(index, position - 1, _POSSESSIVE_PRONOUNS[prev])[0]
        return "CHILD" if role == "CHILD" else "OTHER"
    if prev in ("'s", "\u2019s") and position >= 2:
        owner = _person_ending_at(index, position - 1)
        if owner is None:
            return None
        role = index.role_of(owner)[0]
        return "CHILD" if role in ("CHILD", "PERSON") else "OTHER"
    return None


def _title(span: Span) -> str | None:
    first = span[0].lower_
    return first if first in ("mr", "mrs", "ms", "miss", "dr", "mx") else None


def assign_statuses(doc: Doc, registry: PeopleRegistry) -> None:
    """Set `status`, `status_reason`, `modality` and `experiencer` on every mention of the doc, after dropping
    words that only look like mentions (a GP surgery used as a meeting venue, 'GPs' meaning grandparents)."""
    index = _DocIndex(doc, registry)
    mentions = list(doc.spans.get(MENTIONS, []))
    kept = [m for m in mentions if not _excluded(index, m)]
    with_status = []
    for mention in kept:
        modality, reason = _modality(index, mention)
        experiencer, exp_reason = _experiencer(index, mention)
        mention._.modality = modality
        mention._.experiencer = experiencer
        if modality == "NEGATED":
            status, why = Status.NEGATED, reason
        elif modality == "HYPOTHETICAL":
            status, why = Status.HYPOTHETICAL, reason
        elif experiencer == "OTHER_EXPERIENCER":
            status, why = Status.OTHER_EXPERIENCER, exp_reason
        elif modality == "HISTORICAL":
            status, why = Status.HISTORICAL, reason
        else:
            status, why = Status.AFFIRMED, None
        mention._.status_reason = why
        with_status.append(mention_span(doc, mention.start, mention.end, mention.label_, mention.kb_id_, status.value))
    doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=with_status)


def mention_span(doc: Doc, start: int, end: int, label: str, kind: str = "", status: str = "") -> Span:
    """A concern mention: concept kind on kb_id, status on id (fast to read, kept when the span is copied)."""
    return Span(doc, start, end, label=label, kb_id=kind or "", span_id=status or "")


def mention_status(span: Span) -> str:
    return span.id_ or Status.AFFIRMED.value


_SCREENING_SCORE = re.compile(r"\b(epds|phq-?9|phq|gad-?7)\b\D{0,25}?(\d{1,2})\b", re.I)
SCREENING_CUTOFF = 10
_FULL_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-\d{2}-\d{2}\b")  # EPDS, PHQ-9 and GAD-7 scores of 10 or more suggest difficulty


def _excluded(index: _DocIndex, mention: Span) -> bool:
    seg = index.segment(mention.start)
    for mod in index.modifiers:
        if mod.label_ != "EXCLUDE" or mod.start >= seg.end or mod.end <= seg.start:
            continue
        labels = modifier_parts(mod)[2]
        if labels and mention.label_ not in labels:
            continue
        if (mod.start < mention.end and mention.start < mod.end) or _in_scope(mod, mention, []):
            return True
    return False


_INNER_NEGATION = {"not", "n't", "never", "no", "nothing", "hasn't", "haven't", "isn't", "aren't", "wasn't", "weren't"}


def _modality(index: _DocIndex, mention: Span) -> tuple[str | None, str | None]:
    inner = next((t for t in mention[1:] if t.lower_ in _INNER_NEGATION), None)
    if inner is not None:
        return "NEGATED", f"negated: '{inner.text}'"  # "have not improved"
    score = _SCREENING_SCORE.search(mention.text)
    if score and int(score.group(2)) < SCREENING_CUTOFF:
        return "NEGATED", f"screening score {score.group(2)} below the cut-off of {SCREENING_CUTOFF}"
    seg = index.segment(mention.start)
    found: dict[str, str] = {}
    terminators = [m for m in index.modifiers if m.label_ == "TERMINATE" and seg.start <= m.start < seg.end]
    for mod in index.modifiers:
        if mod.start >= seg.end or mod.end <= seg.start:
            continue
        category = mod.label_
        if category in ("TERMINATE", "PSEUDO", "REPORTING", "ACTOR", "EXCLUDE"):
            continue
        labels = modifier_parts(mod)[2]
        if labels and mention.label_ not in labels:
            continue
        if mod.start < mention.end and mention.start < mod.end:
            continue  # a trigger inside the mention ("No concerns at this time") is part of it
        if category == "PAST_DATE":
            year = _year_in(mod)
            if year is None or year >= index.note_year:
                continue
            category = "HISTORICAL"
        if not _in_scope(mod, mention, terminators):
            continue
        found.setdefault(category, f"{category.lower()}: '{mod.text}'")
    if "HISTORICAL" not in found:
        dated = _FULL_DATE.search(seg.text)
        if dated and int(dated.group(1) or dated.group(2)) < index.note_year:
            found["HISTORICAL"] = f"historical: dated {dated.group(0)}"  # a chronology entry: "22/03/2020: overdose"
    for category in _MODALITY_ORDER:
        if category in found:
            return category, found[category]
    return None, None


def _year_in(span: Span) -> int | None:
    for tok in span:
        if tok.shape_ == "dddd" and tok.text[:2] in ("19", "20"):
            return int(tok.text)
    return None


def _in_scope(mod: Span, mention: Span, terminators: list[Span]) -> bool:
    direction, scope, _ = modifier_parts(mod)
    if direction in ("forward", "bidirectional") and mod.end <= mention.start:
        if mention.start - mod.end < scope and not any(mod.end <= t.start < mention.start for t in terminators):
            return True
    if direction in ("backward", "bidirectional") and mention.end <= mod.start:
        if mod.start - mention.end < scope and not any(mention.end <= t.start < mod.start for t in terminators):
            return True
    return False


# ---------------------------------------------------------------------------------------------------
def _experiencer(index: _DocIndex, mention: Span) -> tuple[str | None, str | None]:
    """'OTHER_EXPERIENCER' (with a reason) when the mention belongs to someone other than the right person."""
    label = mention.label_
    if label == OPTIMISM:
        return _speaker(index, mention)
    if label == FATHER:
        return _father_owner(index, mention)
    owner = _possessor(index, mention)
    if owner is None and label == MMH:
        owner = _subject(index, mention)
    if owner is None:
        return None, None
    role, gender, name = owner
    mention._.anchor_name = name
    who = name or role.lower()
    if label == MMH:
        if role in ("CHILD", "FATHER", "OTHER") or gender == "m":
            return "OTHER_EXPERIENCER", f"other experiencer: {who}"
    elif label == GP:
        if role == "OTHER":
            return "OTHER_EXPERIENCER", f"other experiencer: {who}"
    return role, None


def _possessor(index: _DocIndex, mention: Span) -> tuple[str, str | None, str | None] | None:
    """The owner in "MGM's depression", "her anxiety", "his own PTSD", "Zara's low mood"."""
    doc = index.doc
    # The possessor may be inside the mention ("her anxiety") or just before it.
    positions = [mention.start] if mention.start < mention.end and doc[mention.start].lower_ in _POSSESSIVE_PRONOUNS else []
    k = mention.start - 1
    skipped = 0
    while k >= 0 and skipped <= 2 and doc[k].lower_ in _SKIPPABLE_BETWEEN_POSSESSOR:
        k -= 1
        skipped += 1
    if k >= 0:
        positions.append(k)
    for pos in positions:
        tok = doc[pos]
        if tok.lower_ in _POSSESSIVE_PRONOUNS:
            if tok.lower_ in ("my", "our"):
                return "SELF", None, None
            return _resolve_pronoun(index, pos, _POSSESSIVE_PRONOUNS[tok.lower_])
        if tok.lower_ in ("'s", "\u2019s", "'") and pos > 0:
            owner = _person_ending_at(index, pos)
            if owner is not None:
                return index.role_of(owner)
    return None


def _person_ending_at(index: _DocIndex, end: int) -> Span | None:
    for person in index.people_in(max(0, end - 5), end):
        if person.end == end:
            return person
    return None


_PREPOSITIONS = {"by", "with", "to", "from", "of", "for", "about", "at", "against", "towards", "toward", "after", "without", "between", "via", "re"}


def _subject(index: _DocIndex, mention: Span) -> tuple[str, str | None, str | None] | None:
    """The person to the left of the mention in its segment who could be having it: the nearest person
    who is not a professional, not the owner of something else ("Ayaan's attendance"), not the object
    of a preposition ("abuse by the children's father"), and not separated from the mention by a verb of
    acting on it ("Imran to ring the perinatal crisis line")."""
    doc = index.doc
    seg = index.segment(mention.start)
    actors = [m for m in index.modifiers if m.label_ == "ACTOR" and seg.start <= m.start and m.end <= mention.start]
    for person in reversed(index.people_in(seg.start, mention.start)):
        if person.end > mention.start:
            continue
        if any(person.end <= a.start for a in actors):
            return None  # an actor verb stands between this person and the mention
        role, gender, name = index.role_of(person)
        if role in NON_EXPERIENCERS:
            continue
        owns_other = person.end < len(doc) and doc[person.end].lower_ in ("'s", "\u2019s", "'")
        governed = person.start > 0 and doc[person.start - 1].lower_ in _PREPOSITIONS
        if role == "PRONOUN":
            pron = person[0].lower_
            if pron in ("her", "his", "their") and person.end < mention.start:
                continue  # a possessive owning something else ("her baby") is not the subject
            if pron in ("him", "them") or governed:
                continue
            return _resolve_pronoun(index, person.start, person_gender(person))
        if owns_other or governed:
            continue
        return role, gender, name
    return None


def _resolve_pronoun(index: _DocIndex, position: int, gender: str | None) -> tuple[str, str | None, str | None]:
    """The person a pronoun stands for: the first fitting person (the subject) of its segment, else of the
    segments before it in the note. 'he'/'his' is at least known to be male."""
    seg_i = index.segment_index(position)
    for back in range(0, 4):
        i = seg_i - back
        if i < 0:
            break
        seg = index.segments[i]
        end = position if back == 0 else seg.end
        for person in index.people_in(seg.start, end):
            role, p_gender, name = index.role_of(person)
            if role in NON_EXPERIENCERS or role == "PRONOUN":
                continue
            if gender in ("f", "m") and p_gender not in (None, gender):
                continue
            if gender == "f" and role == "FATHER" or gender == "m" and role == "MOTHER":
                continue
            return role, p_gender or gender, name
    return ("PRONOUN", gender, None)


def _father_owner(index: _DocIndex, mention: Span) -> tuple[str | None, str | None]:
    """A father word owned by the mother or another adult is someone else's father ("Gemma's father died")."""
    head = mention[-1].lower_
    if head not in ("father", "dad", "daddy", "stepfather", "stepdad"):
        return None, None
    owner = _possessor(index, mention)
    if owner is None:
        return None, None
    role, gender, name = owner
    mention._.anchor_name = name
    if role in ("MOTHER", "OTHER", "FATHER"):
        return "OTHER_EXPERIENCER", f"other experiencer: {(name or role.lower())}'s {head}"
    return role, None


def _speaker(index: _DocIndex, mention: Span) -> tuple[str | None, str | None]:
    """Whose view is an optimistic statement? A parent's own view is not professional optimism."""
    seg = index.segment(mention.start)
    reporting = [m for m in index.modifiers if m.label_ == "REPORTING" and seg.start <= m.start and m.end <= mention.start
                 and mention.start - m.end < modifier_parts(m)[1]]
    if not reporting:
        return "PROFESSIONAL", None
    verb = reporting[-1]
    if verb.text.lower().startswith("according to"):
        candidates = index.people_in(verb.end, min(verb.end + 3, mention.start))[:1]  # "according to mum"
    else:
        # "in mum's view" names the person inside the trigger; "mum said" just before it.
        candidates = index.people_in(verb.start, verb.end)[:1] or [
            p for p in index.people_in(seg.start, verb.start) if verb.start - p.end <= 4
        ][-1:]
    if not candidates:
        if _elided_subject(index, verb, seg):
            return _speaker_status(mention, ("PARENT", None, None), verb)  # "Says things are better this wk."
        return "PROFESSIONAL", None
    person = candidates[0]
    role, gender, name = index.role_of(person)
    if role == "PRONOUN":
        role, gender, name = _resolve_pronoun(index, person.start, person_gender(person))
        if role == "PRONOUN":
            role = "PARENT"  # "she said things are better": in these records a parent, not the author
    return _speaker_status(mention, (role, gender, name), verb)


def _elided_subject(index: _DocIndex, verb: Span, seg: Span) -> bool:
    """A reporting verb opening its clause with no subject: in terse notes, the parent being written about."""
    doc = index.doc
    k = verb.start - 1
    while k >= seg.start and doc[k].is_space:
        k -= 1
    return k < seg.start or doc[k].text in (";", ",", "-", "\u2013", ":", "&", "and")


def _speaker_status(mention: Span, speaker: tuple, verb: Span) -> tuple[str | None, str | None]:
    role, gender, name = speaker
    mention._.speaker = role
    mention._.speaker_name = name
    if role in PROFESSIONAL_SPEAKERS:
        return "PROFESSIONAL", None
    who = name or role.lower()
    return "OTHER_EXPERIENCER", f"the view of {who} ('{verb.text}')"
