"""Who is who in a case: the registry of named people and their roles.

Notes name people once with a cue ("Ryan (father)", "mum, Michelle Kettleby", "Zara (Year 8)",
"Dr Kaur (GP)") and then use the bare name ("Ryan agreed", "Dr Kaur reported", "Zara describes low
mood"). The registry remembers those cues, first within a note and then across the whole case, so that a
bare name can be recognised as the father, the GP, a child or someone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})
MALE_TITLES = frozenset({"mr"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss"})


def name_key(words: list[str]) -> str:
    return " ".join(w.lower() for w in words)


def bracketed_ages(text: str, name: str) -> list[int]:
    """The ages a text gives in brackets after a person's first name (and surname): "Mia (15)", "Kelly Doherty (29)",
    "Chantelle BOATENG (13)". An age tells a child from an adult where no role word does."""
    return _ages_after(text, name, _BRACKETED_AGE)


def stated_ages(text: str, name: str) -> list[int]:
    """The ages a text gives after a person's name in brackets or between commas: "Mia (15)", "Jodie Cartwright, 21,
    G1". The comma form is looser (", 2." may close a list), so only checks that need an adult's age use it."""
    return _ages_after(text, name, _STATED_AGE)


def _ages_after(text: str, name: str, pattern: re.Pattern) -> list[int]:
    """The ages `pattern` (one group per form) finds straight after the name's first name, or after it and a surname."""
    first = name.split()[0]
    if first not in text:
        return []
    return [int(m.group(m.lastindex)) for m in pattern.finditer(text) if name_ends_at(text, m.start(), first, _SURNAME, 1)]


_BRACKETED_AGE = re.compile(r" \((\d{1,2})\)")
_STATED_AGE = re.compile(r" \((\d{1,2})\)|, (?:aged? )?(\d{1,2})(?=[,.;:)])")
_SURNAME = re.compile(r" [A-Z][\w'-]+$")


def name_ends_at(text: str, end: int, first: str, part: re.Pattern | None = None, max_parts: int = 0) -> bool:
    """`text[:end]` ends with the first name `first` at a word boundary, as the regex \\b{first} would find it, or with
    it and up to `max_parts` further name parts (`part`, a pattern anchored with $). Case assembly asks this of many
    names in every note: one pattern for what follows the name and a string comparison cost far less than compiling a
    pattern per name."""
    for _ in range(max_parts + 1):
        start = end - len(first)
        if start >= 0 and text.startswith(first, start) and (start == 0 or _is_word_char(text[start - 1]) != _is_word_char(first[0])):
            return True
        found = part.search(text, 0, end) if part is not None else None
        if found is None:
            return False
        end = found.start()
    return False


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass
class PersonEntry:
    role: str
    gender: str | None
    full_name: str
    inferred: bool = False  # True when the role was inferred (e.g. mother from mental-health mentions)
    cue: str | None = None  # the word that told us ("father", "partner", "GP"), to tell two men apart
    owner: str | None = None  # whose father the cue said he is ("Gulsen" in "Gulsen's father, Mehmet")
    referent: str | None = None  # who "her" may be when the owner is "her", most likely first, "|"-joined ("Jade|Ava")


#: Ties to the family that a later "her partner, ..." outranks: the neighbour or friend who moved in.
LOOSE_TIES = frozenset({"neighbour", "neighbor", "friend", "family friend", "new friend", "lodger", "visitor", "acquaintance"})


@dataclass
class PeopleRegistry:
    """Names (full, first, and title + surname) mapped to a role and gender."""

    by_full: dict[str, PersonEntry] = field(default_factory=dict)
    by_first: dict[str, PersonEntry] = field(default_factory=dict)
    by_surname: dict[str, list[PersonEntry]] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # nickname -> the name it stands for ("kel" -> Kelvin Oduya)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)  # lookup results, cleared by add()

    def add(self, words: list[str], role: str, gender: str | None = None, inferred: bool = False, cue: str | None = None,
            owner: str | None = None, referent: str | None = None) -> None:
        """Register a named person; `words` excludes any title ("Mr", "Dr"). The first explicit cue wins."""
        if not words:
            return
        self._memo.clear()
        full = name_key(words)
        existing = self.by_full.get(full)
        if existing is None and len(words) == 1 and words[0].lower() in self.by_first:
            existing = self.by_first[words[0].lower()]  # "Tariq" after "Tariq Mohammed (dad)": the same man
        if existing is None and len(words) == 1:
            same_surname = {e.full_name: e for e in self.by_surname.get(words[0].lower(), []) if e.role == role}
            if len(same_surname) == 1:
                existing = next(iter(same_surname.values()))  # "Mr Sharples (partner)" after "Kevin Sharples (partner)"
        if existing is None and len(words) == 1 and inferred and any(not e.inferred for e in self.by_surname.get(words[0].lower(), ())):
            return  # "Dr Halloran" after "Dr Sinead Halloran (consultant psychiatrist)": her, not a guessed GP
        if existing is not None and existing.role == "OTHER" and role == "FATHER" and not inferred and (existing.cue or "").lower() in LOOSE_TIES:
            # "a neighbour, Delroy Grant" and later "her partner, Delroy Grant, moved in at Christmas": the tie changed.
            existing.role, existing.cue, existing.owner, existing.referent, existing.inferred = role, cue, owner, referent, False
            existing.gender = gender or existing.gender
            return
        if existing is not None and not (existing.inferred and not inferred):
            if existing.gender is None:
                existing.gender = gender
            return
        if existing is not None and existing.role != "GP" and existing.full_name.split()[0].lower() == words[0].lower():
            # An explicit cue overrules a weak one for the same person ("her father, Gary Breen" then "MGF Gary"):
            # the entry is updated in place, so every spelling of the name follows.
            if owner is not None or role != existing.role:
                # "Mr Raymond Gorman asked us to contact his daughter" keeps whose father "her father, Raymond Gorman" said he was
                existing.owner, existing.referent = owner, referent
            existing.role, existing.cue, existing.inferred = role, cue, False
            existing.gender = gender or existing.gender
            if len(words) > 1 and name_key(words) not in self.by_full:
                self.by_full[name_key(words)] = existing
            return
        if len(words) > 1 and not inferred:
            guessed = self.by_full.get(name_key(words[-1:]))
            if guessed is not None and guessed.inferred:
                # The guess made from "Dr Halloran" gives way to the explicit "Dr Sinead Halloran (psychiatrist)".
                guessed.role, guessed.cue, guessed.inferred = role, cue, False
        entry = PersonEntry(role, gender, " ".join(words), inferred, cue, owner, referent)
        self.by_full[full] = entry
        first = words[0].lower()
        if first not in self.by_first or self.by_first[first].inferred:
            self.by_first[first] = entry
        if len(words) > 1:
            self.by_surname.setdefault(words[-1].lower(), []).append(entry)

    def add_alias(self, alias: list[str], name: list[str]) -> None:
        """Remember that `alias` ("Kel", "AJ", "Tank") is another name of the person called `name`."""
        key = name_key(alias)
        if alias and name and key != name_key(name) and key not in self.by_full:
            self._memo.clear()
            self.aliases[key] = list(name)

    def lookup(self, words: list[str], title: str | None = None) -> PersonEntry | None:
        """Find the person a name refers to: full name, first name, or title + surname ("Mr Marsh")."""
        if not words:
            return None
        key = (tuple(words), title)
        if key not in self._memo:
            self._memo[key] = self._lookup(words, title)
        return self._memo[key]

    def _lookup(self, words: list[str], title: str | None) -> PersonEntry | None:
        entry = self.by_full.get(name_key(words))
        if entry is not None:
            return entry
        alias = self.aliases.get(name_key(words))
        if alias is not None and title is None and name_key(alias) not in self.aliases:
            return self._lookup(alias, None)
        first = words[0].lower()
        if len(words) == 1 and title:
            gender = "m" if title in MALE_TITLES else "f" if title in FEMALE_TITLES else None
            candidates = [c for c in self.by_surname.get(first, []) if gender is None or c.gender in (gender, None)]
            if title == "dr":
                candidates = [c for c in candidates if c.role in ("GP", "PROFESSIONAL")]
            # "Mr Pellow" in a case with Stuart Pellow (father) and Harvey Pellow (8): a title names the adult, and "Ms Kaye"
            # is not Wren Eldridge Kaye (8) ('Miss' may still be a teenager).
            adults = [c for c in candidates if c.role != "CHILD"]
            candidates = adults if adults or title in ("mr", "mrs", "ms") else candidates
            return candidates[-1] if candidates else None
        entry = self.by_first.get(first)
        if entry is not None and len(words) > 1 and len(entry.full_name.split()) > 1:
            if [w.lower() for w in words] == entry.full_name.lower().split()[:len(words)]:
                return entry  # "Ellie-Mae" (read as "Ellie Mae") is Ellie-Mae Rourke: a double first name without the surname
            return None  # "Ryan Smith" is not "Ryan Tolley"
        if entry is None and len(words) == 1:
            # Police and court notes use surnames alone ("Marchant made no reply"): one person with it is him.
            by_surname = [c for c in self.by_surname.get(first, []) if not c.inferred]
            if len({c.full_name for c in by_surname}) == 1:
                return by_surname[0]
        return entry

    def merge(self, other: "PeopleRegistry") -> None:
        for entry in other.entries():
            self.add(entry.full_name.split(), entry.role, entry.gender, entry.inferred, entry.cue, entry.owner, entry.referent)
        for alias, name in other.aliases.items():
            self.add_alias(alias.split(), name)

    def entries(self) -> list[PersonEntry]:
        seen, out = set(), []
        for entry in list(self.by_full.values()):
            if id(entry) not in seen:
                seen.add(id(entry))
                out.append(entry)
        return out

    def names_with_role(self, role: str) -> list[str]:
        return sorted({e.full_name for e in self.entries() if e.role == role})

    def __bool__(self) -> bool:
        return bool(self.by_full) or bool(self.aliases)
