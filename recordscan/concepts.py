"""The four concerns, their mention labels, statuses and follow-up kinds: the one place they are named.

Everything else imports these names, so a typo in a lexicon or a gold file is caught against this list.
"""

from __future__ import annotations

from enum import Enum

CONCERN_LABELS: dict[str, str] = {
    "maternal_mental_health": "MATERNAL_MENTAL_HEALTH",
    "father_involvement": "FATHER_INVOLVEMENT",
    "gp_contact": "GP_CONTACT",
    "over_optimism": "OVER_OPTIMISM",
}
LABEL_CONCERNS: dict[str, str] = {label: concern for concern, label in CONCERN_LABELS.items()}
CONCERNS: tuple[str, ...] = tuple(CONCERN_LABELS)
LABELS: tuple[str, ...] = tuple(CONCERN_LABELS.values())


class Status(str, Enum):
    """ConText-style status of a mention (SCHEME.md, 'Mention status')."""

    AFFIRMED = "affirmed"
    HISTORICAL = "historical"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
    OTHER_EXPERIENCER = "other_experiencer"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
#: Only these make a concern "mentioned".
ASSERTED_STATUSES: frozenset[str] = frozenset({Status.AFFIRMED.value, Status.HISTORICAL.value})
TRAP_STATUSES: frozenset[str] = frozenset(set(STATUSES) - ASSERTED_STATUSES)


class FollowupKind(str, Enum):
    """How far a follow-up action got (issue 3)."""

    COMPLETED = "completed"
    PLANNED = "planned"
    FAILED = "failed"


FOLLOWUP_KINDS: tuple[str, ...] = tuple(k.value for k in FollowupKind)


def is_asserted(status: str) -> bool:
    return status in ASSERTED_STATUSES
