"""Find references to people (role words, pronouns, names) and learn who the named people are.

Writes `doc.spans["rs_people"]` (label = role) and `doc._.people` (a PeopleRegistry of the names this note
defines), and turns the father's or partner's name and a named GP into mentions: "Ryan (father)",
"Father Marcus Dell", "Dr Kaur (GP)" become one mention each, and a later bare "Ryan" or "Dr Kaur" in the
same note is a mention too. Names defined in other notes of the case are handled by case assembly
(`recordscan.case_resolver`), which calls `tag_named_people` with the whole case's registry.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from spacy.attrs import IS_ALPHA, IS_LOWER, IS_STOP, IS_TITLE, LOWER, SENT_START
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS
from ..extensions import MENTIONS, PEOPLE, SEGMENTS, doc_text, register_extensions
from ..lexicons import PEOPLE_SCHEMA, WORDLIST_SCHEMA, Rule, default_lexicon_dir, load_rules, rules_to_jsonl
from ..people import TITLES, PeopleRegistry
from .rule_matcher import RuleMatcher, longest_first

register_extensions()

FATHER = CONCERN_LABELS["father_involvement"]
#: Father words whose owner matters: "Freya's father" is the child's father, "Gulsen's father" the mother's.
OWNED_FATHER_WORDS = {"father", "dad", "daddy", "birth father", "biological father"}
OTHER_OWNERS = {"mum", "mother", "mum's", "mother's", "her mum", "mgm", "nan", "grandmother", "gran"}
GP = CONCERN_LABELS["gp_contact"]
#: Roles whose named references are concern mentions in their own right.
MENTION_ROLES = {"FATHER": FATHER, "GP": GP}

_AGE_CUE = re.compile(
    r"^(?:aged?\s*)?(?:\d{1,2}(?:\.\d)?\s*(?:y(?:ea)?rs?|y/?o|months?|mths?|mos?|m|weeks?|wks?|days?)?(?:\s*(?:and\s*)?\d{1,2}\s*(?:months?|mths?|m))?(?:\s*old)?"
    r"|\d{1,2}\s*/\s*(?:12|52)|(?:year|yr|y)\s*\d{1,2}|reception|nursery|unborn|newborn|baby|infant|dob[:\s].*|d\.o\.b[:\s].*|born\s+\d.*|\d{1,2}\s*(?:yo|y))$",
    re.I,
)
_QUOTES = {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"}


def load_people_rules(directory: Path) -> tuple[list[Rule], list[Rule]]:
    directory = Path(directory)
    return load_rules(directory / "people.jsonl", PEOPLE_SCHEMA), load_rules(directory / "not_names.jsonl", WORDLIST_SCHEMA)


class PeopleTagger:
    def __init__(self, nlp: Language, name: str = "recordscan_people", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(*load_people_rules(directory))

    def _set_rules(self, role_rules: list[Rule], not_name_rules: list[Rule]) -> None:
        self.role_rules = role_rules
        self.not_name_rules = not_name_rules
        self.matcher = RuleMatcher(self.nlp, role_rules, "people")
        self.not_names = {str(r.pattern).lower() for r in not_name_rules if r.get("set") == "not_name"}
        self.organisation_words = {str(r.pattern).lower() for r in not_name_rules if r.get("set") == "organisation"}
        self.role_words = {r.pattern.lower() for r in role_rules if isinstance(r.pattern, str) and " " not in r.pattern}
        strings = self.nlp.vocab.strings
        self._not_name_hashes = {strings.add(w) for w in self.not_names | self.role_words}
        self._organisation_hashes = {strings.add(w) for w in self.organisation_words}
        self._title_hashes = {strings.add(w) for w in TITLES}

    # ----------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        role_spans = []
        for rule, start, end in longest_first(self.matcher(doc)):
            role_spans.append(person_span(doc, start, end, rule.get("role"), None, rule.get("gender")))
        registry = PeopleRegistry()
        names = self._name_runs(doc)
        list_kinds = _segment_kinds(doc)
        cue_spans = []
        for start, end, title in names:
            cue = self._cue(doc, start, end, title, role_spans, list_kinds)
            if cue is None:
                continue
            role, gender, cue_start, cue_end, cue_word = cue
            owner = None
            if role == "FATHER" and cue_word in OWNED_FATHER_WORDS:
                owner = _owner_before(doc, cue_start if cue_start < start else end)
                if owner and owner.lower() in OTHER_OWNERS:
                    role = "OTHER"  # "mum's father, Mehmet": the maternal grandfather
            words = [t.text for t in doc[start + (1 if title else 0):end] if t.text not in ("-",)]
            registry.add(_clean_words(words), role, gender, inferred=cue_word == "dr", cue=cue_word, owner=owner)
            cue_spans.append((cue_start, cue_end, role))
        doc._.people = registry
        people = list(role_spans)
        for start, end, title in names:
            people.append(self._name_span(doc, start, end, title, registry))
        people.sort(key=lambda s: (s.start, s.end))
        doc.spans[PEOPLE] = SpanGroup(doc, name=PEOPLE, spans=people)
        tag_named_people(doc, registry, cue_spans)
        return doc

    def _name_runs(self, doc: Doc) -> list[tuple[int, int, str | None]]:
        """Runs of capitalised tokens that look like personal names: (start, end, title).

        Works on token attribute arrays, so the cost is a few numpy operations plus Python work only for
        the (few) capitalised runs, not a Python loop over every token."""
        n = len(doc)
        if n == 0:
            return []
        arr = doc.to_array([IS_TITLE, IS_ALPHA, IS_STOP, LOWER, IS_LOWER, SENT_START])  # uint64: LOWER holds string hashes
        candidate = (arr[:, 0] == 1) & (arr[:, 1] == 1)
        if not candidate.any():
            return []
        lower_hashes = arr[:, 3]
        lowercase_words = None
        edges = np.flatnonzero(np.diff(np.concatenate(([0], candidate.view(np.int8), [0]))))
        runs = []
        for run_start, run_end in zip(edges[::2], edges[1::2]):
            run = list(range(int(run_start), int(run_end)))
            title = None
            while run and int(lower_hashes[run[0]]) in self._title_hashes:
                title = doc[run[0]].lower_
                run = run[1:]
            if any(int(lower_hashes[k]) in self._organisation_hashes for k in run):
                continue
            # Leading words that are not names ("Mum", "The", a capitalised sentence opener).
            while run:
                k = run[0]
                h = int(lower_hashes[k])
                if arr[k, 2] == 1 or h in self._not_name_hashes or len(doc[k].text) < 2:
                    run = run[1:]
                    continue
                if arr[k, 5] == 1 and title is None:
                    if lowercase_words is None:
                        lowercase_words = set(lower_hashes[arr[:, 4] == 1].tolist())
                    low = doc[k].lower_
                    if h in lowercase_words or (len(low) >= 6 and low.endswith(("ed", "ing", "ly"))):
                        run = run[1:]  # a word that also appears in lower case, or a verb opening the sentence
                        continue
                break
            while run and (arr[run[-1], 2] == 1 or int(lower_hashes[run[-1]]) in self._not_name_hashes):
                run = run[:-1]
            if not run or len(run) > 4:
                continue
            runs.append((run[0] - (1 if title else 0), run[-1] + 1, title))
        return runs

    def _cue(self, doc, start, end, title, role_spans, list_kinds):
        """Role stated next to a name: "Ryan (father)", "Father Marcus Dell", "Connor Pike, the children's father"."""
        name_start = start + (1 if title else 0)
        gender = "m" if title == "mr" else "f" if title in ("mrs", "ms", "miss") else None
        # 1. A parenthetical straight after the name.
        if end < len(doc) and doc[end].text == "(":
            close = next((k for k in range(end + 1, min(len(doc), end + 10)) if doc[k].text == ")"), None)
            if close is not None:
                inner = doc[end + 1:close]
                if _AGE_CUE.match(inner.text.strip()) and not _adult_age(inner.text):
                    return "CHILD", gender, start, close + 1, "age"
                inside = [s for s in role_spans if s.start >= end + 1 and s.end <= close and not _is_possessor(doc, s)]
                if inside:
                    role_span = inside[-1]
                    return _role_of(role_span, title), person_gender(role_span) or gender, start, close + 1, role_span.text.lower()
        # 2. A role word just before the name ("Father Marcus Dell", "Dad, Liam Colter", "SW Priya Lund").
        before = [s for s in role_spans if s.end == name_start or (s.end == name_start - 1 and doc[name_start - 1].text in (",", *_QUOTES))]
        if title is None and not before and name_start >= 2 and doc[name_start - 1].text in _QUOTES and doc[name_start - 2].text == ",":
            before = [s for s in role_spans if s.end == name_start - 2]
        if not before and name_start >= 3 and doc[name_start - 1].text == ",":
            # "Father of all three children, Dean Shackleton"
            for s in role_spans:
                if s.label_ == "FATHER" and name_start - 8 <= s.end < name_start - 1 and doc[s.end].lower_ in ("of", "to"):
                    return "FATHER", "m", s.start, end, s.text.lower()
        before = [s for s in before if not (s.start > 0 and doc[s.start - 1].lower_ in ("no", "not", "any", "without", "nor"))]
        if before:
            role_span = before[-1]
            comma = role_span.end < name_start
            in_list = list_kinds.get(name_start) in ("present", "apologies")
            preceded_by_comma = role_span.start > 0 and doc[role_span.start - 1].text == ","
            if not _is_possessor(doc, role_span) and not (comma and (in_list or preceded_by_comma)):
                if role_span.label_ not in ("PRONOUN", "SELF"):
                    return _role_of(role_span, title), person_gender(role_span) or gender, role_span.start, end, role_span.text.lower()
        # 3. An appositive after a comma: "Connor Pike, the children's father".
        in_a_list = start > 0 and doc[start - 1].lower_ in (",", "and", "&", ":")
        if end + 1 < len(doc) and doc[end].text == "," and list_kinds.get(start) not in ("present", "apologies") and not in_a_list:
            # "Imran Rahman, father of Zayn (8)"
            father_of = [s for s in role_spans if s.start == end + 1 and s.end < len(doc) and doc[s.end].lower_ in ("of", "to") and s.label_ == "FATHER"]
            if father_of:
                return "FATHER", "m", start, father_of[0].end, father_of[0].text.lower()
            after = [s for s in role_spans if end + 1 <= s.start <= end + 4 and not _is_possessor(doc, s) and s.label_ not in ("PRONOUN", "SELF")]
            if after and _ends_phrase(doc, after[0].end):
                role_span = after[0]
                between = doc[end + 1:role_span.start]
                if all(t.lower_ in ("the", "her", "his", "their", "a", "'s", "mum", "mother", "new") or t.is_title or t.text == "'s" for t in between):
                    return _role_of(role_span, title), person_gender(role_span) or gender, start, role_span.end, role_span.text.lower()
        # 4. "Dr X" with no other cue: in these records most often the family's GP. Registered as an inference,
        #    so an explicit cue anywhere in the case ("Dr X (paediatrician)") wins.
        if title == "dr":
            return "GP", gender, start, end, "dr"
        if gender is not None:
            return None  # "Mr Smith": a man, role unknown
        return None

    def _name_span(self, doc, start, end, title, registry) -> Span:
        words = _clean_words([t.text for t in doc[start + (1 if title else 0):end] if t.text != "-"])
        entry = registry.lookup(words, title)
        gender = (entry.gender if entry else None) or ("m" if title == "mr" else "f" if title in ("mrs", "ms", "miss") else None)
        return person_span(doc, start, end, entry.role if entry else "PERSON", entry.full_name if entry else " ".join(words), gender)

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "people.jsonl").write_text(rules_to_jsonl(self.role_rules), encoding="utf-8")
        (path / "not_names.jsonl").write_text(rules_to_jsonl(self.not_name_rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(*load_people_rules(Path(path)))
        return self


def person_span(doc: Doc, start: int, end: int, role: str, name: str | None, gender: str | None) -> Span:
    """A reference to a person. Name and gender ride on the span (kb_id, id), which is ~25 times faster to read
    than a Span._ extension and survives copying the span out of its group."""
    return Span(doc, start, end, label=role, kb_id=name or "", span_id=gender or "")


def person_name(span: Span) -> str | None:
    return span.kb_id_ or None


def person_gender(span: Span) -> str | None:
    return span.id_ or None


def _owner_before(doc: Doc, position: int) -> str | None:
    """The possessor right before a role word: 'Gulsen' in "Gulsen's father", 'her' in "her father"."""
    if position >= 2 and doc[position - 1].lower_ in ("'s", "\u2019s", "'"):
        k = position - 2
        words = []
        while k >= 0 and (doc[k].is_title or doc[k].lower_ in ("mum", "mother", "mgm")) and len(words) < 3:
            words.insert(0, doc[k].text)
            k -= 1
        return " ".join(words) or None
    if position >= 1 and doc[position - 1].lower_ in ("her", "his", "their"):
        return doc[position - 1].lower_
    return None


def _adult_age(text: str) -> bool:
    """An age in years of 18 or more ("(36)", "(24 yrs)"), as opposed to a child's age or months."""
    match = re.match(r"^\s*(?:aged?\s*)?(\d{1,2})\s*(y(?:ea)?rs?|y/?o|yo|y)?\s*(?:old)?\s*$", text, re.I)
    return bool(match) and int(match.group(1)) >= 18


def _ends_phrase(doc: Doc, position: int) -> bool:
    """True when an appositive role phrase ends here ("Connor Pike, the children's father, left"), not when a
    name follows it ("Sadia Begum, baby Zayn")."""
    return position >= len(doc) or doc[position].text in (",", ".", ";", ":", ")", "-", "\u2013", "and") or "\n" in doc[position].text


def _name_like(token) -> bool:
    """Letters (with an inner hyphen or apostrophe), two or more: 'Lily-Mae', "O'Neil"; not 'Y9' or 'L'."""
    text = token.text.replace("-", "").replace("'", "").replace("\u2019", "")
    return len(text) >= 2 and text.isalpha()


def _clean_words(words: list[str]) -> list[str]:
    return [w.strip("'\u2019") for w in words if w.strip("'\u2019")]


def _is_possessor(doc: Doc, span: Span) -> bool:
    """True for "Freya's" in "Freya's father": the span owns the next noun rather than naming a person."""
    return span.end < len(doc) and doc[span.end].lower_ in ("'s", "\u2019s", "'")


def _role_of(role_span: Span, title: str | None) -> str:
    role = role_span.label_
    if title == "dr" and role not in ("GP",):
        return "PROFESSIONAL"
    return role


def _segment_kinds(doc: Doc) -> dict[int, str]:
    """Token index -> segment kind, only for tokens inside attendee lists (the rest are ordinary text)."""
    kinds = {}
    for seg in doc.spans.get(SEGMENTS, []):
        if seg.label_ in ("present", "apologies"):
            for i in range(seg.start, seg.end):
                kinds[i] = seg.label_
    return kinds


def tag_named_people(doc: Doc, registry: PeopleRegistry, cue_spans: list[tuple[int, int, str]] | None = None) -> None:
    """Add FATHER_INVOLVEMENT / GP_CONTACT mentions for names the registry knows as father/partner or GP.

    A cue construction ("Ryan (father)", "Dr Kaur (GP)") becomes one mention covering the name and its cue,
    replacing the shorter role-word mention inside it. Existing mentions are kept otherwise.
    """
    mentions = list(doc.spans.get(MENTIONS, []))
    new_spans = []
    covered = {(m.start, m.end, m.label_) for m in mentions}
    for start, end, role in cue_spans or []:
        label = MENTION_ROLES.get(role)
        if label:
            new_spans.append(Span(doc, start, end, label=label))
    people = doc.spans.get(PEOPLE, [])
    for person in people:
        name = person_name(person)
        if name is None:
            continue
        entry = registry.lookup(_clean_words(name.split()), _title_of(person))
        if entry is None:
            continue
        label = MENTION_ROLES.get(entry.role)
        if label:
            new_spans.append(Span(doc, person.start, person.end, label=label))
    if not new_spans:
        return
    kept = []
    for m in mentions:
        if any(n.label_ == m.label_ and n.start <= m.start and m.end <= n.end and (n.start, n.end) != (m.start, m.end) for n in new_spans):
            continue  # the role word inside "Ryan (father)" is replaced by the whole construction
        kept.append(m)
    for n in new_spans:
        if (n.start, n.end, n.label_) in covered:
            continue
        if any(k.label_ == n.label_ and k.start <= n.start and n.end <= k.end for k in kept):
            continue
        kept.append(n)
        covered.add((n.start, n.end, n.label_))
    kept.sort(key=lambda s: (s.start, s.end))
    doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=kept)


def _title_of(span: Span) -> str | None:
    first = span[0].lower_
    return first if first in TITLES else None
