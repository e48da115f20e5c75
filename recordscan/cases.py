"""Case assembly, part 2: per case and concern, the facts a careful auditor would look at.

Pure functions over the records of a resolved case (`case_resolver.CaseResult`): asserted mentions and
their dates, completed / planned / failed follow-up after the first mention, how long it took, plans never
recorded as done, whether the concern came back after the last action, closure or step-down, who wrote.
`rule_followed_up` is the transparent rules baseline; the classifier in `model.py` learns from the same
features. Everything an auditor needs to check a decision is kept in `ConcernSummary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import review_periods
from .case_resolver import BIRTH_FATHER, NEW_PARTNER, CaseResult, NoteResult, sentence_of
from .concepts import CONCERN_LABELS, CONCERNS, is_asserted
from .tagging import TARGET_JOIN, FollowupRecord, MentionRecord

#: Actions that count for fathers even when they fail: documented attempts to contact or trace him.
FATHER_ATTEMPTS = {"trace", "invite", "contact_attempt"}
CLOSURE_EVENTS = {"closure", "step_down"}

FEATURE_NAMES = (
    "n_asserted",
    "n_mention_notes",
    "n_historical_only",
    "n_completed",
    "n_completed_notes",
    "n_planned",
    "n_failed",
    "n_attempts",
    "planned_unfulfilled",
    "has_completed",
    "days_to_first_completed",
    "mentions_after_last_action",
    "closure_after_mention",
    "closure_without_action",
    "n_agencies",
    "n_notes",
    "case_days",
    "first_mention_position",
    "n_men",
    "n_men_unengaged",
    "gp_note",
    "n_gp_apologies",
    "n_action_types",
    "n_trap_mentions",
    "rule_followed_up",
)


@dataclass
class ConcernSummary:
    case_id: str
    concern: str
    mentioned: bool
    first_mention: MentionRecord | None = None
    first_mention_note: NoteResult | None = None
    completed: list[tuple[NoteResult, FollowupRecord]] = field(default_factory=list)
    planned: list[tuple[NoteResult, FollowupRecord]] = field(default_factory=list)
    failed: list[tuple[NoteResult, FollowupRecord]] = field(default_factory=list)
    mention_note_ids: list[str] = field(default_factory=list)
    unengaged_men: list[str] = field(default_factory=list)
    kept_reviews: list[tuple[NoteResult, FollowupRecord]] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    rule_followed_up: bool = False

    @property
    def rule_flag(self) -> bool:
        return self.mentioned and not self.rule_followed_up

    def evidence_note_ids(self) -> list[str]:
        """Notes holding the follow-up evidence (or, for a concern with none, the notes that mention it)."""
        if self.rule_followed_up or self.completed:
            return sorted({res.note.note_id for res, _ in self.completed + self.kept_reviews}, key=self._order)
        return self.mention_note_ids

    def _order(self, note_id: str) -> int:
        return next((res.order for res, _ in self.completed + self.kept_reviews if res.note.note_id == note_id), 0)

    def explanation(self) -> str:
        """Why the rules see this concern as followed up or not, in words an auditor can check."""
        if not self.mentioned:
            return "not mentioned"
        first = self.first_mention_note
        opening = f"first mentioned in {first.note.note_id} ({_date(first)})" if first else "mentioned"
        if self.rule_followed_up:
            if not self.completed and self.kept_reviews:
                res, f = self.kept_reviews[0]
                return f"{opening}; review period set in {res.note.note_id} ({_date(res)}) and not cut short: '{_short(f.text)}'"
            evidence = self.completed or [(r, f) for r, f in self.failed if f.action in FATHER_ATTEMPTS]
            if evidence:
                res, f = evidence[0]
                return f"{opening}; followed up in {res.note.note_id} ({_date(res)}): {f.action or 'action'} '{_short(f.text)}'"
            return f"{opening}; followed up"
        reasons = []
        if self.unengaged_men:
            reasons.append("never engaged: " + ", ".join(self.unengaged_men))
        for res, f in self.planned[:2]:
            reasons.append(f"planned {_date(res)} in {res.note.note_id} ('{_short(f.text)}'), never recorded as done")
        for res, f in self.failed[:2]:
            reasons.append(f"failed {_date(res)} in {res.note.note_id} ('{_short(f.text)}')")
        if not reasons:
            reasons.append("no follow-up recorded after it")
        return f"{opening}; " + "; ".join(reasons)


def _date(res: NoteResult) -> str:
    return res.note.date.isoformat() if res.note.date else "undated"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def summarise_case(case: CaseResult) -> dict[str, ConcernSummary]:
    return {concern: summarise_concern(case, concern) for concern in CONCERNS}


def summarise_concern(case: CaseResult, concern: str) -> ConcernSummary:
    label = CONCERN_LABELS[concern]
    asserted = [(res, m) for res in case.notes for m in res.mentions if m.label == label and is_asserted(m.status)]
    traps = sum(1 for res in case.notes for m in res.mentions if m.label == label and not is_asserted(m.status))
    summary = ConcernSummary(case.case_id, concern, bool(asserted))
    if not asserted:
        summary.features = _features(case, summary, [], traps)
        return summary
    first_res, first = asserted[0]
    summary.first_mention, summary.first_mention_note = first, first_res
    summary.mention_note_ids = list(dict.fromkeys(res.note.note_id for res, _ in asserted))
    for res in case.notes:
        if res.order < first_res.order:
            continue
        for f in res.followups:
            if f.concern != concern:
                continue
            if concern == "over_optimism" and res.order == first_res.order and f.end <= first.start:
                continue  # a review set before the optimistic statement does not test it
            bucket = {"completed": summary.completed, "planned": summary.planned, "failed": summary.failed}[f.kind]
            bucket.append((res, f))
    summary.planned = [(r, f) for r, f in summary.planned if not any(cr.order >= r.order and cf.action == f.action for cr, cf in summary.completed)]
    summary.rule_followed_up = _rule_followed_up(case, summary, asserted)
    summary.features = _features(case, summary, asserted, traps)
    return summary


def _rule_followed_up(case: CaseResult, summary: ConcernSummary, asserted) -> bool:
    """The transparent baseline: any completed follow-up after the first mention (fathers: each man, and
    documented attempts count; optimism: a review or caution, not a closure)."""
    if summary.concern == "father_involvement":
        engaged = _engaged_men(summary)
        mentioned_men = {p for res in case.notes for m, p in zip(res.mentions, res.mention_people)
                         if m.label == CONCERN_LABELS["father_involvement"] and is_asserted(m.status) and p}
        named = {p for p in mentioned_men if p in case.men}
        generic_only = mentioned_men - named
        # "her ex-partner, Dale Hurst" and nothing more: a man the notes place only in the past is no one to assess now.
        current = {p for res in case.notes for m, p in zip(res.mentions, res.mention_people)
                   if m.label == CONCERN_LABELS["father_involvement"] and m.status == "affirmed" and p}
        summary.unengaged_men = sorted(n for n in named if n not in engaged and n in current)
        if named and "father" not in engaged and all(case.men[n] == "partner" for n in named) and _birth_father_mentioned(case):
            # "Lola's birth father" where the case names only the mother's partner: a second man, never reached.
            summary.unengaged_men.append("father")
        if named and NEW_PARTNER in generic_only and NEW_PARTNER not in engaged:
            summary.unengaged_men.append(NEW_PARTNER)  # "Natalia now lives with her new partner": not the father the case names
        if named:
            return not summary.unengaged_men and (bool(engaged) or not generic_only)
        return bool(engaged)
    if summary.concern == "gp_contact":
        return bool(gp_evidence(summary))
    if summary.concern == "over_optimism":
        summary.kept_reviews = kept_review_plans(case, summary)
        return bool(standing_reviews(summary)) or bool(summary.kept_reviews)
    return bool(standing(summary, "referral"))


def kept_review_plans(case: CaseResult, summary: ConcernSummary) -> list:
    """Plans to keep the case open to a dated review ("CIN to continue to a review in March") that no later
    closure or step-down cut short: SCHEME.md counts the review period as set."""
    kept_plans = []
    closings = [(r.order, r.note.date) for r in case.notes if r.note.date and any(e.event in CLOSURE_EVENTS for e in r.events)]
    for res, f in summary.planned:
        if f.action != "review":
            continue
        closures = [date for order, date in closings if order > res.order]
        if review_periods.kept(sentence_of(res.note.text, f.start, f.end), res.note.date, closures, case.review_phrases) is not None:
            kept_plans.append((res, f))
    return kept_plans


def standing(summary: ConcernSummary, action: str) -> list:
    """Completed follow-ups less those of `action` that a later failure of the same action undid: a review
    recorded afterwards as cancelled ("no need to wait for the February review") never tested anything, and a
    referral later "not accepted, as Nadine has not consented" never reached the service."""
    # Undone when some failure of the action comes later: in a later note, or later in the same note.
    last_failure = max(((r.order, f.start) for r, f in summary.failed if f.action == action), default=None)
    return [(res, f) for res, f in summary.completed if f.action != action or last_failure is None or last_failure <= (res.order, f.start)]


def standing_reviews(summary: ConcernSummary) -> list:
    return standing(summary, "review")


def gp_evidence(summary: ConcernSummary) -> list:
    """Completed GP contact. A written request (letter, email) counts only if no 'no reply' is recorded after it;
    the GP must be heard from, or the request must at least stand unanswered by nobody."""
    # "No reply", and also a report or request recorded as failed ("GP report not recd"), leaves a request unanswered.
    unanswered = [r.order for r, f in summary.failed if f.action in ("no_reply", "gp_report", "request")]
    evidence = []
    for res, f in summary.completed:
        if f.action == "request" and any(order >= res.order for order in unanswered):
            later_reply = any(r.order >= res.order and x.action != "request" for r, x in summary.completed)
            if not later_reply:
                continue
        evidence.append((res, f))
    return evidence


def _birth_father_mentioned(case: CaseResult) -> bool:
    """An asserted mention of the birth or biological father that the case could not tie to a named man."""
    return any(m.label == CONCERN_LABELS["father_involvement"] and is_asserted(m.status) and p == "father"
               and BIRTH_FATHER.search(m.text.lower()) for res in case.notes for m, p in zip(res.mentions, res.mention_people))


def _engaged_men(summary: ConcernSummary) -> set[str]:
    """Men with a completed follow-up, or a documented attempt, aimed at them (by name or role). A check that a later
    note (or the same one) plans or fails to run again ("Rerun checks on Kieran with correct details") was on someone else."""
    checked_again = _men_checked_again(summary)
    engaged = set()
    for res, f in summary.completed + [(r, f) for r, f in summary.failed if f.action in FATHER_ATTEMPTS]:
        for target in (f.target or "").split(TARGET_JOIN):  # "checks on Kieran DOYLE and Ashley GRANT": both men
            person = _person_aimed_at(res, target)
            if person is not None and f.action == "checks" and checked_again.get(person, -1) >= res.order:
                continue
            engaged.add(person or "father")
            if person is None:
                # An action aimed at an unnamed 'father' covers the only man of that kind.
                engaged.update({"father", "partner", NEW_PARTNER})
    return engaged


#: Words that say a check must be run again: the one on record was on the wrong man or the wrong details.
_CHECK_AGAIN = re.compile(r"\b(?:re-?run|re-?check(?:ed)?|redo(?:ne)?|re-?done|repeat(?:ed)?|again|correct (?:details|dob|date of birth)|fresh (?:pnc|checks?|request)|wrong \w+|re-?submit(?:ted)?|"
                          r"different (?:man|person)|another man|does not match|doesn't match|not a match)\b", re.I)


def _men_checked_again(summary: ConcernSummary) -> dict[str, int]:
    """For each man, the latest note that plans, or records as not done, a check on him run again, or records a check
    on someone else of his name."""
    latest: dict[str, int] = {}
    # A completed check can say so itself: "police checks came back on the wrong Dean Whitlow".
    for res, f in summary.planned + summary.failed + [(r, f) for r, f in summary.completed if f.action == "checks"]:
        sentence = sentence_of(res.note.text, f.start, f.end)
        low = sentence.lower()
        if "check" not in low and "pnc" not in low or not _CHECK_AGAIN.search(sentence):
            continue
        for target in (f.target or "").split(TARGET_JOIN):
            person = _person_aimed_at(res, target)
            if person is not None:
                latest[person] = max(latest.get(person, -1), res.order)
    return latest


def _person_aimed_at(res: NoteResult, target: str) -> str | None:
    """The man of the case an action's target words name, through the note's father-involvement mentions."""
    for m, p in zip(res.mentions, res.mention_people):
        if m.label == CONCERN_LABELS["father_involvement"] and p and (m.text == target or (target and target in m.text)):
            return p
    return None


def _features(case: CaseResult, s: ConcernSummary, asserted, traps: int) -> dict[str, float]:
    n_notes = len(case.notes)
    dates = [res.note.date for res in case.notes if res.note.date]
    case_days = (max(dates) - min(dates)).days if len(dates) >= 2 else 0
    f = dict.fromkeys(FEATURE_NAMES, 0.0)
    f["n_notes"] = n_notes
    f["case_days"] = case_days
    f["n_trap_mentions"] = traps
    if not s.mentioned:
        return f
    first_res = s.first_mention_note
    f["n_asserted"] = len(asserted)
    f["n_mention_notes"] = len(s.mention_note_ids)
    f["n_historical_only"] = float(all(m.status == "historical" for _, m in asserted))
    f["n_completed"] = len(s.completed)
    f["n_completed_notes"] = len({r.note.note_id for r, _ in s.completed})
    f["n_planned"] = len(s.planned)
    f["n_failed"] = len(s.failed)
    f["n_attempts"] = sum(1 for _, x in s.failed if x.action in FATHER_ATTEMPTS)
    f["planned_unfulfilled"] = float(bool(s.planned) and not s.completed)
    f["has_completed"] = float(bool(s.completed))
    f["days_to_first_completed"] = _days(first_res, s.completed[0][0]) if s.completed else 400.0
    last_action_order = max((r.order for r, _ in s.completed), default=-1)
    f["mentions_after_last_action"] = sum(1 for r, _ in asserted if r.order > last_action_order)
    closures = [(res, e) for res in case.notes for e in res.events if e.event in CLOSURE_EVENTS and res.order >= first_res.order]
    f["closure_after_mention"] = float(bool(closures))
    if closures:
        first_closure = closures[0][0]
        f["closure_without_action"] = float(not any(r.order <= first_closure.order for r, _ in s.completed))
    f["n_agencies"] = len({(r.note.author_role or "").lower() for r, _ in asserted})
    f["first_mention_position"] = first_res.order / max(1, n_notes - 1) if n_notes > 1 else 0.0
    f["n_men"] = len(case.men)
    f["n_men_unengaged"] = len(s.unengaged_men)
    f["gp_note"] = float(any((r.note.author_role or "").lower().startswith("gp") for r in case.notes))
    f["n_gp_apologies"] = sum(1 for _, x in s.failed if x.action in ("apologies", "no_reply"))
    f["n_action_types"] = len({x.action for _, x in s.completed})
    f["rule_followed_up"] = float(s.rule_followed_up)
    return f


def _days(a: NoteResult, b: NoteResult) -> float:
    if a.note.date and b.note.date:
        return float(max(0, (b.note.date - a.note.date).days))
    return float(max(0, b.order - a.order) * 14)
