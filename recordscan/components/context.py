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
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS, LABELS, Status
from ..extensions import MENTIONS, doc_text, doc_value, register_extensions
from ..lexicons import CONTEXT_SCHEMA, CONTEXT_WORD_SCHEMA, LexiconError, Rule, default_lexicon_dir, load_rules, rules_to_jsonl
from ..people import FEMALE_TITLES, MALE_TITLES, TITLES, PeopleRegistry, bracketed_ages
from .people_tagger import OWNED_FATHER_WORDS, his_before, of_a_saints_church, possessive_at
from .notestate import TRIGGERS_KEY, Person, Segment, Tokens, Trigger, hashes, people, relative_clauses, segments, tokens, triggers
from .rule_matcher import TIME_UNITS, RuleMatcher, longest_first

register_extensions()

MMH = CONCERN_LABELS["maternal_mental_health"]
FATHER = CONCERN_LABELS["father_involvement"]
GP = CONCERN_LABELS["gp_contact"]
OPTIMISM = CONCERN_LABELS["over_optimism"]

_H_OWN = hash_string("own")
_H_SUBORDINATORS = hashes(["since", "when", "after", "before", "until", "because", "while", "whenever", "unless"])
_H_DETERMINERS_OF = hashes(["the", "a", "her", "his", "their", "both", "this", "that", "each"])
_H_OPEN_BRACKET, _H_CLOSE_BRACKET = hashes(["("]), hashes([")"])
_H_HIM = hashes(["him"])
_H_PASSIVE_BE = hashes(["been", "was", "were", "is", "being", "be"])
_H_NEUTRAL_PARTNER = hashes(["partner"])
_H_BODY_PREPOSITIONS = hashes(["to", "on", "across"])
_H_WITHOUT = hashes(["without"])
_OBJECT_PRONOUNS = {"her": "f", "him": "m"}
_H_FORMER = hashes(["ex", "former", "previous", "old"])
_H_PARTNER_WORDS = hashes(["partner", "boyfriend", "husband", "relationship", "fella", "-"])
NON_EXPERIENCERS = {"PROFESSIONAL", "GP", "SELF"}  # people who act on a concern rather than have it
PROFESSIONAL_SPEAKERS = {"PROFESSIONAL", "GP", "SELF"}
_MODALITY_ORDER = ("NEGATED", "HYPOTHETICAL", "HISTORICAL")
_POSSESSIVE_PRONOUNS = {"her": "f", "his": "m", "their": None, "my": "self", "our": "self"}
_H_POSSESSIVE_PRONOUNS = hashes(_POSSESSIVE_PRONOUNS)
_H_SKIPPABLE_BETWEEN_POSSESSOR = hashes({"own", "ongoing", "long-standing", "longstanding", "current", "recent", "previous", "past",
                                         "historic", "historical", "diagnosed", "known", "severe", "mild", "moderate", "chronic", "new",
                                         "reported", "apparent", "increasing", "worsening", "significant", "continuing", "low", "poor", "late"})  # "Joanne's late father"
_H_APOSTROPHE_S = hashes(["'s", "\u2019s", "'"])
_H_PREPOSITIONS = hashes({"by", "with", "to", "from", "of", "for", "about", "at", "against", "towards", "toward", "after", "without",
                          "between", "via", "re"})
_H_OBJECT_PRONOUNS = hashes(["him", "them"])
_H_SUBJECT_PRONOUNS = hashes(["he", "she"])
_H_SUBJECTLESS_OPENERS = hashes(["disclosed", "discloses", "reports", "reported", "says", "said", "describes", "described",
                                  "admits", "admitted", "presents", "presented", "appears", "appeared", "states", "stated"])
_H_COLON = hashes([":"])
#: Concept kinds whose negation is part of the words ("I have no worries now", "she can't see the point").
OWN_NEGATION_KINDS = ("reassurance", "idiom", "reassurance_anaphor")
#: Concept kinds that name her difficulty itself, not a service or a treatment for it.
SYMPTOM_KINDS = ("symptom", "idiom")
_H_INNER_NEGATION = hashes({"not", "n't", "never", "no", "nothing", "hasn't", "haven't", "isn't", "aren't", "wasn't", "weren't"})
_H_CLAUSE_OPENERS = hashes([";", ",", "-", "\u2013", ":", "&", "and"])
_H_SEMICOLON = hash_string(";")
_H_THIRD_PERSONS = hashes(["her", "him", "them"])
_H_SPEAKING = hashes(["said", "says", "told", "tells", "reports", "reported", "feels", "felt", "thinks", "thought", "explained"])
_H_TITLES = hashes(TITLES)
_H_OF_WORD = next(iter(hashes(["of"])))
_H_HYPHEN = hashes(["-"])
#: Prepositions whose object a later "she" does not stand for ("the low days look like for Mason").
_H_TOPIC_PREPOSITIONS = hashes({"for", "about", "to", "of", "from"})
_H_FOR_WORD = next(iter(hashes({"for"})))
_H_HUSBAND = hashes(["husband"])
_FATHER_HEADS = hashes(["father", "dad", "daddy", "stepfather", "stepdad"]) | _H_HUSBAND
_H_FATHER_WORDS = _FATHER_HEADS | hashes(["fathers", "dads"])
_NOT_A_SCORE = r"(?!\s*-?\s*(?:" + "|".join(sorted(TIME_UNITS)) + r")\b)"  # "her 10-day check" is no score
# "PHQ" alone only where no number is glued to it, and no score glued to letters: the 9 of "PHQ-9" and the 7 of
# "GAD-7" name the questionnaires, they are never a score ("the GAD-7 and PHQ-9 together (scores 16 and 15)").
# Nor a day of the month ("EPDS completed on 5 March", "on 5/3").
_NOT_A_SCORE += r"(?!\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)(?!\s*[/.]\d{1,2}[/.]\d)"
_SCREENING_SCORE = re.compile(r"\b(epds|phq-?9|phq(?!-?\d)|gad-?7)\b\D{0,40}?(?<![A-Za-z]-)(?<![A-Za-z])(\d{1,2})\b" + _NOT_A_SCORE, re.I)
_SCREENING_SCORE_BEFORE = re.compile(r"\b()(\d{1,2})\s*(?:/\s*\d{1,2}\s*)?(?:on|in)\s+(?:the\s+)?(?:epds|phq-?9|phq|gad-?7)\b", re.I)  # "4 on the EPDS"
SCREENING_CUTOFF = 10  # EPDS, PHQ-9 and GAD-7 scores of 10 or more suggest difficulty
_FULL_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-\d{2}-\d{2}\b")
_YEAR = re.compile(r"^(19|20)\d\d$")
_BIRTH_DATE = re.compile(r"(?:\bd\.?o\.?b\.?|\bborn(?: on)?|\bbirth)\W{0,4}$", re.I)  # just before a date: "DOB 02/07/1994"
MENTION_INFO_KEY = "rs.mention_info"  # (start, end, label) -> (reason, anchor name): read by writers and case assembly
ANAPHOR_KINDS = ("anaphor", "case_anaphor", "reassurance_anaphor")
WAITING_ANAPHORS_KEY = "rs.waiting_anaphors"  # [(start, end, label, kind)]: anaphors the note alone gives nothing to point to


def load_context_rules(directory: Path) -> list[Rule]:
    return load_rules(Path(directory) / "context_rules.jsonl", CONTEXT_SCHEMA)


#: The word-set file (see ContextWords).
WORDS_FILE = "context_words.jsonl"


@dataclass(frozen=True)
class ContextWords:
    """The domain words the status rules test single tokens against, read from `lexicons/context_words.jsonl` so
    that a term is added without touching code (the grammar words, 'and', 'her', 'not', stay in this module).
    Each set but the author phrases is a set of lower-cased token hashes."""

    rules: tuple[Rule, ...]
    praise: frozenset[int]  # a clause holding one goes on with a view of change
    distress: frozenset[int]  # a clause holding one goes on with a mother's difficulty
    childs_own_record_author: re.Pattern | None  # an author role whose records are about the child as patient
    adult_only: frozenset[int]  # services and measures only ever the parent's
    childs_presentation: frozenset[int]  # "Isabelle's avoidance is driven by anxiety"
    content_noun: frozenset[int]  # "images of Rohan being hurt": what, not whose
    body_part: frozenset[int]  # "cuts on Esme's forearm": whose body
    gp_record_word: frozenset[int]  # "no GP report": a gap in the record
    venue_heading: frozenset[int]  # "Venue: Brackley Surgery"

    @classmethod
    def from_rules(cls, rules: list[Rule], tokenizer) -> "ContextWords":
        """Validate and index the rules; a word that the tokenizer splits could never match a token, so it is refused
        with its file and line."""
        sets: dict[str, list[str]] = {name: [] for name in CONTEXT_WORD_SCHEMA.choices["set"]}
        for rule in rules:
            if not isinstance(rule.pattern, str):
                raise LexiconError(f"{rule.source}: a context word must be a word or phrase, not a token pattern")
            word, name = rule.pattern.lower(), rule.get("set")
            if name != "childs_own_record_author" and len(tokenizer(word)) != 1:
                raise LexiconError(f"{rule.source}: {rule.pattern!r} is more than one token; the {name} set holds single words")
            sets[name].append(word)
        authors = sets.pop("childs_own_record_author")
        author_pattern = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, a.split())) for a in authors) + r")\b",
                                    re.I) if authors else None
        return cls(tuple(rules), childs_own_record_author=author_pattern, **{name: hashes(words) for name, words in sets.items()})


def load_context_words(directory: Path, tokenizer) -> ContextWords:
    return ContextWords.from_rules(load_rules(Path(directory) / WORDS_FILE, CONTEXT_WORD_SCHEMA), tokenizer)


@functools.cache
def shipped_context_words() -> ContextWords:
    """The word sets of the shipped lexicons, for statuses assigned without a context component (tests, scripts)."""
    import spacy

    return load_context_words(default_lexicon_dir(), spacy.blank("en").tokenizer)


class ContextComponent:
    def __init__(self, nlp: Language, name: str = "recordscan_context", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(load_context_rules(directory))
        self.words = load_context_words(directory, nlp.tokenizer)

    def _set_rules(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.matcher = RuleMatcher(self.nlp, rules, "context")
        self._info = {id(r): (r.get("category"), r.get("direction"), r.get("max_scope", 8), tuple(r.get("labels") or ()), r.get("reach", "scope"))
                      for r in rules}

    def __call__(self, doc: Doc) -> Doc:
        if not doc.spans.get(MENTIONS):
            doc.user_data[TRIGGERS_KEY] = []
            return doc
        doc.user_data[TRIGGERS_KEY] = resolve_triggers(self.matcher(doc), self._info)
        assign_statuses(doc, doc._.people or PeopleRegistry(), words=self.words)
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "context_rules.jsonl").write_text(rules_to_jsonl(self.rules), encoding="utf-8")
        (path / WORDS_FILE).write_text(rules_to_jsonl(self.words.rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(load_context_rules(Path(path)))
        self.words = load_context_words(Path(path), self.nlp.tokenizer)
        return self


#: Trigger categories read only for the labels they name (the rest, such as ACTOR, are read for any mention).
_LABELLED_CATEGORIES = frozenset({"NEGATED", "HISTORICAL", "HYPOTHETICAL", "PAST_DATE"})


def resolve_triggers(matches, info: dict) -> list[Trigger]:
    """ConText overlap rules: a pseudo-trigger ("not only") cancels the triggers inside it for the labels it names;
    otherwise the longest trigger wins among rules of the same category and labels, and rules of different kinds do
    not compete."""
    matches = list(matches)
    if not matches:
        return []
    pseudo = [(s, e, info[id(r)][3] or LABELS) for r, s, e in matches if info[id(r)][0] == "PSEUDO"]
    groups: dict[tuple, list] = {}
    for rule, start, end in matches:
        category, direction, scope, labels, reach = info[id(rule)]
        if pseudo and category != "PSEUDO":
            cancelled = {label for ps, pe, pseudo_labels in pseudo if ps <= start and end <= pe and (pe - ps) > (end - start)
                         for label in pseudo_labels}
            if cancelled:
                # "has not taken her sertraline" cancels 'not' for the mother's treatment, not for "has not seen her GP";
                # the triggers that are read whatever the mention's label go whole.
                labels = tuple(label for label in (labels or LABELS) if label not in cancelled) if category in _LABELLED_CATEGORIES else ()
                if not labels:
                    continue
        groups.setdefault((category, labels), []).append(((category, direction, scope, labels, reach), start, end))
    kept = [m for group in groups.values() for m in (group if len(group) == 1 else longest_first(group, keep_ties=True))]
    return [Trigger(start, end, *rule_info) for rule_info, start, end in sorted(kept, key=lambda m: (m[1], m[2]))]


class M(NamedTuple):
    """A mention while its status is worked out."""

    start: int
    end: int
    label: str
    kind: str


# ---------------------------------------------------------------------------------------------------
class _DocIndex:
    """Segments, triggers and people of one doc, indexed for the per-mention look-ups."""

    def __init__(self, doc: Doc, registry: PeopleRegistry, words: ContextWords):
        self.doc = doc
        self.words = words
        self.tok = tokens(doc)
        self.registry = registry
        self.segments = segments(doc)
        self.segment_starts = [s.start for s in self.segments]
        self.triggers = triggers(doc)
        self._triggers_in: dict[int, list[Trigger]] = {}
        for t in self.triggers:
            for i in range(self.segment_index(t.start), self.segment_index(max(t.start, t.end - 1)) + 1):
                self._triggers_in.setdefault(i, []).append(t)
        self.people = people(doc)
        self.people_starts = [p.start for p in self.people]
        note_date = doc._.note_date
        self.note_year = note_date.year if isinstance(note_date, (dt.date, dt.datetime)) else dt.date.today().year

    @functools.cached_property
    def childs_own_record(self) -> bool:
        """The note's author keeps records about the child as patient or client (CAMHS, youth justice): read once per
        note, when a mental-health mention first asks."""
        author = doc_value(self.doc, "author_role")
        pattern = self.words.childs_own_record_author
        return bool(author) and pattern is not None and pattern.search(author) is not None

    def segment_index(self, token: int) -> int:
        return max(0, bisect_right(self.segment_starts, token) - 1)

    def segment(self, token: int) -> Segment:
        return self.segments[self.segment_index(token)]

    def people_in(self, start: int, end: int) -> list[Person]:
        lo = bisect_right(self.people_starts, start - 1)
        hi = bisect_right(self.people_starts, end - 1)
        return self.people[lo:hi]

    def triggers_in(self, seg: Segment) -> list[Trigger]:
        return self._triggers_in.get(self.segment_index(seg.start), [])

    @property
    def has_children(self) -> bool:
        """Whether the registry names any of the children (then an unknown name is not one of them)."""
        return bool(self.registry) and any(e.role == "CHILD" and not e.inferred for e in self.registry.entries())

    def role_of(self, person: Person) -> tuple[str, str | None, str | None]:
        """(role, gender, name) of a person reference, using the registry for names."""
        if person.role == "MOTHER" and person.name is None and person.start > 0:
            owner = _owner_role(self, person.start)
            if owner is not None and owner != "CHILD":
                return "OTHER", "f", None  # "her mum", "Keeley's mum": the maternal grandmother
        if person.name is not None:
            title = self.tok.low(person.start) if self.tok.lower[person.start] in _H_TITLES else None
            entry = self.registry.lookup(person.name.split(), title)
            if entry is not None:
                return entry.role, entry.gender or person.gender, entry.full_name
            return "PERSON", person.gender, person.name
        return person.role, person.gender, None


def _known_mother(index: _DocIndex) -> bool:
    """The registry names the mother from an explicit cue ("Mum, Keeley Harrison"), not by inference."""
    registry = index.registry
    return bool(registry) and any(e.role == "MOTHER" and not e.inferred for e in registry.entries())


def _owner_role(index: _DocIndex, position: int) -> str | None:
    """Role of the possessor just before `position` ("Zara's" -> CHILD, "her" -> resolved), None if none."""
    prev = index.tok.low(position - 1)
    if prev == "own" and position >= 2 and index.tok.low(position - 2) in ("her", "his", "their", "'s", "\u2019s"):
        return "OTHER"  # "her own mum", "Hayley's own mum": a parent's own mother, whoever 'her' or Hayley is
    if prev in ("her", "his", "their"):
        role = _resolve_pronoun(index, position - 1, _POSSESSIVE_PRONOUNS[prev])[0]
        return "CHILD" if role == "CHILD" else "OTHER"
    if prev in ("'s", "\u2019s") and position >= 2:
        owner = _person_ending_at(index, position - 1)
        if owner is None:
            return None
        role = index.role_of(owner)[0]
        if role == "PERSON" and index.has_children:
            return "OTHER"  # "Kayleigh's mother" when the children the case names do not include Kayleigh: her mother
        return "CHILD" if role in ("CHILD", "PERSON") else "OTHER"
    return None


def assign_statuses(doc: Doc, registry: PeopleRegistry, asserted_earlier: frozenset[str] = frozenset(),
                    words: ContextWords | None = None) -> None:
    """Give every mention of the doc its status (on the span's id) and reason (in `doc.user_data`), after
    dropping words that only look like mentions (a GP surgery used as a meeting venue, 'GPs' meaning grandparents).

    `asserted_earlier`: labels the case's earlier notes asserted, which a case anaphor ("the tablets") may point
    back to; case assembly passes them, a note tagged alone has none. Anaphors with nothing to point to are kept aside
    in `doc.user_data`, so that a later call with the case's labels can take them up. `words`: the context component's
    word sets (default: the shipped ones)."""
    group = doc.spans.get(MENTIONS)
    waiting = doc.user_data.get(WAITING_ANAPHORS_KEY, ())
    if not group and not waiting:
        return
    spans = list(group or ())
    if waiting:
        spans = sorted(spans + [mention_span(doc, *w) for w in waiting], key=lambda s: (s.start, s.end))
    index = _DocIndex(doc, registry, words or shipped_context_words())
    info: dict = {}
    with_status = []
    still_waiting = []
    asserted_before: set[str] = set()  # labels with an asserted plain mention so far in the note
    for span in spans:
        mention = M(span.start, span.end, span.label_, span.kb_id_)
        if mention.kind == CONTINUATION_KIND:
            continue  # found again below, from the mentions they continue (a second call must not keep stale ones)
        if _excluded(index, mention):
            continue
        if mention.kind in ANAPHOR_KINDS and mention.label not in asserted_before and not (
                mention.kind == "case_anaphor" and mention.label in asserted_earlier):
            still_waiting.append((mention.start, mention.end, mention.label, mention.kind))
            continue  # "the tablets", "her illness": only once the note (or the case) has said what they refer to
        modality, reason = _modality(index, mention)
        if modality == "NEGATED" and mention.label == FATHER and _named(index, mention):
            modality = None  # "'much calmer' without Aaron around", "Not Dane": what is denied is not the man
        # (A year further back does not undo it: "her husband died in 2015, and there is no partner or other adult".)
        if modality in (None, "HISTORICAL") and mention.label == FATHER and _or_after_a_denied_man(index.tok, with_status, mention):
            previous = with_status[-1]
            modality, reason = "NEGATED", info[(previous.start, previous.end, FATHER)][0]
        experiencer, exp_reason, anchor = _experiencer(index, mention)
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
        if status == Status.AFFIRMED and mention.label in (GP, MMH) and with_status and _same_practice(index.tok, with_status[-1], mention):
            # "Joan's own GP, Dr Fenn at Quarry Hill Surgery": the surgery is the grandmother's GP's, like the doctor;
            # "Sam's care coordinator at Calderside CMHT": the team is his, like the coordinator.
            status, why = Status.OTHER_EXPERIENCER, info[(with_status[-1].start, with_status[-1].end, mention.label)][0]
        if status == Status.AFFIRMED and mention.label == FATHER and _him_of_someone_else(index, with_status, mention):
            # "Bethany's father (MGF) lives in Spain and she has had no contact with him": 'him' is the grandfather.
            status, why = Status.OTHER_EXPERIENCER, info[(with_status[-1].start, with_status[-1].end, FATHER)][0]
        if status in (Status.AFFIRMED, Status.HISTORICAL) and mention.kind not in ANAPHOR_KINDS:
            asserted_before.add(mention.label)
        info[(mention.start, mention.end, mention.label)] = (why, anchor)
        with_status.append(mention_span(doc, mention.start, mention.end, mention.label, mention.kind, status.value))
    with_status.extend(_runs_on(index, with_status, info))
    with_status.sort(key=lambda s: (s.start, s.end))
    doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=with_status)
    doc.user_data[MENTION_INFO_KEY] = info
    doc.user_data[WAITING_ANAPHORS_KEY] = still_waiting


#: The concept kind of a clause that goes on with the mention before it in the sentence (see _runs_on).
CONTINUATION_KIND = "continuation"
#: Words that end the run: what follows is set against it or is a condition ("doing well but there is still no food").
_H_RUN_ENDS = hashes(["but", "however", "although", "though", "yet", "whereas", "while", "except", "unless", "until",
                      "if", "once", "when", "before", "so", "because", "as", "who", "which"])
#: A clause of her difficulty that opens with one of these denies what it names ("low mood; no thoughts of harm").
_H_CLAUSE_DENIALS = hashes(["no", "not", "nil", "never", "without", "denies", "denied", "none", "nor"])


def _runs_on(index: _DocIndex, mentions: list[Span], info: dict) -> list[Span]:
    """A view of change or a difficulty runs on through the clauses joined to it.

    - Praise: "Jodie is managing brilliantly and I honestly don't think she needs us for much longer", "Mum is doing
      so well, lovely bond w/ Maisie": a clause holding a word of praise or of a concern gone is the same view again.
    - Her difficulty: "Low mood most of the day, poor sleep, poor appetite", "crying a lot and felt like she was
      'drowning'": a clause holding a word of distress goes on describing the same difficulty (after a symptom, not
      after a service or a tablet).
    A clause joined by 'and', a comma, a colon or a dash in the same sentence takes the status of the mention it
    continues (a mother's own view runs on as hers: "Mum says she is doing great and the house is spotless"; "denies
    low mood, poor sleep" stays denied). A 'but' or an 'if' ends the run, and so does a clause without such a word or
    one that holds a mention of another concern; a clause already tagged is left as it is."""
    tok = index.tok
    found: list[Span] = []
    taken = {OPTIMISM: [(m.start, m.end) for m in mentions if m.label_ == OPTIMISM],
             MMH: [(m.start, m.end) for m in mentions if m.label_ == MMH]}
    others = {label: [(m.start, m.end) for m in mentions if m.label_ != label] for label in taken}
    for head in mentions:
        if head.kb_id_ in ANAPHOR_KINDS or not (head.label_ == OPTIMISM or head.label_ == MMH and head.kb_id_ in SYMPTOM_KINDS):
            continue
        label = head.label_
        words = index.words.praise if label == OPTIMISM else index.words.distress
        seg = index.segment(head.start)
        k = head.end
        while k < seg.end and tok.lower[k] not in _H_CLAUSE_OPENERS and tok.lower[k] not in _H_RUN_ENDS:
            k += 1
        if k < seg.end and tok.lower[k] in _H_RUN_ENDS:
            continue  # "doing well but ...": set against it before any clause joins it
        while k < seg.end:
            start = k
            while start < seg.end and tok.lower[start] in _H_CLAUSE_OPENERS:
                start += 1
            end = start
            while end < seg.end and tok.lower[end] not in _H_CLAUSE_OPENERS and tok.lower[end] not in _H_RUN_ENDS:
                end += 1
            while end > start and (tok.punct[end - 1] or not tok.text(end - 1).strip()):
                end -= 1  # "lovely bond w/ Maisie." without the full stop or a line break
            if end == start or end <= head.end:
                break
            if any(s < end and start < e for s, e in taken[label]):
                k = end  # already a mention of its own (or the one it continues)
            elif any(s < end and start < e for s, e in others[label]):
                break  # "low mood and the HV has referred her": another concern's clause
            elif any(tok.lower[j] in words for j in range(start, end)):
                status, why = head.id_, f"continues '{_span_text(index, head.start, head.end)}'"
                if label == MMH and tok.lower[start] in _H_CLAUSE_DENIALS:
                    status, why = Status.NEGATED.value, f"negated: '{tok.text(start)}'"  # "low mood, no thoughts of harm"
                found.append(mention_span(index.doc, start, end, label, CONTINUATION_KIND, status))
                info[(start, end, label)] = (why, None)
                taken[label].append((start, end))
                k = end
            else:
                break  # a clause with no such word ends the run ("and SW will visit next week")
            if k < seg.end and tok.lower[k] in _H_RUN_ENDS:
                break
    return found


def _him_of_someone_else(index: _DocIndex, before: list[Span], mention: M) -> bool:
    """A father phrase ending in 'him' ("no contact with him", "no number for him") whose sentence last spoke of a
    man who is someone else's father or another relative stands for that man."""
    if not before or index.tok.low(mention.end - 1) != "him":
        return False
    previous = before[-1]
    seg = index.segment(mention.start)
    return previous.label_ == FATHER and previous.id_ == Status.OTHER_EXPERIENCER.value and previous.start >= seg.start


def _or_after_a_denied_man(tok, before: list[Span], mention: M) -> bool:
    """ "never been a partner or other man in the household", "no partner or other adult in the home": the
    second of two men joined by 'or' shares the denial of the first."""
    if not before:
        return False
    previous = before[-1]
    if previous.label_ != FATHER or previous.id_ != Status.NEGATED.value or not 1 <= mention.start - previous.end <= 2:
        return False
    return all(tok.low(k) in ("or", "nor", "any") for k in range(previous.end, mention.start)) and tok.low(previous.end) in ("or", "nor")


def _same_practice(tok, previous: Span, mention: M) -> bool:
    """The mention names the practice or team of someone else's GP or mental health worker just before it: only
    capitalised words, commas and 'at'/'of' between ("her mother's GP, Dr Fenn at Quarry Hill Surgery")."""
    if previous.label_ != mention.label or previous.id_ != Status.OTHER_EXPERIENCER.value or not 0 <= mention.start - previous.end <= 6:
        return False
    return all(tok.title[k] or tok.low(k) in (",", "at", "of", "(", ")", "dr", "dr.") for k in range(previous.end, mention.start))


def _named(index: _DocIndex, mention: M) -> bool:
    """The mention is a person's name ("Aaron", "Dane Fox"), not a role word."""
    return any(p.name is not None and p.start == mention.start for p in index.people_in(mention.start, mention.end))


def mention_span(doc: Doc, start: int, end: int, label: str, kind: str = "", status: str = "") -> Span:
    """A concern mention: concept kind on kb_id, status on id (fast to read, kept when the span is copied)."""
    return Span(doc, start, end, label=label, kb_id=kind or "", span_id=status or "")


def mention_status(span: Span) -> str:
    return span.id_ or Status.AFFIRMED.value


def mention_info(doc: Doc, span: Span) -> tuple[str | None, str | None]:
    """(reason for the status, name of the person it is about) of a mention."""
    return doc.user_data.get(MENTION_INFO_KEY, {}).get((span.start, span.end, span.label_), (None, None))


def _excluded(index: _DocIndex, mention: M) -> bool:
    seg = index.segment(mention.start)
    if mention.label == GP and mention.start == seg.start and _under_a_venue_heading(index, seg):
        return True  # "Venue: Brackley Surgery, upstairs meeting room": a place to meet, not the family's GP
    for t in index.triggers_in(seg):
        if t.category != "EXCLUDE" or (t.labels and mention.label not in t.labels):
            continue
        overlaps = t.start < mention.end and mention.start < t.end
        # A forward trigger must come before the mention: "Alder Street Medical Centre, ..." is not a venue.
        if (overlaps and t.direction != "forward") or _in_scope(t, mention, ()):
            return True
    return False


def _under_a_venue_heading(index: _DocIndex, seg: Segment) -> bool:
    """The segment follows a one-word heading naming where a meeting is held ("Venue:", "Location:")."""
    i = index.segment_index(seg.start)
    if i == 0:
        return False
    heading = index.segments[i - 1]
    tok = index.tok
    words = [k for k in range(heading.start, heading.end) if not tok.punct[k]]
    return len(words) == 1 and tok.lower[words[0]] in index.words.venue_heading and tok.lower[heading.end - 1] in _H_COLON


def _modality(index: _DocIndex, mention: M) -> tuple[str | None, str | None]:
    tok = index.tok
    for k in range(mention.start + 1, mention.end):
        # "have not improved" is negated; "has no contact with the children" is an absent father, who still matters.
        if tok.lower[k] in _H_INNER_NEGATION and mention.label != FATHER and mention.kind not in OWN_NEGATION_KINDS:
            return "NEGATED", f"negated: '{tok.low(k)}'"
    score = _screening_score(index, mention)
    if score and int(score.group(2)) < SCREENING_CUTOFF:
        return "NEGATED", f"screening score {score.group(2)} below the cut-off of {SCREENING_CUTOFF}"
    seg = index.segment(mention.start)
    found: dict[str, str] = {}
    in_segment = index.triggers_in(seg)
    terminators = [t.start for t in in_segment if t.category == "TERMINATE"]
    for t in in_segment:
        category = t.category
        if category in ("TERMINATE", "PSEUDO", "REPORTING", "ACTOR", "EXCLUDE", "NO_ROLE"):
            continue
        if t.labels and mention.label not in t.labels:
            continue
        overlaps = t.start < mention.end and mention.start < t.end
        # A trigger inside the mention ("No concerns at this time") is part of it. A father trigger that opens before
        # the mention and runs into it ("no male" + "male partner") says there is no such man ("No GP report" is
        # still about the GP).
        opens_into = (overlaps and mention.label == FATHER and FATHER in t.labels and t.start < mention.start
                      and t.direction in ("forward", "bidirectional"))
        # "No GP anywhere", "Luana has no GP": there is no GP; but "No GP report", "no GP details" are gaps in the record.
        opens_into = opens_into or (overlaps and mention.label == GP and category == "NEGATED" and GP in t.labels
                                    and t.start < mention.start and not _gp_record_follows(tok, mention, index.words))
        # "refer once GP registration is done": a condition that opens before the GP mention and runs into it.
        opens_into = opens_into or (overlaps and mention.label == GP and category == "HYPOTHETICAL" and GP in t.labels
                                    and t.start < mention.start and t.direction in ("forward", "bidirectional"))
        # "does not feel low": the negation ends on the verb the mental-health mention starts with.
        opens_into = opens_into or (overlaps and mention.label == MMH and category == "NEGATED" and MMH in t.labels
                                    and t.start < mention.start and t.direction == "forward")
        if overlaps and not opens_into:
            continue
        if category == "PAST_DATE":
            year = _year_in(tok, t)
            if year is None or year >= index.note_year:
                continue
            category = "HISTORICAL"
        if not (opens_into or _in_scope(t, mention, terminators) or _opens_the_sentence(t, seg, mention, tok)):
            continue
        if category == "NEGATED" and not opens_into and _negation_ends_before(tok, t, mention):
            continue
        if category == "HYPOTHETICAL" and mention.label == MMH and (
                _a_trailing_condition_spares(tok, t, mention) or _a_question_presupposes(tok, t, mention)):
            continue
        found.setdefault(category, f"{category.lower()}: '{_span_text(index, t.start, t.end)}'")
    if "HISTORICAL" not in found:
        dated = _FULL_DATE.search(tok.text_, tok.idx[seg.start], _end_char(tok, seg.end))
        if dated and _BIRTH_DATE.search(tok.text_, max(tok.idx[seg.start], dated.start() - 16), dated.start()):
            dated = None  # "Ricky SAUNDERS DOB 02/07/1994": a date of birth dates the man, not the entry
        if dated and int(dated.group(1) or dated.group(2)) < index.note_year:
            found["HISTORICAL"] = f"historical: dated {dated.group(0)}"  # a chronology entry: "22/03/2020: overdose"
    for category in _MODALITY_ORDER:
        if category in found:
            return category, found[category]
    if mention.label == MMH and _topic_of_an_open_question(tok, seg, mention):
        return "HYPOTHETICAL", "hypothetical: the topic of a question about how she is"
    return None, None


def _negation_ends_before(tok: Tokens, t: Trigger, mention: M) -> bool:
    """A forward negation in scope that still does not reach the mention: a second predicate begins between them, or
    (for her difficulties) what it denies is an action on the difficulty, not the difficulty."""
    if t.direction != "forward" or t.end > mention.start:
        return False
    return _a_second_predicate_between(tok, t, mention) or (mention.label == MMH and _an_action_denied(tok, t, mention))


def _a_trailing_condition_spares(tok: Tokens, t: Trigger, mention: M) -> bool:
    """A condition after her difficulty does not make the difficulty hypothetical: in "panic attacks if she goes into
    town" the panic is real; only what is done about it waits on the condition ("ring the crisis line if the thoughts
    return"). Nor does a condition after a colon reach back to the heading it follows ("CRHT: if Sian hears voices,
    ring CRHT")."""
    if t.direction != "backward" or t.start < mention.end:
        return False
    return mention.kind in SYMPTOM_KINDS or any(tok.lower[j] in _H_COLON for j in range(mention.end, t.start))


_H_ASKED = hashes(["asked", "ask", "asking", "asks"])
#: The words of an open question about how she is ("asked about her mood", "asked Kelly about her own mental health").
_H_OPEN_QUESTION_WORDS = hashes(["her", "his", "own", "the", "mood", "moods", "mental", "health", "mh", "wellbeing", "well-being",
                                 "emotional", "feelings", "emotions", "'s", "\u2019s", "and", "in", "herself"])


_H_ABOUT_WORDS = hashes(["about", "for", "with", "re"])
_H_POSSESSORS = hashes(["her", "their", "his", "own", "'s", "\u2019s"])
_H_DEFINITE = hashes(["her", "their", "his", "'s", "\u2019s", "the", "my"])


def _topic_of_an_open_question(tok: Tokens, seg: Segment, mention: M) -> bool:
    """"I asked Siobhan about her own mood and mental health", "asked Becky how she is coping and about her own
    mental health": the words of an open question asked of her, however many of them there are, assert nothing. Only
    her own words in reply say what her mood is."""
    if any(tok.lower[k] not in _H_OPEN_QUESTION_WORDS for k in range(mention.start, mention.end)):
        return False
    k = mention.start - 1
    while k > seg.start and tok.lower[k] in _H_OPEN_QUESTION_WORDS:
        k -= 1
    if tok.lower[k] != _H_ABOUT:
        return False
    j = k - 1
    while j > seg.start and (tok.lower[j] in _H_BETWEEN_ASKED_AND_ABOUT or tok.title[j]) and tok.lower[j] != _H_ASKED_PAST:
        j -= 1
    # Only a question put to her ("asked"), not one still to ask or put to someone else ("to ask the GP about").
    return tok.lower[j] == _H_ASKED_PAST and k - j <= 9 and (j == 0 or tok.lower[j - 1] not in _H_NOT_ASKED_YET)


_H_ABOUT = hash_string("about")
_H_ASKED_PAST = hash_string("asked")
_H_NOT_ASKED_YET = hashes(["to", "not", "n't", "never", "will", "be", "been", "was", "were", "is"])
#: What may stand between "asked" and "about" in an open question of her: her name, "how she is coping", "again".
_H_BETWEEN_ASKED_AND_ABOUT = hashes(["her", "again", "also", "directly", "gently", "how", "she", "is", "was", "has", "been",
                                     "coping", "feeling", "doing", "getting", "on", "in", "herself", "and", ","])


def _a_question_presupposes(tok: Tokens, t: Trigger, mention: M) -> bool:
    """A possibility or a question that takes her difficulty as known does not make the difficulty a possibility:
    - a question about a named difficulty, service or treatment: "When I asked about the PND", "asked about the
      diazepam", "was not asked about her anxiety". Only an open question about how she is ("asked about her mood",
      "asked Kelly about her own mental health") asserts nothing;
    - a possibility of something done about her difficulty: "whether she would like a referral for her self-harm",
      "she would rather not talk about her mood", "whether Natalie has seen the GP about her mood". What is in doubt
      is the referral, the talk or the visit; a service or a treatment after "for" or "about" stays in doubt ("the
      self-referral link for Talking Therapies")."""
    if tok.lower[t.start] in _H_ASKED:
        return any(tok.lower[k] not in _H_OPEN_QUESTION_WORDS and not tok.title[k] for k in range(mention.start, mention.end))
    if mention.kind not in SYMPTOM_KINDS or t.end > mention.start:
        return False
    k = mention.start - 1
    while k >= t.end and (tok.lower[k] in _H_POSSESSORS or tok.title[k]):
        k -= 1
    # Hers, or the one already known ("her self-harm", "the panic"); "further attendances for self-harm" are still to come.
    owned = any(tok.lower[j] in _H_DEFINITE for j in range(k + 1, min(mention.end, mention.start + 2)))
    return owned and k >= t.end and tok.lower[k] in _H_ABOUT_WORDS


_H_AND_OR_COMMA = hashes(["and", ",", "&"])
#: Finite verbs that open a second predicate of the same subject ("is not eating and cries in the evenings"), and
#: "still", which opens one too ("is not sleeping and still cries").
_H_FINITE_VERBS = hashes(["cries", "cried", "feels", "felt", "thinks", "keeps", "kept", "gets", "hears", "heard", "believes",
                          "believed", "worries", "worried", "panics", "panicked", "struggles", "struggled", "stays", "stayed",
                          "spends", "spent", "has", "had", "is", "was", "seems", "seemed", "appears", "appeared", "looks",
                          "looked", "sits", "sat", "describes", "described", "admits", "admitted", "wakes", "woke", "lies",
                          "hides", "avoids", "avoided", "goes", "went", "becomes", "became", "cuts", "takes", "took",
                          "sleeps", "slept", "wants", "wanted", "still"])


def _a_second_predicate_between(tok: Tokens, t: Trigger, mention: M) -> bool:
    """ "is not eating and cries in the evenings", "cannot sleep and thinks too much": the negation ends where a second
    verb of the same subject begins, a few words before the mention ("no low mood or anxiety" stays negated)."""
    return any(tok.lower[j] in _H_AND_OR_COMMA and tok.lower[j + 1] in _H_FINITE_VERBS
               for j in range(max(t.end, mention.start - 4), mention.start))


#: What a worker or the mother did not do about a difficulty: "has not rung Talking Therapies", "did not raise Amira's
#: mood", "has had no help for her PTSD", "still no word from Talking Therapies". The difficulty is still there.
_H_ACTIONS_ON_IT = hashes(["raise", "raised", "rung", "rang", "ring", "heard", "hear", "mentioned", "mention", "talk", "talked",
                           "discuss", "discussed", "explore", "explored", "chase", "chased", "contacted", "restarted",
                           "returned", "back", "help", "support", "treatment", "input", "word", "liaison", "referral",
                           "referred", "collected", "asked", "told", "followed", "addressed", "pursued", "seen"])
_H_NO_NEED_OR_CONCERN = hashes(["concerns", "concern", "worries", "worry", "issues", "needed", "need", "needs", "required",
                                 "requires", "wanted", "want", "wants"])
_H_PLAIN_NEGATIONS = hashes(["not", "n't", "no", "never", "nothing", "didn't", "hasn't", "haven't", "wasn't", "isn't",
                             "doesn't", "did", "has", "had", "have", "still"])


def _an_action_denied(tok: Tokens, t: Trigger, mention: M) -> bool:
    """The negation is of an action on the difficulty ("has not rung Talking Therapies", "had no help for her PTSD"),
    not of the difficulty: a verb or noun of action stands between the negation and the mention."""
    if tok.lower[t.start] not in _H_PLAIN_NEGATIONS:
        return False
    between = range(t.start, mention.start)
    if any(tok.lower[k] in _H_NO_NEED_OR_CONCERN for k in between):
        return False  # "No concerns raised about her mental health", "she has never needed help with her mental health"
    if t.end < mention.start and tok.low(t.end) == "from":
        return True  # "still nothing from the CMHT": no word from it
    return any(tok.lower[k] in _H_ACTIONS_ON_IT for k in between)


def _gp_record_follows(tok: Tokens, mention: M, words: ContextWords) -> bool:
    """ "GP report", "GP details", "GP reply": what is missing is a piece of the record, not the GP."""
    return any(tok.lower[k] in words.gp_record_word for k in range(mention.start + 1, min(tok.n, mention.end + 1)))


_BRACKETED_AGE = re.compile(r"\(\d{1,2}\)")
_DAY_OF_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
#: A score given just after a screening mention that was cut short by a bracketed age or a date: "EPDS completed
#: with Sophie Laidlaw (25): score 5", "PHQ-9 completed with her on 4 June, score 2". The age and the date are skipped.
_SCORE_AFTER = re.compile(r"\b(epds|phq-?9|phq(?!-?\d)|gad-?7)\b[^\d.;]{0,45}?\bscored?\b\D{0,4}(\d{1,2})\b(?!\s*/\s*\d{1,2}/)" + _NOT_A_SCORE, re.I)


#: Every screening pattern below names its questionnaire inside the mention: most mentions have none, and skip them.
_SCREENING_WORD = re.compile(r"\b(?:epds|phq|gad)", re.I)


def _screening_score(index: _DocIndex, mention: M) -> re.Match | None:
    """The screening score a mention gives (group 2), in it or straight after it; None for most mentions."""
    tok = index.tok
    text = tok.text_
    mention_text = text[tok.idx[mention.start]:_end_char(tok, mention.end)]
    if not _SCREENING_WORD.search(mention_text):
        return None
    # The score may sit at the mention's end, so the words after it decide whether it is a date ("on 5 March").
    seg_end = _end_char(tok, index.segment(mention.end - 1).end)  # "EPDS: 4" runs past its heading's segment
    with_next = text[tok.idx[mention.start]:min(seg_end, tok.idx[mention.start] + len(mention_text) + 12)]
    with_next = _BRACKETED_AGE.sub(lambda m: " " * len(m.group()), with_next)  # "with Sophie Laidlaw (25" is an age
    score = _SCREENING_SCORE.search(with_next)
    if score is not None and score.start(2) >= len(mention_text):
        score = None
    return score or _SCREENING_SCORE_BEFORE.search(mention_text) or _score_after(index, mention)


def _score_after(index: _DocIndex, mention: M) -> re.Match | None:
    tok = index.tok
    start = tok.idx[mention.start]
    seg_end = _end_char(tok, index.segment(mention.start).end)
    window = _BRACKETED_AGE.sub(lambda m: " " * len(m.group()), tok.text_[start:min(seg_end, start + 80)])
    window = _DAY_OF_MONTH.sub(lambda m: " " * len(m.group()), window)  # "completed with her on 4 June, score 2"
    return _SCORE_AFTER.match(window)


def _end_char(tok: Tokens, end: int) -> int:
    """Character offset just after token end-1."""
    if end >= tok.n:
        return len(tok.text_)
    return tok.idx[end]


def _span_text(index: _DocIndex, start: int, end: int) -> str:
    return index.tok.text_[index.tok.idx[start]:_end_char(index.tok, end)].strip()


def _year_in(tok: Tokens, t: Trigger) -> int | None:
    for k in range(t.start, t.end):
        word = tok.low(k)
        if _YEAR.match(word):
            return int(word)
    return None


#: A reported clause the condition opens: "Kayleigh said if it's no better she will get them registered with a GP".
_H_REPORTING = hashes({"said", "says", "that", "knows", "agreed", "explained", "understands", "told", "aware", "felt", "feels"})


def _opens_the_sentence(t: Trigger, seg: Segment, mention: M, tok: Tokens) -> bool:
    """A trigger with reach "sentence_opening" that opens its sentence, or the clause reported just after a clause's
    opening ("Ruth said if ..."), covers all of it: "If the rash comes back, Rachel will ask the GP to look at it" (the
    consequence is as conditional as the condition)."""
    if t.reach != "sentence_opening" or t.end > mention.start or mention.end > seg.end:
        return False
    if t.start <= seg.start + 1:
        return True
    # "Kayleigh said if", "Jaxon's eczema very dry; Kayleigh said if", "Kelly knows that if": a clause opened by ';' or the sentence
    opening = max((k + 1 for k in range(seg.start, t.start) if tok.low(k) in (";", ":")), default=seg.start)
    if t.start - opening > 4 or t.start == 0:
        return False
    if tok.lower[t.start - 1] in _H_REPORTING:
        return True
    # "Told them if either of them is finding things too much the FSW can help them get to Talking Therapies"
    return t.start >= 2 and tok.lower[t.start - 1] in _H_THIRD_PERSONS and tok.lower[t.start - 2] in _H_REPORTING


def _in_scope(t: Trigger, mention: M, terminators) -> bool:
    if t.direction in ("forward", "bidirectional") and t.end <= mention.start:
        if mention.start - t.end < t.scope and not any(t.end <= s < mention.start for s in terminators):
            return True
    if t.direction in ("backward", "bidirectional") and mention.end <= t.start:
        if t.start - mention.end < t.scope and not any(mention.end <= s < t.start for s in terminators):
            return True
    return False


# ---------------------------------------------------------------------------------------------------
def _experiencer(index: _DocIndex, mention: M) -> tuple[str | None, str | None, str | None]:
    """('OTHER_EXPERIENCER' or a role, reason, anchor name): is the mention about someone other than the right person?"""
    label = mention.label
    if label == OPTIMISM:
        return _speaker(index, mention)
    if label == FATHER:
        if _former_partner_with_no_role(index, mention):
            return "OTHER_EXPERIENCER", "other experiencer: a former partner with no role in the children's lives", None
        return _father_owner(index, mention)
    owner = _possessor(index, mention)
    possessed = owner is not None
    if owner is None and label == MMH:
        owner = _subject(index, mention) or _heading_subject(index, mention) or _named_line_heading(index, mention)
    if label == MMH and (owner is None or owner[0] == "PRONOUN" and owner[2] is None) and index.childs_own_record and \
            not any(index.tok.lower[k] in index.words.adult_only for k in range(mention.start, mention.end)):
        # "Reason for referral: low mood + self-harm", "She has thought about 'not waking up'" in a CAMHS letter: the
        # patient is the child; the mother's own difficulties there are named as hers ("mum's low days").
        return "OTHER_EXPERIENCER", f"other experiencer: the child's own record ({doc_value(index.doc, 'author_role')})", None
    if owner is None:
        return None, None, None
    role, gender, name = owner
    who = name or role.lower()
    if label == MMH and role == "MOTHER" and name is None and _my_mum_before(index.tok, index.segment(mention.start), mention):
        speaker = _quoted_speaker(index, mention)
        if speaker is not None and speaker[0] != "CHILD":
            # "She said ... 'my head's fine, it's my mum who's got the depression'": a parent's own mother.
            return "OTHER_EXPERIENCER", "other experiencer: the speaker's own mother", None
    if label == MMH and (role in ("CHILD", "FATHER", "OTHER") or gender == "m"):
        return "OTHER_EXPERIENCER", f"other experiencer: {who}", name
    if label == MMH and possessed and role == "PERSON" and name and _known_mother(index):
        # "Mum, Keeley Harrison, said Mason's anxiety...": the case names its mother, and this is someone else.
        return "OTHER_EXPERIENCER", f"other experiencer: {name} (not the named mother)", name
    if label == GP and role == "OTHER":
        return "OTHER_EXPERIENCER", f"other experiencer: {who}", name
    if label == GP and possessed and role != "MOTHER" and mention.start > 0 and index.tok.lower[mention.start - 1] == _H_OWN:
        # "MGM said her own GP has referred her", "he sees his own GP in Lowther": not the family's GP.
        return "OTHER_EXPERIENCER", f"other experiencer: {who}'s own GP", name
    return role, None, name


_H_MY = hashes(["my"])


def _my_mum_before(tok: Tokens, seg: Segment, mention: M) -> bool:
    """'my mum' (or 'my mother') stands within six words before the mention, or opens it."""
    return any(tok.lower[k] in _H_MY and tok.lower[k + 1] in _H_MOTHER_WORDS
               for k in range(max(seg.start, mention.start - 6), min(mention.end, tok.n) - 1))


def _former_partner_with_no_role(index: _DocIndex, mention: M) -> bool:
    """"Her ex-partner, Nigel, ... has never met Leah": a former partner the sentence says has no part in the
    children's lives is not a man who matters to their care. A former partner who is their father still is."""
    seg = index.segment(mention.start)
    no_role = [t for t in index.triggers_in(seg) if t.category == "NO_ROLE" and t.start >= seg.start and t.end <= seg.end
               and ((t.start < mention.end and mention.start < t.end) or _in_scope(t, mention, ()))]
    if not no_role:
        return False
    tok = index.tok
    former = [k for k in range(seg.start, min(seg.end, mention.end)) if tok.lower[k] in _H_FORMER
              and any(tok.lower[j] in _H_PARTNER_WORDS for j in range(k + 1, min(k + 4, tok.n)))]
    if not former or mention.start - former[-1] > 8:
        return False
    # "Her ex-partner, Imran, the children's father, has no contact": still their father.
    in_trigger = {k for t in no_role for k in range(t.start, t.end)}
    return not any(tok.lower[k] in _H_FATHER_WORDS and k not in in_trigger for k in range(seg.start, seg.end))


_H_MOTHER_WORDS = hashes(["mum", "mother", "mam", "mom"])
#: Words that open what a named object is about: "work with Oliwia on her anxiety".
_H_TOPIC_OPENERS = hashes(["on", "about", "around", "regarding"])
#: Words for more than one person: "she" or "her" never stands for them ("No thoughts of harming the children. ... her low mood").
_H_GROUP_WORDS = hashes(["children", "kids", "boys", "girls", "twins", "siblings", "sons", "daughters"])
#: Words for a baby: a baby has no low mood, panic attacks or CPN ("Reports low mood, poor sleep even when the baby sleeps").
_H_INFANT_WORDS = hashes(["baby", "babies", "infant", "infants", "newborn", "neonate"])


def _a_group(tok: Tokens, person: Person) -> bool:
    """The person found is a group ("the children"), which a singular pronoun cannot stand for."""
    return person.name is None and tok.lower[person.end - 1] in _H_GROUP_WORDS


def _an_unnamed_baby(tok: Tokens, person: Person) -> bool:
    """"the baby", "Mother-infant work": an unnamed baby, who cannot have a mental-health difficulty of the mother's kind."""
    return person.name is None and any(tok.lower[k] in _H_INFANT_WORDS for k in range(person.start, person.end))


def _possessor(index: _DocIndex, mention: M) -> tuple[str, str | None, str | None] | None:
    """The owner in "MGM's depression", "her anxiety", "his own PTSD", "Zara's low mood"."""
    tok = index.tok
    # "the children would be better off without her": the one they would be without is the one who thinks it.
    if mention.end - mention.start >= 2 and tok.lower[mention.end - 2] in _H_WITHOUT and tok.low(mention.end - 1) in _OBJECT_PRONOUNS:
        return _resolve_pronoun(index, mention.end - 1, _OBJECT_PRONOUNS[tok.low(mention.end - 1)])
    if mention.end - mention.start >= 2 and tok.lower[mention.end - 2] in _H_WITHOUT and tok.low(mention.end - 1) == "me":
        return "PRONOUN", None, None  # "'the children would be better off without me'": the speaker's own thought
    if mention.start > 0 and tok.low(mention.start - 1) == "whose":
        # "her mum (MGM, Patience), who has depression herself and whose GP has just referred her": the one the clause is about.
        for person in reversed(index.people_in(index.segment(mention.start).start, mention.start - 1)):
            role = index.role_of(person)
            if role[0] not in NON_EXPERIENCERS and role[0] != "PRONOUN":
                return role
    # The possessor may be inside the mention ("her anxiety") or just before it.
    positions = [mention.start] if tok.lower[mention.start] in _H_POSSESSIVE_PRONOUNS else []
    # "Mason's anxiety" matched as one mention: the owner is the name at its start.
    positions += [k for k in range(mention.start + 1, mention.end - 1) if tok.lower[k] in _H_APOSTROPHE_S][:1]
    k = mention.start - 1
    skipped = 0
    while k >= 0 and skipped <= 2 and tok.lower[k] in _H_SKIPPABLE_BETWEEN_POSSESSOR:
        k -= 1
        skipped += 1
    if k >= 2 and tok.lower[k - 1] in _H_HYPHEN and tok.is_lower[k] and tok.is_lower[k - 2] and skipped <= 1 \
            and tok.idx[k] == tok.idx[k - 1] + 1 and tok.idx[k - 1] == tok.idx[k - 2] + len(tok.text(k - 2)):
        # "Craig's night-time PTSD symptoms": a hyphenated adjective between owner and mention (not the dash in
        # "MGM has been poorly - her own GP")
        k -= 3
    if k >= 0:
        positions.append(k)
    if k >= 2 and tok.low(k) in ("and", "or", "&"):
        # "Jayden's anxiety and low mood": the owner of the first of two joined words owns the second too.
        j = next((j for j in range(k - 2, max(-1, k - 5), -1) if tok.lower[j] in _H_APOSTROPHE_S), None)
        if j is not None and all(tok.is_lower[i] and tok.text(i).isalpha() for i in range(j + 1, k)):
            positions.append(j)
        elif tok.lower[k - 2] in _H_POSSESSIVE_PRONOUNS and tok.lower[k - 1] in _H_MOTHER_WORDS:
            positions.append(k - 2)  # "Keeley said her mum and dad help a lot": her parents, both
        elif tok.lower[k - 2] in _H_POSSESSIVE_PRONOUNS and tok.is_lower[k - 1] and tok.text(k - 1).isalpha() and skipped == 0:
            positions.append(k - 2)  # "his grief and low mood": the owner of the first of two joined words owns the second too
    # "fresh cuts to his left forearm": the body part names the owner.
    if mention.end + 1 < tok.n and tok.lower[mention.end] in _H_BODY_PREPOSITIONS and tok.lower[mention.end + 1] in _H_POSSESSIVE_PRONOUNS:
        word = tok.low(mention.end + 1)
        if word not in ("my", "our"):
            return _resolve_pronoun(index, mention.end + 1, _POSSESSIVE_PRONOUNS[word])
    if mention.end + 2 < tok.n and tok.lower[mention.end] in _H_BODY_PREPOSITIONS and tok.lower[mention.end + 2] in _H_APOSTROPHE_S \
            and any(tok.lower[k] in index.words.body_part for k in range(mention.end + 3, min(tok.n, mention.end + 6))):
        # "fresh cuts on Esme's left forearm": the one whose arm it is (not "flashbacks to Bea's delivery").
        owner = next((p for p in index.people_in(mention.end + 1, mention.end + 2) if p.end == mention.end + 2), None)
        if owner is not None:
            return index.role_of(owner)
    # "counselling for Kacey to continue", "CBT for Theo": the one a treatment is for.
    if mention.end + 1 < tok.n and tok.lower[mention.end] == _H_FOR_WORD and mention.kind in ("service", "medication", "screening"):
        owner = next((p for p in index.people_in(mention.end + 1, min(tok.n, mention.end + 3)) if p.start == mention.end + 1), None)
        owner_role = index.role_of(owner) if owner is not None else None
        if owner_role is not None and owner_role[0] in ("CHILD", "FATHER", "OTHER"):
            return owner_role
    # "the mental health of the child", "depression of MGM": an owner after the mention (not "thoughts of dropping Ivy").
    if mention.end + 1 < tok.n and tok.lower[mention.end] == _H_OF_WORD and tok.lower[mention.end - 1] not in index.words.content_noun:
        owner = next((p for p in index.people_in(mention.end + 1, min(tok.n, mention.end + 4))
                      if all(tok.lower[k] in _H_DETERMINERS_OF for k in range(mention.end + 1, p.start))), None)
        if owner is not None:
            return index.role_of(owner)
    for pos in positions:
        if tok.lower[pos] in _H_POSSESSIVE_PRONOUNS:
            word = tok.low(pos)
            if word in ("my", "our"):
                return "SELF", None, None
            return _resolve_pronoun(index, pos, _POSSESSIVE_PRONOUNS[word], babies_excluded=mention.label == MMH)
        if tok.lower[pos] in _H_APOSTROPHE_S and pos > 0 and tok.lower[pos - 1] not in _H_SUBJECT_PRONOUNS:
            # ("Pauline said she's felt very low": "she's" is "she has", and the subject is found as for "she has")
            owner = _person_ending_at(index, pos)
            if owner is not None:
                return index.role_of(owner)
    return None


def _heading_subject(index: _DocIndex, mention: M) -> tuple[str, str | None, str | None] | None:
    """In minutes, an agency's report opens with its name: "CMHT: Nathan is back on his depot". The service is that
    of the person the report is about, the first one named after the colon."""
    tok = index.tok
    seg = index.segment(mention.start)
    if mention.start != seg.start or mention.end + 1 >= tok.n or tok.lower[mention.end] not in _H_COLON:
        return None
    report = index.segment(mention.end + 1)  # the same sentence, or the one after a "CMHT:" heading
    for person in index.people_in(mention.end + 1, min(report.end, mention.end + 6)):
        role = index.role_of(person)
        if role[0] not in NON_EXPERIENCERS:
            return role
    return None


def _named_line_heading(index: _DocIndex, mention: M) -> tuple[str, str | None, str | None] | None:
    """A line that opens with a child's name as its heading is about that child: "Marley: quiet, a worrier, not sleeping
    well", "Callum's needs: anxiety - school counsellor since Y7". Only a child or another relative: a heading with the
    mother's name is hers, as the default already says."""
    tok = index.tok
    k = mention.start
    while k > 0 and "\n" not in tok.text(k - 1) and mention.start - k < 60:
        k -= 1
    if k > 0 and "\n" not in tok.text(k - 1):
        return None
    person = next((p for p in index.people_in(k, mention.start) if p.start == k and p.name), None)
    if person is None:
        return None
    j = person.end
    if j < tok.n and tok.lower[j] in _H_APOSTROPHE_S:
        j += 2  # "Callum's needs:"
    if j >= mention.start or tok.lower[j] not in _H_COLON:
        return None
    role = index.role_of(person)
    return role if role[0] in ("CHILD", "OTHER") else None


def _person_ending_at(index: _DocIndex, end: int) -> Person | None:
    for person in index.people_in(max(0, end - 5), end):
        if person.end == end:
            return person
    return None


#: The only words between a professional and a mental-health word that make it the professional's own ("her manager
#: has been off sick with anxiety"); "the CPN is worried about" or "the HV has concerns re" stay the family's.
_H_OWN_DIFFICULTY = hashes(["has", "had", "have", "is", "was", "been", "off", "sick", "with", "from", "suffering", "signed",
                            "work", "long-term", "long", "-", "term", "herself", "himself", "also", "own", "his", "on", "leave"])


def _subject(index: _DocIndex, mention: M) -> tuple[str, str | None, str | None] | None:
    """The person to the left of the mention in its segment who could be having it: the nearest person
    who is not a professional, not the owner of something else ("Ayaan's attendance"), not the object
    of a preposition ("abuse by the children's father"), and not separated from the mention by a verb of
    acting on it ("Imran to ring the perinatal crisis line")."""
    tok = index.tok
    seg = index.segment(mention.start)
    actor_triggers = [t for t in index.triggers_in(seg) if t.category == "ACTOR" and t.end <= mention.start]
    if actor_triggers:
        last = max(actor_triggers, key=lambda t: t.end)
        if any(tok.lower[k] in _H_HIM for k in range(last.end, mention.start)):
            # "I have referred him to Talking Therapies": the service is for the man referred.
            return "PRONOUN", "m", None
    # A passive actor verb does not separate the person from the service: "he has been referred to Talking Therapies".
    actors = [t.start for t in actor_triggers if not (t.start > 0 and tok.lower[t.start - 1] in _H_PASSIVE_BE)]
    if actors:
        inside = _relative_clauses(tok, seg.start, mention.start)
        actors = [a for a in actors if a not in inside]  # "her own mother, who used to help, has depression"
        # "He freezes when asked a question and is anxious": a verb in a clause of time acts on no one's mention.
        actors = [a for a in actors if not (a > 0 and tok.lower[a - 1] in _H_SUBORDINATORS)]
        # "Dean has self-referred to Talking Therapies": whoever refers himself is the one the service is for, and the verbs
        # before it are his too ("he would like to talk to someone and has agreed to self-refer to Talking Therapies").
        if actors and _self_referral(tok, max(actors)):
            actors = []
    for person in reversed(index.people_in(seg.start, mention.start)):
        if person.end > mention.start:
            continue
        if any(person.end <= a for a in actors):
            return None  # an actor verb stands between this person and the mention
        if _in_a_closed_bracket(tok, seg.start, person, mention.start):
            continue  # "Older sister Summer (Y7, Kestlebury High) is known ... for self-harm": the bracket is about Summer
        role, gender, name = index.role_of(person)
        if role == "PROFESSIONAL" and person.end < mention.start and all(
                tok.lower[k] in _H_OWN_DIFFICULTY for k in range(person.end, mention.start)):
            # "Her manager has been off with anxiety since Christmas": the professional's own difficulty.
            return "OTHER", None, name
        if role in NON_EXPERIENCERS:
            continue
        owns_other = possessive_at(tok, person.end)  # not the quote in "her own mum 'has bipolar'"
        # "texts to a friend about ...": an object is not the subject, unless a relative clause hangs on it
        # ("she knows the signs from her mum, who has had depression").
        governed = _governed_person(tok, person.start) and not _relative_follows(tok, person.end)
        opener = person.start - (2 if person.start > 1 and tok.lower[person.start - 1] in _H_POSSESSIVE_PRONOUNS else 1)
        if opener >= 0 and tok.lower[opener] in _H_SUBORDINATORS and role != "PRONOUN" and not _clause_of_their_own(tok, person, opener) \
                and not _subject_of_the_clause_holding(tok, person, mention.start):
            # "she has struggled since Rory was born and gets panic attacks", "a worrier since his mum went away, not
            # sleeping well": the one in a clause of time is not the subject
            continue
        if role == "PRONOUN":
            if tok.lower[person.start] in _H_POSSESSIVE_PRONOUNS and person.end < mention.start:
                continue  # a possessive owning something else ("her baby") is not the subject
            if (tok.lower[person.start] in _H_OBJECT_PRONOUNS or governed) and not _signed_off(tok, person):
                continue
            return _resolve_pronoun(index, person.start, person.gender, babies_excluded=True)
        if role == "CHILD" and _an_unnamed_baby(tok, person):
            continue  # "Reports low mood, poor sleep even when the baby sleeps, and daily panic attacks": not the baby's
        if owns_other and role == "CHILD" and person.end + 1 < tok.n and tok.lower[person.end + 1] in index.words.childs_presentation:
            # "Isabelle's avoidance is driven by anxiety", "Zainab's mutism is best understood as anxiety": the child's
            return role, gender, name
        if owns_other or governed:
            continue
        if role == "MOTHER" and person.start > 1 and tok.lower[person.start - 1] in _H_APOSTROPHE_S:
            owner = _person_ending_at(index, person.start - 1)
            if owner is not None and index.role_of(owner)[0] in ("MOTHER", "FATHER", "OTHER"):
                # "Kayleigh's mother, who lives nearby, has anxiety": the mother's mother.
                return "OTHER", "f", f"{owner.name or 'her'}'s mother"
        return role, gender, name
    # "Kacey (Y9) seen by tutor. Disclosed self-harm since Sept.": a note-style sentence with no subject
    # continues the previous sentence's subject.
    if tok.lower[seg.start] in _H_SUBJECTLESS_OPENERS and not index.people_in(seg.start, mention.start):
        i = index.segment_index(seg.start)
        if i > 0:
            prev = index.segments[i - 1]
            for person in index.people_in(prev.start, prev.end):
                role, gender, name = index.role_of(person)
                if role in NON_EXPERIENCERS or role == "PRONOUN":
                    continue
                if person.start > prev.start and tok.lower[person.start - 1] in _H_PREPOSITIONS:
                    continue
                return role, gender, name
    if mention.label == MMH and not index.people_in(seg.start, mention.start):
        seen = _child_seen_before(index, index.segment_index(seg.start))
        if seen is not None:
            return seen
    return None


def _child_seen_before(index: _DocIndex, i: int) -> tuple[str, str | None, str | None] | None:
    """"Tia Dunn seen urgently with mum. Low mood for six months, superficial self-harm": in a clinician's note a
    sentence that opens on the difficulty continues with the child the note says was seen (over a subjectless
    "Says he often misses meals" in between)."""
    tok = index.tok
    for back in (1, 2):
        if i - back < 0:
            return None
        prev = index.segments[i - back]
        people_there = [p for p in index.people_in(prev.start, prev.end) if index.role_of(p)[0] not in NON_EXPERIENCERS]
        if people_there and people_there[0].start <= prev.start + 1:
            k = people_there[0].end
            if k < tok.n and tok.low(k) == "(":  # "Tia Dunn (14) seen"
                k = next((j + 1 for j in range(k, min(prev.end, k + 6)) if tok.low(j) == ")"), k)
            if k < tok.n and tok.low(k) == "seen":
                role = index.role_of(people_there[0])
                return role if role[0] == "CHILD" else None
        if tok.lower[prev.start] not in _H_SUBJECTLESS_OPENERS:
            return None
    return None


def _signed_off(tok: Tokens, person: Person) -> bool:
    """"his GP signed him off work with depression": the one signed off is the one who has it."""
    return 0 < person.start and person.end < tok.n and tok.low(person.end) == "off" and tok.low(person.start - 1) in (
        "signed", "signing", "sign", "signs")


def _self_referral(tok: Tokens, verb: int) -> bool:
    """ "self-refer", "self referred": the verb at `verb` is a referral of oneself."""
    return verb > 0 and (tok.low(verb - 1) == "self" or (verb > 1 and tok.low(verb - 1) == "-" and tok.low(verb - 2) == "self"))


def _clause_of_their_own(tok: Tokens, person: Person, opener: int) -> bool:
    """The word at `opener` (before the person, or before their possessive) only looks like a clause of time: "looking
    after her own mother, who has depression" (a verb's preposition), or the clause is a reason whose verb is a copula,
    so what follows describes the person ("because Rob is grieving and depressed", "because her mum has MS and
    depression")."""
    before = tok.low(opener)
    if before == "after" and opener > 0 and tok.low(opener - 1) in _LOOK_FORMS:
        return True
    return before in ("because", "as") and person.end < tok.n and tok.low(person.end) in _COPULAS


def _subject_of_the_clause_holding(tok: Tokens, person: Person, mention_start: int) -> bool:
    """The clause of time the person opens runs on to the mention: "Open since 09/24 after Ellie disclosed self-harm"
    (a verb or two between, no comma or 'and' that would start another clause)."""
    gap = range(person.end, mention_start)
    return 0 < len(gap) <= 3 and not any(tok.lower[k] in _H_CLAUSE_OPENERS or tok.punct[k] for k in gap)


_LOOK_FORMS = frozenset({"look", "looks", "looking", "looked", "care", "cares", "caring", "cared"})
_COPULAS = frozenset({"is", "was", "seems", "seemed", "appears", "appeared", "feels", "felt", "has", "had", "remains", "remained"})


def _in_a_closed_bracket(tok: Tokens, seg_start: int, person: Person, mention_start: int) -> bool:
    """The person stands inside a bracket that closes before the mention."""
    opened = next((k for k in range(person.start - 1, seg_start - 1, -1) if tok.lower[k] in _H_OPEN_BRACKET or tok.lower[k] in _H_CLOSE_BRACKET), None)
    if opened is None or tok.lower[opened] not in _H_OPEN_BRACKET:
        return False
    return any(tok.lower[k] in _H_CLOSE_BRACKET for k in range(person.end, mention_start))


def _relative_clauses(tok, start: int, end: int) -> set[int]:
    """Token positions inside ", who ... ," / ", which ... ," clauses between start and end."""
    return {k for comma, close in relative_clauses(tok, start, end) if close is not None for k in range(comma + 1, close)}


def _resolve_pronoun(index: _DocIndex, position: int, gender: str | None, babies_excluded: bool = False) -> tuple[str, str | None, str | None]:
    """The person a pronoun stands for: the first fitting person (the subject) of its segment, else of the
    segments before it in the note. 'he'/'his' is at least known to be male. With `babies_excluded` (a mental-health
    mention) an unnamed baby is passed over."""
    seg_i = index.segment_index(position)
    deferred = None
    for back in range(0, 4):
        i = seg_i - back
        if i < 0:
            break
        seg = index.segments[i]
        end = position if back == 0 else seg.end
        tok = index.tok
        people_here = index.people_in(seg.start, end)
        if back == 0:
            people_here = _clause_subject_first(tok, people_here, seg.start, position)
        for person in people_here:
            role, p_gender, name = index.role_of(person)
            if role == "PRONOUN" and tok.lower[person.start] in _H_SUBJECT_PRONOUNS and p_gender == gender and person.start < position:
                # "She lives with her mum ... and her dad": 'her' is the subject, whoever 'She' is.
                return _resolve_pronoun(index, person.start, gender, babies_excluded)
            if role in NON_EXPERIENCERS or role == "PRONOUN":
                continue
            if gender in ("f", "m") and _a_group(tok, person) or babies_excluded and _an_unnamed_baby(tok, person):
                continue
            if person.name is None and any(p.start == person.end and p.name is not None for p in index.people_in(person.end, person.end + 1)):
                continue  # "MGM Brenda Hollis": the name that follows is the person, as the case knows her
            if person.end < tok.n and tok.lower[person.end] in _H_APOSTROPHE_S and any(
                    p.start == person.end + 1 and index.role_of(p)[0] not in NON_EXPERIENCERS for p in index.people_in(person.end + 1, person.end + 2)):
                continue  # "Vicky's mum ... her GP": Vicky owns the subject, she is not it (but "Helena's GP ... her tablets" is Helena)
            opens_segment = person.start >= 2 and tok.lower[person.start - 1] in _H_APOSTROPHE_S and person.start - 2 <= seg.start + 1
            if person.start > 0 and not opens_segment and (
                    tok.lower[person.start - 1] in _H_POSSESSIVE_PRONOUNS or tok.lower[person.start - 1] in _H_APOSTROPHE_S):
                continue  # "his dad", "Ava's sister": someone's relative, not the subject the pronoun stands for
            if role in ("OTHER", "CHILD") and _governed_person(tok, person.start) and not (
                    person.name and person.end + 1 == position and tok.lower[person.end] in _H_TOPIC_OPENERS):
                # "texts to a friend about ending her life", "her care of Reggie": an object, not the subject (but
                # "work with Oliwia on her anxiety": the one named is the one the topic is about)
                continue
            if back > 0 and _governed_person(tok, person.start, _H_TOPIC_PREPOSITIONS):
                continue  # "what the low days look like for Mason. She is taking sertraline" (but "Session with Jade. She ...")
            if gender in ("f", "m") and p_gender not in (None, gender):
                continue
            if gender == "f" and role == "FATHER" or gender == "m" and role == "MOTHER":
                continue
            if back > 0 and role == "CHILD" and p_gender is None and _not_a_subject(tok, person):
                # "The panic attacks began when Reuben's transport was withdrawn ... She has been on sertraline": a child
                # of unknown sex in a clause of time, owning a thing or after a preposition is kept only if no one fits better.
                deferred = deferred or (role, gender, name)
                continue
            return role, p_gender or gender, name
    return deferred or ("PRONOUN", gender, None)


def _clause_subject_first(tok: Tokens, people_here: list, seg_start: int, position: int) -> list:
    """A clause after a semicolon that opens with a person has a subject of its own, tried before the sentence's:
    "Bernadette is in a rehab unit; Imogen has been staying with a friend who does not know her medication". Not
    a speaker ("; Lorna says her mum has been bad with her nerves": the one spoken of) and not a clause that opens
    otherwise ("; when Theo pulled at it she told me"), nor one where someone else has come in between as an object."""
    clause = max((k + 1 for k in range(seg_start, position) if tok.lower[k] == _H_SEMICOLON), default=seg_start)
    if clause == seg_start:
        return people_here
    subject = next((p for p in people_here if p.start >= clause), None)
    if subject is None or subject.start != clause or (subject.end < tok.n and tok.lower[subject.end] in _H_SPEAKING):
        return people_here
    if any(tok.lower[k] in _H_THIRD_PERSONS for k in range(subject.end, position)):
        return people_here  # "; Hannah has been taking her to her appointments and her GP has asked": her mother's GP
    return [p for p in people_here if p.start >= clause] + [p for p in people_here if p.start < clause]


def _not_a_subject(tok: Tokens, person: Person) -> bool:
    """The person stands where a subject does not: after "when"/"since", owning something ("Reuben's transport"),
    or after a preposition ("for Reuben")."""
    before = tok.lower[person.start - 1] if person.start > 0 else None
    return (before in _H_SUBORDINATORS or _governed_person(tok, person.start)
            or (person.end < tok.n and tok.lower[person.end] in _H_APOSTROPHE_S))


def _relative_follows(tok: Tokens, end: int) -> bool:
    """A relative clause hangs on the person: "her mum, who has had depression", "her own mother in Poland, who has
    depression" (a short place phrase between)."""
    if end + 1 < tok.n and tok.low(end) in ("in", "at", "from") and tok.title[end + 1]:
        end += 2
        while end < tok.n and tok.title[end] and end < tok.n - 1:
            end += 1
    k = end + 1 if end < tok.n and tok.low(end) == "," else end
    return k < tok.n and tok.low(k) in ("who", "whose")


def _governed_person(tok: Tokens, start: int, prepositions: frozenset[int] | None = None) -> bool:
    """The person is the object of a preposition ("texts to a friend", "care of Reggie")."""
    k = start - 1
    while k >= 0 and tok.lower[k] in _H_DETERMINERS_OF:
        k -= 1
    return k >= 0 and tok.lower[k] in (_H_PREPOSITIONS if prepositions is None else prepositions)


def _woman_named_after(index: _DocIndex, end: int) -> bool:
    """ "her partner, Joanne Pike", "Mum's partner Jade", "her partner of three years, Sian Moffat": the name straight
    after the partner word (and how long they were together) is a woman's."""
    tok = index.tok
    if end + 2 < tok.n and tok.low(end) == "of":
        # "of three years", "of 18 months": step past how long the relationship lasted
        span_end = next((k for k in range(end + 2, min(tok.n, end + 4)) if tok.low(k) in ("years", "months", "weeks", "year")), None)
        if span_end is not None:
            end = span_end + 1
    k = end + 1 if end < tok.n and tok.low(end) == "," else end
    named = [p for p in index.people_in(k, min(tok.n, k + 3)) if p.start == k and p.name is not None]
    return bool(named) and index.role_of(named[0])[:2] in (("OTHER", "f"), ("MOTHER", "f"))


def _woman_named_before(index: _DocIndex, partner: int) -> bool:
    """ "Jo Sandford was Carys's civil partner until 2024": the subject of 'is' or 'was' before the partner word, past
    an owner and a 'civil' or 'former', is a woman the case knows (the mother, or a relative or co-parent who is no man)."""
    tok = index.tok
    k = partner - 1
    while k >= 0 and tok.low(k) in ("civil", "former", "ex", "-", "long-term", "then"):
        k -= 1
    if k >= 1 and tok.lower[k] in _H_APOSTROPHE_S:
        k -= 2  # "Carys's": one name as the owner
    elif k >= 0 and tok.low(k) in ("her", "mum's", "mother's"):
        k -= 1
    if k < 1 or tok.low(k) not in ("is", "was", "been"):
        return False
    k -= 1 if tok.low(k) != "been" or k < 2 else 2  # "has been"
    named = [p for p in index.people_in(max(0, k - 3), k + 1) if p.end == k + 1 and p.name is not None]
    if not named:
        return False
    role, gender, _ = index.role_of(named[-1])
    return role in ("OTHER", "MOTHER") and gender != "m"  # "Jo (the other mum)" carries no gender of her own


def _a_mans_partner(index: _DocIndex, partner: int) -> bool:
    """ "Kyle's partner" where the case knows Kyle as a father or partner: a man's partner, the mother."""
    tok = index.tok
    if partner < 2 or tok.lower[partner - 1] not in _H_APOSTROPHE_S:
        return False
    owners = [p for p in index.people_in(max(0, partner - 4), partner - 1) if p.end == partner - 1 and p.name is not None]
    return bool(owners) and index.role_of(owners[-1])[:2] == ("FATHER", "m")


def _priests_title(index: _DocIndex, mention: M) -> bool:
    """ "Father Declan, the hospice chaplain", "Father Declan (parish priest)": the title of a priest the
    bracket or appositive after his name calls a professional."""
    tok = index.tok
    if tok.text(mention.start) != "Father" or mention.end != mention.start + 1:
        return False
    k = mention.end
    while k < tok.n and k - mention.end < 3 and tok.title[k]:
        k += 1
    if k > mention.end and of_a_saints_church(tok, k):
        return True  # "Father Tomasz from St Casimir's Polish parish"
    if k == mention.end or k >= tok.n or tok.low(k) not in (",", "("):
        return False
    return any(p.start > k and p.role == "PROFESSIONAL" and p.name is None for p in index.people_in(k + 1, min(tok.n, k + 6)))


_H_COUPLE_HEADS = hashes(["boyfriend", "partner", "husband", "fiance", "fianc\u00e9", "bf"])


def _someone_elses_partner(index: _DocIndex, mention: M) -> str | None:
    """Whose boyfriend or husband, when it is not the mother's: "Jake Rowntree (19), Keeley's boyfriend" where Keeley
    is a child (a teenage mother is known as the mother by the time the case re-reads the note), or "Beverley said
    ... since her husband Winston died" where 'her' is the grandmother the sentence is about. Checked before the
    man's own name, which would otherwise make him a father figure."""
    tok = index.tok
    head = next((k for k in range(mention.start, mention.end) if tok.lower[k] in _H_COUPLE_HEADS), None)
    if head is None:
        return None
    owner = _possessor(index, M(mention.start, head + 1, mention.label, mention.kind))
    if owner is None:
        return None
    role, gender, name = owner
    if role == "CHILD" and name:
        return name
    if head >= 4 and tok.lower[head - 1] in _H_APOSTROPHE_S and tok.low(head - 2) in ("mum", "mother", "mam", "mom") and \
            tok.lower[head - 3] in _H_APOSTROPHE_S and tok.is_lower[head - 4] and tok.idx[head - 3] == tok.idx[head - 4] + tok.length[head - 4]:
        # (the 's written onto the word: "that 'mum's boyfriend Shaun'" opens a quote)
        return f"a {tok.low(head - 4)}'s mother"  # "his friend's mum's boyfriend"
    subject = None
    if role == "PRONOUN" and gender == "f" and tok.lower[head - 1] in _H_POSSESSIVE_PRONOUNS:
        subject = _subject(index, M(head - 1, head, mention.label, mention.kind))
        if subject is not None and subject[0] == "CHILD" and subject[2]:
            return subject[2]  # "Kacey told the DSL she stayed out with her boyfriend"
    if tok.lower[head] not in _H_HUSBAND:
        return None  # a grandmother's boyfriend may live in the home; her husband is the children's grandfather
    if role == "OTHER":
        return name or "a relative"
    if subject is not None and subject[0] == "OTHER" and subject[2]:
        return subject[2]
    return None


def _father_owner(index: _DocIndex, mention: M) -> tuple[str | None, str | None, str | None]:
    """A father word owned by the mother or another adult is someone else's father ("Gemma's father died");
    a man the case now knows as the maternal grandfather is not a father figure, however he was first named."""
    tok = index.tok
    if any(p.name is None and p.role == "OTHER" and p.end >= mention.end for p in index.people_in(max(0, mention.start - 3), mention.start + 1)):
        return "OTHER_EXPERIENCER", "other experiencer: a relative ('her own dad')", None
    if _priests_title(index, mention):
        return "OTHER_EXPERIENCER", "other experiencer: a priest's title ('Father Declan, the hospice chaplain')", None
    someone_elses = _someone_elses_partner(index, mention)
    if someone_elses is not None:
        return "OTHER_EXPERIENCER", f"other experiencer: {someone_elses}'s partner", None
    for person in index.people_in(mention.start, mention.end):
        if person.name is not None and person.end <= mention.end and not (
                person.end < tok.n and tok.lower[person.end] in _H_APOSTROPHE_S):
            role = index.role_of(person)[0]
            if role == "FATHER":
                return "FATHER", None, person.name  # "their dad, Jamal Ferreira": the case knows who he is
            if role in ("OTHER", "PROFESSIONAL"):
                return "OTHER_EXPERIENCER", f"other experiencer: {person.name} ({role.lower()})", person.name
    bracket = next((k for k in range(mention.start - 1, max(-1, mention.start - 6), -1) if tok.lower[k] in _H_OPEN_BRACKET
                    and not any(tok.lower[j] in _H_CLOSE_BRACKET for j in range(k + 1, mention.start))), None)
    if bracket is not None and bracket > 0:
        # "MGF (Jade-Marie's dad)": the bracket explains the role word before it.
        before = [p for p in index.people_in(max(0, bracket - 3), bracket) if p.end == bracket]
        if before and index.role_of(before[-1])[0] in ("OTHER", "PROFESSIONAL"):
            return "OTHER_EXPERIENCER", "other experiencer: the bracket describes someone else", None
    opening = next((k for k in range(mention.end, min(tok.n, mention.end + 5)) if not tok.is_lower[k]), None)
    if opening is not None and tok.lower[opening] in _H_OPEN_BRACKET:
        # "the adult male in the household (Derek, MGF)": the bracket after the words names who he is.
        close = next((k for k in range(opening + 1, min(tok.n, opening + 10)) if tok.lower[k] in _H_CLOSE_BRACKET), None)
        inside = [index.role_of(p)[0] for p in index.people_in(opening + 1, close)] if close is not None else []
        if inside and "FATHER" not in inside and any(role in ("OTHER", "PROFESSIONAL") for role in inside):
            return "OTHER_EXPERIENCER", "other experiencer: the bracket names someone else", None
    partner = next((k for k in range(mention.start, mention.end) if tok.lower[k] in _H_NEUTRAL_PARTNER), None)
    if partner is not None and partner > 0 and (his_before(tok, partner) or _a_mans_partner(index, partner)):
        return "OTHER_EXPERIENCER", "other experiencer: his partner is the mother, not a male figure", None
    if partner is not None and (_woman_named_after(index, mention.end) or _woman_named_before(index, partner)):
        return "OTHER_EXPERIENCER", "other experiencer: the partner named is a woman", None
    head = next((k for k in range(mention.start, mention.end) if tok.lower[k] in _FATHER_HEADS), None)
    if head is None:
        return None, None, None
    if mention.end + 1 < tok.n and tok.low(mention.end) == ",":
        # "Her dad, Ellie's grandad, drops food round": the appositive names who he is to the children.
        appositive = [p for p in index.people_in(mention.end + 1, min(tok.n, mention.end + 5))
                      if p.name is None and index.role_of(p)[0] != "CHILD"]
        # ("her husband, the children's grandfather, died in 2015": the same, with the children named by a word.)
        if appositive and index.role_of(appositive[0])[0] == "OTHER" and all(
                tok.lower[k] in _H_APOSTROPHE_S or tok.lower[k] in _H_WHOSE_RELATIVE or not tok.is_lower[k]
                for k in range(mention.end + 1, appositive[0].start)):
            return "OTHER_EXPERIENCER", f"other experiencer: the children's {tok.low(appositive[0].start)}", None
    owner = _possessor(index, M(mention.start, head + 1, mention.label, mention.kind))
    if owner is None:
        if mention.end - mention.start == 1 and tok.text(mention.start) == "Dad":  # (a child's word, "Daddy", is the father)
            speaker = _quoted_speaker(index, mention)
            if speaker is not None and speaker[0] in ("MOTHER", "OTHER", "FATHER"):
                # "Claire said 'I'm not coping, not since Dad moved in'": a grown woman's "Dad" is her own father.
                return "OTHER_EXPERIENCER", f"other experiencer: {speaker[2] or speaker[0].lower()}'s {tok.low(head)}", speaker[2]
        return None, None, None
    role, gender, name = owner
    if role == "SELF" and "my" in (tok.low(mention.start), tok.low(max(0, mention.start - 1))):
        speaker = _quoted_speaker(index, mention)
        if speaker is not None and speaker[0] in ("MOTHER", "OTHER", "FATHER"):
            # "Simone says Esme's family is 'just me and my dad in Jamaica'": the mother's own father.
            return "OTHER_EXPERIENCER", f"other experiencer: {speaker[2] or speaker[0].lower()}'s {tok.low(head)}", speaker[2]
    if tok.lower[head] in _H_HUSBAND:
        # "her husband" is the mother's partner, a man to assess; "Halina (MGM) ... her husband" is the grandfather.
        if role == "OTHER":
            return "OTHER_EXPERIENCER", f"other experiencer: {(name or 'a relative')}'s husband", name
        return None, None, None
    pronoun_owner = tok.lower[max(0, mention.start - 1)] in _H_POSSESSIVE_PRONOUNS or tok.lower[mention.start] in _H_POSSESSIVE_PRONOUNS or (
        mention.start >= 3 and tok.low(mention.start - 1) == "and" and tok.lower[mention.start - 2] in _H_MOTHER_WORDS
        and tok.lower[mention.start - 3] in _H_POSSESSIVE_PRONOUNS)  # "her mum and dad"
    # "her father" whose 'her' is an adult we cannot name is the mother's father; a child would carry an age cue.
    if role in ("MOTHER", "OTHER", "FATHER") or (pronoun_owner and gender == "f" and role == "PRONOUN"):
        return "OTHER_EXPERIENCER", f"other experiencer: {(name or role.lower())}'s {tok.low(head)}", name
    if role == "PERSON" and _titled_owner(tok, head):
        # "her 'Grandad Pete' (Ms Kaye's father)": a Ms, Mrs or Mr is an adult, and an adult's father is a grandfather.
        return "OTHER_EXPERIENCER", f"other experiencer: {name or 'an adult'}'s {tok.low(head)}", name
    if role == "PERSON" and index.has_children and tok.lower[head - 1] in _H_APOSTROPHE_S and tok.lower[head] in _H_DAD_WORDS:
        # "Marcia's father, who lives in sheltered housing, comes for Sunday lunch" in a case that names its children,
        # Marcia not among them: an adult's father, as "Kayleigh's mother" is her mother (_owner_role).
        return "OTHER_EXPERIENCER", f"other experiencer: {name or 'an adult'}'s {tok.low(head)}", name
    if role == "PERSON" and name and any(age >= 18 for age in bracketed_ages(tok.text_, name)):
        # "Kelly Doherty (29) lives with Maisie ... Kelly's stepdad is decorating the nursery": an adult's own stepfather.
        return "OTHER_EXPERIENCER", f"other experiencer: {name} (an adult)'s {tok.low(head)}", name
    return role, None, name


#: Words between a man and the appositive saying whose relative he is: "her husband, the children's grandfather".
_H_WHOSE_RELATIVE = hashes(["the", "children", "kids", "child", "boys", "girls", "baby", "family"])
_H_DAD_WORDS = hashes(w for w in OWNED_FATHER_WORDS if " " not in w)

_ADULT_TITLES = MALE_TITLES | FEMALE_TITLES | {"mr.", "mrs.", "ms."}


def _titled_owner(tok: Tokens, head: int) -> bool:
    """The father word is owned by a name written with an adult's title: "Ms Kaye's father"."""
    k = head - 1
    if k < 1 or tok.lower[k] not in _H_APOSTROPHE_S:
        return False
    k -= 1
    while k > 0 and tok.title[k] and head - k <= 4 and tok.low(k) not in _ADULT_TITLES:
        k -= 1
    return tok.low(k) in _ADULT_TITLES


def _speaker(index: _DocIndex, mention: M) -> tuple[str | None, str | None, str | None]:
    """Whose view is an optimistic statement? A parent's own view is not professional optimism."""
    seg = index.segment(mention.start)
    reporting = [t for t in index.triggers_in(seg) if t.category == "REPORTING" and t.start >= seg.start and t.end <= mention.start
                 and mention.start - t.end < t.scope]
    if not reporting:
        quoted = _speaker_of_an_open_quote(index, mention, seg)
        if quoted is not None:
            return quoted
        return _holder_of_the_view(index, mention, seg)
    verb = reporting[-1]
    if len(reporting) > 1 and _own_words_quoted(index.tok, reporting[-2], verb):
        verb = reporting[-2]  # "Zoe said 'I feel like I've turned a corner'": the 'I' in her quoted words is Zoe
    verb_text = _span_text(index, verb.start, verb.end)
    if verb_text.lower().startswith("according to"):
        candidates = index.people_in(verb.end, min(verb.end + 3, mention.start))[:1]  # "according to mum"
    else:
        # "in mum's view" names the person inside the trigger; "mum said" just before it.
        candidates = index.people_in(verb.start, verb.end)[:1] or [
            p for p in index.people_in(seg.start, verb.start) if verb.start - p.end <= 4
        ][-1:]
        if candidates and verb.start > 0 and index.tok.low(verb.start - 1) == "and" and _governed_person(index.tok, candidates[0].start):
            # "Ashley has been discharged to a care coordinator and says he is 'smashing it'": the second verb shares
            # the sentence's subject, not the object of 'to'.
            subjects = [p for p in index.people_in(seg.start, candidates[0].start) if not _governed_person(index.tok, p.start)]
            candidates = subjects[:1] or candidates
    if not candidates:
        if any(index.tok.low(k) in _FAMILY_WORDS for k in range(max(seg.start, verb.start - 3), verb.start)):
            return _speaker_status(("PARENT", None, None), verb_text)  # "Both parents feel they are through the worst"
        if _elided_subject(index, verb, seg) and verb_text.split()[0].lower() in _PARENTS_ELIDED_VERBS:
            # "Says things are better this wk."; but "Noted the FSW's very positive visit" is the author's own note.
            return _speaker_status(("PARENT", None, None), verb_text)
        return "PROFESSIONAL", None, None
    person = candidates[0]
    role, gender, name = index.role_of(person)
    if role == "PRONOUN":
        role, gender, name = _resolve_pronoun(index, person.start, person.gender)
        if role == "PRONOUN":
            role = "PARENT"  # "she said things are better": in these records a parent, not the author
    if role == "PERSON" and _an_agency_speaking(index.tok, person, verb):
        return "PROFESSIONAL", None, name  # "Safer Routes report Zofia is doing really well", "Waypoint say ..."
    return _speaker_status((role, gender, name), verb_text)


def _an_agency_speaking(tok: Tokens, person: Person, verb: Trigger) -> bool:
    """A name the case does not know, alone before a verb of saying in the plural ("Kestrel House report", "Waypoint
    say"): a service speaking, as one person would "say" or "report" only with another ("Amber and Dale say")."""
    if tok.low(verb.start) not in _PLURAL_SAYING or verb.end - verb.start != 1:
        return False
    if person.start > 0 and tok.low(person.start - 1) in ("and", "&", ","):
        return False
    return not any(tok.low(k) in ("and", "&", "both", "all") for k in range(person.end, verb.start))


#: Verbs of saying in the present plural: an agency's report ("Safer Routes report", "Lantern say").
_PLURAL_SAYING = frozenset({"say", "report", "feel", "think", "agree", "describe", "confirm", "believe", "tell"})


def _speaker_of_an_open_quote(index: _DocIndex, mention: M, seg: Segment) -> tuple[str | None, str | None, str | None] | None:
    """"Leah's view: 'It's been a hard year. I'm on top of things now.'": a quotation opened in an earlier sentence of
    the same line is still the words of whoever it was introduced as, named just before the quote opened."""
    tok = index.tok
    seg_i = index.segment_index(seg.start)
    first = seg_i
    while first > 0 and seg_i - first < 3 and "\n" not in tok.text_[tok.idx[index.segments[first - 1].end - 1]:tok.idx[seg.start]]:
        first -= 1
    opening = None
    text = tok.text_
    for k in range(index.segments[first].start, mention.start):
        if not (tok.lower[k] in _H_QUOTE_MARKS or tok.text(k) in ("\u2019", "\u201d")):
            continue
        at, after = tok.idx[k], tok.idx[k] + tok.length[k]
        space_before = at == 0 or text[at - 1] in " \t\n(:"
        space_after = after >= len(text) or not text[after].isalnum()
        if opening is None and space_before and not space_after:
            opening = k  # an opening quote: "view: 'It's", not the apostrophe of "the Kirks' house"
        elif opening is not None and not space_before and space_after:
            opening = None
    if opening is None:
        return None  # not inside a quote
    # Whoever stands right before the quote ("Leah's view:", "Mum said:"), with nothing but a verb of saying between.
    before = [p for p in index.people_in(max(0, opening - 5), opening) if p.end <= opening]
    if not before:
        return None
    person = before[-1]
    between = [tok.low(k) for k in range(person.end, opening)]
    if not all(w in _INTRODUCING_A_QUOTE for w in between):
        return None
    if opening >= seg.start and not (person.start == seg.start and between in ([":"], ["-"]) and tok.lower[person.start] not in _H_TITLES):
        # A quote this very sentence opens is someone's words only as "Stacey: 'I'm doing loads better'", where the
        # sentence is a first name, a colon and the quotation (a verb of saying in it is read by _speaker itself); in
        # minutes, "Mr Hussain: 'He's a different lad'" is the class teacher speaking.
        return None
    role, gender, name = index.role_of(person)
    if role == "PRONOUN":
        role, gender, name = _resolve_pronoun(index, person.start, person.gender)
        if role == "PRONOUN":
            return None
    return _speaker_status((role, gender, name), "quoted")


def _quoted_speaker(index: _DocIndex, mention: M) -> tuple[str, str | None, str | None] | None:
    """Who says the words a mention stands in: the person just before the last verb of saying of its sentence, when a
    quotation opens between that verb and the mention ("Simone says Esme's family is 'just me and my dad'")."""
    tok = index.tok
    seg = index.segment(mention.start)
    verbs = [t for t in index.triggers_in(seg) if t.category == "REPORTING" and seg.start <= t.start and t.end <= mention.start]
    if not verbs:
        return None
    verb = verbs[-1]
    text = tok.text_
    opened = any((tok.lower[k] in _H_QUOTE_MARKS or tok.text(k) in ("\u201c", "\u2018"))
                 and (tok.idx[k] == 0 or text[tok.idx[k] - 1] in " \t\n(:") for k in range(verb.end, mention.start))
    speakers = [p for p in index.people_in(seg.start, verb.start) if verb.start - p.end <= 2]
    if not speakers and verb.start > 0 and tok.low(verb.start - 1) == "and":
        # "she was crying on the phone and said '...'": a verb after 'and' shares the clause's subject.
        speakers = index.people_in(max(seg.start, verb.start - 9), verb.start)[:1]
    if not opened or not speakers:
        return None
    role, gender, name = index.role_of(speakers[-1])
    if role == "PRONOUN":
        role, gender, name = _resolve_pronoun(index, speakers[-1].start, speakers[-1].gender)
    return role, gender, name


#: Words between a speaker and the quotation they introduce: "Leah's view:", "Mum said:", "Dad (by phone):".
_INTRODUCING_A_QUOTE = frozenset({"'s", "\u2019s", "view", "views", "said", "says", "told", "me", "us", "sw", ":", "-", ",", "(", ")",
                                  "by", "phone", "added", "stated", "replied", "commented", "wrote"})


def _own_words_quoted(tok: Tokens, said: Trigger, verb: Trigger) -> bool:
    """A quote opens between a verb of saying and a later verb whose subject is 'I': the speaker's own words."""
    quote = next((k for k in range(said.end, min(verb.start, said.end + 3)) if tok.lower[k] in _H_QUOTE_MARKS), None)
    return quote is not None and any(tok.low(k) == "i" for k in range(quote + 1, verb.start))


_H_QUOTE_MARKS = hashes(["'", '"', "\u2018", "\u201c"])


def _holder_of_the_view(index: _DocIndex, mention: M, seg: Segment) -> tuple[str | None, str | None, str | None]:
    """ "Ricky Shaw (Lacey's father), who has no worries about her care": a worry its subject has not, with no verb of
    saying, is that person's view; any other optimistic statement with no speaker named is the author's."""
    tok = index.tok
    if tok.lower[mention.start] not in _H_HOLDS or mention.end - mention.start < 2 or tok.low(mention.start + 1) != "no":
        return "PROFESSIONAL", None, None  # "Amber has transformed her life" is said of her, not by her
    before = [p for p in index.people_in(seg.start, mention.start) if p.end <= mention.start and mention.start - p.end <= 8]
    if not before:
        return "PROFESSIONAL", None, None
    person = before[-1]
    role, gender, name = index.role_of(person)
    if role == "PRONOUN":
        role, gender, name = _resolve_pronoun(index, person.start, person.gender)
        if role == "PRONOUN":
            return "PROFESSIONAL", None, None
    return _speaker_status((role, gender, name), tok.text(mention.start))


_H_HOLDS = hashes(["has", "have", "had"])
#: Words for the family as a whole, whose view of their own progress is no professional's.
_FAMILY_WORDS = frozenset({"parents", "family", "couple", "grandparents"})


#: Verbs whose missing subject, in terse notes, is the parent written about: what she says, feels or thinks. Others
#: ("Noted", "Agreed", "Described", "Reports") are as often the author's own record.
_PARENTS_ELIDED_VERBS = frozenset({"says", "said", "say", "feels", "feel", "felt", "thinks", "think", "thought", "told", "tells"})


def _elided_subject(index: _DocIndex, verb: Trigger, seg: Segment) -> bool:
    """A reporting verb opening its clause with no subject: in terse notes, the parent being written about."""
    tok = index.tok
    k = verb.start - 1
    while k >= seg.start and not tok.text(k).strip():
        k -= 1
    return k < seg.start or tok.lower[k] in _H_CLAUSE_OPENERS


def _speaker_status(speaker: tuple, verb_text: str) -> tuple[str | None, str | None, str | None]:
    role, gender, name = speaker
    if role in PROFESSIONAL_SPEAKERS:
        return "PROFESSIONAL", None, name
    who = name or role.lower()
    return "OTHER_EXPERIENCER", f"the view of {who} ('{verb_text}')", name
