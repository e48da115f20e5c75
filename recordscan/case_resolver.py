"""Case assembly, part 1: read a case's notes together, as an auditor does.

A note on its own cannot say that "Ryan" is the father (he was introduced three notes earlier), that
"Zara" is the child whose low mood is not the mother's, or that "referral now made" completes the action
agreed at last month's core group. This module takes a case's processed Docs in date order and:

1. merges the people registries of all its notes, and infers the mother from whose mental health the
   notes discuss;
2. re-tags names the case now knows (father, partner, named GP) and recomputes every mention's status;
3. re-links follow-up actions with the new mentions, and links "as agreed ... now made" actions to the
   planned action they complete;
4. returns plain records (mentions, follow-ups, case events) for the feature step.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from .components.context import WAITING_ANAPHORS_KEY, assign_statuses
from .components.followup_tagger import CASE_EVENTS, GP_AUTHORS, UNLINKED
from .components.people_tagger import OWNED_FATHER_WORDS, OWNED_MOTHER_WORDS, QUOTES, tag_named_people, womens_names
from .concepts import CONCERN_LABELS, is_asserted
from .components.context import mention_info
from .components.notestate import people, tokens
from .components.people_tagger import title_of
from .extensions import FOLLOWUPS, MENTIONS
from .people import PeopleRegistry, bracketed_ages, name_ends_at, stated_ages
from .tagging import FollowupRecord, MentionRecord, Note, followup_records_of_groups, mention_records, original_span, original_text

MMH = CONCERN_LABELS["maternal_mental_health"]
FATHER = CONCERN_LABELS["father_involvement"]
PARTNER_CUES = ("partner", "boyfriend", "bf", "stepdad", "step-dad", "stepfather", "step-father", "step father", "husband", "fiance",
                "fiancé", "new partner", "male partner", "ex-partner", "ex partner", "the male", "a male", "current partner", "fella", "new man", "the man", "lodger")


@dataclass
class EventRecord:
    case_id: str
    note_id: str
    event: str
    start: int
    end: int
    text: str


@dataclass
class NoteResult:
    note: Note
    order: int  # position of the note in the case after sorting by date (stable on ties)
    mentions: list[MentionRecord]
    followups: list[FollowupRecord]
    events: list[EventRecord]
    mention_people: list[str | None]  # for each mention: who it is about (a man's name, "father", "partner") or None
    unlinked: list[FollowupRecord] = field(default_factory=list)  # completed actions with no concern in their sentence


@dataclass
class CaseResult:
    case_id: str
    notes: list[NoteResult]
    registry: PeopleRegistry
    men: dict[str, str] = field(default_factory=dict)  # man's name -> "father" or "partner"
    review_phrases: dict | None = None  # the pipeline's review-period phrase sets (None: the shipped ones)


def order_notes(notes: list[Note]) -> list[Note]:
    """Date order, stable on equal dates (input order breaks ties); notes without a date go last."""
    indexed = list(enumerate(notes))
    indexed.sort(key=lambda item: (item[1].date is None, item[1].date or 0, item[0]))
    return [n for _, n in indexed]


FOLLOWUP_COMPONENT = "recordscan_followups"


def resolve_case(nlp: Language, notes_and_docs: list[tuple[Note, Doc]], followups_tagged: bool = True) -> CaseResult:
    """Resolve one case. `notes_and_docs` must already be in date order (see `order_notes`).
    `followups_tagged=False`: the Docs come from a pipeline run without the follow-up tagger, which then runs
    here once per note, after the case has settled who everyone is."""
    case_id = notes_and_docs[0][0].case_id if notes_and_docs else ""
    registry = PeopleRegistry()
    for _, doc in notes_and_docs:
        if doc._.people:
            registry.merge(doc._.people)
    _infer_mother(notes_and_docs, registry, womens_names(nlp))
    _women_taken_for_partners(notes_and_docs, registry)
    _mother_of_her_son(notes_and_docs, registry)
    _sister_whose_children_they_are(notes_and_docs, registry)
    _infer_mother_from_speech(notes_and_docs, registry)
    _main_female_carer(notes_and_docs, registry)
    _young_mothers(notes_and_docs, registry)
    _daughter_who_is_the_mother(registry)
    _speaker_whose_mother_she_is(notes_and_docs, registry)
    _children_taken_for_fathers(notes_and_docs, registry)
    _relatives_of_the_mother(registry)
    _a_womans_father(registry)
    followup_tagger = nlp.get_pipe(FOLLOWUP_COMPONENT) if FOLLOWUP_COMPONENT in nlp.pipe_names else None
    people_tagger = nlp.get_pipe("recordscan_people") if "recordscan_people" in nlp.pipe_names else None
    context = nlp.get_pipe("recordscan_context") if "recordscan_context" in nlp.pipe_names else None
    context_words = getattr(context, "words", None)  # the pipeline's own word sets (None: the shipped ones)
    results = []
    asserted_earlier: set[str] = set()  # labels asserted in the notes before this one
    for order, (note, doc) in enumerate(notes_and_docs):
        # A note written all in lower case learns its names from the rest of the case ("sorie attending").
        found_names = people_tagger is not None and people_tagger.add_known_lowercase_names(doc, registry)
        knows_more = found_names or _knows_more(doc, registry)
        # "Nadine says the tablets are starting to help": the tablets of the depression an earlier note recorded.
        points_back = any(kind == "case_anaphor" and label in asserted_earlier
                          for _, _, label, kind in doc.user_data.get(WAITING_ANAPHORS_KEY, ()))
        reread = knows_more or points_back
        if reread:
            # Only notes whose people the case knows better than the note itself, or whose anaphors an earlier
            # note explains, are re-read.
            if knows_more:
                tag_named_people(doc, registry)
            assign_statuses(doc, registry, frozenset(asserted_earlier), context_words)
        doc._.people = registry  # the follow-up tagger asks the case who a name is ("invited through Tanya")
        if followup_tagger is not None and (reread or not followups_tagged):
            followup_tagger(doc)
        mentions = mention_records(note, doc)
        people = _apposed_names(note.text, mentions, [_man_of(m, registry) if m.label == FATHER else None for m in mentions])
        linked, unlinked = followup_records_of_groups(note, doc, (FOLLOWUPS, UNLINKED))
        results.append(NoteResult(note, order, mentions, linked, _events(note, doc), people, unlinked))
        asserted_earlier.update(m.label for m in mentions if is_asserted(m.status))
    _a_childs_self_harm(results, notes_and_docs, registry)
    _link_across_notes(results)
    aliases = _man_aliases(registry, [original_text(doc) for _, doc in notes_and_docs])
    for res in results:
        res.mention_people = [aliases.get(p, p) if p else p for p in res.mention_people]
    excluded = _men_never_asserted(results, registry, aliases)
    for res in results:
        # His bare name ("after Winston's funeral") is no father figure when every mention that says who he is was
        # a trap ("since her husband Winston died", of the grandmother).
        res.mentions = [_not_a_father_figure(m) if p in excluded and is_asserted(m.status) and not _says_who_he_is(m, _names(m, registry)) else m
                        for m, p in zip(res.mentions, res.mention_people)]
        # "her stepdad" was matched to the only partner the case named; if that man turned out to have no role
        # ("a former partner, Gary Stott, who is not the father of any of the children"), it is someone else.
        res.mention_people = [_generic(m) if p in excluded else p for m, p in zip(res.mentions, res.mention_people)]
    men = {e.full_name: ("partner" if (e.cue or "") in PARTNER_CUES else "father")
           for e in registry.entries() if e.role == "FATHER" and e.full_name not in aliases and e.full_name not in excluded}
    review_phrases = followup_tagger.review_phrases if followup_tagger is not None else None
    return CaseResult(case_id, results, registry, men, review_phrases)


#: Words of self-harm: in a neglect case, a teenager's as often as the mother's.
_SELF_HARM = re.compile(r"\b(?:cut|cuts|cutting|self[- ]?harm\w*|self[- ]?injur\w*|self[- ]?inflicted|scratch\w*|ligatures?)\b", re.I)


def _a_childs_self_harm(results: list[NoteResult], notes_and_docs, registry: PeopleRegistry) -> None:
    """Self-harm no one is named for ("Superficial cuts L thigh" in a GP entry, "The self-harm has stopped") is the
    child's in a case where other notes give self-harm to a named child and none to the mother."""
    childs, mothers, unnamed = False, False, []
    for res, (_, doc) in zip(results, notes_and_docs):
        for i, (m, span) in enumerate(zip(res.mentions, doc.spans.get(MENTIONS, []))):
            if m.label != MMH or not _SELF_HARM.search(m.text):
                continue
            anchor = mention_info(doc, span)[1]
            entry = registry.lookup(anchor.split()) if anchor else None
            if m.status == "other_experiencer":
                childs |= (entry is not None and entry.role == "CHILD") or (m.reason or "").endswith(": child")
            elif is_asserted(m.status):
                if anchor is None:
                    unnamed.append((res, i))
                else:
                    mothers |= entry is None or entry.role == "MOTHER"  # someone the case cannot place may be her
    if childs and not mothers:
        mother_words = {"mum", "mother", "mam", "mummy", "mom"} | {w.lower() for e in registry.entries() if e.role == "MOTHER"
                                                                    for w in e.full_name.split()}
        for res, i in unnamed:
            m = res.mentions[i]
            text = res.note.text
            if _words(text[sentence_start(text, m.start):m.start]) & mother_words:
                continue  # "young mother with thoughts of self-harm", "The 1:1 with Keeley about self-harm"
            res.mentions[i] = dataclasses.replace(res.mentions[i], status="other_experiencer",
                                                  reason="other experiencer: the case's self-harm is a named child's")


def _man_aliases(registry: PeopleRegistry, texts: list[str] = ()) -> dict[str, str]:
    """Short names of men the case also names in full: 'Ty' is 'Tyler Marsh', 'Ryan' is 'Ryan Tolley', 'Big Al' is
    "Alan Rudd ('Big Al')"; and 'Mr Doherty (husband)' is the 'Declan (father)' a note names 'Declan Doherty'."""
    men = [e for e in registry.entries() if e.role == "FATHER"]
    aliases = {}
    for short in men:
        words = short.full_name.split()
        for full in men:
            other = full.full_name.split()
            if full is short or short.full_name in aliases:
                continue
            if len(words) == 1 and len(other) == 1 and short.gender == "m" and any(f"{other[0]} {words[0]}" in t for t in texts):
                aliases[short.full_name] = full.full_name  # "Doherty" (from "Mr Doherty") -> "Declan"
                continue
            if any(f"{full.full_name} ({q}{short.full_name}" in t for q in QUOTES for t in texts):
                aliases[short.full_name] = full.full_name  # "Alan Rudd ('Big Al', partner)": the nickname in his bracket
                continue
            first = other[0].lower()
            if len(other) > len(words) and len(words) == 1 and len(words[0]) >= 2 and first.startswith(words[0].lower()):
                aliases[short.full_name] = full.full_name  # "Ty" -> "Tyler Marsh"
            elif (len(words) > 1 and len(other) > 1 and words[-1].lower() == other[-1].lower() and len(words[0]) < len(other[0])
                  and (other[0].lower().endswith(words[0].lower()) or other[0].lower().startswith(words[0].lower()))):
                aliases[short.full_name] = full.full_name  # "Bayo Ogunleye" -> "Adebayo Ogunleye", "Kel Oduya" -> "Kelvin Oduya"
    # "Mr Sykes (the children's dad)" in the housing notes and "Darren (dad)" in social care's: when the case knows one
    # father by title and surname only and one by first name only, and no other, they are the same man.
    dads = [e for e in men if e.cue in ("dad", "father") and len(e.full_name.split()) == 1 and e.full_name not in aliases]
    if len(dads) == 2:
        titled = [e for e in dads if any(f"Mr {e.full_name}" in t for t in texts)]
        if len(titled) == 1:
            other = dads[1] if titled[0] is dads[0] else dads[0]
            if not any(f"Mr {other.full_name}" in t for t in texts):
                aliases[titled[0].full_name] = other.full_name
    return aliases


def _knows_more(doc: Doc, registry: PeopleRegistry) -> bool:
    """True when some named person in the note resolves differently with the whole case's registry."""
    own = doc._.people or PeopleRegistry()
    tok = tokens(doc)
    for person in people(doc):
        if person.name is None:
            continue
        words = person.name.split()
        title = title_of(tok, person)
        case_entry = registry.lookup(words, title)
        if case_entry is None:
            continue
        note_entry = own.lookup(words, title)
        if note_entry is None or note_entry.role != case_entry.role:
            return True
    return False


#: Words that make a relative the children's main carer (SCHEME.md: "the mother's (or the main female carer's)").
_MAIN_CARER = re.compile(r"special guardian|\bSGO\b|kinship carer|main carer|sole carer|primary carer|full[- ]time carer", re.I)
_NOT_THE_CARER = re.compile(r"\b(?:not|no longer|never|n't)\s+(?:be\s+|become\s+|been\s+)?(?:the\s+|a\s+|her\s+)?$", re.I)
_FEMALE_RELATIVE_CUES = frozenset({"mgm", "pgm", "nan", "nana", "nanna", "gran", "granny", "grandma", "grandmother", "maternal grandmother",
                                   "paternal grandmother", "great-grandmother", "aunt", "auntie", "aunty", "great-aunt", "great aunt",
                                   "maternal aunt", "paternal aunt"})


def _main_female_carer(notes_and_docs, registry: PeopleRegistry) -> None:
    """A grandmother or aunt named in the same sentence as "special guardian", "kinship carer" or "main carer" is
    the children's main female carer, whose mental health the scheme counts as the mother's: she takes the
    mother's role for the rest of the case."""
    candidates = [e for e in registry.entries() if e.role == "OTHER" and (e.cue or "").lower() in _FEMALE_RELATIVE_CUES]
    if not candidates:
        return
    for _, doc in notes_and_docs:
        text = original_text(doc)
        for found in _MAIN_CARER.finditer(text):
            if _NOT_THE_CARER.search(text, max(0, found.start() - 25), found.start()):
                continue  # "agreed she should not be the sole carer for a toddler"
            start = max(text.rfind(".", 0, found.start()), text.rfind("\n", 0, found.start())) + 1
            ends = [k for k in (text.find(".", found.end()), text.find("\n", found.end())) if k >= 0]
            sentence = text[start:min(ends) if ends else len(text)]
            for entry in candidates:
                if re.search(rf"\b{re.escape(entry.full_name.split()[0])}\b", sentence, re.I):  # "brenda 61, main carer"
                    entry.role, entry.cue, entry.gender = "MOTHER", "main carer", "f"


_SPEAKER = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?:said|says|told|tells|reported|reports|explained|stated|agreed|denied|described)\b")
_SHE = re.compile(r"\b(she|her|herself)\b", re.I)
_HE = re.compile(r"\b(he|him|his|himself)\b", re.I)


def _quoted_pronouns(notes_and_docs, quoted) -> tuple[Counter, Counter]:
    """For each speaker the notes quote ("Tracey said she ...") that `quoted(name)` accepts: how often the words
    after the quote speak of 'she' more than 'he', and how often the other way round."""
    she: Counter = Counter()
    he: Counter = Counter()
    for _, doc in notes_and_docs:
        text = original_text(doc)
        for found in _SPEAKER.finditer(text):
            name = found.group(1)
            if not quoted(name):
                continue
            after = text[found.end():found.end() + 80].split(".")[0]
            women, men = len(_SHE.findall(after)), len(_HE.findall(after))
            if women > men:
                she[name] += 1
            elif men > women:
                he[name] += 1
    return she, he


#: "Tracey Holt (44) called police after her son, Kian": a woman named at the start of a sentence that goes on
#: to speak of her son, daughter or children.
_HER_CHILDREN = re.compile(r"(?:^|[.!?\n]\s*)([A-Z][a-z]+)(?: [A-Z][a-z]+)?(?: \(\d{2}\))?[^.!?\n]{0,60}?\bher (?:son|daughter|children|kids)\b")

#: Capitalised words that open such sentences without naming a woman.
_NOT_A_MOTHER = frozenset({"mum", "mother", "she", "the", "a", "an", "this", "today", "police", "officers", "school", "staff", "nan",
                           "grandmother", "mgm", "pgm", "aunt", "auntie", "sw", "hv", "dsl", "gp", "her", "we", "i", "they", "when",
                           "after", "on", "at", "in", "during", "following", "visit", "home", "call", "plan", "present"})


def _mother_of_her_son(notes_and_docs, registry: PeopleRegistry) -> None:
    """"Tracey Holt (44) called police after her son, Kian Holt (15), punched her": when no one is named as the
    mother, the woman whose son or daughter a child of the case is, is the mother."""
    if any(e.role == "MOTHER" and not e.inferred for e in registry.entries()):
        return
    for _, doc in notes_and_docs:
        text = original_text(doc)
        if "her son" not in text and "her daughter" not in text and "her children" not in text and "her kids" not in text:
            continue
        for found in _HER_CHILDREN.finditer(text):
            words = [found.group(1)]
            # A word that opens such sentences without naming anyone ("Police ...") is no new person.
            if (words[0].lower() not in _NOT_A_MOTHER or registry.lookup(words) is not None) and _name_as_mother(registry, words):
                return
    for child in registry.entries():
        if child.role == "CHILD" and child.owner == "her" and child.referent:
            if _name_as_mother(registry, child.referent.split("|")[0].split()):
                return


#: "Shelby's children Mason (6) and Ivy (2)": a woman's children, named.
_HER_NAMED_CHILDREN = re.compile(r"\b([A-Z][a-z]+)(?:'s|\u2019s) (?:children|kids|son|daughter|twins|baby),? ([A-Z][a-z]+)\b")


def _sister_whose_children_they_are(notes_and_docs, registry: PeopleRegistry) -> None:
    """"... with his sister Shelby Arkwright (24). Shelby's children Mason (6) and Ivy (2) were in the lounge": a
    woman first named as an adult relative's sister is the mother when the notes call the case's children hers."""
    if any(e.role == "MOTHER" and not e.inferred for e in registry.entries()):
        return
    for _, doc in notes_and_docs:
        text = original_text(doc)
        for found in _HER_NAMED_CHILDREN.finditer(text):
            woman, child = registry.lookup([found.group(1)]), registry.lookup([found.group(2)])
            if woman is not None and woman.role == "OTHER" and (woman.cue or "").lower() == "sister" \
                    and child is not None and child.role == "CHILD" and not child.inferred:
                woman.role, woman.gender, woman.cue = "MOTHER", "f", None
                return


def _name_as_mother(registry: PeopleRegistry, words: list[str]) -> bool:
    """Make the named woman the mother, if the case does not know her or knows her only as a name; True if it did."""
    person = registry.lookup(words)
    if person is None:
        registry.add(words, "MOTHER", "f", inferred=True)
        return True
    if person.role == "PERSON" and person.gender != "m":
        person.role, person.gender = "MOTHER", "f"
        return True
    return False


def _infer_mother_from_speech(notes_and_docs, registry: PeopleRegistry) -> None:
    """When no one is known as the mother, the woman the notes most often quote ("Tracey said she ...") is.
    Then "Tracey's dad, Ken" is the children's grandfather, not a man to assess."""
    if any(e.role == "MOTHER" for e in registry.entries()):
        return
    she, _ = _quoted_pronouns(notes_and_docs, lambda name: registry.lookup([name]) is None)
    if she:
        name, n = she.most_common(1)[0]
        if n >= 2:
            registry.add([name], "MOTHER", "f", inferred=True)


def _women_taken_for_partners(notes_and_docs, registry: PeopleRegistry) -> None:
    """A "partner" or "boyfriend" the notes quote as a woman ("her partner, Natasha ... Natasha said she"; "any
    future boyfriend Ceri introduces ... Ceri said she registered the children") is not a man to assess. Only
    men known from a partner word are tested: a father often speaks about the mother ("Ryan said she was low")."""
    partners = {e.full_name.split()[0]: e for e in registry.entries() if e.role == "FATHER" and (e.cue or "") in PARTNER_CUES}
    if not partners:
        return
    she, he = _quoted_pronouns(notes_and_docs, lambda name: name in partners)
    for name, n in she.items():
        if n >= 2 and not he[name]:
            entry = partners[name]
            entry.gender = "f"
            entry.role = "OTHER" if any(e.role == "MOTHER" for e in registry.entries()) else "MOTHER"


def _relatives_of_the_mother(registry: PeopleRegistry) -> None:
    """"Sophie's stepfather, Dave" once the case knows Sophie is the mother: Dave is her stepfather, the
    children's grandfather, not a male figure to assess as their father. "Her dad, Neil" and "her mum,
    Lorraine" likewise, when the woman "her" most likely means is the mother; and a named father's or relative's
    father ("Ryan's father, Steve") whoever the mother is."""
    for entry in registry.entries():
        if entry.role not in ("FATHER", "MOTHER") or not entry.owner:
            continue
        if entry.owner[0].islower():
            if entry.owner != "her" or not entry.referent:
                continue
            owner = _her(entry, registry)
        elif entry.role == "FATHER" or (entry.cue or "").lower() in OWNED_MOTHER_WORDS:
            owner = registry.lookup(entry.owner.split()) or _named_first(registry, entry.owner)
        else:
            continue
        named_owner = not entry.owner[0].islower()
        if owner is not None and owner is not entry and (
                owner.role == "MOTHER" or named_owner and entry.role == "FATHER" and owner.role in ("OTHER", "FATHER")):
            entry.role = "OTHER"  # the mother's father; "Ryan's father, Steve", "Nan's husband": a grandfather


def _a_womans_father(registry: PeopleRegistry) -> None:
    """"Rochelle is not in a relationship ...; her dad, Stan, has the children on Sundays": when the 'her' is someone
    the case never names otherwise, and the case names its children (she is not one of them), she is a grown woman and
    Stan her father, the children's grandfather, whether or not the case learns that she is their mother."""
    if not any(e.role == "CHILD" and not e.inferred for e in registry.entries()):
        return
    for entry in registry.entries():
        if entry.role != "FATHER" or entry.owner != "her" or not entry.referent or (entry.cue or "").lower() not in OWNED_FATHER_WORDS:
            continue
        first = entry.referent.split("|")[0]
        if registry.lookup(first.split()) is None:
            entry.role = "OTHER"


_SPEAKER_THEN_HER_MOTHER = r"\b([A-Z][a-z]+)(?: [A-Z][a-z]+)? (?:said|says|told|explained|reported|feels|thinks)\b[^.\n]{{0,80}}?\bher (?:mum|mother|mam),? {name}\b"


def _speaker_whose_mother_she_is(notes_and_docs, registry: PeopleRegistry) -> None:
    """"Kayleigh said the house has 'gone to pot' since her mum, Denise, moved in": in a case with children of its
    own, the woman who speaks of her mum is their mother and her mum is their grandmother. Only a speaker the case
    knows as no one else (not a child, not a worker)."""
    if not any(e.role == "CHILD" and not e.inferred for e in registry.entries()):
        return
    for entry in registry.entries():
        if entry.role != "MOTHER" or entry.inferred or entry.owner != "her" or (entry.cue or "").lower() not in OWNED_MOTHER_WORDS:
            continue
        pattern = re.compile(_SPEAKER_THEN_HER_MOTHER.format(name=re.escape(entry.full_name.split()[0])))
        for _, doc in notes_and_docs:
            found = pattern.search(original_text(doc))
            if found is None or found.group(1).lower() in _NOT_A_MOTHER or (
                    entry.referent and found.group(1) != entry.referent.split("|")[0].split()[0]):
                continue  # the people tagger's first guess at whose mum she is must be the speaker
            speaker = registry.lookup([found.group(1)])
            if speaker is None:
                registry.add([found.group(1)], "MOTHER", "f")
            elif speaker.role == "PERSON" and speaker.gender != "m":
                speaker.role, speaker.gender = "MOTHER", "f"
            else:
                continue
            entry.role = "OTHER"
            return


def _daughter_who_is_the_mother(registry: PeopleRegistry) -> None:
    """"Aimee lives with her mother, Sandra" and "Sandra Lorimer ... her daughter Aimee": each woman was taken for
    the other's parent or child. When the case has children of its own, the daughter is their mother and her
    mother is their grandmother (a guessed child, named only as someone's daughter, is not one of them)."""
    for entry in registry.entries():
        if entry.role != "MOTHER" or entry.owner != "her" or not entry.referent or (entry.cue or "").lower() not in OWNED_MOTHER_WORDS:
            continue
        daughter = registry.lookup(entry.referent.split("|")[0].split())
        if daughter is None or daughter.role != "CHILD" or not daughter.inferred or daughter.cue != "daughter" or not daughter.referent:
            continue
        if registry.lookup(daughter.referent.split("|")[0].split()) is not entry:
            continue
        if any(e.role == "CHILD" and not e.inferred and e is not daughter for e in registry.entries()):
            daughter.role, daughter.gender, daughter.inferred = "MOTHER", "f", False
            entry.role = "OTHER"


def _named_first(registry: PeopleRegistry, name: str):
    """The one person whose full name begins with `name`: "Kelly Ann" in "Kelly-Ann's father" is Kelly Ann Rowe."""
    prefix = name.lower() + " "
    found = [e for e in registry.entries() if e.full_name.lower().startswith(prefix)]
    return found[0] if len(found) == 1 else None


def _her(entry, registry: PeopleRegistry):
    """The first of the entry's possible "her" (see `_her_referents`) that the case knows as a woman or girl;
    None when the first one that is not a man is someone the case does not know."""
    for name in entry.referent.split("|"):
        person = registry.lookup(name.split())
        if person is None:
            return None
        if person is entry or person.gender == "m" or person.role in ("FATHER", "GP", "PROFESSIONAL"):
            continue
        return person
    return None


#: A named woman expecting or just having had a baby: in young parents' records she is the mother, and "her
#: mum" is the baby's grandmother ("Shannon Pike (16, Year 11) is 22 weeks pregnant", "Re: Kayla Brook, 19 weeks
#: pregnant", "Re: Ms Lucy Hale, 35, 11 weeks pregnant", "Sophie's EPDS was 3", "Sinead Mulvaney (G2 P1)": gravida
#: and para are said only of a pregnant woman). "Rocco's newborn check" is the baby's own.
_EXPECTING = re.compile(
    r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?)?(?: \([^()\n]{0,30}\)|, \d{2}(?=,))?,?"
    r" (?:(?:is|was|who is|who was|became|is now|now)(?: about| around| approx\.?| approximately| nearly)?"
    r"(?: \d{1,2}(?:\+\d)? ?(?:weeks?|wks?))? pregnant|\d{1,2}(?:\+\d)? ?(?:weeks?|wks?) pregnant|gave birth|has given birth"
    r"|had given birth)\b"
    r"|\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:'s|\u2019s) (?:EPDS|Whooley|postnatal|antenatal|booking appointment|pregnancy|labour"
    r"|newborn(?! (?:check|hearing|screen|screening|exam|examination|blood|bloodspot|physical|review)))\b"
    r"|\b(?:EPDS|Whooley)(?: questions| screen)?(?::|,| -| with| for) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?!Health|Surgery|Practice|Centre)"
    r"|\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?)? \((?:[^()\n]{0,20}, )?G\d{1,2} ?P\d{1,2}\b")
_EXPECTING_HINT = re.compile(r"pregnant|birth|EPDS|Whooley|postnatal|antenatal|booking appointment|pregnancy|labour|newborn|\(G\d|, G\d")
#: "Sophie Armitage (20) lives with her parents, Julie and Pete": the mother's parents.
_HER_PARENTS = re.compile(r"\b([A-Z][a-z]+)\b[^.\n]{0,60}?\bher (?:parents|grandparents),? ([A-Z][a-z]+)(?: [A-Z][a-z]+)?,? (?:and|&) ([A-Z][a-z]+)\b")


#: A baby in the case: "Mason (5 weeks)", "Mason is 5 weeks old", "since Ruby was born", "her baby".
_A_BABY = re.compile(r"\(\d{1,2} ?(?:weeks?|wks|months?|mths)(?: old)?\)|\b\d{1,2} (?:weeks?|months?) old\b|\bwas born\b|\bher (?:new )?baby\b|\bnewborn\b")


def _teenage_mothers(texts: list[str], registry: PeopleRegistry) -> list:
    """In a case about a baby, the one girl named with an age of 13 to 19 ("Kayleigh (16)", "Amber Quigley (17, Level 3
    Childcare)") is the baby's mother: young parents' records rarely say so in as many words. None when the notes name
    no baby, or more than one such girl."""
    girls = [entry for entry in registry.entries() if entry.role == "CHILD" and entry.gender != "m" and (
             entry.cue == "age" and not entry.inferred or entry.cue == "daughter")]  # "her daughter Niamh (18)"
    if not girls or not any(_A_BABY.search(text) for text in texts):
        return []
    found = []
    for entry in girls:
        if entry in found:
            continue
        first = entry.full_name.split()[0]
        if any(first in text and _named_with_a_teenage_age(text, first) for text in texts):
            found.append(entry)
    return found if len({e.full_name.split()[0] for e in found}) == 1 else []


#: A bracket giving an age of 13 to 19, after a name: "Kayleigh (16)", "Tegan Lowry (Year 11, 15)" (a lookahead, so
#: that every place it starts is found).
_TEENAGE_AGE_AFTER_A_NAME = re.compile(r"(?= \((?:[^()\n]{0,25}, )?1[3-9][,)])")
_NAME_PART = re.compile(r"[- ][A-Z][a-z]+$")


def _named_with_a_teenage_age(text: str, first: str) -> bool:
    """ "Kayleigh (16)", "Ellie-Mae Corcoran (17)", "Tegan Lowry (Year 11, 15)": the first name, up to two more name
    parts, and a bracket with an age of 13 to 19."""
    return any(name_ends_at(text, m.start(), first, _NAME_PART, 2) for m in _TEENAGE_AGE_AFTER_A_NAME.finditer(text))


def _young_mothers(notes_and_docs, registry: PeopleRegistry) -> None:
    """A girl or unplaced woman the notes call pregnant, or whose postnatal screening they record, is the mother,
    unless the case already names a mother who is not hers; her parents are the children's grandparents."""
    expecting, texts = [], [original_text(doc) for _, doc in notes_and_docs]
    for text in texts:
        if not _EXPECTING_HINT.search(text):
            continue  # most notes say none of these words: skip the costly pattern
        for found in _EXPECTING.finditer(text):
            name = found.group(1) or found.group(2) or found.group(3) or found.group(4)
            entry = registry.lookup(name.split())
            if entry is None:
                registry.add([name], "PERSON", "f", inferred=True)
                entry = registry.lookup([name])
            if entry is not None and entry.role in ("CHILD", "PERSON") and entry not in expecting:
                expecting.append(entry)
    if not expecting:
        expecting = _teenage_mothers(texts, registry)
    if len({girl.full_name.split()[0] for girl in expecting}) == 1:
        first = expecting[0].full_name.split()[0]  # "Kayleigh" and "Kayleigh Rudd" are one girl
        for entry in registry.entries():
            whose = {(name or "").split(" ")[0] for name in [entry.owner, *(entry.referent or "").split("|")]}
            if entry.role == "MOTHER" and not entry.inferred and first not in whose and entry.owner != "his":
                return  # "Mia (15) is pregnant" in a case about her mother's care: her mother stays the mother
        for girl in expecting:
            girl.role, girl.gender, girl.cue, girl.inferred = "MOTHER", "f", "pregnant", False
        for entry in registry.entries():
            if entry.role == "MOTHER" and entry.owner == "his" and entry not in expecting:
                entry.role = "OTHER"  # "his mum, Nicole Ainsworth": the young father's mother, the baby's grandmother
    for text in texts:
        if "her parents" not in text and "her grandparents" not in text:
            continue
        for found in _HER_PARENTS.finditer(text):
            daughter = registry.lookup([found.group(1)])
            if daughter is None or daughter.role != "MOTHER":
                continue
            for name in (found.group(2), found.group(3)):
                parent = registry.lookup([name])
                if parent is None:
                    registry.add([name], "OTHER", None, cue="parent")
                elif parent is not daughter and parent.role in ("MOTHER", "FATHER", "PERSON"):
                    parent.role, parent.cue = "OTHER", "parent"


def _infer_mother(notes_and_docs, registry: PeopleRegistry, womens_names: frozenset[str] = frozenset()) -> None:
    """A named adult whose mental health the notes discuss, and who is not known as anyone else, is the mother.
    Uses the statuses and anchors the pipeline already set on each note. The pronouns after a name decide a man
    only when the name is not one given only to women ("Sinead said he is brilliant" speaks of her partner)."""
    counts: Counter = Counter()
    for _, doc in notes_and_docs:
        for m in doc.spans.get(MENTIONS, []):
            if m.label_ != MMH or not is_asserted(m.id_ or "affirmed"):
                continue
            anchor = mention_info(doc, m)[1]
            entry = registry.lookup(anchor.split()) if anchor else None
            if anchor and (entry is None or (entry.inferred and entry.cue == "child") or _a_grown_daughter(entry, registry, notes_and_docs)):
                counts[anchor] += 1
    for name, _ in counts.most_common(2):
        entry = registry.lookup(name.split())
        if _named_as_a_baby(notes_and_docs, name):
            continue  # "low mood since Esme's birth", "Esme is feeding well": the baby the difficulty is about
        if _named_with_a_childs_age(notes_and_docs, name):
            continue  # "Chantelle BOATENG (13) reported missing": the child (a teenage mother is found by _young_mothers)
        if _sibling_of_a_child(notes_and_docs, name, registry):
            # "neglect of Brooke and her brother Charlie (9)": a child's sister is a child, whose low mood is her own (and
            # whose dad is the children's father, not a grown woman's).
            if entry is None:
                registry.add(name.split(), "CHILD", "f", inferred=True)
            continue
        if name.split()[0].lower() not in womens_names and _referred_to_as_a_man(notes_and_docs, name):
            # "Jade said Ashley is off work with depression ... he did not come to the hospital": a man's difficulty.
            if entry is None:
                registry.add(name.split(), "PERSON", "m", inferred=True)
            continue
        if entry is not None:
            entry.role, entry.gender, entry.cue = "MOTHER", "f", None  # "Kelly's attendance" made her a guessed child
        else:
            registry.add(name.split(), "MOTHER", "f", inferred=True)


def _a_grown_daughter(entry, registry: PeopleRegistry, notes_and_docs) -> bool:
    """ "Ray Birch died ... His daughter, Shauna Birch, was his main carer, with her children Lacey (9) and Reggie (6)",
    "home of Carol Brennan (MGM) ... Carol's daughter Tasha Brennan": a woman first named as a man's or a grandparent's
    daughter, in a case with children of its own and no mother, whose mental health the notes discuss, is their mother;
    not a daughter given a child's age ("his daughter Mia (15)")."""
    if not (entry.inferred and entry.role == "CHILD" and entry.cue == "daughter"):
        return False
    if entry.owner != "his":
        parent = registry.lookup(entry.owner.split()) if entry.owner else None
        if parent is None or parent.role != "OTHER":
            return False
    if any(e.role == "MOTHER" for e in registry.entries()) or not any(e.role == "CHILD" and not e.inferred for e in registry.entries()):
        return False
    return not _named_with_a_childs_age(notes_and_docs, entry.full_name)


def _named_with_a_childs_age(notes_and_docs, name: str, under: int = 18) -> bool:
    """Some note gives the person an age under `under` in brackets after the name: "Mia (15)", "Chantelle BOATENG (13)"."""
    return any(any(age < under for age in bracketed_ages(original_text(doc), name)) for _, doc in notes_and_docs)


def _children_taken_for_fathers(notes_and_docs, registry: PeopleRegistry) -> None:
    """"Mason ran to dad, Kacey hung back w/ mum" made Kacey the father; "Kacey (6)" in another note says she is a child.
    Under 13 only: a teenage father is given his age too ("Lyla's dad, Kobe Ainsworth (16)")."""
    for entry in registry.entries():
        if entry.role == "FATHER" and _named_with_a_childs_age(notes_and_docs, entry.full_name, under=13):
            entry.role, entry.cue, entry.inferred = "CHILD", "age", False


def _sibling_of_a_child(notes_and_docs, name: str, registry: PeopleRegistry) -> bool:
    """A sentence names the person and then "her brother Charlie" or "her sister Mia" for a child the case knows, and no
    note gives the person an adult's age ("Sophie Lennox (22) ... her younger brother Callum (17)", "Jodie Cartwright, 21,
    ... lives with her sister Kacey (16)")."""
    first = name.split()[0]
    texts = [original_text(doc) for _, doc in notes_and_docs]
    if any(age >= 18 for text in texts for age in stated_ages(text, name)):
        return False
    for text in texts:
        if first not in text:
            continue
        for found in _word_pattern(first).finditer(text):
            end = text.find(".", found.end())
            sentence = text[found.end():end if end >= 0 else len(text)]
            for sibling in _HER_SIBLING.finditer(sentence):
                entry = registry.lookup([sibling.group(1)])
                if entry is not None and entry.role == "CHILD":
                    return True
    return False


_HER_SIBLING = re.compile(r"\bher (?:(?:younger|older|little|big|baby|twin|half-|step-?)\s*)?(?:brother|sister) ([A-Z][a-z]+)\b")


@functools.lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(word)}\b")


_PRONOUN = re.compile(r"\b(she|her|herself|he|him|his|himself)\b", re.I)


def _named_as_a_baby(notes_and_docs, name: str) -> bool:
    """The notes speak of the named person's birth or feeds ("since Esme's birth", "Esme is feeding well"); not weight, which
    is an adult's too ("Beth's weight has been stable")."""
    first = name.split()[0]
    return any(first in text and any(name_ends_at(text, m.start(), first) for m in _BABY_AFTER_A_NAME.finditer(text))
               for text in (original_text(doc) for _, doc in notes_and_docs))


#: What follows a baby's name: "'s birth", "'s night feeds", " is feeding" (a lookahead, so that every place it starts is
#: found; `name_ends_at` then compares the name before it).
_BABY_AFTER_A_NAME = re.compile(r"(?=(?:'s|\u2019s) (?:[a-z-]+ )?(?:birth|feeds?|feeding|nappy|nappies|immunisations?|jabs|cot|pram|centiles?)\b"
                                r"| (?:is|was) (?:feeding|gaining weight|breastfed|bottle-fed|bottle fed|teething|crawling)\b)")


def _referred_to_as_a_man(notes_and_docs, name: str) -> bool:
    """True when the first pronoun after the name, in the rest of its sentence, is more often 'he' than 'she'."""
    first = name.split()[0]
    found = _word_pattern(first)
    male = female = 0
    for _, doc in notes_and_docs:
        text = original_text(doc)
        if first not in text:
            continue
        for hit in found.finditer(text):
            rest = re.split(r"[.!?\n]", text[hit.end():hit.end() + 120], maxsplit=1)[0]
            pronoun = _PRONOUN.search(rest)
            if pronoun is not None:
                is_male = pronoun.group(1).lower() in ("he", "him", "his", "himself")
                male += is_male
                female += not is_male
    return male > female


#: A man the note does not identify ("a male", "an unknown man"): seeing him engages none of the named men.
UNIDENTIFIED_MAN = "unidentified man"
_UNIDENTIFIED_MAN = re.compile(r"(a|an|another|one|unknown|other|some)\s+(unknown\s+|unidentified\s+|adult\s+)?(male|man)\b")


def _men_never_asserted(results: list[NoteResult], registry: PeopleRegistry, aliases: dict[str, str]) -> set[str]:
    """Men the case names only in trap mentions (a former partner with no role, someone else's father), or whose
    every mention that says who he is (more than his bare name) is a trap: "since her husband Winston died", where
    'her' is the grandmother, makes the later "after Winston's funeral" no father figure either."""
    statuses: dict[str, list[bool]] = {}
    described: dict[str, list[bool]] = {}
    for res in results:
        for m, p in zip(res.mentions, res.mention_people):
            if m.label != FATHER or not p:
                continue
            named = _names(m, registry)
            if named and aliases.get(named, named) == p:
                statuses.setdefault(p, []).append(is_asserted(m.status))
                if _says_who_he_is(m, named):
                    described.setdefault(p, []).append(is_asserted(m.status))
    return {p for p, asserted in statuses.items() if not any(asserted) or (described.get(p) and not any(described[p]))}


def _says_who_he_is(mention: MentionRecord, name: str | None) -> bool:
    """The mention has words besides the man's name ("husband Winston", "Dale Hurst (ex-partner)"); `name` is the
    registered man it names (`_names`), None when it names none."""
    return name is None or not _words(mention.text) - {"s", "mr"} <= _words(name)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def _not_a_father_figure(mention: MentionRecord) -> MentionRecord:
    return dataclasses.replace(mention, status="other_experiencer",
                               reason="other experiencer: the case's other mentions of him say he is no father figure")


def _names(mention: MentionRecord, registry: PeopleRegistry) -> str | None:
    """The registered man a mention names in words ("Gary Stott", "Gary"), not by a role word."""
    words = [w.strip("'\u2019(),") for w in mention.text.split()]
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            entry = registry.lookup([w for w in words[i:j] if w], None)
            if entry is not None and entry.role == "FATHER":
                return entry.full_name
    return None


def _generic(mention: MentionRecord) -> str:
    low = mention.text.lower()
    return "partner" if any(c in low for c in PARTNER_CUES) else "father"


#: Words that make a father mention the birth father, never the mother's partner ("Lola's birth father").
BIRTH_FATHER = re.compile(r"\b(?:birth|biological|natural|real)\b")


#: "her new partner": a man other than the father the case names ("Natalia now lives with her new partner").
NEW_PARTNER = "new partner"
_NEW_MAN = re.compile(r"\bnew (?:partner|boyfriend|man|bloke|fella|fiance|fianc\u00e9)\b")


def _man_of(mention: MentionRecord, registry: PeopleRegistry) -> str | None:
    """Which man a father mention is about: his registered name, or the generic 'father' / 'partner'."""
    named = _names(mention, registry)
    if named is not None:
        return named
    low = mention.text.lower()
    if _UNIDENTIFIED_MAN.match(low):
        return UNIDENTIFIED_MAN  # "a male was seen at the window": not any man the case has named
    generic = "partner" if any(c in low for c in PARTNER_CUES) else "father"
    men = [e for e in registry.entries() if e.role == "FATHER"]
    matching = [e for e in men if (("partner" if (e.cue or "") in PARTNER_CUES else "father") == generic)]
    if len(matching) == 1:
        return matching[0].full_name
    if generic == "partner" and not matching and _NEW_MAN.search(low):
        return NEW_PARTNER  # "her new partner" where the case names only the father: another man
    if len(men) == 1 and not matching and not BIRTH_FATHER.search(low):
        return men[0].full_name  # "dad" for the only man the case names, though it knows him as her partner
    return generic  # "Lola's birth father" is not her mother's partner, whoever else the case names


_APPOSITION_GAP = re.compile(r"[\s,]{0,3}")


def _apposed_names(text: str, mentions: list[MentionRecord], people: list[str | None]) -> list[str | None]:
    """"Attended with partner Ashley Grice (FOB)": a role word with the man's name straight after it is that man, not
    whichever man the case knows by that role word (a later partner, Reuben)."""
    out = list(people)
    for i in range(len(mentions) - 1):
        this, nxt = mentions[i], mentions[i + 1]
        if this.label != FATHER or nxt.label != FATHER or people[i + 1] in (None, "father", "partner", UNIDENTIFIED_MAN, NEW_PARTNER):
            continue
        if nxt.start >= this.end and _APPOSITION_GAP.fullmatch(text, this.end, nxt.start) and not _names_someone(this.text):
            out[i] = people[i + 1]
    return out


def _names_someone(mention_text: str) -> bool:
    """A mention that holds a capitalised word names its own man ("Ashley (father)"); a bare role word does not."""
    return any(w[:1].isupper() and w.lower() not in ("dad", "father", "partner", "stepdad", "fob", "f", "mp") for w in re.findall(r"[A-Za-z']+", mention_text))


def _events(note: Note, doc: Doc) -> list[EventRecord]:
    text = original_text(doc)
    out = []
    for span in doc.spans.get(CASE_EVENTS, []):
        start, end = original_span(doc, span)
        out.append(EventRecord(note.case_id, note.note_id, span.label_, start, end, text[start:end]))
    return out


#: Concrete actions a later note can report as done ("referral now made"); not speech verbs like "agreed".
LINKABLE_ACROSS_NOTES = {"referral", "assessment", "screening", "contact", "request", "checks", "trace", "invite", "liaison", "contact_attempt"}
_CROSS_REFERENCE = ("as agreed", "as planned", "as discussed", "as actioned", "now made", "now been", "has now", "have now", "was now",
                    "as per", "following the core group", "following the cin", "following the conference", "as requested", "now completed")
# Whole words only: "Gina has agreed" is not "as agreed".
_CROSS_REFERENCE_RE = re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in _CROSS_REFERENCE) + r")\b")


def _link_across_notes(results: list[NoteResult]) -> None:
    """'As agreed at core group, referral now made': a completed action in a later note, phrased as the
    completion of an earlier plan and naming no concern itself, completes the planned follow-up of the same
    action type for that concern."""
    planned: dict[tuple[str, str], FollowupRecord] = {}  # (action, concern) -> the plan
    for res in results:
        text = res.note.text.lower()
        if _CROSS_REFERENCE_RE.search(text):
            done = {(f.concern, f.start) for f in res.followups}
            by_gp = (res.note.author_role or "").strip().lower() in GP_AUTHORS
            for f in res.unlinked:
                if by_gp and f.concern == "maternal_mental_health":
                    # "This report covers the two children as requested": a GP's reply is liaison about her mental
                    # health only when it speaks of it (the follow-up tagger's GP-note rule), not by completing a plan.
                    continue
                if f.concern == "gp_contact" and _calls_someone_named(res.note.text, f.start, f.end):
                    continue  # "Phoned Chantelle as agreed": the call agreed was to the mother, not the GP
                plan = planned.get((f.action or "", f.concern))
                # The cue must be in the action's own sentence: "Freddie has now had his immunisations. Sean
                # attended." completes nothing.
                # Nor can the action's own words be the cue: "Reece visits in the daytime as agreed" agreed nothing with
                # the CMHT.
                if plan and f.action in LINKABLE_ACROSS_NOTES and (f.concern, f.start) not in done and \
                        _CROSS_REFERENCE_RE.search(sentence_of(text[:f.start] + " " * (f.end - f.start) + text[f.end:], f.start, f.end)):
                    # The completed action inherits the plan's target, so "referral now made" is about the same person.
                    res.followups.append(FollowupRecord(f.case_id, f.note_id, f.concern, f.start, f.end, f.text, "completed",
                                                        f.action, plan.target))
                    done.add((f.concern, f.start))
        for f in res.followups:
            if f.kind == "planned" and f.action:
                planned[(f.action, f.concern)] = f


_NAME_AFTER = re.compile(r"\s+([A-Z][a-z]+)\b")
_GP_WORDS = re.compile(r"\b(?:gp|gps|surgery|practice|dr|doctor|medical|health centre)\b", re.I)


def _calls_someone_named(text: str, start: int, end: int) -> bool:
    """The action's object is a name and its sentence says nothing of a GP: "Phoned Chantelle as agreed"."""
    name = _NAME_AFTER.match(text, end)
    return bool(name) and name.group(1).lower() not in ("the", "her", "his", "their", "dr") and \
        not _GP_WORDS.search(sentence_of(text, start, end))


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_start(text: str, start: int) -> int:
    """Where the sentence (or line) holding the character at `start` opens."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    return ends[-1] if ends else 0


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding the characters [start, end)."""
    opening = sentence_start(text, start)
    closing = _SENTENCE_END.search(text, end)
    return text[opening:closing.end() if closing else len(text)]
