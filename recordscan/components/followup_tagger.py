"""Tag follow-up actions (referrals, contacts, checks, reviews ...) and link each to the concern it addresses.

Rules live in `lexicons/followups.jsonl` (the actions), `lexicons/followup_modifiers.jsonl` (cues that
make an action planned or failed: "SW to contact GP", "no response") and `lexicons/case_events.jsonl`
(closure and step-down, which are evidence *against* optimism having been tested).

Linking, within a segment (sentence or list item):
- `needs_mention`: the action counts for a concern only when a mention of that concern, about the right
  person, stands in the same segment ("emailed Dr Anand (GP)" -> GP; a GP call about the children's
  immunisations carries no mental-health mention, so it is not mental-health follow-up);
- `link`: where that mention must stand: `subject` (before the verb, "Ryan agreed"), `object` (after it,
  "officers spoke with Mr Marsh"), `any`, or `nearby` (this or the previous segment, for "PNC checks
  completed" after the man was named);
- attendee lists: a father or GP in a "Present:" list attended; in "Apologies:" he or she did not, unless
  the item says a report was sent.
A GP's own note is GP contact, and mental-health content in it is liaison about the mother's mental health.
Cross-note links ("as agreed at core group, referral now made") are made in case assembly.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS, LABEL_CONCERNS, FollowupKind, Status
from ..extensions import FOLLOWUPS, MENTIONS, PEOPLE, SEGMENTS, register_extensions
from ..lexicons import (
    CASE_EVENT_SCHEMA,
    FOLLOWUP_MODIFIER_SCHEMA,
    FOLLOWUP_SCHEMA,
    Rule,
    default_lexicon_dir,
    load_rules,
    rules_to_jsonl,
)
from .rule_matcher import RuleMatcher, longest_first

register_extensions()

#: Mentions that show the action is about the right person (not denied, not someone else's).
MMH = CONCERN_LABELS["maternal_mental_health"]
LINKABLE_STATUSES = {Status.AFFIRMED.value, Status.HISTORICAL.value, Status.HYPOTHETICAL.value}
FILES = {"followups.jsonl": FOLLOWUP_SCHEMA, "followup_modifiers.jsonl": FOLLOWUP_MODIFIER_SCHEMA, "case_events.jsonl": CASE_EVENT_SCHEMA}
CASE_EVENTS = "rs_case_events"
UNLINKED = "rs_unlinked_actions"  # completed actions with no mention in their sentence; case assembly may link them


def load_followup_rules(directory: Path) -> dict[str, list[Rule]]:
    return {name: load_rules(Path(directory) / name, schema) for name, schema in FILES.items()}


class FollowupTagger:
    def __init__(self, nlp: Language, name: str = "recordscan_followups", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(load_followup_rules(directory))

    def _set_rules(self, rules: dict[str, list[Rule]]) -> None:
        self.rules = rules
        self.action_matcher = RuleMatcher(self.nlp, rules["followups.jsonl"], "followups")
        self.modifier_matcher = RuleMatcher(self.nlp, rules["followup_modifiers.jsonl"], "followup_modifiers")
        self.event_matcher = RuleMatcher(self.nlp, rules["case_events.jsonl"], "case_events")

    def __call__(self, doc: Doc) -> Doc:
        # Overlaps are resolved per concern, so "phoned" can be GP contact and father engagement at once.
        by_concerns: dict[tuple, list] = {}
        for match in self.action_matcher(doc):
            by_concerns.setdefault(tuple(match[0].get("concerns")), []).append(match)
        actions = [m for group in by_concerns.values() for m in longest_first(group)]
        events = [(r, s, e) for r, s, e in longest_first(self.event_matcher(doc))
                  if not any(s < ae and as_ < e for _, as_, ae in actions)]
        doc.spans[CASE_EVENTS] = SpanGroup(doc, name=CASE_EVENTS, spans=[Span(doc, s, e, label=r.get("event")) for r, s, e in events])
        followups: list[Span] = []
        unlinked: list[Span] = []
        if actions or doc.spans.get(MENTIONS):
            index = _Index(doc, longest_first(self.modifier_matcher(doc), keep_ties=True))
            for rule, start, end in actions:
                linked, pending = _link_action(index, rule, start, end)
                followups.extend(linked)
                unlinked.extend(pending)
            followups.extend(_attendee_list_followups(index))
            followups.extend(_gp_note_followups(index))
        doc.spans[FOLLOWUPS] = SpanGroup(doc, name=FOLLOWUPS, spans=_dedupe(followups))
        doc.spans[UNLINKED] = SpanGroup(doc, name=UNLINKED, spans=unlinked)
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, rules in self.rules.items():
            (path / name).write_text(rules_to_jsonl(rules), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        self._set_rules(load_followup_rules(Path(path)))
        return self


class _Index:
    def __init__(self, doc: Doc, modifiers):
        self.doc = doc
        self.segments = list(doc.spans.get(SEGMENTS, [])) or [doc[:]]
        self.modifiers = modifiers
        self.mentions = [m for m in doc.spans.get(MENTIONS, []) if m.id_ in LINKABLE_STATUSES]
        self.people = [p for p in doc.spans.get(PEOPLE, []) if p.label_ not in ("PRONOUN", "PROFESSIONAL", "GP", "SELF")]

    def person_between(self, a: int, b: int, label: str) -> bool:
        """Another person (not one of this concern's mentions) stands between token a and token b."""
        own = [m for m in self.mentions if m.label_ == label]
        return any(a <= p.start and p.end <= b and not any(m.start <= p.start and p.end <= m.end for m in own) for p in self.people)

    def segment_index(self, token: int) -> int:
        for i in range(len(self.segments) - 1, -1, -1):
            if self.segments[i].start <= token:
                return i
        return 0

    def terminators_between(self, a: int, b: int) -> bool:
        return any(r.get("kind") == "terminate" and a <= s < b for r, s, e in self.modifiers)


def _kind(index: _Index, rule: Rule, start: int, end: int, seg: Span) -> str:
    """Completed actions turn planned or failed when a cue is in scope ("SW to contact", "no response")."""
    base = rule.get("kind")
    if base != FollowupKind.COMPLETED.value:
        return base
    found: set[str] = set()
    for mod_rule, m_start, m_end in index.modifiers:
        kind = mod_rule.get("kind")
        if kind in ("terminate", "pseudo") or m_start >= seg.end or m_end <= seg.start:
            continue
        if m_start < end and start < m_end:
            continue
        direction = mod_rule.get("direction")
        scope = mod_rule.get("max_scope", 4)
        forward = direction in ("forward", "bidirectional") and m_end <= start and start - m_end < scope
        backward = direction in ("backward", "bidirectional") and end <= m_start and m_start - end < scope
        if (forward and not index.terminators_between(m_end, start)) or (backward and not index.terminators_between(end, m_start)):
            found.add(kind)
    # "was not invited" (negated) says it never happened, whatever else the sentence says; a failure ("invited
    # but did not attend") wins over a plan. "Not yet contacted" matches the longer planned cue "not yet".
    for kind in ("negated", "failed", "planned"):
        if kind in found:
            return kind
    return base


def _link_action(index: _Index, rule: Rule, start: int, end: int) -> tuple[list[Span], list[Span]]:
    """(follow-ups linked to a mention in the segment, completed actions left unlinked)."""
    doc = index.doc
    seg_i = index.segment_index(start)
    seg = index.segments[seg_i]
    kind = _kind(index, rule, start, end, seg)
    if rule.get("one_way") or kind == "negated":
        return [], []  # a one-way copy, or an action that did not happen ("Dean not seen")
    out, pending = [], []
    for concern in rule.get("concerns"):
        label = CONCERN_LABELS[concern]
        target = None
        if rule.get("needs_mention", True):
            target = _linked_mention(index, label, start, end, seg_i, rule.get("link", "any"), rule.get("needs_kind"))
            if target is None:
                if kind == FollowupKind.COMPLETED.value:
                    pending.append(followup_span(doc, start, end, concern, kind, rule.get("action"), None))
                continue
        out.append(followup_span(doc, start, end, concern, kind, rule.get("action"), _target_name(target)))
    return out, pending


def _linked_mention(index: _Index, label: str, start: int, end: int, seg_i: int, link: str, kinds=None) -> Span | None:
    seg = index.segments[seg_i]
    lo = index.segments[seg_i - 1].start if link == "nearby" and seg_i > 0 else seg.start
    candidates = [m for m in index.mentions if m.label_ == label and lo <= m.start and m.end <= seg.end and (not kinds or m.kb_id_ in kinds)
                  and not (label == MMH and m.id_ == Status.HISTORICAL.value)]
    if link == "subject":
        before = [m for m in candidates if m.end <= start and start - m.end <= 8 and not index.terminators_between(m.end, start)
                  and not index.person_between(m.end, start, label)]
        return before[-1] if before else None
    if link == "subject_strict":
        # "The CPN reported", "the perinatal team (Funmi) confirmed": only auxiliaries or a parenthesis between.
        before = [m for m in candidates if m.end <= start and _subject_gap(index.doc, m.end, start)]
        return before[-1] if before else None
    if link == "object":
        after = [m for m in candidates if m.start >= end and m.start - end <= 10 and not index.terminators_between(end, m.start)]
        passive = [m for m in candidates if m.end <= start and start - m.end <= 4]  # "Dad was spoken to"
        return (after or passive or [None])[0]
    near = [m for m in candidates if not (m.end <= start and index.terminators_between(m.end, start))
            and not (m.start >= end and index.terminators_between(end, m.start))]
    if not near:
        return None
    return min(near, key=lambda m: abs(m.start - start))


_SUBJECT_GAP_WORDS = {"has", "have", "had", "was", "were", "is", "are", "also", "then", "later", "since", "again", "both", "today",
                      "yesterday", "now", "by", "phone", "telephone", "email", "letter", ",", "who", "which", "had", "been"}


def _subject_gap(doc: Doc, a: int, b: int) -> bool:
    depth = 0
    for tok in doc[a:b]:
        if tok.text in ("(", "["):
            depth += 1
        elif tok.text in (")", "]"):
            depth = max(0, depth - 1)
        elif depth == 0 and tok.lower_ not in _SUBJECT_GAP_WORDS:
            return False
    return b - a <= 12


def _target_name(mention: Span | None) -> str | None:
    if mention is None:
        return None
    return mention.text


def _attendee_list_followups(index: _Index) -> list[Span]:
    """A father or GP named in a 'Present:' list attended; in 'Apologies:' did not (unless a report came)."""
    out = []
    for seg in index.segments:
        if seg.label_ not in ("present", "apologies"):
            continue
        for mention in index.mentions:
            if not (seg.start <= mention.start and mention.end <= seg.end):
                continue
            concern = LABEL_CONCERNS[mention.label_]
            if concern not in ("father_involvement", "gp_contact"):
                continue
            item_text = seg.text.lower()
            if seg.label_ == "present":
                kind, action = FollowupKind.COMPLETED.value, "attended"
            elif "report" in item_text and not any(w in item_text for w in ("no report", "not received", "without")):
                kind, action = FollowupKind.COMPLETED.value, "report_received"
            else:
                kind, action = FollowupKind.FAILED.value, "apologies"
            out.append(followup_span(index.doc, seg.start, seg.end, concern, kind, action, mention.text))
    return out


def _gp_note_followups(index: _Index) -> list[Span]:
    """A note written by the GP is the GP communicating; mental-health content in it is liaison about it."""
    role = (index.doc._.author_role or "").strip().lower()
    if role not in ("gp", "general practitioner", "gp practice", "gp surgery"):
        return []
    doc = index.doc
    first = index.segments[0]
    out = [followup_span(doc, first.start, first.end, "gp_contact", FollowupKind.COMPLETED.value, "gp_note", "GP")]
    mmh = [m for m in index.mentions if m.label_ == MMH and m.id_ == Status.AFFIRMED.value]
    if mmh:
        seg = index.segments[index.segment_index(mmh[0].start)]
        out.append(followup_span(doc, seg.start, seg.end, "maternal_mental_health", FollowupKind.COMPLETED.value, "gp_note", mmh[0].text))
    return out


def followup_span(doc: Doc, start: int, end: int, concern: str, kind: str, action: str | None, target: str | None) -> Span:
    """A follow-up span. Its kind, action and target live on the span itself (kb_id, id), not in Span._ extensions:
    extensions are keyed by character offsets, and one action can be two follow-ups (GP and mental health)."""
    return Span(doc, start, end, label=concern, kb_id=kind, span_id=f"{action or ''}|{target or ''}")


def followup_parts(span: Span) -> tuple[str, str | None, str | None]:
    """(kind, action, target) of a follow-up span made by `followup_span`."""
    action, _, target = span.id_.partition("|")
    return span.kb_id_, action or None, target or None


def _dedupe(spans: list[Span]) -> list[Span]:
    """One follow-up per concern and token range; when two overlap, the longer stays."""
    spans = sorted(spans, key=lambda s: (s.label_, s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in spans:
        if kept and kept[-1].label_ == span.label_ and span.start < kept[-1].end and span.end <= kept[-1].end and kept[-1].kb_id_ == span.kb_id_:
            continue
        kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end, s.label_))
