"""The plain keyword search auditors do today, as a baseline to measure recordscan against.

A concern is "mentioned" when any of its keywords appears anywhere in the case (no negation, no
experiencer, no status), and "followed up" when an action word appears in a later note that also names
the concern (the search an auditor would run: the concern's words, then "referred", "contacted"...).
The keyword lists are deliberately what a person would type into a search box, not recordscan's lexicons.
"""

from __future__ import annotations

import re

from .case_resolver import order_notes
from .concepts import CONCERNS
from .tagging import Note

KEYWORDS = {
    "maternal_mental_health": ["depression", "depressed", "anxiety", "low mood", "mental health", "self-harm", "suicidal", "antidepressant",
                               "postnatal depression", "pnd", "cmht", "perinatal"],
    "father_involvement": ["father", "dad", "partner", "stepdad", "boyfriend"],
    "gp_contact": ["gp", "surgery", "practice"],
    "over_optimism": ["doing well", "doing really well", "improved", "turned a corner", "no concerns", "much better", "progress"],
}
ACTION_WORDS = ["referred", "referral", "contacted", "phoned", "called", "spoke", "seen", "visited", "met", "attended", "assessed",
                "assessment", "review", "discussed", "emailed", "letter", "checks", "invited", "report"]

_KEYWORD_RE = {c: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) for c, words in KEYWORDS.items()}
_ACTION_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ACTION_WORDS) + r")\b", re.I)


def keyword_flags(notes: list[Note]) -> dict[str, tuple[bool, bool]]:
    """(mentioned, flag) per concern for one case, by keyword search."""
    ordered = order_notes(notes)
    out = {}
    for concern in CONCERNS:
        first = next((i for i, n in enumerate(ordered) if _KEYWORD_RE[concern].search(n.text)), None)
        if first is None:
            out[concern] = (False, False)
            continue
        followed = any(_ACTION_RE.search(n.text) and _KEYWORD_RE[concern].search(n.text) for n in ordered[first + 1:])
        out[concern] = (True, not followed)
    return out
