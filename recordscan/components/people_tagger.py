"""Find references to people (role words, pronouns, names) and learn who the named people are.

Writes the people of the note (`notestate.people`: role words, pronouns and names as tuples) and
`doc._.people` (a PeopleRegistry of the names this note defines), and turns the father's or partner's name and a named GP into mentions: "Ryan (father)",
"Father Marcus Dell", "Dr Kaur (GP)" become one mention each, and a later bare "Ryan" or "Dr Kaur" in the
same note is a mention too. Names defined in other notes of the case are handled by case assembly
(`recordscan.case_resolver`), which calls `tag_named_people` with the whole case's registry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import numpy as np
from spacy.attrs import IS_ALPHA, IS_LOWER, IS_STOP, IS_TITLE, IS_UPPER, LOWER, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS
from ..extensions import MENTIONS, register_extensions
from ..lexicons import CUE_WORD_SCHEMA, PEOPLE_SCHEMA, WORDLIST_SCHEMA, Rule, default_lexicon_dir, load_rules, rules_to_jsonl
from ..people import TITLES, PeopleRegistry
from .notestate import ATTENDEE_LIST_KINDS, PEOPLE_KEY, Person, Tokens, hashes, people, segments, tokens
from .rule_matcher import RuleMatcher, longest_first

register_extensions()

FATHER = CONCERN_LABELS["father_involvement"]
#: Father words whose owner matters: "Freya's father" is the child's father, "Gulsen's father" the mother's.
OWNED_FATHER_WORDS = {"father", "dad", "daddy", "birth father", "biological father", "stepfather", "stepdad", "step-father", "step-dad"}
OWNED_MOTHER_WORDS = {"mum", "mother", "mam", "mom", "mummy"}
#: Genogram shorthand for a father or stepfather, read only in capitals in a bracket straight after a name: "Kieran (F)
#: attended". Elsewhere a lone F is an initial or "C&F"; after a woman's name it gives her sex ("Lily (F)").
FATHER_SHORTHAND = frozenset({"F", "SF"})
GENDER_NEUTRAL_PARTNER_WORDS = {"partner", "new partner", "ex-partner", "ex partner", "current partner"}
_H_HIS = hashes(["his"])
_H_PARTNER_MODIFIERS = hashes(["former", "current", "then", "previous", "estranged", "new", "old"])
_H_ARTICLES = hashes(["a", "an"])
_H_CHILD_WORDS = hashes(["son", "sons", "daughter", "daughters", "child", "children", "kids", "baby", "boys", "girls"])
_H_CLAUSE_END = hashes([".", ";", "!", "?", ":"])
_H_OTHER_PERSON = hashes(["she", "her", "hers", "they", "their", "mum", "mother", "who", "whose"])
OTHER_OWNERS = {"mum", "mother", "mum's", "mother's", "her mum", "mgm", "nan", "grandmother", "gran"}
GP = CONCERN_LABELS["gp_contact"]
#: Roles whose named references are concern mentions in their own right.
MENTION_ROLES = {"FATHER": FATHER, "GP": GP}
_NAME_LABELS = set(MENTION_ROLES.values())  # labels the people component puts on names

#: A school year written as one word after a name: "Brooke Malkin Y9", "Kayla Yr11".
_SCHOOL_YEAR = re.compile(r"^(?:y|yr)(?:[1-9]|1[0-3])$")
#: A patient's age and sex as clinicians write them: "15F", "9m", "15yo", "15yoF".
_AGE_AND_SEX = re.compile(r"^(\d{1,2})(f|m|yo|y/o|yof|yom)$", re.I)
#: What a bracket after a name says of a child: "(6)", "(2 yrs)", "(Y3)", "(unborn)", "(DOB 03/05/2019)". A date of
#: birth counts only when one is given: "Natalie OSEI (DOB on file)" is an adult victim's record.
_AGE_CUE = re.compile(
    r"^(?:aged?\s*)?(?:\d{1,2}(?:\.\d)?\s*(?:y(?:ea)?rs?|y/?o|months?|mths?|mos?|m|weeks?|wks?|days?)?(?:\s*(?:and\s*)?\d{1,2}\s*(?:months?|mths?|m))?(?:\s*old)?"
    r"|\d{1,2}\s*/\s*(?:12|52)|(?:year|yr|y)\s*\d{1,2}|reception|nursery|unborn|newborn|baby|infant|dob[:\s]\W*\d.*|d\.o\.b[:\s]\W*\d.*|born\s+\d.*|\d{1,2}\s*(?:yo|y))$",
    re.I,
)
#: Quotation marks, opening and closing, as tokens of their own.
QUOTES = frozenset({"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"})
_H_QUOTES = hashes(QUOTES)
_H_PLACE_PREPOSITIONS = hashes(["in", "near", "outside", "around", "towards"])
_H_POSSESSIVE = hashes(["'s", "\u2019s", "'"])
_KIN_OWNER_WORDS = frozenset({"her", "his", "their", "my", "your", "our", "the", "a"})
_H_NEGATORS = hashes(["no", "not", "any", "without", "nor"])
_H_OF = hashes(["of", "to"])
_H_LIST_JOIN = hashes([",", "and", "&", ":"])
_HYPHEN_HASH = hash_string("-")
_H_PHRASE_END = hashes([",", ".", ";", ":", ")", "-", "\u2013", "and"])
_H_APPOSITIVE_FILLER = hashes(["the", "her", "his", "their", "a", "'s", "mum", "mother", "new", "now", "still", "currently"])
_H_OWNER_WORDS = hashes(["mum", "mother", "mgm"])
_H_PRONOUN_OWNERS = hashes(["her", "his", "their"])
_H_TITLES = hashes(TITLES)


def load_people_rules(directory: Path) -> tuple[list[Rule], list[Rule], list[Rule]]:
    directory = Path(directory)
    return (load_rules(directory / "people.jsonl", PEOPLE_SCHEMA), load_rules(directory / "not_names.jsonl", WORDLIST_SCHEMA),
            load_rules(directory / "name_cues.jsonl", CUE_WORD_SCHEMA))


def womens_names(nlp: Language) -> frozenset[str]:
    """The first names given only to women (`womans_name` in lexicons/name_cues.jsonl) of the pipeline's people
    tagger, for the parts that decide a person's sex after it has run; empty without one."""
    tagger = nlp.get_pipe("recordscan_people") if "recordscan_people" in nlp.pipe_names else None
    return getattr(tagger, "womens_names", frozenset())


class PeopleTagger:
    def __init__(self, nlp: Language, name: str = "recordscan_people", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(*load_people_rules(directory))

    def _set_rules(self, role_rules: list[Rule], not_name_rules: list[Rule], cue_word_rules: list[Rule]) -> None:
        self.role_rules = role_rules
        self.not_name_rules = not_name_rules
        self.matcher = RuleMatcher(self.nlp, role_rules, "people")
        self.not_names = {str(r.pattern).lower() for r in not_name_rules if r.get("set") == "not_name"}
        self.organisation_words = {str(r.pattern).lower() for r in not_name_rules if r.get("set") == "organisation"}
        self.cue_word_rules = cue_word_rules
        self.common_words = {str(r.pattern).lower() for r in cue_word_rules if r.get("set") == "common_word"}
        self.womens_names = frozenset(str(r.pattern).lower() for r in cue_word_rules if r.get("set") == "womans_name")
        self._child_thing_hashes = hashes(str(r.pattern) for r in cue_word_rules if r.get("set") == "child_thing")
        self._speaker_verb_hashes = hashes(str(r.pattern) for r in cue_word_rules if r.get("set") == "speaker_verb")
        self.role_words = {r.pattern.lower() for r in role_rules if isinstance(r.pattern, str) and " " not in r.pattern}
        self._not_name_hashes = hashes(self.not_names | self.role_words)
        self._organisation_hashes = hashes(self.organisation_words)
        self._title_hashes = _H_TITLES
        self._not_lowercase_name_hashes = self._not_name_hashes | hashes(self.common_words)

    # ----------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        tok = tokens(doc)
        role_spans = [Person(start, end, rule.get("role"), None, rule.get("gender")) for rule, start, end in longest_first(self.matcher(doc))]
        registry = PeopleRegistry()
        names = self._name_runs(doc, frozenset(p.start for p in role_spans))
        list_kinds = _segment_kinds(doc)
        lowercase = is_lowercase_note(tok)
        lowercase_candidates = self._lowercase_name_candidates(tok, role_spans) if lowercase else []
        cue_spans = []
        run_starts = {start: end for start, end, _ in names}
        for start, end, title in names + lowercase_candidates:
            name_words = _clean_words(_words(tok, start + (1 if title else 0), end))
            nickname = _nickname(tok, end, run_starts)
            whole_end = end
            if nickname is not None:
                alias, surname, whole_end = nickname  # "Kelvin ('Kel') Oduya": Kel is Kelvin Oduya
                name_words = name_words + surname
                registry.add_alias(alias, name_words)
            cue = _cue(tok, start, end, title, role_spans, list_kinds, self._child_thing_hashes)
            if cue is None and nickname is not None and nickname[1]:
                # "Richard 'Ricky' SUMMERFIELD, 34, father of both children": the role follows the whole name.
                cue = _cue(tok, start, whole_end, title, role_spans, list_kinds, self._child_thing_hashes)
            if cue is None:
                continue
            role, gender, cue_start, cue_end, cue_word = cue
            if role == "CHILD" and cue_word == "age" and _born_an_adult(_slice_text(tok, cue_start, cue_end), doc._.note_date):
                continue  # "Re: Roxanne FIELDER (dob 03/04/1999)": a date of birth that makes her an adult
            if cue_word in FATHER_SHORTHAND and name_words and name_words[0].lower() in self.womens_names:
                continue
            owner = None
            if role == "FATHER" and cue_word in GENDER_NEUTRAL_PARTNER_WORDS and (
                    his_before(tok, cue_start) or _a_mans(registry, _owner_before(tok, _role_word_position(tok, start, end, cue_start, cue_end, cue_word)))):
                # "Reece Walton reporting that his partner, Hollie Grainger, ...", "Stacey Greenhalgh, Kyle's partner": the mother
                role, gender = "MOTHER", "f"
                his_man = _the_man_before(tok, names, registry, cue_start, self.womens_names)
                if his_man is not None:
                    # "Delroy Bennett arrested at the address. Also present were his partner Shanice Morgan": he is hers.
                    registry.add(his_man, "FATHER", "m", inferred=True, cue="partner")
            elif role == "FATHER" and cue_word in GENDER_NEUTRAL_PARTNER_WORDS and name_words and name_words[0].lower() in self.womens_names:
                role, gender = "OTHER", "f"  # "her partner, Natasha Lowe": the mother's partner is a woman, not a man to assess
            elif role == "FATHER" and cue_word in OWNED_FATHER_WORDS:
                owner = _owner_before(tok, _role_word_position(tok, start, end, cue_start, cue_end, cue_word))
                if owner and owner.lower() in OTHER_OWNERS:
                    role = "OTHER"  # "mum's father, Mehmet": the maternal grandfather
            elif role == "MOTHER" and cue_word in OWNED_MOTHER_WORDS:
                owner = _owner_before(tok, _role_word_position(tok, start, end, cue_start, cue_end, cue_word))
                owner_entry = registry.lookup(owner.split()) if owner and owner[0].isupper() else None
                if owner and (owner.startswith("own ") or (owner_entry is not None and owner_entry.role != "CHILD")):
                    role = "OTHER"  # "Keeley's mum, Pauline", "her own mum, Pat": the maternal grandmother
                elif owner and owner.lower() == "his" and _his_is_a_father(tok, names, registry, cue_start):
                    role = "OTHER"  # "Wayne ... he has struggled. His mum, Sheila, lives nearby": the father's mother
            elif role == "CHILD" and cue_word in ("son", "daughter"):
                owner = _owner_before(tok, _role_word_position(tok, start, end, cue_start, cue_end, cue_word))
            # "her father, Gary": whose father depends on who 'her' is, so a later explicit "MGF Gary" may overrule it.
            # "Kelly's attendance" says little: an adult's attendance at appointments is recorded too. "Angela's
            # daughter Megan" is a child of the case only if Angela is a parent of it: the grandmother's daughter
            # is the mother, so a later "Megan, Freddie's mum" must be able to overrule it.
            weak = cue_word in ("dr", "child", SAME_SURNAME_CUE) or (role == "FATHER" and owner in ("her", "his", "their")) or (
                role == "CHILD" and owner is not None and not _is_parent(owner, registry))
            if weak and role == "CHILD" and cue_start < start:
                # "her daughter Megan, Freddie's mum": an appositive naming her a parent says more than the word before.
                others = [p for p in role_spans if p.end <= cue_start or p.start >= end]
                after = _cue(tok, start, end, title, others, list_kinds, self._child_thing_hashes)
                if after is not None and after[0] == "MOTHER" and after[2] == start:
                    role, gender, cue_start, cue_end, cue_word = after
                    owner, weak = None, False
            referent = None
            if owner == "her" and (role in ("FATHER", "MOTHER") and (cue_word in OWNED_FATHER_WORDS or cue_word in OWNED_MOTHER_WORDS)
                                   or role == "CHILD" and cue_word in ("son", "daughter")):
                referent = _her_referents(tok, names, registry, min(cue_start, start), self._speaker_verb_hashes)
            registry.add(name_words, role, gender, inferred=weak, cue=cue_word, owner=owner, referent=referent)
            cue_spans.append((cue_start, cue_end, role))
        doc._.people = registry
        found = list(role_spans)
        for start, end, title in names:
            found.append(_name_person(tok, start, end, title, registry))
        found.sort(key=lambda p: (p.start, p.end))
        doc.user_data[PEOPLE_KEY] = found
        if lowercase:
            self._add_lowercase_speakers(doc, tok, cue_spans)
            self._add_known_names(doc, tok, registry)
        if registry.aliases:
            _add_aliases(doc, tok, registry, lowercase)
        tag_named_people(doc, registry, cue_spans)
        return doc

    def _organisation_apposed(self, tok: Tokens, lower_hashes, after: int) -> bool:
        """", a residential rehabilitation unit" after the name: an appositive whose head is an organisation word,
        reached through describing words only (not "Sarah Jones, a nurse at the hospital")."""
        n = tok.n
        if not (after + 2 < n and tok.low(after) == "," and tok.low(after + 1) in ("a", "an")):
            return False
        for k in range(after + 2, min(n, after + 6)):
            if int(lower_hashes[k]) in self._organisation_hashes:
                return True
            if tok.stop[k] or not tok.alpha[k] or not tok.is_lower[k]:
                return False
        return False

    def _lowercase_name_candidates(self, tok: Tokens, role_spans: list[Person]) -> list[tuple[int, int, None]]:
        """In a note written all in lower case, single words that sit in a cue construction ("dad pawel",
        "mum, kasia", "sorie (father of all the kids)", "musa (6)"); `_cue` then decides whether it is one."""
        role_ends = {p.end for p in role_spans}
        role_starts = {p.start for p in role_spans if p.role not in ("PRONOUN", "SELF")}
        in_role = {k for p in role_spans for k in range(p.start, p.end)}
        n = tok.n
        out = []
        for k in range(n):
            if (not tok.is_lower[k] or not tok.alpha[k] or tok.length[k] < 3 or tok.stop[k] or k in in_role
                    or tok.lower[k] in self._not_lowercase_name_hashes):
                continue
            nxt = tok.low(k + 1) if k + 1 < n else ""
            after_role = k in role_ends or (k >= 1 and tok.low(k - 1) == "," and k - 1 in role_ends)
            predicate = nxt in ("is", "was") and any(k + 2 <= r <= k + 4 for r in role_starts)  # "brandon is her bf"
            if nxt == "(" or predicate or (after_role and not _looks_like_verb(tok.low(k), nxt)):
                out.append((k, k + 1, None))
        return out

    def _add_lowercase_speakers(self, doc: Doc, tok: Tokens, cue_spans: list) -> None:
        """In a lower-case note, a word that says or feels something ("samira says shes low", "bronwen said")
        is a person even without a cue; every use of that word in the note is then that (unknown-role) person,
        so that 'she' and 'her' resolve to her and not to the only child the note names."""
        n = tok.n
        speakers = set()
        for k in range(n - 1):
            if (tok.is_lower[k] and tok.alpha[k] and tok.length[k] >= 3 and not tok.stop[k] and tok.lower[k + 1] in self._speaker_verb_hashes
                    and tok.lower[k] not in self._not_lowercase_name_hashes):
                speakers.add(tok.lower[k])
        if not speakers:
            return
        found = list(people(doc))
        covered = {k for p in found for k in range(p.start, p.end)} | {k for s, e, _ in cue_spans for k in range(s, e)}
        for k in range(n):
            if tok.lower[k] in speakers and k not in covered:
                found.append(Person(k, k + 1, "PERSON", tok.text(k), None))
        found.sort(key=lambda p: (p.start, p.end))
        doc.user_data[PEOPLE_KEY] = found

    def add_known_lowercase_names(self, doc: Doc, registry: PeopleRegistry) -> bool:
        """Mark lower-case words that are first names the registry knows: any such name in a note written all in
        lower case ("sorie attending" once "partner sorie (father of all the kids)" is known), only the men's in
        other notes. True if any were added."""
        tok = tokens(doc)
        if not registry:
            return False
        lowercase = is_lowercase_note(tok)
        added = _add_aliases(doc, tok, registry, lowercase) if registry.aliases else False
        # Fast-typed chronologies write names in lower case among capitals ("tc to connor", "SW saw dean"):
        # there only the men the case knows are looked for, since they are what father follow-up turns on.
        roles = None if lowercase else ("FATHER",)
        wanted = {hash_string(first) for first, entry in registry.by_first.items() if roles is None or entry.role in roles}
        if wanted.isdisjoint(tok.lower):
            return added  # no known first name is a word of the note: nothing to look for token by token
        return self._add_known_names(doc, tok, registry, lowercase_only=not lowercase, roles=roles) or added

    def _add_known_names(self, doc: Doc, tok: Tokens, registry: PeopleRegistry, lowercase_only: bool = False,
                         roles: tuple[str, ...] | None = None) -> bool:
        def known_name(k: int) -> Person | None:
            if (not tok.alpha[k] or tok.length[k] < 3 or tok.stop[k] or (lowercase_only and not tok.is_lower[k])
                    or tok.lower[k] in self._not_lowercase_name_hashes):
                return None
            entry = registry.by_first.get(tok.low(k))
            if entry is None or entry.role == "PERSON" or (roles and entry.role not in roles):
                return None
            surname = entry.full_name.split()[1:2]
            if surname and k + 1 < tok.n and tok.low(k + 1) == surname[0].lower():
                return Person(k, k + 2, entry.role, entry.full_name, entry.gender)  # "bradley orme spoken to by phone"
            return Person(k, k + 1, entry.role, entry.full_name, entry.gender)

        return _add_one_word_people(doc, tok, known_name)

    def _name_runs(self, doc: Doc, role_starts: frozenset[int] = frozenset()) -> list[tuple[int, int, str | None]]:
        """Runs of capitalised tokens that look like personal names: (start, end, title). `role_starts` are the
        tokens where a role word starts: a bracketed role straight after a run makes it a name ("Khaled (father)").

        Works on token attribute arrays, so the cost is a few numpy operations plus Python work only for
        the (few) capitalised runs, not a Python loop over every token."""
        n = len(doc)
        if n == 0:
            return []
        tok = tokens(doc)
        arr = doc.to_array([IS_TITLE, IS_ALPHA, IS_STOP, LOWER, IS_LOWER, SENT_START, SPACY, IS_UPPER])  # uint64: LOWER holds string hashes
        candidate = (arr[:, 0] == 1) & (arr[:, 1] == 1)
        shouted = _shouted_tokens(doc, arr)
        if shouted is not None:
            # A line typed in capitals ("JADE KILROY REPORTS CONNOR KILROY (FA OF BOTH CHN)"): its words are all
            # candidates, and only those with a cue or a known name become people.
            candidate |= shouted & (arr[:, 1] == 1) & (arr[:, 7] == 1)
        if not candidate.any():
            return []
        # "Craig MULLINS (38), father of Ellie", "Dean COPE, mum's boyfriend": a surname in capitals after a first name, as
        # police and case systems write it, when a bracket or an appositive follows it.
        for k in np.flatnonzero((arr[1:-1, 7] == 1) & (arr[1:-1, 1] == 1) & (arr[:-2, 0] == 1) & (arr[:-2, 6] == 1)) + 1:
            if tok.length[k] >= 3 and tok.low(k + 1) in ("(", ",") and int(arr[k, 3]) not in self._not_name_hashes \
                    and int(arr[k, 3]) not in self._organisation_hashes:
                candidate[k] = True
        # A hyphen joining two capitalised words with no spaces is part of a double-barrelled name ("Mensah-Ward").
        hyphens = np.flatnonzero(arr[1:-1, 3] == _HYPHEN_HASH) + 1 if n > 2 else np.array([], dtype=int)
        for k in hyphens:
            if candidate[k - 1] and candidate[k + 1] and arr[k - 1, 6] == 0 and arr[k, 6] == 0:
                candidate[k] = True
        lower_hashes = arr[:, 3]
        lowercase_words = None
        edges = np.flatnonzero(np.diff(np.concatenate(([0], candidate.view(np.int8), [0]))))
        runs = []
        for run_start, run_end in zip(edges[::2], edges[1::2]):
            run = list(range(int(run_start), int(run_end)))
            if shouted is not None and shouted[run[0]]:
                # In capitals a name cannot be told from the words around it: keep only the two words next to a
                # bracketed cue ("... REPORTS CONNOR KILROY (FA OF BOTH CHN)").
                if run[-1] + 1 < n and tok.low(run[-1] + 1) == "(" and not any(arr[k, 0] == 1 for k in run):
                    run = run[-2:]
                elif not any(arr[k, 0] == 1 for k in run):
                    continue
            title = None
            while run and int(lower_hashes[run[0]]) in self._title_hashes:
                title = tok.low(run[0])
                run = run[1:]
            if not run:
                continue
            bracketed = (run[-1] + 1 < n and tok.low(run[-1] + 1) == "(") or (run[0] > 0 and tok.low(run[0] - 1) == "(")
            if not bracketed and any(int(lower_hashes[k]) in self._organisation_hashes and not (k > 0 and lower_hashes[k - 1] == _HYPHEN_HASH)
                                     for k in run):
                continue  # "Ashby Ward", "Riverside Practice"; but "Kai Ward (Y4)", "mum (Chantelle Ward)" are people
            after = run[-1] + 1
            if not bracketed and after < n and arr[after, 7] == 1 and int(lower_hashes[after]) in self._organisation_hashes:
                continue  # "Harnley North CMHT", "the Older Adults CMHT": a place naming a service in capitals, not a person
            if not bracketed and self._organisation_apposed(tok, lower_hashes, after):
                continue  # "Meadowbank, a residential rehabilitation unit": a place
            # Leading words that are not names ("Mum", "The", a capitalised sentence opener).
            while run:
                k = run[0]
                h = int(lower_hashes[k])
                if arr[k, 2] == 1 or h in self._not_name_hashes or tok.length[k] < 2:
                    run = run[1:]
                    continue
                if arr[k, 5] == 1 and title is None and not _role_in_bracket_after(tok, run[-1] + 1, role_starts):
                    if lowercase_words is None:
                        lowercase_words = set(lower_hashes[arr[:, 4] == 1].tolist())
                    low = tok.low(k)
                    # A word that also appears in lower case, or a verb opening the sentence ("Attended", "Visiting");
                    # but one that a speaking verb follows is its subject ("Aisling told me", "Kimberly says").
                    speaks = len(run) == 1 and k + 1 < n and tok.lower[k + 1] in self._speaker_verb_hashes
                    # "Khaled had come home", "Present: Amira, Rania, Khaled, ...", "Mohammed's view": no verb opening a
                    # sentence is followed by an auxiliary, a possessive or a list's comma.
                    speaks = speaks or (len(run) == 1 and low.endswith("ed") and k + 1 < n and tok.lower[k + 1] in _H_AFTER_A_NAME_NOT_A_VERB)
                    if h in lowercase_words or (len(low) >= 6 and low.endswith(("ed", "ing", "ly")) and not speaks):
                        run = run[1:]
                        continue
                break
            while run and (arr[run[-1], 2] == 1 or int(lower_hashes[run[-1]]) in self._not_name_hashes):
                run = run[:-1]
            if not run or len(run) > 4:
                continue
            if title is None and run[0] > 0 and int(lower_hashes[run[0] - 1]) in _H_PLACE_PREPOSITIONS:
                continue  # "her parents live in Wolverdale": a place, not a person
            runs.append((run[0] - (1 if title else 0), run[-1] + 1, title))
        return runs

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "people.jsonl").write_text(rules_to_jsonl(self.role_rules), encoding="utf-8")
        (path / "not_names.jsonl").write_text(rules_to_jsonl(self.not_name_rules), encoding="utf-8")
        (path / "name_cues.jsonl").write_text(rules_to_jsonl(self.cue_word_rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(*load_people_rules(Path(path)))
        return self


_H_AFTER_A_NAME_NOT_A_VERB = hashes([",", ")", "'s", "\u2019s", "had", "has", "is", "was", "will", "would", "did", "does", "and"])


def _role_in_bracket_after(tok: Tokens, k: int, role_starts: frozenset[int]) -> bool:
    """ "Khaled (father), Rania (mother) seen": a role in a bracket straight after the word names it a person, even a
    sentence opener that reads like a verb ('Khaled') or a word also used in lower case."""
    return k + 1 < tok.n and tok.low(k) == "(" and k + 1 in role_starts


def _shouted_tokens(doc: Doc, arr) -> "np.ndarray | None":
    """Tokens of segments written in capitals (at least four words, nearly all upper case), or None."""
    out = None
    for seg in segments(doc):
        alpha = arr[seg.start:seg.end, 1] == 1
        n_alpha = int(alpha.sum())
        if n_alpha < 4:
            continue
        upper = int(((arr[seg.start:seg.end, 7] == 1) & alpha).sum())
        if upper >= 0.8 * n_alpha:
            if out is None:
                out = np.zeros(len(doc), dtype=bool)
            out[seg.start:seg.end] = True
    return out


def _words(tok: Tokens, start: int, end: int) -> list[str]:
    return [tok.text(k) for k in range(start, end) if tok.text(k) != "-"]


def _role_text(tok: Tokens, p: Person) -> str:
    """The role words as one lower-case phrase, hyphens closed up as written ("ex-partner", "step-dad")."""
    return " ".join(tok.low(k) for k in range(p.start, p.end)).replace(" - ", "-")


def _cue(tok: Tokens, start: int, end: int, title: str | None, role_spans: list[Person], list_kinds: dict[int, str],
         child_things: frozenset[int] = frozenset()):
    """Role stated next to a name: "Ryan (father)", "Father Marcus Dell", "Connor Pike, the children's father".
    Returns (role, gender, cue start, cue end, cue word) or None."""
    n = tok.n
    name_start = start + (1 if title else 0)
    gender = "m" if title == "mr" else "f" if title in ("mrs", "ms", "miss") else None
    low = tok.low
    # 1. A parenthetical straight after the name, or after the quote closing it: "'Dean' (boyfriend) watches the kids".
    quoted = end + 1 < n and name_start > 0 and tok.text(end) in QUOTES and tok.text(name_start - 1) in QUOTES and low(end + 1) == "("
    bracket = end + 1 if quoted else end
    if bracket < n and low(bracket) == "(":
        close = next((k for k in range(bracket + 1, min(n, bracket + 16)) if low(k).startswith(")")), None)  # ")" or "):"
        if close is not None:
            inner = _slice_text(tok, bracket + 1, close)
            first_part = inner.split(",")[0].split(";")[0].strip()  # "(Year 2, St Aidan's Primary)"
            if _AGE_CUE.match(first_part) and not _adult_age(first_part) and not _named_as_father(tok, name_start, role_spans):
                return "CHILD", gender, start, close + 1, "age"
            shorthand = inner.split()
            if shorthand and shorthand[0] in FATHER_SHORTHAND and (len(shorthand) == 1 or shorthand[1] in ("to", "of", "for")):
                return "FATHER", "m", start, close + 1, shorthand[0]  # "Aaron KILBRIDE (F)", "Stuart (SF)", "Liam Shaw (F to Connor)"
            # "(married; Isaac 8 and Grace 5 are their children)": after a semicolon the bracket speaks of others.
            head_end = next((k for k in range(bracket + 1, close) if low(k) == ";"), close)
            inside = [p for p in role_spans if p.start >= bracket + 1 and p.end <= head_end and not _is_possessor(tok, p)
                      and p.role not in ("PRONOUN", "SELF") and not _someone_elses_in_the_bracket(tok, p)]  # "(her husband and the father of both children)": not 'her'
            if inside and low(bracket + 1) not in _WITH_SOMEONE:  # "Marek (with interpreter)": the interpreter is someone else
                p = inside[0]  # "(father of all the kids)": the head comes first
                return _role_of(p, title), p.gender or gender, start, close + 1, _role_text(tok, p)
    if end + 1 < n and tok.lower[end] in _H_POSSESSIVE and tok.text(end) not in QUOTES:
        # "Nan (Chantelle's mum)": Chantelle owns what follows and is not the nan; "Freya's birth": a child.
        if tok.lower[end + 1] in child_things:
            return "CHILD", gender, start, end, "child"
        return None
    # "Ian is Oscar's father (Oscar is 6)": a bracket that gives the name an age speaks of a child, whatever precedes it.
    if name_start > 0 and low(name_start - 1) == "(" and end + 1 < n and low(end) in ("is", "aged") and tok.like_num[end + 1] \
            and not _adult_age(tok.text(end + 1)):
        return "CHILD", gender, start, end + 2, "age"
    # "15F (Kacey Garner)", "Kacey Garner, 15.": a patient's age and sex before the bracket, or a bare age closing the
    # sentence after the name, under 18 and with no role word before the name ("Mum, Tia Rowe, 16." is a young mother).
    if not any(p.end in (name_start, name_start - 1) for p in role_spans):
        if name_start >= 2 and low(name_start - 1) == "(" and end < n and low(end).startswith(")"):
            age_sex = _AGE_AND_SEX.match(tok.text(name_start - 2))
            if age_sex and int(age_sex.group(1)) < 18:
                sex = {"f": "f", "yof": "f", "yom": "m"}.get(age_sex.group(2).lower())  # "9m" may be nine months
                return "CHILD", gender or sex, start, end, "age"
        if end + 2 < n and low(end) == "," and tok.like_num[end + 1] and low(end + 2) in (".", ";") \
                and _AGE_CUE.match(tok.text(end + 1)) and not _adult_age(tok.text(end + 1)):
            return "CHILD", gender, start, end + 2, "age"
    man_start = _a_man_named_before(tok, name_start) if title is None else None
    if man_start is not None:
        return "FATHER", "m", man_start, end, "man"  # "a man called Karwan ... stays 'sometimes'": the man the note means
    genogram = _genogram_line_role(tok, name_start, role_spans)
    if genogram is not None:
        return genogram + (start, end, "genogram")
    if name_start >= 4 and low(name_start - 1) == "," and low(name_start - 2) in ("hers", "his", "theirs") and low(name_start - 3) == "of" \
            and low(name_start - 4) in ("friend", "mate") and _stays_after_the_name(tok, end):
        return "FATHER", "m", start, end, "partner"  # "a friend of hers, Kieran, stays over 'some nights'": a man in the home
    # 2. A role word just before the name ("Father Marcus Dell", "Dad, Liam Colter", "SW Priya Lund").
    before = [p for p in role_spans if p.end == name_start or (p.end == name_start - 1 and (low(name_start - 1) in (",", "(") or tok.lower[name_start - 1] in _H_QUOTES))]
    if not before and name_start >= 2 and low(name_start - 1) == ":":
        # "Child: Riley Moss. Mother: Kelly-Ann Moss. Father: Curtis Bell": a form's label naming a member of the family.
        before = [p for p in role_spans if p.end == name_start - 1 and p.role in ("MOTHER", "FATHER", "CHILD") and _opens_a_line_or_sentence(tok, p.start)]
    if title == "dr" and not before and start >= 2 and low(start - 1) == ",":
        before = [p for p in role_spans if p.end == start - 1]  # "the ED consultant, Dr Mensah"
        if not before:
            # "the in-reach psychologist at Dunmore Vale, Dr Rhian Moss", "a psychologist at the Marlcombe Refugee Trauma
            # Service, Dr Noor Hamid": the post, then where it is held.
            k = start - 2
            while k >= 0 and tok.title[k] and start - k <= 7:
                k -= 1
            if k >= 1 and k < start - 2 and low(k) == "the":
                k -= 1
            if k >= 1 and k < start - 2 and low(k) in ("at", "in", "from", "with"):
                before = [p for p in role_spans if p.end == k and p.role == "PROFESSIONAL"]
    if title is None and not before and name_start >= 2 and tok.lower[name_start - 1] in _H_QUOTES and low(name_start - 2) == ",":
        before = [p for p in role_spans if p.end == name_start - 2]
    parent = None
    if all(p.role == "CHILD" for p in before) and name_start >= 3 and low(name_start - 1) == ",":
        # "Father of all three children, Dean Shackleton", "Mother of both boys, Kerry Ann": the name is the parent's,
        # though the word just before it is the children (not "Dean Harker (father to both children), Poppy": the
        # bracket closes on Dean's role; nor "father of both children (Kacey 9, Alfie 4)": a bracket or an age makes
        # the name one more of the children).
        child_after = end < n and (tok.like_num[end] or low(end) == "(" and end + 1 < n and tok.like_num[end + 1])
        parent = None if child_after else _parent_of_before(
            tok, role_spans, name_start, 1, lambda p: not any(low(k) in (")", "(") for k in range(p.end, name_start - 1)))
    if parent is None and not before and name_start >= 4 and low(name_start - 1) in ("is", "was"):
        # "Father of this baby is Jordan Kelso (21)", "The father of the unborn baby is Jordan": a sentence that opens on
        # the parent's role and names the parent (not "The father of Kayla's friend is Dean": only children between).
        parent = _parent_of_before(tok, role_spans, name_start, 2, lambda p: (
            (_opens_a_line_or_sentence(tok, p.start) or (low(p.start - 1) == "the" and _opens_a_line_or_sentence(tok, p.start - 1)))
            and all(q.role == "CHILD" for q in role_spans if p.end < q.start < name_start)
            and any(q.role == "CHILD" for q in role_spans if p.end < q.start < name_start)))
    if parent is not None:
        return parent.role, parent.gender or ("m" if parent.role == "FATHER" else "f"), parent.start, end, _role_text(tok, parent)
    before = [p for p in before if not (p.start > 0 and tok.lower[p.start - 1] in _H_NEGATORS)]
    # "He told his teacher 'Dean grabbed me'": the quote opens what was said to the teacher, not the teacher's name.
    before = [p for p in before if not (p.end == name_start - 1 and tok.lower[p.end] in _H_QUOTES and _spoken_to(tok, p.start))]
    # "she said he is 'Uncle Des', an old family friend": what the family calls him, not kinship.
    before = [p for p in before if not (p.role == "OTHER" and p.end == name_start and p.start > 0 and tok.lower[p.start - 1] in _H_QUOTES
                                        and end < tok.n and tok.lower[end] in _H_QUOTES)]
    # "Lorraine Kemp, a family friend Stacey named": the role is Lorraine's appositive, and Stacey starts a new clause.
    before = [p for p in before if not (p.end == name_start and _appositive_of_earlier_name(tok, p.start))]
    # "Ruby-Jean (12), the daughter of her friend Kelly Carter": friend to the writer's host; the child's parent.
    before = [p for p in before if not (p.role == "OTHER" and _parent_of_a_child_before(tok, p.start))]
    # "Father Declan, the hospice chaplain", "Father Declan (parish priest)": a priest's title, not a father.
    before = [p for p in before if not (p.role == "FATHER" and p.end == name_start and tok.text(p.start) == "Father"
                                        and _clergy_after(tok, role_spans, end))]
    # "Sister Grace Adeyemi came to the drop-in", "Brother Kofi": a faith community's (or a ward sister's) title, not
    # kinship; kin has an owner ("her sister Shelby", "Rhys's sister") or is written in lower case.
    before = [p for p in before if not (p.role == "OTHER" and p.end == name_start and tok.text(p.start) in ("Sister", "Brother")
                                        and not (p.start > 0 and (possessive_at(tok, p.start - 1) or tok.low(p.start - 1) in _KIN_OWNER_WORDS)))]
    if before:
        p = before[-1]
        comma = p.end < name_start
        in_list = list_kinds.get(name_start) in ATTENDEE_LIST_KINDS
        preceded_by_comma = p.start > 0 and low(p.start - 1) == ","
        # "the community paediatrician, Dr Hollis" is one person even in an attendee list: the article makes the
        # post an appositive, where "Present: SW, Dr Hollis" lists two.
        doctors_post = title == "dr" and p.role in ("PROFESSIONAL", "GP") and any(
            low(k) in ("the", "a", "an") for k in range(max(0, p.start - 2), p.start))
        if not _is_possessor(tok, p) and not (comma and (in_list or preceded_by_comma) and not doctors_post) and p.role not in ("PRONOUN", "SELF"):
            if p.role == "OTHER" and tok.low(p.end - 1) in ("friend", "mate") and _stays_after_the_name(tok, end):
                return "FATHER", "m", start, end, "partner"  # "a friend, Serhiy, sometimes stays over": a man in the home
            return _role_of(p, title), p.gender or gender, p.start, end, _role_text(tok, p)
    # 3. An appositive after a comma: "Connor Pike, the children's father", "Lee Marchant (31), her boyfriend".
    if end + 3 < n and low(end) == "(" and low(end + 2).startswith(")") and _adult_age(tok.text(end + 1)) and low(end + 3) == ",":
        end = end + 3  # step past "(31)" to its comma
    elif end + 2 < n and low(end) == "," and tok.like_num[end + 1] and _adult_age(tok.text(end + 1)) and low(end + 2) == ",":
        end = end + 2  # "Richard 'Ricky' SUMMERFIELD, 34, father of both children": step past the age to its comma
    elif end + 1 < n and low(end) in ("'", '"') and low(end + 1) == "," and start > 0 and low(start - 1) == low(end):
        end = end + 1  # "she said this was 'Mark', her boyfriend": step past the quote that closes the name
    in_a_list = start > 0 and tok.lower[start - 1] in _H_LIST_JOIN and title != "dr"  # "CPN Gail Hollis and Dr Varga, perinatal psychiatrist"
    if in_a_list and low(start - 1) == ":" and list_kinds.get(start) not in ATTENDEE_LIST_KINDS:
        # "Perpetrator: Sandra Sutcliffe (62), Joanne's mother": a form's label, not the head of an attendee list.
        in_a_list = False
    if in_a_list and start >= 2 and not tok.title[start - 2]:
        # "The suspect, Lee Marchant (31), her boyfriend", "between mum and Lee, her partner": a comma or "and" after a
        # common noun joins no list of names.
        in_a_list = False
    # In an attendee list "Jo Firth, nursery manager" may be two entries; "Dr Mbeki, consultant psychiatrist" is one.
    if end + 1 < n and low(end) == "," and (list_kinds.get(start) not in ATTENDEE_LIST_KINDS or title == "dr") and not in_a_list:
        # "Imran Rahman, father of Zayn (8)"
        father_of = [p for p in role_spans if p.start == end + 1 and p.end < n and tok.lower[p.end] in _H_OF and p.role == "FATHER"]
        if father_of:
            return "FATHER", "m", start, father_of[0].end, _role_text(tok, father_of[0])
        after = [p for p in role_spans if end + 1 <= p.start <= end + 4 and not _is_possessor(tok, p) and p.role not in ("PRONOUN", "SELF")]
        if title == "dr" and after and not _ends_phrase(tok, after[0].end):
            # "Dr Ebube Nwosu, consultant perinatal psychiatrist": a doctor's post may run to several words.
            ending = [p for p in after if _ends_phrase(tok, p.end) and all(tok.is_lower[k] for k in range(end + 1, p.start))]
            if ending:
                return _role_of(ending[0], title), gender, start, ending[0].end, _role_text(tok, ending[0])
            post = after[0]
            if post.role == "PROFESSIONAL" and all(tok.is_lower[k] for k in range(end + 1, post.start)):
                # "Dr Oren Feld, clinical psychologist in the CAMHS adoption team": the post, then where it is held.
                return "PROFESSIONAL", gender, start, post.end, _role_text(tok, post)
        if after and title != "dr" and after[0].end + 1 < n and low(after[0].end) in (",", ";") and any(
                r.start == after[0].end + 1 and (after[0].role in ("PROFESSIONAL", "GP") or r.role in ("PROFESSIONAL", "GP")) for r in role_spans):
            # "Rosie, SW, HV, dietitian, nursery manager", "CIN 1. Kelly-Ann, MGM, SW, DSL": a list of who came, not Rosie's
            # post or Kelly-Ann's relation.
            after = []
        if after and (_ends_phrase(tok, after[0].end) or (after[0].role == "FATHER" and low(after[0].end) in ("of", "who", "since", "for"))):
            p = after[0]
            in_role = {k for r in role_spans if r.end <= p.start for k in range(r.start, r.end)}
            if all(tok.lower[k] in _H_APPOSITIVE_FILLER or tok.title[k] or k in in_role or (title == "dr" and tok.is_lower[k])
                   for k in range(end + 1, p.start)):
                role = _role_of(p, title, tok)
                return role, ("f" if role == "MOTHER" and p.role == "FATHER" else p.gender or gender), start, p.end, _role_text(tok, p)
    # 3b. A letter's signature: the name on a line of its own, the post on the next ("Dr Rosalind Kemp\nClinical
    # Psychologist").
    if end + 1 < n and tok.text(end).strip() == "" and tok.text(end).count("\n") == 1 and _opens_a_line_or_sentence(tok, start):
        post = next((p for p in role_spans if p.start == end + 1 and p.role in ("PROFESSIONAL", "GP")), None)
        if post is not None and (post.end >= n or "\n" in tok.text(post.end)):
            return post.role, gender, start, post.end, _role_text(tok, post)
    # 4. Things only a child has: "since Freya's birth", "Mia's weight", "Kai's nursery".
    if end + 1 < n and tok.lower[end] in _H_POSSESSIVE and tok.lower[end + 1] in child_things:
        return "CHILD", gender, start, end, "child"
    # A school year straight after the name: "Oliwia Nowak year 10", "Brooke Malkin Y9"; "Kyle (Yr 6)" is handled with the brackets.
    if end + 1 < n and low(end) in ("year", "yr") and tok.like_num[end + 1] or end < n and _SCHOOL_YEAR.match(low(end)):
        return "CHILD", gender, start, end, "age"
    # 5. A predicate: "Dean Cole is his birth father", "Kofi Mensah is Zeke's father", "understands Dean to be mum's boyfriend".
    verb = end + 2 if end + 2 < n and low(end) == "to" and low(end + 1) == "be" else end + 1 if end + 1 < n and low(end) in ("is", "was") else None
    if verb == end + 1 and end + 4 < n and low(end + 1) in _REPORTED_AS and low(end + 2) == "to" and low(end + 3) == "be":
        verb = end + 4  # "Ricky is understood to be mum's boyfriend"
    if verb is not None:
        for p in role_spans:
            if p.role == "FATHER" and verb <= p.start <= verb + 3 and not _is_possessor(tok, p):
                if all(tok.lower[k] in _H_APPOSITIVE_FILLER or tok.title[k] or tok.lower[k] in _H_POSSESSIVE for k in range(verb, p.start)):
                    return "FATHER", "m", start, p.end, _role_text(tok, p)
    # 5b. "Ashley Vance (31), whom Toni described as her partner": a relative clause that says who he is.
    described = _described_in_a_relative_clause(tok, end)
    if described is not None:
        for p in role_spans:
            if described <= p.start <= described + 3 and p.role == "FATHER" and not _is_possessor(tok, p):
                if all(tok.lower[k] in _H_APPOSITIVE_FILLER or tok.lower[k] in _H_QUOTES for k in range(described, p.start)):
                    return "FATHER", "m", start, p.end, _role_text(tok, p)
    # 6. "described Reece as 'her new boyfriend'", "her partner is Jay Corrigan".
    if end + 1 < n and low(end) == "as" and not (start > 0 and low(start - 1) == "by"):  # not "named by Kelsey as her boyfriend Ricky"
        for p in role_spans:
            if end + 1 <= p.start <= end + 4 and not _is_possessor(tok, p) and p.role not in ("PRONOUN", "SELF"):
                if not (_ends_phrase(tok, p.end) or tok.lower[p.end] in _H_QUOTES):
                    break
                if all(tok.lower[k] in _H_APPOSITIVE_FILLER or tok.lower[k] in _H_QUOTES for k in range(end + 1, p.start)):
                    return _role_of(p, title), p.gender or gender, start, p.end, _role_text(tok, p)
                break
    if title is None and name_start >= 2 and low(name_start - 1) in ("is", "was"):
        for p in role_spans:
            if p.role == "FATHER" and not _is_possessor(tok, p) and (p.end == name_start - 1 or _of_the_children(tok, p.end, name_start - 1)):
                return "FATHER", "m", p.start, end, _role_text(tok, p)  # "Father of the baby is Tyrese Grant"
    known = _known_as_before(tok, name_start)
    if title is None and known is not None:
        for p in role_spans:
            if p.role == "FATHER" and p.end == known and not _is_possessor(tok, p):
                return "FATHER", "m", p.start, end, _role_text(tok, p)  # "Mother's partner known only as 'Dean'"
    # 7. "Craig Mottram (33) had come to return his son Reece": a man named with his child in the same clause.
    child_of_a_parent = name_start >= 2 and tok.lower[name_start - 1] in _H_OF and any(
        p.end == name_start - 1 and p.role in ("FATHER", "MOTHER") for p in role_spans)  # "he is the father of Riley Whitford"
    if title != "dr" and not child_of_a_parent and _his_child_follows(tok, end):
        return "FATHER", "m", start, end, "father"
    # 7b. "she has been seeing someone called Kyle", "Kyle has moved in; he was at work": a man staying in the home.
    if title != "dr" and (_dating_before(tok, start) or _stays_in_the_home(tok, end) or _met_online_after(tok, end)):
        return "FATHER", "m", start, end, "partner"
    # 8. "Dr X" with no other cue: in these records most often the family's GP. Registered as an inference,
    #    so an explicit cue anywhere in the case ("Dr X (paediatrician)") wins. A doctor placed in a hospital
    #    ("Dr Hale in A&E", "Dr Okafor on the ward") is not.
    if title == "dr":
        # (or just before a bracket that opens on the doctor: "Community Paediatrician (Dr Rahman, Welbury CDC)")
        opening = start - 1 if start >= 1 and low(start - 1) == "(" else start
        post = [p for p in role_spans if p.end == opening and p.role in ("PROFESSIONAL", "GP") and not _is_possessor(tok, p)]
        if post:
            # "ward paediatrician Dr Osei", "consultant psychiatrist Dr Bell": the post written straight before the title
            return _role_of(post[-1], title), gender, post[-1].start, end, _role_text(tok, post[-1])
        if end + 1 < n and low(end) in ("in", "at", "on", "from") and any(
                tok.lower[k] in _H_HOSPITAL_PLACES for k in range(end + 1, min(n, end + 4))):
            return "PROFESSIONAL", gender, start, end, "hospital doctor"
        if start >= 1 and low(start - 1) in ("by", "where", "with") and _hospital_place_before(tok, start - 1):
            # "seen at the walk-in centre by Dr Lowe", "the sexual health clinic, where Dr Mistry saw her"
            return "PROFESSIONAL", gender, start, end, "hospital doctor"
        if start >= 2 and low(start - 1) in (":", "-", "\u2013", "(") and tok.lower[start - 2] in _H_SPECIALTIES:
            # "Urgent review by perinatal psychiatry: Dr Quayle", "Community Paediatrics (Dr Amadi)", "EP: Dr Helen Moss"
            return "PROFESSIONAL", gender, start, end, "specialist"
        return "GP", gender, start, end, "dr"
    # 9. "Mr Lewis Bratton was at home ... Mrs Bratton (Jo) only found out": a man and a woman of the note sharing a
    #    surname are a couple. Registered as an inference, so any role stated elsewhere in the case wins.
    if title == "mr" and end - name_start >= 2 and _mrs_of_the_same_name(tok, tok.text(end - 1)):
        return "FATHER", "m", start, end, SAME_SURNAME_CUE
    return None


#: The cue word of a man inferred from a "Mrs" of his surname in the same note.
SAME_SURNAME_CUE = "same surname as Mrs"


def _mrs_of_the_same_name(tok: Tokens, surname: str) -> bool:
    """ "Mrs Bratton" or "Ms Bratton" somewhere in the note."""
    return any(tok.low(k) in ("mrs", "ms") and tok.text(k + 1) == surname for k in range(tok.n - 1))


#: Words that place a doctor in a hospital, not a surgery: "Dr Hale in A&E".
_H_HOSPITAL_PLACES = hashes({"a&e", "ed", "hospital", "ward", "nicu", "nnu", "scbu", "maternity", "theatre", "emergency", "paediatrics",
                             "paeds", "delivery", "labour", "outpatients", "clinic", "cahms", "camhs", "walk-in", "walk", "urgent"})


_H_SPECIALTIES = hashes(["psychiatry", "paediatrics", "paeds", "obstetrics", "neonatology", "neonatal", "perinatal", "camhs", "cmht",
                         "ep", "psychology", "cdc"])


def _hospital_place_before(tok: Tokens, position: int) -> bool:
    """A hospital place earlier in the same clause: "Samuel was seen at the walk-in centre on 12 March by"."""
    for k in range(position - 1, max(-1, position - 12), -1):
        if tok.lower[k] in _H_CLAUSE_END or "\n" in tok.text(k):
            return False
        if tok.lower[k] in _H_HOSPITAL_PLACES:
            return True
    return False


def _nickname(tok: Tokens, end: int, run_starts: dict[int, int]) -> tuple[list[str], list[str], int] | None:
    """A nickname given right after a name, any surname after it, and where the whole name ends: "Kelvin ('Kel')
    Oduya" -> (["Kel"], ["Oduya"], after 'Oduya'); "Tom Walsh ('Tommo')", "Lee 'Deano' Dean", "Richard 'Ricky'
    SUMMERFIELD", "Carl Ostrowski (31), known as 'Tank'", "aka Jonno". Only quoted nicknames or ones after "known
    as"/"aka" count: a bare bracket is a role or an agency ("(PoP)")."""
    n, low = tok.n, tok.low

    def quoted(k: int) -> tuple[list[str], int] | None:
        """Capitalised words between quotes from token k: (words, index after the closing quote)."""
        if k >= n or tok.lower[k] not in _H_QUOTES:
            return None
        words, j = [], k + 1
        while j < n and len(words) < 3 and tok.alpha[j] and tok.text(j)[:1].isupper():
            words.append(tok.text(j))
            j += 1
        return (words, j + 1) if words and j < n and tok.lower[j] in _H_QUOTES else None

    k = end
    if k < n and low(k) == "(":
        found = quoted(k + 1)
        if found and found[1] < n and low(found[1]).startswith(")"):
            after = found[1] + 1
            if after in run_starts and run_starts[after] - after == 1:
                return found[0], _words(tok, after, after + 1), after + 1
            return found[0], [], after
    found = quoted(k)
    if found:
        after = found[1]
        if after in run_starts and run_starts[after] - after == 1 or (
                after < n and tok.alpha[after] and len(tok.text(after)) > 1 and tok.text(after).isupper()):
            return found[0], _words(tok, after, after + 1), after + 1  # "Lee 'Deano' Dean", "Richard 'Ricky' SUMMERFIELD"
        return None  # a quotation, not a nickname
    if k + 2 < n and low(k) == "(" and low(k + 2).startswith(")") and tok.like_num[k + 1]:
        k += 3  # "(31)"
    if k < n and low(k) == ",":
        k += 1
    if k + 1 < n and low(k) == "known" and low(k + 1) == "as":
        k += 2
    elif k < n and low(k) in ("aka", "a.k.a", "a.k.a."):
        k += 1
    else:
        return None
    found = quoted(k)
    if found:
        return found[0], [], found[1]
    if k < n and tok.alpha[k] and tok.text(k)[:1].isupper():
        return [tok.text(k)], [], k + 1
    return None


def _add_aliases(doc: Doc, tok: Tokens, registry: PeopleRegistry, lowercase: bool) -> bool:
    """Mark every use of a known nickname ("AJ", "Kel") as the person it stands for. True if any were added."""
    def nickname(k: int) -> Person | None:
        if not tok.alpha[k] or not (lowercase or tok.text(k)[:1].isupper()) or tok.low(k) not in registry.aliases:
            return None
        entry = registry.lookup([tok.text(k)])
        if entry is None:
            return Person(k, k + 1, "PERSON", tok.text(k), None)
        return Person(k, k + 1, entry.role, entry.full_name, entry.gender)

    return _add_one_word_people(doc, tok, nickname)


def _add_one_word_people(doc: Doc, tok: Tokens, person_at: Callable[[int], Person | None]) -> bool:
    """Add the one-word people `person_at` finds among the tokens not yet part of a person. True if any were."""
    found = list(people(doc))
    covered = {k for p in found for k in range(p.start, p.end)}
    new = [person for k in range(tok.n) if k not in covered and (person := person_at(k)) is not None]
    if new:
        found += new
        found.sort(key=lambda p: (p.start, p.end))
        doc.user_data[PEOPLE_KEY] = found
    return bool(new)


def _his_child_follows(tok: Tokens, end: int) -> bool:
    """True if, in the clause after a name, the next person word is "his son"/"his daughter"/"his children".

    The name must be the clause's only name: the scan stops at another capitalised word, a pronoun or a role
    word of someone else, and at the end of the sentence."""
    n = tok.n
    k = end
    if k + 2 < n and tok.low(k) == "(" and tok.low(k + 2).startswith(")") and tok.like_num[k + 1]:
        k += 3  # "(33)"
    for j in range(k, min(n, k + 12)):
        low = tok.lower[j]
        if low in _H_CLAUSE_END or "\n" in tok.text(j):
            return False
        if low in _H_HIS:
            return j + 1 < n and tok.lower[j + 1] in _H_CHILD_WORDS
        if low in _H_OTHER_PERSON or (tok.title[j] and tok.alpha[j] and j > k):
            return False
    return False


_H_DATING = hashes(["seeing", "dating"])
_H_SOMEONE = hashes(["someone", "somebody", "man", "guy", "bloke", "lad", "fella"])
_H_CALLED = hashes(["called", "named"])
_H_STAYING = hashes(["stays", "stayed", "staying", "moved", "lives", "living", "sleeps", "sleeping"])
_H_WEEKDAYS = hashes(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mondays", "fridays", "saturdays"])
_H_IN_THE_HOME = hashes(["over", "most", "every", "at", "in", "there", "weekends", "nights", "here", "with"]) | _H_WEEKDAYS
_H_HE = hashes(["he", "his", "him"])
_H_STAYS_OVER = hashes(["stays", "stayed", "staying", "sleeps", "sleeping"])
_H_PLACE_AFTER_OVER = hashes(["at", "with", "in", "on", "there", "here", "christmas", "the"])
_H_AT_TO = hashes(["at", "to", "from"])
_H_AT_TO_WITH = _H_AT_TO | hashes(["with"])


def _someone_elses_in_the_bracket(tok: Tokens, p: Person) -> bool:
    """"Ryan (31, lives in Orrinford w/ his partner & 2 kids)": a role owned after a preposition or a verb inside the
    bracket is the named person's own partner or relative, not what he is ("Gary (her husband)" still is)."""
    return p.start >= 2 and tok.low(p.start - 1) in ("his", "her", "their") and tok.low(p.start - 2) in _BEFORE_SOMEONE_ELSES


_BEFORE_SOMEONE_ELSES = frozenset({"with", "w/", "to", "of", "for", "by", "from", "and", "&", "lives", "visits", "sees", "than"})
_WITH_SOMEONE = frozenset({"with", "via", "through", "plus", "and", "+", "&", "accompanied", "supported"})
_H_HIS_ELDERS = hashes(["father", "dad", "daddy", "mother", "mum", "mam", "mom", "mummy", "parents", "nan", "nana", "nanna", "gran",
                        "granny", "grandma", "grandad", "grandpa", "grandmother", "grandfather", "grandparents", "aunt", "auntie",
                        "aunty", "uncle", "carer", "carers", "foster", "stepdad", "stepfather", "stepmum", "stepmother", "family",
                        "older", "birth", "paternal", "maternal",
                        # and his brothers and sisters: "Harrison lives with both mums and his sister Pippa"
                        "sister", "sisters", "brother", "brothers", "siblings", "sibling", "twin", "half-sister",
                        "half-brother", "cousin", "cousins"])


def _dating_before(tok: Tokens, start: int) -> bool:
    """ "she has been seeing someone called Kyle", "dating a man named Reece": her new partner."""
    return (start >= 3 and tok.lower[start - 1] in _H_CALLED and tok.lower[start - 2] in _H_SOMEONE
            and (tok.lower[start - 3] in _H_DATING or start >= 4 and tok.lower[start - 4] in _H_DATING))


_H_MET_BY = hashes(["she", "they", "mum", "mother"])
_H_MET, _H_HIM = hash_string("met"), hash_string("him")
_H_NOT_ANOTHER_NAME = hashes(["she", "mum"])
_H_ONLINE = hashes(["snapchat", "facebook", "instagram", "tiktok", "tinder", "hinge", "bumble", "grindr", "plenty", "pof", "online", "app",
                    "apps", "dating", "whatsapp", "gaming", "match.com", "badoo"])


def _met_online_after(tok: Tokens, end: int) -> bool:
    """ "'Ash' had left after an argument; she met him on Snapchat": the man she met online and is seeing, the last name
    before "she met him" in the same sentence."""
    lower = tok.lower
    for j in range(end, min(tok.n - 2, end + 20)):
        h = lower[j]
        if h == _H_MET:
            return lower[j - 1] in _H_MET_BY and lower[j + 1] == _H_HIM and any(lower[k] in _H_ONLINE for k in range(j + 2, min(tok.n, j + 6)))
        if h in _H_SENTENCE_END or (tok.title[j] and tok.alpha[j] and h not in _H_NOT_ANOTHER_NAME) or "\n" in tok.text(j):
            return False  # the sentence ends, or another name comes first
    return False


def _stays_in_the_home(tok: Tokens, end: int) -> bool:
    """ "Kyle has moved in; he was at work", "Kyle stays Friday to Sunday but would not give his surname", "Des has
    stopped staying over" (so he did stay): a man who stays or lives in the home. A child stays places too ("Leah
    stays at her dad's"), so a "he" or "his" must follow in the same sentence, with no other name or woman before it."""
    n = tok.n
    k = end
    while k < n and tok.low(k) in ("has", "have", "had", "is", "was", "now", "been", "also", "still", "often", "usually", "stopped",
                                   "sometimes", "regularly", "occasionally"):
        k += 1
    # "Rob Colley is a friend who 'stays over sometimes'": what she calls him does not change that he stays.
    if k + 2 < n and tok.low(k) == "a" and tok.low(k + 1) in ("friend", "mate") and tok.low(k + 2) == "who":
        k += 3
        while k < n and (tok.lower[k] in _H_QUOTES or tok.low(k) in ("often", "sometimes", "usually", "also", "now", "still")):
            k += 1
    if not (k + 1 < n and tok.lower[k] in _H_STAYING and tok.lower[k + 1] in _H_IN_THE_HOME):
        return False
    if _stays_the_night(tok, k):
        return True  # "Lee stays over loads", "Kyle sleeps over most weekends": a man staying the night, not a child's sleepover
    for j in range(k + 2, min(n, k + 16)):
        low = tok.lower[j]
        if low in _H_SENTENCE_END or "\n" in tok.text(j):
            return False
        if low in _H_HE:
            if j + 1 < n and tok.lower[j + 1] in _H_HIS_ELDERS:
                return False  # "Oscar lives with his father", "... and his sister": a child living with his family
            return tok.lower[j - 1] not in _H_AT_TO_WITH  # "Ava stays at his on Fridays", "Kian stays with him": his home, not him
        if low in _H_OTHER_PERSON or (tok.title[j] and tok.alpha[j] and low not in _H_WEEKDAYS):
            return False
    return False


def _stays_after_the_name(tok: Tokens, end: int) -> bool:
    """The words after a friend's name ("a friend, Serhiy, sometimes stays over") say he stays in the home."""
    return _stays_in_the_home(tok, end + 1 if end < tok.n and tok.low(end) == "," else end) or _stays_over_later(tok, end)


def _stays_over_later(tok: Tokens, end: int) -> bool:
    """"a friend, Lewis, 'pops round and helps with the dog' and sometimes stays over": the friend's own sentence goes on
    to say he stays the night, with no other name or pronoun between."""
    for j in range(end, min(tok.n - 1, end + 20)):
        low = tok.lower[j]
        if low in _H_SENTENCE_END or "\n" in tok.text(j) or low in _H_OTHER_PERSON or (tok.title[j] and tok.alpha[j] and j > end):
            return False
        if low in _H_STAYS_OVER and tok.low(j + 1) == "over" and tok.low(j - 1) in ("and", "sometimes", "often", "also", "regularly"):
            return _stays_the_night(tok, j)
    return False


def _stays_the_night(tok: Tokens, k: int) -> bool:
    """"stays over", "sleeps over" at k, and not "over at his mum's": staying the night where the family lives."""
    return tok.lower[k] in _H_STAYS_OVER and tok.low(k + 1) == "over" and (k + 2 >= tok.n or tok.lower[k + 2] not in _H_PLACE_AFTER_OVER)


def _slice_text(tok: Tokens, start: int, end: int) -> str:
    """Text of tokens start..end-1 (from the Doc's text by character offsets)."""
    text = tok.text_
    return text[tok.idx[start]:tok.idx[end - 1] + tok.length[end - 1]] if end > start else ""


def _name_person(tok: Tokens, start: int, end: int, title: str | None, registry: PeopleRegistry) -> Person:
    words = _clean_words(_words(tok, start + (1 if title else 0), end))
    entry = registry.lookup(words, title)
    gender = (entry.gender if entry else None) or ("m" if title == "mr" else "f" if title in ("mrs", "ms", "miss") else None)
    return Person(start, end, entry.role if entry else "PERSON", entry.full_name if entry else " ".join(words), gender)


def is_lowercase_note(tok: Tokens) -> bool:
    """A note written all in lower case ("home visit, zainab & sorie seen"): its names carry no capital, so
    they are found only from cues and from names the case already knows."""
    alpha = sum(tok.alpha)
    return alpha >= 12 and sum(tok.title) <= 0.02 * alpha


_VERB_FOLLOWERS = {",", ".", ")", "(", ";", ":", "and", "is", "was", "has", "had", "said", "says", "will", "would", "seen", "&"}


def _looks_like_verb(word: str, next_word: str) -> bool:
    """'dad sleeps days', 'mum cried': a verb after a role word, not a name ('dad wes seen', 'dad lewis,')."""
    if word.endswith(("ed", "ing", "ly")):
        return True
    if word.endswith("s") and not word.endswith("ss"):
        return not (next_word in _VERB_FOLLOWERS or next_word.endswith(("ed", "en")))
    return False


def _owner_before(tok: Tokens, position: int) -> str | None:
    """The possessor right before a role word: 'Gulsen' in "Gulsen's father", 'her' in "her father"."""
    if position >= 2 and tok.lower[position - 1] in _H_POSSESSIVE:
        k = position - 2
        words = []
        while k >= 0 and (tok.title[k] or tok.lower[k] in _H_OWNER_WORDS) and len(words) < 3:
            words.insert(0, tok.text(k))
            k -= 1
            if k >= 1 and tok.text(k) == "-" and tok.title[k - 1]:
                k -= 1  # "Kelly-Ann's father": the hyphen joins one name
        return " ".join(words) or None
    if position >= 1 and tok.lower[position - 1] in _H_PRONOUN_OWNERS:
        return tok.low(position - 1)
    if position >= 2 and tok.low(position - 1) == "own" and tok.lower[position - 2] in _H_PRONOUN_OWNERS:
        return "own " + tok.low(position - 2)  # "her own mum"
    return None


_H_SENTENCE_END = hashes([".", "!", "?"])
#: "is understood to be", "was said to be": a reported predicate names the role as well as "is" does.
_REPORTED_AS = frozenset({"understood", "believed", "thought", "said", "reported", "known", "alleged", "rumoured"})
_KIN_WORDS = OWNED_FATHER_WORDS | OWNED_MOTHER_WORDS | {"son", "daughter", "partner", "boyfriend", "girlfriend"}


def _role_word_position(tok: Tokens, start: int, end: int, cue_start: int, cue_end: int, cue_word: str) -> int:
    """Where the role word of a name's cue stands, for finding its owner: before the name ("Rachel's father,
    Brian"), or inside a bracket after it ("Brian (Rachel's father)")."""
    if cue_start < start:
        return cue_start
    first = (cue_word or "").split(" ")[0]
    return next((k for k in range(end, cue_end) if tok.low(k) == first), end)


def _her_referents(tok: Tokens, names: list[tuple[int, int, bool]], registry: PeopleRegistry, position: int,
                   speaker_verbs: frozenset[int]) -> str | None:
    """Who "her" may be in "her dad, Neil", most likely first, joined by "|": a person quoted in the same sentence
    ("Bernadette said ... apart from her dad, Eamon"), then the people named before it, nearest first, in this
    sentence or the two before, leaving out anyone known to be a man or a professional. Case assembly takes the
    first one it knows to be a woman or girl ("Jade's placement broke down. Her dad, Neil, visits": once Jade is
    known as the mother, Neil is the children's grandfather)."""
    boundaries = 0
    k = position - 1
    speakers, others = [], []
    runs = sorted((run for run in names if run[1] <= position), key=lambda run: -run[1])
    for start, end, title in runs:
        while k >= end:
            if tok.lower[k] in _H_SENTENCE_END or "\n" in tok.text(k):
                boundaries += 1
            k -= 1
        if boundaries > 2 or len(speakers) + len(others) >= 4:
            break
        words = _clean_words(_words(tok, start + (1 if title else 0), end))
        if not words:
            continue
        possessive = end + 1 < tok.n and tok.lower[end] in _H_POSSESSIVE
        if possessive and tok.low(end + 1) in _KIN_WORDS and start >= 2 and tok.low(start - 1) == "," and (
                tok.low(start - 2) == ")" or tok.title[start - 2]):
            continue  # "Jade Cole (19), Ava's mum, ...": an appositive; Ava names whose mum Jade is
        if possessive and start >= 1 and tok.low(start - 1) in ("at", "to", "from"):
            continue  # "at Dean's": a house, not a person in the sentence
        entry = registry.lookup(words)
        if title and tok.low(start) not in ("mrs", "ms", "miss"):
            continue  # "Mr Hall", "Dr Price"
        if entry is not None and (entry.gender == "m" or entry.role in ("FATHER", "GP", "PROFESSIONAL") or entry.owner == "her"):
            continue  # "her mum, Lorraine, and her dad, Steve": both are hers, not Lorraine's
        name = " ".join(words)
        if boundaries == 0 and end < tok.n and tok.lower[end] in speaker_verbs:
            speakers.append(name)
        else:
            others.append(name)
    return "|".join(dict.fromkeys(speakers + others)) or None


def _appositive_of_earlier_name(tok: Tokens, role_start: int) -> bool:
    """True for a role opened by ", a" after a name: "Lorraine Kemp, a (family) friend ..." describes Lorraine."""
    k = role_start - 1
    while k >= 0 and role_start - k <= 2 and tok.is_lower[k] and tok.alpha[k] and tok.lower[k] not in _H_ARTICLES:
        k -= 1  # "family" in "a family friend"
    return k >= 2 and tok.lower[k] in _H_ARTICLES and tok.low(k - 1) == "," and bool(tok.title[k - 2]) and bool(tok.alpha[k - 2])


def _is_parent(owner: str, registry: PeopleRegistry) -> bool:
    """Whether the possessor of "X's daughter" is the child's mother or father (as far as the note knows)."""
    if owner.lower() in ("mum", "mother", "dad", "father", "mum's", "dad's"):
        return True
    entry = registry.lookup(owner.split()) if owner[:1].isupper() else None
    return entry is not None and entry.role in ("MOTHER", "FATHER")


_DATE_OF_BIRTH_YEAR = re.compile(r"\b(?:dob|d\.o\.b\.?|born)\W*(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*|\d{1,2}\s+[a-z]+\s+)?((?:19|20)\d\d)\b", re.I)


def _born_an_adult(text: str, note_date) -> bool:
    """A date of birth whose year makes the person 18 or more when the note was written."""
    found = _DATE_OF_BIRTH_YEAR.search(text)
    return bool(found) and note_date is not None and note_date.year - int(found.group(1)) >= 18


def _adult_age(text: str) -> bool:
    """An age in years of 18 or more ("(36)", "(24 yrs)"), as opposed to a child's age or months."""
    match = re.match(r"^\s*(?:aged?\s*)?(\d{1,2})\s*(y(?:ea)?rs?|y/?o|yo|y)?\s*(?:old)?\s*$", text, re.I)
    return bool(match) and int(match.group(1)) >= 18


def _parent_of_before(tok: Tokens, role_spans: list[Person], name_start: int, gap: int, fits: Callable[[Person], bool]) -> Person | None:
    """The first "father of" or "mother of" role that ends within eight words before the name (and at least `gap` words
    before it) and `fits`: the parent a name after "the children" may still belong to."""
    return next((p for p in role_spans if p.role in ("FATHER", "MOTHER") and name_start - 8 <= p.end < name_start - gap
                 and tok.lower[p.end] in _H_OF and fits(p)), None)


def _opens_a_line_or_sentence(tok: Tokens, position: int) -> bool:
    """Only spaces stand between the token and the start of the text, a line, or a '.' or ';' before it."""
    text = tok.text_
    k = tok.idx[position] - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in ".;\n"


def _ends_phrase(tok: Tokens, position: int) -> bool:
    """True when an appositive role phrase ends here ("Connor Pike, the children's father, left"), not when a
    name follows it ("Sadia Begum, baby Zayn")."""
    return position >= tok.n or tok.lower[position] in _H_PHRASE_END or "\n" in tok.text(position)


def _clean_words(words: list[str]) -> list[str]:
    return [w.strip("'\u2019") for w in words if w.strip("'\u2019")]


def _is_possessor(tok: Tokens, p: Person) -> bool:
    """True for "Freya's" in "Freya's father": the span owns the next noun rather than naming a person."""
    return possessive_at(tok, p.end)


def _clergy_after(tok: Tokens, role_spans, end: int) -> bool:
    """A professional named in the bracket or appositive straight after a name: "Declan, the hospice chaplain", or a
    saint's church: "Tomasz from St Casimir's"."""
    if of_a_saints_church(tok, end):
        return True
    if end >= tok.n or tok.low(end) not in (",", "("):
        return False
    return any(p.role == "PROFESSIONAL" and end < p.start <= end + 4 and all(
        not tok.title[k] or tok.low(k) in ("the", "a") for k in range(end + 1, p.start)) for p in role_spans)


_UNNAMED_MEN = frozenset({"man", "male", "bloke", "lad", "guy"})
_MAN_DESCRIBERS = frozenset({"adult", "older", "young", "younger", "unknown", "unnamed", "new", "white", "black", "asian"})


def _a_man_named_before(tok: Tokens, name_start: int) -> int | None:
    """Where "a man called Karwan", "an adult male known only as 'Kyle'" or "an adult male, Kyle (surname not given)"
    starts, for the name at name_start: the note introduces a man by the name it has for him."""
    low = tok.low
    k = name_start - 1
    quoted = k >= 0 and tok.lower[k] in _H_QUOTES
    if quoted:
        k -= 1
    plain = not quoted and k >= 0 and low(k) in ("called", "named")
    if k >= 0 and low(k) in ("called", "named"):
        k -= 1
    elif k >= 2 and low(k) == "as" and (low(k - 1) == "known" or low(k - 1) in ("only", "just") and low(k - 2) == "known"):
        k -= 2 if low(k - 1) == "known" else 3
    elif k >= 0 and low(k) == "," and k == name_start - 1:
        k -= 1
    else:
        return None
    # "a lad called 'Smiler'", "a guy known as 'Tank'": a young man known by a street name, not one in the home.
    if k < 0 or low(k) not in (_UNNAMED_MEN if plain else _UNNAMED_MEN - {"lad", "guy"}):
        return None
    k -= 1
    while k >= 0 and low(k) in _MAN_DESCRIBERS:
        k -= 1
    return k if k >= 0 and low(k) in ("a", "an", "another") else None


_BULLETS = frozenset({"*", "-", "\u2022", "\u2013", "\u00b7", "o"})


def _genogram_line_role(tok: Tokens, name_start: int, role_spans) -> tuple[str, str] | None:
    """(role, gender) from a typed genogram line: "* F (Connor) - Liam SHAW (38)", "* SF / M's P - Wayne KERR (40)",
    "Father - Liam Shaw", "MGM - Pat Hebblethwaite". The line opens with a father's shorthand or a family role word,
    then a spaced dash, then the name."""
    dash = name_start - 1
    if dash < 1 or tok.text(dash) not in ("-", "\u2013") or tok.idx[dash] == tok.idx[dash - 1] + tok.length[dash - 1]:
        return None
    first = dash - 1  # back to the first token of the line
    while first > 0 and "\n" not in tok.text_[tok.idx[first - 1]:tok.idx[first]] and dash - first < 9:
        first -= 1
    if first > 0 and "\n" not in tok.text_[tok.idx[first - 1]:tok.idx[first]]:
        return None
    while first < dash and (tok.text(first).isspace() or tok.text(first) in _BULLETS):
        first += 1
    if first >= dash or any(tok.text(k) in QUOTES or tok.text(k) == ":" for k in range(first, dash)):
        return None  # "FOB: 'Robbie' - Stacey would not give a surname": a sentence, not a genogram line
    if tok.text(first) in FATHER_SHORTHAND:
        return "FATHER", "m"
    head = next((p for p in role_spans if p.start == first and p.end <= dash), None)
    if head is not None and head.role in ("FATHER", "MOTHER", "OTHER") and not _is_possessor(tok, head):
        return head.role, "m" if head.role == "FATHER" else head.gender  # "MGM - Pat Hebblethwaite, visits most days"
    return None


def of_a_saints_church(tok: Tokens, k: int) -> bool:
    """ "from St Casimir's", "of Saint Anne's", "at St. Mary's": a church, so the 'Father' before is a priest."""
    return k + 1 < tok.n and tok.low(k) in ("from", "of", "at") and tok.low(k + 1) in ("st", "st.", "saint")


def _described_in_a_relative_clause(tok: Tokens, end: int) -> int | None:
    """Where the role starts in ", whom Toni described as her partner" / ", who Toni calls her boyfriend" after a name
    (and its bracketed age); None if no such clause follows."""
    k = end
    if k + 2 < tok.n and tok.low(k) == "(" and tok.low(k + 2).startswith(")"):
        k += 3
    if k + 3 >= tok.n or tok.low(k) != "," or tok.low(k + 1) not in ("whom", "who"):
        return None
    for j in range(k + 2, min(tok.n - 1, k + 7)):
        if tok.low(j) in ("described", "introduced", "named", "identified", "referred") and tok.low(j + 1) in ("as", "to"):
            return j + 2
        if tok.low(j) in ("calls", "called"):
            return j + 1
    return None


def _the_man_before(tok: Tokens, names, registry, position: int, womens_names: frozenset[str]) -> list[str] | None:
    """The man 'his' stands for in "his partner, Shanice": the nearest name before it, within two sentences' reach,
    that the note has given no role and that is not a woman's name."""
    before = [(s, e, title) for s, e, title in names if e <= position and position - e <= 30 and title is None]
    if not before:
        return None
    start, end, _ = before[-1]
    # The subject of its sentence, doing something: "Delroy Bennett arrested ...", not "a Sexual Harm Prevention Order".
    if not (start == 0 or tok.low(start - 1) in (".", "\n", ";", ":")) or end >= tok.n or not tok.is_lower[end]:
        return None
    words = _clean_words(_words(tok, start, end))
    if not words or words[0].lower() in womens_names or registry.lookup(words) is not None:
        return None
    if any(tok.low(k) in ("her", "she") for k in range(end, position)):
        return None  # a woman spoken of in between may be whose partner is meant
    return words


def _his_is_a_father(tok: Tokens, names, registry, position: int) -> bool:
    """True when the nearest man or boy the case knows, named in the forty words before 'his', is a father or partner:
    then "his mum" is the children's grandmother, while after a boy ("Logan said his mum ...") she is their mother."""
    for start, end, title in sorted((run for run in names if run[1] <= position and position - run[1] <= 40), key=lambda run: -run[1]):
        entry = registry.lookup(_clean_words(_words(tok, start + (1 if title else 0), end)))
        if entry is None or entry.role in ("MOTHER", "GP", "PROFESSIONAL") or entry.gender == "f":
            continue
        return entry.role == "FATHER"
    return False


def possessive_at(tok: Tokens, k: int) -> bool:
    """Token k makes the word before it an owner: "'s", or a bare apostrophe only after an s ("James' dad", "the
    parents' flat"); after any other word ("partner 'Kyle'", "her own mum 'has bipolar'") it opens a quotation.
    The context component asks the same when it looks for the subject of a mention."""
    if not 0 < k < tok.n or tok.lower[k] not in _H_POSSESSIVE:
        return False
    return tok.text(k) not in QUOTES or tok.low(k - 1).endswith(("s", "z"))



def _of_the_children(tok: Tokens, start: int, end: int) -> bool:
    """Tokens start..end-1 read "of the baby", "of both children", "of all three": whose father he is."""
    if end - start < 2 or end - start > 5 or tok.lower[start] not in _H_OF:
        return False
    return all(tok.low(k) in ("the", "both", "all", "her", "their", "two", "three", "four", "unborn") or tok.lower[k] in _H_CHILD_WORDS
               for k in range(start + 1, end)) and tok.lower[end - 1] in _H_WHOSE_CHILDREN


_H_WHOSE_CHILDREN = _H_CHILD_WORDS | hashes(["two", "three", "four"])  # "of the baby", "of all three"


_H_TOLD = hashes(["told", "tells", "tell", "telling", "asked", "asks", "ask", "asking"])
_H_SAID = hashes(["said", "says", "saying", "say", "explained", "explains", "disclosed", "discloses", "whispered", "shouted"])
_H_SPOKEN_TO_DETERMINERS = hashes(["his", "her", "their", "the", "a", "an", "my", "our"])


def _spoken_to(tok: Tokens, role_start: int) -> bool:
    """The role word is who someone spoke to: "told his teacher", "said to the officer"."""
    k = role_start - 1
    if k >= 0 and tok.lower[k] in _H_SPOKEN_TO_DETERMINERS:
        k -= 1
    if k >= 0 and tok.lower[k] in _H_TOLD:
        return True
    return k >= 1 and tok.low(k) == "to" and tok.lower[k - 1] in _H_SAID


def _known_as_before(tok: Tokens, name_start: int) -> int | None:
    """Where "known (only) as" begins, when it stands right before the name (a quote may open it): "partner known only
    as 'Dean'"."""
    k = name_start - 1
    if k >= 0 and tok.lower[k] in _H_QUOTES:
        k -= 1
    if k < 1 or tok.low(k) != "as":
        return None
    k -= 1
    if tok.low(k) == "only":
        k -= 1
    return k if k >= 0 and tok.low(k) == "known" else None


def _parent_of_a_child_before(tok: Tokens, start: int) -> bool:
    """ "the daughter of her friend ...", "son of his cousin ...": the relation word names whose friend the parent is."""
    return start >= 3 and tok.lower[start - 1] in _H_PRONOUN_OWNERS and tok.low(start - 2) == "of" \
        and tok.lower[start - 3] in _H_CHILD_WORDS


def _named_as_father(tok: Tokens, name_start: int, role_spans: list[Person]) -> bool:
    """ "The baby's father is Tyler Hume (17)", "Father, Jake (16)": a young father, not a child of the case."""
    k = name_start - 1 if name_start > 0 and tok.low(name_start - 1) in ("is", "was", ",", ":") else name_start
    return any(p.role == "FATHER" and p.end == k and not _is_possessor(tok, p) for p in role_spans)


def _a_mans(registry: PeopleRegistry, owner: str | None) -> bool:
    """The owner is a man the note has already named as a father or partner ("Kyle's partner")."""
    entry = registry.lookup(owner.split()) if owner and owner[0].isupper() else None
    return entry is not None and entry.role == "FATHER" and entry.gender == "m"


def his_before(tok: Tokens, start: int) -> bool:
    """ "his partner", "his former partner": a man's partner, in these records the mother, not a man in her life.
    The context component asks the same of a father-involvement mention's partner word."""
    k = start - 1
    while k >= 0 and tok.lower[k] in _H_PARTNER_MODIFIERS:
        k -= 1
    return k >= 0 and tok.lower[k] in _H_HIS


def _role_of(p: Person, title: str | None, tok: Tokens | None = None) -> str:
    if title == "dr" and p.role != "GP":
        return "PROFESSIONAL"
    if tok is not None and p.role == "FATHER" and his_before(tok, p.start) and _role_text(tok, p) in GENDER_NEUTRAL_PARTNER_WORDS:
        return "MOTHER"  # "Priya Raman (35), his partner and the children's mother"
    return p.role


def _segment_kinds(doc: Doc) -> dict[int, str]:
    """Token index -> segment kind, only for tokens inside attendee lists (the rest are ordinary text)."""
    kinds = {}
    for seg in segments(doc):
        if seg.kind in ATTENDEE_LIST_KINDS:
            for i in range(seg.start, seg.end):
                kinds[i] = seg.kind
    return kinds


def title_of(tok: Tokens, p: Person) -> str | None:
    return tok.low(p.start) if tok.lower[p.start] in _H_TITLES else None


def tag_named_people(doc: Doc, registry: PeopleRegistry, cue_spans: list[tuple[int, int, str]] | None = None) -> None:
    """Add FATHER_INVOLVEMENT / GP_CONTACT mentions for names the registry knows as father/partner or GP.

    A cue construction ("Ryan (father)", "Dr Kaur (GP)") becomes one mention covering the name and its cue,
    replacing the shorter role-word mention inside it. Existing mentions are kept otherwise.
    """
    new: list[tuple[int, int, str]] = []
    for start, end, role in cue_spans or []:
        label = MENTION_ROLES.get(role)
        if label:
            new.append((start, end, label))
    tok = tokens(doc)
    name_labels: dict[tuple[int, int], str | None] = {}
    for person in people(doc):
        if person.name is None:
            continue
        entry = registry.lookup(_clean_words(person.name.split()), title_of(tok, person))
        label = MENTION_ROLES.get(entry.role) if entry is not None else None
        name_labels[(person.start, person.end)] = label
        if label:
            new.append((person.start, person.end, label))
    mentions = list(doc.spans.get(MENTIONS, []))
    # A name tagged from what the note alone suggested ("Dr Halloran" as the GP) is dropped once the case knows
    # better ("Dr Sinead Halloran (consultant psychiatrist)").
    stale = [m for m in mentions if m.label_ in _NAME_LABELS and (m.start, m.end) in name_labels
             and name_labels[(m.start, m.end)] != m.label_]
    if stale:
        mentions = [m for m in mentions if m not in stale]
        doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=mentions)
    if not new:
        return
    covered = {(m.start, m.end, m.label_) for m in mentions}
    kept = [m for m in mentions
            if not any(label == m.label_ and s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e, label in new)]
    for s, e, label in new:
        if (s, e, label) in covered or any(k.label_ == label and k.start <= s and e <= k.end for k in kept):
            continue
        kept.append(Span(doc, s, e, label=label))
        covered.add((s, e, label))
    kept.sort(key=lambda sp: (sp.start, sp.end))
    doc.spans[MENTIONS] = SpanGroup(doc, name=MENTIONS, spans=kept)
