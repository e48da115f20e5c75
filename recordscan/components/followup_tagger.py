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

import re
from bisect import bisect_left
from pathlib import Path
from typing import Callable, NamedTuple

from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, SpanGroup

from ..concepts import CONCERN_LABELS, LABEL_CONCERNS, FollowupKind, Status, is_asserted
from ..extensions import FOLLOWUPS, MENTIONS, doc_text, register_extensions
from ..lexicons import (
    CASE_EVENT_SCHEMA,
    FOLLOWUP_MODIFIER_SCHEMA,
    FOLLOWUP_SCHEMA,
    REVIEW_PERIOD_SCHEMA,
    Rule,
    default_lexicon_dir,
    load_rules,
    rules_to_jsonl,
)
from ..review_periods import compile_phrase_sets
from .notestate import ATTENDEE_LIST_KINDS, Segment, Tokens, hashes, people, relative_clauses, segment_index, segments, tokens
from .people_tagger import QUOTES, possessive_at, womens_names
from .rule_matcher import RuleMatcher, longest_first
from .segmenter import BULLET

register_extensions()

MMH = CONCERN_LABELS["maternal_mental_health"]
FATHER = CONCERN_LABELS["father_involvement"]
OPTIMISM = CONCERN_LABELS["over_optimism"]
#: Mentions that show the action is about the right person (not denied, not someone else's).
LINKABLE_STATUSES = {Status.AFFIRMED.value, Status.HISTORICAL.value, Status.HYPOTHETICAL.value}
#: The rule files the tagger loads and saves. review_periods.jsonl is not matched here: case assembly reads it from
#: `review_phrases` (see review_periods.py), so that a saved pipeline keeps the review phrases it was built with.
FILES = {"followups.jsonl": FOLLOWUP_SCHEMA, "followup_modifiers.jsonl": FOLLOWUP_MODIFIER_SCHEMA, "case_events.jsonl": CASE_EVENT_SCHEMA,
         "review_periods.jsonl": REVIEW_PERIOD_SCHEMA}
CASE_EVENTS = "rs_case_events"
UNLINKED = "rs_unlinked_actions"  # completed actions with no mention in their sentence; case assembly may link them
_NOT_EXPERIENCER_ROLES = {"PRONOUN", "PROFESSIONAL", "GP", "SELF"}
_H_SUBJECT_GAP = hashes({"has", "have", "had", "was", "were", "is", "are", "also", "then", "later", "since", "again", "both", "today",
                         "yesterday", "now", "by", "phone", "telephone", "email", "letter", ",", "who", "which", "been"})
_H_DASHES = hashes({"-", "\u2013", "\u2014"})
_H_PLAN_HEADINGS = hashes({"plan", "actions", "action", "next", "recommendation", "recommendations", "outstanding"})
_H_ANAPHORS = hashes({"this", "it", "these", "that", "them"})
_H_SUBJECT_ADVERBS = hashes({"first", "then", "later", "also", "recently", "once", "only", "briefly", "originally"})
_H_OBJECT_GAP = hashes({"to", "with", "by", "and", "&", ",", "the", "a", "an", "her", "his", "their", "both", "also", "again", "(", ")",
                        "'s", "\u2019s", "mum", "mother", "dad", "father", "partner", "children", "child", "parents", "at", "home",
                        "separately", "alone", "together", "in", "person", "briefly", "today", "yesterday", "on", "phone", "via",
                        "about", "re", "for", "first", "time", "-", ":", "whatsapp", "video", "teams", "telephone"})
_H_TOPIC = hashes({"about", "re", "regarding"})
_H_PASSIVE_AUX = hashes({"was", "were", "been", "being"})
_H_PASSIVE_GAP = hashes({"was", "were", "been", "is", "are", "has", "have", "had", "also", "then", "not", "both", "and", "&", ",", "-", "\u2013", ":",
                         "(", ")", "'s", "\u2019s", "mum", "mother", "partner", "father", "dad", "later", "today", "again", "to", "be",
                         "being", "will", "can", "could", "should", "would", "must", "yet", "never", "already", "now", "recently",
                         "finally", "eventually", "only", "briefly", "first", "separately",
                         # "Jodie, her partner Dwayne Pickering and both children seen"
                         "children", "child", "kids", "baby", "girls", "boys", "siblings", "all", "the", "her", "their"})
_H_OPEN, _H_CLOSE = hashes(["(", "["]), hashes([")", "]"])
_H_COLON = hash_string(":")
_H_GP_WORDS = hashes(["gp", "gps", "surgery", "practice"])
_H_DETERMINERS = hashes(["the", "a", "an", "her", "his", "their"])
_H_GOVERNING = hashes(["to", "with", "for", "from", "at"])  # "letter to the GP at Hawthorn Road Surgery sent"
GP_AUTHORS = ("gp", "general practitioner", "gp practice", "gp surgery")
#: Authors from adult mental-health services ("Perinatal CPN", "CMHT Care Coordinator"), not children's or schools' ones.
_MENTAL_HEALTH_AUTHORS = re.compile(r"\b(?:perinatal|cpn|psychiatr\w*|mental health|cmht|talking therapies|iapt|care co-?ordinator|crisis|"
                                    r"home treatment|psycholog\w*|psychological wellbeing|eip|amhp|eating disorders?)\b")
_CHILDREN_SERVICE_AUTHORS = re.compile(r"\b(?:camhs|child\w*|school|mhst|mental health support team|young|youth|adolescent|cyp|education\w*|"
                                       r"older people\w*)\b")  # a Mental Health Support Team works in schools, with children


class ActionRule(NamedTuple):
    """The fields of a follow-up rule the linking code reads, unpacked once (not looked up per match)."""

    action: str
    kind: str
    concerns: tuple
    needs_mention: bool
    link: str
    needs_kind: tuple | None
    one_way: bool
    also_needs: tuple  # mention labels that must also stand in the segment ("GP phoned about her low mood")
    needs_words: frozenset = frozenset()  # hashes of words one of which must stand in the segment ("visits ... each time")


class Cue(NamedTuple):
    start: int
    end: int
    kind: str  # planned, failed, negated, terminate, clause_break (ends mention linking only), pseudo
    direction: str
    scope: int
    reach: str = "scope"  # "sentence": any earlier action of its sentence; "previous_sentence": also the sentence before


class Mention(NamedTuple):
    start: int
    end: int
    label: str
    kind: str
    status: str


def load_followup_rules(directory: Path) -> dict[str, list[Rule]]:
    return {name: load_rules(Path(directory) / name, schema) for name, schema in FILES.items()}


class FollowupTagger:
    def __init__(self, nlp: Language, name: str = "recordscan_followups", lexicon_dir: str | None = None):
        self.nlp = nlp
        self.name = name
        self._womens_names: frozenset[str] = frozenset()  # the people tagger's, read on first use
        directory = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
        self._set_rules(load_followup_rules(directory))

    def _set_rules(self, rules: dict[str, list[Rule]]) -> None:
        self.rules = rules
        self.action_matcher = RuleMatcher(self.nlp, rules["followups.jsonl"], "followups")
        self.modifier_matcher = RuleMatcher(self.nlp, rules["followup_modifiers.jsonl"], "followup_modifiers")
        self.event_matcher = RuleMatcher(self.nlp, rules["case_events.jsonl"], "case_events")
        self._actions = {id(r): ActionRule(r.get("action"), r.get("kind"), tuple(r.get("concerns")), r.get("needs_mention", True),
                                           r.get("link", "any"), tuple(r.get("needs_kind")) if r.get("needs_kind") else None,
                                           bool(r.get("one_way")), tuple(r.get("also_needs") or ()), hashes(r.get("needs_words") or ()))
                         for r in rules["followups.jsonl"]}
        self._cues = {id(r): (r.get("kind"), r.get("direction"), r.get("max_scope", 4), r.get("reach", "scope"))
                      for r in rules["followup_modifiers.jsonl"]}
        self.review_phrases = compile_phrase_sets(rules["review_periods.jsonl"])

    def __call__(self, doc: Doc) -> Doc:
        # Overlaps are resolved per concern, so "phoned" can be GP contact and father engagement at once.
        by_concerns: dict[tuple, list] = {}
        for match in self.action_matcher(doc):
            by_concerns.setdefault(self._actions[id(match[0])].concerns, []).append(match)
        actions = [(self._actions[id(r)], s, e) for group in by_concerns.values() for r, s, e in longest_first(group, keep_ties=True)]
        events = [(r, s, e) for r, s, e in longest_first(self.event_matcher(doc)) if not any(s < ae and as_ < e for _, as_, ae in actions)]
        doc.spans[CASE_EVENTS] = SpanGroup(doc, name=CASE_EVENTS, spans=[Span(doc, s, e, label=r.get("event")) for r, s, e in events])
        followups: list[tuple] = []
        unlinked: list[tuple] = []
        mentions = doc.spans.get(MENTIONS)
        if actions or mentions:
            cues = [Cue(s, e, *self._cues[id(r)]) for r, s, e in longest_first(self.modifier_matcher(doc), keep_ties=True)]
            if not self._womens_names:
                # Read from the people tagger once it is there: asking the pipeline for a component on every note
                # cost 2% of case assembly.
                self._womens_names = womens_names(self.nlp)
            index = _Index(doc, cues, self._womens_names)
            for rule, start, end in actions:
                linked, pending = _link_action(index, rule, start, end)
                followups.extend(linked)
                unlinked.extend(pending)
            followups.extend(_attendee_list_followups(index))
            followups.extend(_gp_note_followups(index))
            followups.extend(_mental_health_note_followups(index))
            followups.extend(_named_mental_health_worker_followups(index))
        doc.spans[FOLLOWUPS] = SpanGroup(doc, name=FOLLOWUPS, spans=[followup_span(doc, *f) for f in _dedupe(followups)])
        doc.spans[UNLINKED] = SpanGroup(doc, name=UNLINKED, spans=[followup_span(doc, *f) for f in unlinked])
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
    """Segments, cues, mentions and people of one note, bucketed by segment so that linking stays linear in
    the length of the note (a long assessment has hundreds of segments)."""

    def __init__(self, doc: Doc, cues: list[Cue], womens_names: frozenset[str] = frozenset()):
        self.doc = doc
        self.tok = tokens(doc)
        self.segments = segments(doc)
        self.segment_starts = [seg.start for seg in self.segments]
        self.cues = cues
        self._separators: list[int] | None = None  # built on first use
        self.notices = [(c.start, c.end) for c in cues if c.kind == NOTICE]  # documents sent to the GP to inform it
        self.womens_names = womens_names  # first names given only to women (lexicons/name_cues.jsonl)
        # An idiom ("can't see the point") or a clause continuing a symptom ("poor sleep, poor appetite") is a symptom
        # to the actions that need one.
        self.mentions = [Mention(m.start, m.end, m.label_, "symptom" if m.kb_id_ in ("idiom", "continuation") else m.kb_id_,
                                 m.id_ or Status.AFFIRMED.value)
                         for m in doc.spans.get(MENTIONS, [])
                         if (m.id_ or Status.AFFIRMED.value) in LINKABLE_STATUSES]
        self.people = [p for p in people(doc) if p.role not in _NOT_EXPERIENCER_ROLES]
        self.cues_in: dict[int, list[Cue]] = {}
        self.terminators_in: dict[int, list[int]] = {}
        self.breaks_in: dict[int, list[int]] = {}  # terminators and clause breaks: where linking to a mention stops
        for cue in cues:
            for i in range(self.segment_index(cue.start), self.segment_index(max(cue.start, cue.end - 1)) + 1):
                self.cues_in.setdefault(i, []).append(cue)
                if cue.kind == "terminate":
                    self.terminators_in.setdefault(i, []).append(cue.start)
                if cue.kind in ("terminate", "clause_break"):
                    self.breaks_in.setdefault(i, []).append(cue.start)
        self.mentions_in: dict[int, list[Mention]] = {}
        for m in self.mentions:
            self.mentions_in.setdefault(self.segment_index(m.start), []).append(m)
        self.people_in: dict[int, list] = {}
        for p in self.people:
            self.people_in.setdefault(self.segment_index(p.start), []).append(p)

    def separator_from(self, a: int, b: int) -> int | None:
        """The first status separator (see `_status_separator`) at a token in [a, b), if any."""
        if self._separators is None:
            # _status_separator for every token, inlined: this runs once per note over all its tokens
            doc = self.doc
            self._separators = [k for k, h in enumerate(self.tok.lower) if h == _H_COLON or (h in _H_DASHES and doc[k].whitespace_)]
        i = bisect_left(self._separators, a)
        return self._separators[i] if i < len(self._separators) and self._separators[i] < b else None

    def text(self, start: int, end: int) -> str:
        tok = self.tok
        end_char = tok.idx[end] if end < tok.n else len(tok.text_)
        return tok.text_[tok.idx[start]:end_char].strip()

    def person_between(self, a: int, b: int, label: str) -> bool:
        """Another person (not one of this concern's mentions) stands between token a and token b."""
        i = self.segment_index(a)
        own = [m for m in self.mentions_in.get(i, ()) if m.label == label]
        return any(a <= p.start and p.end <= b and not any(m.start <= p.start and p.end <= m.end for m in own)
                   for k in range(i, self.segment_index(b) + 1) for p in self.people_in.get(k, ()))

    def segment_index(self, token: int) -> int:
        return segment_index(self.segment_starts, token)

    def people_in_range(self, a: int, b: int) -> list:
        return [p for k in range(self.segment_index(a), self.segment_index(max(a, b - 1)) + 1) for p in self.people_in.get(k, ())
                if a <= p.start and p.end <= b]

    def breaks_between(self, a: int, b: int) -> bool:
        return any(a <= s < b for k in range(self.segment_index(a), self.segment_index(b) + 1) for s in self.breaks_in.get(k, ()))

    def terminators_between(self, a: int, b: int) -> bool:
        return any(a <= s < b for k in range(self.segment_index(a), self.segment_index(b) + 1) for s in self.terminators_in.get(k, ()))


#: Actions named as items in plans and reviews ("TT referral - ...", "PNC checks: ..."), whose status may follow them.
_ITEM_ACTIONS = frozenset({"referral", "request", "gp_report", "screening", "assessment", "checks"})


def _kind(index: _Index, rule: ActionRule, start: int, end: int, seg) -> str:
    """Completed actions turn planned, failed or negated when a cue is in scope ("SW to contact", "no response",
    "Dean not seen")."""
    found: set[str] = set()
    seg_i = index.segment_index(start)
    cues = list(index.cues_in.get(seg_i, ()))
    # "GP written report: not yet requested", "Rang the duty line - no answer": a status straight after a colon
    # or a spaced dash belongs to the item before it, even where the colon ends a segment.
    separator = index.separator_from(end, end + 14)
    if separator is not None and separator + 1 >= seg.end and separator <= seg.end:  # not 'visits. Outstanding: ...'
        cues += [c for c in index.cues_in.get(seg_i + 1, ()) if separator < c.start <= separator + 4]
    # "Hollie received a report from Dr Fairweather – levels will now be checked monthly": an item received is done.
    received = any(index.tok.lower[k] in _H_RECEIVED for k in range(max(seg.start, start - 3), start))
    for cue in cues:
        # "Referral to the wellbeing service: not yet made", "PHQ-9: Sophie declined": the status after the colon
        # is the item's.
        # An item such as a referral or a report also takes a plan that follows ("TT referral - Jodie to self-refer if she
        # wants to"); a verb in the past tense was done whatever comes next ("Rang the duty line - SW to ring again").
        status_cue = cue.direction in ("backward", "bidirectional") or (
            cue.kind == "planned" and rule.action in _ITEM_ACTIONS and not index.tok.low(end - 1).endswith("ed") and not received)
        status_after_separator = (separator is not None and status_cue
                              and separator < cue.start <= separator + 4 and not index.terminators_between(end, separator)
                              and not index.terminators_between(separator + 1, cue.start))
        if cue.kind in ("terminate", "clause_break", "pseudo", NOTICE) or ((cue.start >= seg.end or cue.end <= seg.start) and not status_after_separator):
            continue
        if cue.start < end and start < cue.end:
            # A cue that shares words with the action counts only when it opens before it ("to be invited" + "invited to"),
            # or, reading back, when it runs on past it ("letter to" + "to be sent": "discharge letter to be sent to the GP").
            if cue.start < start and cue.direction in ("forward", "bidirectional") and cue.kind in ("planned", "failed", "negated"):
                found.add(cue.kind)
            elif cue.start > start and cue.end > end and cue.direction in ("backward", "bidirectional") and cue.kind in ("planned", "failed", "negated"):
                found.add(cue.kind)
            continue
        forward = cue.direction in ("forward", "bidirectional") and cue.end <= start and start - cue.end < cue.scope
        backward = (cue.direction in ("backward", "bidirectional") or status_after_separator) and end <= cue.start
        if backward and not status_after_separator:
            clause = _relative_clause(index.tok, end, cue.start)
            skipped = clause[1] - clause[0] if clause else 0
            backward = cue.start - end - skipped < cue.scope and not _terminated_outside(index, end, cue.start, clause)
        if (forward and not index.terminators_between(cue.end, start)) or backward:
            found.add(cue.kind)
    if rule.action not in _UNANSWERABLE_ACTIONS:
        found |= _answers(index, end, seg_i)
    # "was not invited" (negated) says it never happened, whatever else the sentence says; a failure ("invited
    # but did not attend") wins over a plan. "Not yet contacted" matches the longer planned cue "not yet".
    for kind in ("negated", "failed", "planned"):
        if kind in found:
            return kind
    tok = index.tok
    under_plan = (seg_i > 0 and index.segments[seg_i - 1].kind == "heading" and tok.lower[index.segments[seg_i - 1].start] in _H_PLAN_HEADINGS) or (
        tok.lower[seg.start] in _H_PLAN_HEADINGS and any(tok.lower[k] == _H_COLON for k in range(seg.start + 1, min(tok.n, seg.start + 5, start)))) or (
        # "SW to: see Kayleigh; complete an EPDS or ask the HV to": every item of a list of things someone is to do
        seg.start + 2 < start and tok.low(seg.start + 1) == "to" and tok.lower[seg.start + 2] == _H_COLON) or (
        _in_an_action_table(index.doc.text, index.doc[start].idx)) or _in_a_list_under_a_plan(index, seg_i)
    if under_plan and not tok.low(end - 1).endswith("ed") and not any(tok.lower[k] in _H_IRREGULAR_PAST for k in range(start, end)):
        return FollowupKind.PLANNED.value  # under "Plan:" or "Actions:", "EPDS at next contact" is still to happen
    return rule.kind  # a base-form verb stays planned; a past-tense one stays completed


_H_RECEIVED = hashes(["received", "obtained", "got"])
#: Simple past tenses without -ed: "Actions: rang GP, spoke to Dr Hill" records what was done (participles such as
#: 'told' or 'sent' are left out: "the practice to be told").
_H_IRREGULAR_PAST = hashes(["rang", "spoke", "met", "saw", "wrote", "took", "gave", "went", "made", "did", "held", "brought"])
#: A plan heading on a line of its own, above a bulleted or numbered list: "Plan", "Actions:", "Next steps".
_PLAN_HEADING_LINE = re.compile(r"^\s*(?:plan|actions?|next steps|recommendations?|outstanding actions)\s*:?\s*$", re.I)
#: The header of a table of actions in minutes: "Action | Who | When", "Action | Lead | By when".
_ACTION_TABLE_HEADER = re.compile(r"^\s*actions?\s*\|", re.I)
#: How many lines above the action a block's header is looked for.
_BLOCK_LINES_LOOKED_AT = 15


def _in_a_list_under_a_plan(index: _Index, seg_i: int) -> bool:
    """The action is an item of a bulleted or numbered list whose first item follows a plan heading on a line of its
    own ("Plan" or "Actions:", then "1. ... 4. Letter to GP as above."): every item is still to be done."""
    return _in_a_headed_block(index.doc.text, index.doc[index.segments[seg_i].start].idx, BULLET.match, _PLAN_HEADING_LINE.match)


def _in_an_action_table(text: str, char: int) -> bool:
    """The action stands in a row of a table headed "Action | Who | When": a row of minutes' actions is set, not
    done ("Letter to Rob re CIN | SW | before next CIN")."""
    return _in_a_headed_block(text, char, lambda line: "|" in line, _ACTION_TABLE_HEADER.match)


def _in_a_headed_block(text: str, char: int, is_member: Callable[[str], object], is_header: Callable[[str], object]) -> bool:
    """The line holding `char` and every line above it up to a header line belong to one block (`is_member`: a table
    row, a list item), and the header (`is_header`) stands within _BLOCK_LINES_LOOKED_AT lines."""
    line_start = text.rfind("\n", 0, char) + 1
    line_end = text.find("\n", char)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    for _ in range(_BLOCK_LINES_LOOKED_AT):
        if line_start == 0 or not is_member(line):
            return False
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[previous_start:line_start - 1]
        if is_header(line):
            return True
        line_start = previous_start
    return False


#: The cue kind naming a document sent to the GP only to inform it ("discharge summary", "closure letter").
NOTICE = "notice"
#: Actions whose verb can be our sending of such a document, and the verbs. Not the GP's own reply: "The GP sent a
#: copy of her records" is the GP answering.
_SENDING_ACTIONS = frozenset({"request", "contact", "gp_liaison"})
_SENDING = frozenset({"sent", "emailed", "e-mailed", "posted", "faxed", "forwarded", "shared", "send", "email", "e-mail", "post", "fax", "forward"})


def _sends_a_notice(index: "_Index", seg: Segment, start: int, end: int) -> bool:
    """A notice named in the verb's clause, just before it or straight after it ("GP: discharge letter sent",
    "emailed the closure summary to the GP"): the verb sends that document, which asks the GP nothing."""
    low = index.tok.low
    sending = low(start) in _SENDING
    for s, e in index.notices:
        if s < seg.start:
            continue
        if s < end and start < e:
            return True  # "Discharge letter to GP sent": the action's own words name the notice
        if not sending and low(s) not in _COPIED:  # "Letter to GP cc'd": a copy names its own sending
            continue
        gap = range(e, start) if e <= start and start - e <= 6 else range(end, s) if s >= end and s - end <= 3 else None
        # Nothing between them that starts another clause: not "Discharge summary sent to GP; SW emailed the GP asking ...".
        if gap is not None and not any(low(k) in _CLAUSE_JOINS or low(k) in _SENDING for k in gap):
            return True
    return False


_CLAUSE_JOINS = frozenset({";", ",", ".", "and", "but", "then", "also"})
_COPIED = frozenset({"cc", "cc'd", "cc\u2019d", "cced", "cc'ed"})


def _relative_clause(tok: Tokens, a: int, b: int) -> tuple[int, int] | None:
    """The first ", who ... ," clause between a and b, as (its opening comma, one past its closing comma): "Checks
    on Jamie, who Megan says stays most nights, have still not been done" reaches back over it."""
    first = next(relative_clauses(tok, a, b, ("who", "which", "whom", "whose")), None)
    return (first[0], first[1] + 1) if first is not None and first[1] is not None else None


def _terminated_outside(index: "_Index", a: int, b: int, clause: tuple[int, int] | None) -> bool:
    """A terminator between a and b, not counting any inside the relative clause (whose 'who' is one)."""
    if clause is None:
        return index.terminators_between(a, b)
    return index.terminators_between(a, clause[0]) or index.terminators_between(clause[1], b)


#: Actions no reply or refusal can answer: "at least two unannounced visits ... Outstanding: no response from
#: the GP" is a review period set, not an attempt the GP failed to answer.
_UNANSWERABLE_ACTIONS = frozenset({"review"})


def _answers(index: _Index, end: int, seg_i: int) -> set[str]:
    """Kinds of the cues that answer an offer or an attempt from further away than a scope reaches: "Referral to
    the perinatal team offered; Stacey declined", "Phoned the duty line and left messages. No call back." Such a
    cue reaches back over ';' and 'but' to any earlier action of its sentence, or opening a sentence, to the one
    before."""
    kinds = {cue.kind for cue in index.cues_in.get(seg_i, ()) if cue.reach != "scope" and cue.start >= end}
    following = seg_i + 1
    if following < len(index.segments) and index.segments[following].kind == "sentence":
        opening = index.segments[following].start
        kinds |= {cue.kind for cue in index.cues_in.get(following, ()) if cue.reach == "previous_sentence" and cue.start <= opening + 1}
    return kinds


def _link_action(index: _Index, rule: ActionRule, start: int, end: int) -> tuple[list[tuple], list[tuple]]:
    """(follow-ups linked to a mention in the segment, completed actions left unlinked), as tuples
    (start, end, concern, kind, action, target)."""
    seg_i = index.segment_index(start)
    seg = index.segments[seg_i]
    kind = _kind(index, rule, start, end, seg)
    if rule.one_way or kind == "negated":
        return [], []  # a one-way copy, or an action that did not happen ("Dean not seen")
    if rule.action in _RELAYABLE_ACTIONS and _relayed_through_mother(index, end, index.segments[seg_i].end):
        return [], []  # "Scott was invited through Tanya": no professional tried to reach him
    if rule.action == "discussion" and index.tok.low(start) in ("spoke", "talked") and _family_subject(index, start):
        return [], []  # "Joanne spoke about panic attacks": she told the worker; no one explored it with her
    if rule.action in ("contact", "gp_liaison") and (_family_subject(index, start, also=("FATHER",)) or _by_themselves(index, end, seg)):
        return [], []  # "Mum rang the GP", "Bisi said she rang her GP": SCHEME.md counts a professional's contact only
    if rule.action == "gp_reply" and _relayed_by_the_family(index, seg.start, start):
        return [], []  # "He said Precious has been low, the GP has said it's PND": the GP's words reach us second-hand
    if rule.action == "engagement" and index.tok.low(start) in _TELLING and _tells_the_family(index, end):
        return [], []  # "Jordan has told Tyler that Dean 'can't tell you what to do'": the man talking to a child, not to a worker
    if kind == FollowupKind.COMPLETED.value and rule.action in _SENDING_ACTIONS and _sends_a_notice(index, seg, start, end):
        return [], []  # "Discharge summary emailed to GP": a notice sent asks the GP nothing (one-way); a plan stays a plan
    if rule.action == "review" and _inside_a_quote(index, seg.start, start):
        return [], []  # "Nicole said Jordan is her new partner but 'it's early days'": her words, not a professional's caution
    if rule.action == "review" and _part_of_the_claim(index, seg_i, start, end):
        return [], []  # "the family have made strong, sustained progress": the optimistic claim itself, not a test of it
    if rule.also_needs and not all(any(m.label == label for m in index.mentions_in.get(seg_i, ())) for label in rule.also_needs):
        return [], []
    if rule.needs_words and not any(index.tok.lower[k] in rule.needs_words for k in range(seg.start, seg.end)):
        return [], []
    out, pending = [], []
    for concern in rule.concerns:
        label = CONCERN_LABELS[concern]
        if concern == "maternal_mental_health" and (_acts_on_someone_else(index, end) or _a_mans_sentence(index, seg, start)
                                                    or _in_a_relatives_clause(index, seg.start, start)):
            continue  # "The Older Adults CMHT has assessed Irene": the grandmother's assessment, not the mother's
        if concern == "maternal_mental_health" and rule.action == "referral" and _to_a_childrens_service(index.tok, end):
            continue  # "Low mood for a year, was referred to CAMHS by school": the child's referral
        target = None
        if rule.needs_mention:
            target = _linked_mention(index, label, start, end, seg_i, rule.link, rule.needs_kind,
                                     reaches_back=rule.kind == FollowupKind.FAILED.value)
            if target is None and rule.action == "discussion" and seg_i > 0 and _anaphor_after(index, end):
                # "Yasmin described intrusive thoughts about germs. We discussed how this is affecting Sami."
                target = _linked_mention(index, label, index.segments[seg_i - 1].start, index.segments[seg_i - 1].start,
                                         seg_i - 1, "any", rule.needs_kind)
            if target is None:
                if kind == FollowupKind.COMPLETED.value:
                    pending.append((start, end, concern, kind, rule.action, None))
                continue
        # "If Jay moves in, checks will be needed": an action about a hypothetical man has not happened.
        linked_kind = FollowupKind.PLANNED.value if (target is not None and target.status == Status.HYPOTHETICAL.value
                                                     and kind == FollowupKind.COMPLETED.value) else kind
        out.append((start, end, concern, linked_kind, rule.action, _target_text(index, target, label) if target else None))
    return out, pending


#: Joins the people of one action's target: "checks completed on Kieran DOYLE and Ashley GRANT" is about both men.
TARGET_JOIN = " + "
_H_LIST_JOINS = hashes(["and", "&", ",", "+"])


def _target_text(index: _Index, target: Mention, label: str) -> str:
    """The target mention's text, with the men listed with it ("Kieran DOYLE and Ashley GRANT", "Kieran, Ash and Dean")
    joined by TARGET_JOIN: an action on a list of men reaches each of them."""
    if label != FATHER:
        return index.text(target.start, target.end)
    seg_i = index.segment_index(target.start)
    men = sorted((m for m in index.mentions_in.get(seg_i, ()) if m.label == label), key=lambda m: m.start)
    chain = [target]
    for m in men:  # forward: "on Kieran DOYLE and Ashley GRANT"
        if m.start >= chain[-1].end and _joined(index, chain[-1].end, m.start):
            chain.append(m)
    for m in reversed(men):  # backward: "Kieran and Ash were seen"
        if m.end <= chain[0].start and _joined(index, m.end, chain[0].start):
            chain.insert(0, m)
    return TARGET_JOIN.join(index.text(m.start, m.end) for m in chain)


def _joined(index: _Index, a: int, b: int) -> bool:
    """Only 'and', '&' or a comma between two mentions, and perhaps a surname in capitals the mention left out
    ("Kieran DOYLE and Ashley GRANT")."""
    tok = index.tok
    between = range(a, b)
    return 1 <= b - a <= 3 and any(tok.lower[k] in _H_LIST_JOINS for k in between) and all(
        tok.lower[k] in _H_LIST_JOINS or (tok.alpha[k] and tok.text(k).isupper() and tok.length[k] > 1) for k in between)


def _by_themselves(index: _Index, end: int, seg: Segment) -> bool:
    """"She phoned Fenwick Road Surgery herself": the parent made the call (a worker's call is not 'herself')."""
    tok = index.tok
    for k in range(end, min(seg.end, end + 7)):
        if tok.lower[k] in _H_REFLEXIVES:
            return True
        if tok.lower[k] in _H_CLAUSE_ENDS:
            return False
    return False


_H_REFLEXIVES = hashes(["herself", "himself", "themselves"])
_H_CLAUSE_ENDS = hashes([",", ";", ".", "and", "but", "-", "\u2013", ":"])


def _part_of_the_claim(index: _Index, seg_i: int, start: int, end: int) -> bool:
    """The review words lie inside an asserted judgement of progress ("sustained progress", "a sustained change"):
    the words that claim the change cannot also be the check on it, unless the period it held over follows
    ("the change has been sustained over three months")."""
    tok = index.tok
    return any(m.label == OPTIMISM and m.start <= start and end <= m.end and is_asserted(m.status)
               and not (m.end < tok.n and tok.lower[m.end] in _H_PERIOD_OPENERS)
               for m in index.mentions_in.get(seg_i, ()))


_H_PERIOD_OPENERS = hashes(["over", "for", "across", "throughout", "since", "through", "during"])


def _inside_a_quote(index: _Index, sentence_start: int, start: int) -> bool:
    """The last quotation mark of the sentence before the action opens a quote: a space before it, a word straight
    after it ("but 'it's early days'"). One that closes a word ("the carers' logs") opens nothing."""
    tok, text = index.tok, index.doc.text
    for k in range(start - 1, sentence_start - 1, -1):
        if tok.lower[k] in _H_QUOTE_MARKS:
            at = tok.idx[k]
            return (at == 0 or text[at - 1].isspace()) and at + 1 < len(text) and not text[at + 1].isspace()
    return False


_H_QUOTE_MARKS = hashes(QUOTES)
_H_THROUGH = hashes(["through", "via", "by"])
_RELAYABLE_ACTIONS = frozenset({"invite", "trace", "contact_attempt"})
_H_MOTHER_WORDS = hashes(["mum", "mother", "mummy", "her"])


def _case_entry(index: _Index, person):
    """What the case's registry knows of a named person (the follow-up tagger runs once the case is resolved), or None."""
    registry = index.doc._.people
    return registry.lookup(person.name.split()) if registry is not None and person.name else None


def _known_role(index: _Index, person) -> str | None:
    """The person's role as the whole case knows it, else as this note's people tagger read it."""
    entry = _case_entry(index, person)
    return entry.role if entry is not None else person.role


_H_CHILDRENS_SERVICES = hashes(["camhs", "cahms", "ypamhs"])


def _to_a_childrens_service(tok: Tokens, end: int) -> bool:
    """ "referred to CAMHS", "referral to Haddlesea CAMHS": a service for children and young people."""
    return any(tok.lower[k] in _H_CHILDRENS_SERVICES for k in range(end, min(tok.n, end + 4)))


def _acts_on_someone_else(index: _Index, end: int) -> bool:
    """The verb's object, straight after it, is a child, a man or another relative the case knows ("assessed
    Irene", "referred Ben")."""
    tok = index.tok
    if end >= tok.n or tok.lower[end] in _H_MOTHER_WORDS:
        return False
    for person in index.people_in_range(end, min(tok.n, end + 4)):
        if person.start != end or person.name is None:
            continue
        return _known_role(index, person) in ("CHILD", "OTHER", "FATHER")
    return False


_H_WOMAN_WORDS = hashes(["she", "her", "hers", "herself", "mum", "mother", "mam", "mummy", "woman", "women", "mothers", "parents",
                         "family", "couple", "both", "they", "their"])  # "mum's" is two tokens, "mum" and "'s"


#: Verbs whose next word is whom he told ("Jordan has told Tyler"); after 'said' it is who the words are about.
_TELLING = frozenset({"told", "tells", "tell", "telling"})


def _tells_the_family(index: _Index, end: int) -> bool:
    """The verb's object, straight after it, is a child, the mother or a relative."""
    for person in index.people_in_range(end, min(index.tok.n, end + 4)):
        if person.start == end:
            return _known_role(index, person) in ("CHILD", "MOTHER", "OTHER")
    return False


def _in_a_relatives_clause(index: _Index, seg_start: int, start: int) -> bool:
    """The action sits in a relative clause still open, hung on a relative, a child or a man: "her mum (MGM, Patience),
    who has depression herself and whose GP has just referred her for counselling"."""
    tok = index.tok
    for comma, close in relative_clauses(tok, seg_start, start, ("who", "whose")):
        if close is not None and close < start:
            continue
        k = comma - 1 if comma > 0 and tok.low(comma - 1) == ")" else comma
        for person in index.people_in_range(max(seg_start, k - 6), k):
            if person.end >= k - 1 and _known_role(index, person) in ("OTHER", "CHILD", "FATHER"):
                return True
    return False


def _relayed_by_the_family(index: _Index, seg_start: int, start: int) -> bool:
    """Earlier in the sentence a parent, a relative or a child ("Mum told me", "He said") reports what follows: the GP
    said it to them, and no professional heard from the GP."""
    tok = index.tok
    for k in range(seg_start, start):
        if tok.lower[k] in _H_REPORTING_VERBS:
            before = _word_before_verb(tok, k)
            if before >= 0 and tok.lower[before] in _H_SUBJECT_PRONOUNS:
                return True  # "He said ...": a worker writes 'I'; 'he' or 'she' reports what someone else was told
            if _family_subject(index, k, also=("FATHER",)):
                return True
    return False


def _a_mans_sentence(index: _Index, seg, start: int) -> bool:
    """The sentence, up to the action, names a man first and no woman at all ("Wayne ... agreed to go with them to the
    mental health assessment suite"): the action is about him, not the mother."""
    tok = index.tok
    before = [p for p in index.people_in_range(seg.start, start) if not possessive_at(tok, p.end)]  # "mum's partner" is him
    if not before or not all(_is_a_man(index, p) for p in before):
        return False
    return not any(tok.lower[k] in _H_WOMAN_WORDS and not possessive_at(tok, k + 1) for k in range(seg.start, start))


def _is_a_man(index: _Index, person) -> bool:
    entry = _case_entry(index, person)
    if entry is not None:
        return entry.role == "FATHER" or entry.gender == "m" and entry.role != "CHILD"
    return person.role == "FATHER" or person.gender == "m" and person.role != "CHILD"


def _relayed_through_mother(index: _Index, end: int, seg_end: int) -> bool:
    """An invitation passed on through the mother ("invited via Carys", "through mum", "by a text message passed on
    by Chloe") is no attempt to reach the man: the scheme counts a professional's own documented attempt."""
    tok = index.tok
    for k in range(end, min(seg_end - 1, end + 9)):
        if tok.lower[k] in _H_THROUGH:
            if tok.lower[k + 1] in _H_MOTHER_WORDS:
                return True
            if any(p.start == k + 1 and _a_woman_of_the_family(index, p) for p in index.people_in_range(k + 1, min(seg_end, k + 4))):
                return True
    return False


#: Marks that open a quotation: what follows is the speaker's own words, not something done.
_OPENING_QUOTES = frozenset({"'", '"', "\u2018", "\u201c"})
_H_SPEECH_VERBS = hashes(["said", "says", "told", "stated", "reported", "explained", "replied"])


def _a_woman_of_the_family(index: _Index, person) -> bool:
    """The mother or a relative the case knows, or a woman's name the case knows no role for."""
    if person.role == "MOTHER":
        return True
    entry = _case_entry(index, person)
    if entry is not None:
        return entry.role in ("MOTHER", "OTHER")
    return bool(person.name) and person.name.split()[0].lower() in index.womens_names


def _linked_mention(index: _Index, label: str, start: int, end: int, seg_i: int, link: str, kinds=None,
                    reaches_back: bool = False) -> Mention | None:
    seg = index.segments[seg_i]
    pool = index.mentions_in.get(seg_i, [])
    if link == "nearby" and seg_i > 0:
        pool = index.mentions_in.get(seg_i - 1, []) + pool
    candidates = [m for m in pool if m.label == label and m.end <= seg.end and (not kinds or m.kind in kinds)
                  and not (label == MMH and m.status == Status.HISTORICAL.value)]
    if link == "object" and label == FATHER and end < index.tok.n and index.tok.lower[end] == _H_HIM:
        return _antecedent_of_him(index, label, start, end, seg_i, kinds)
    if not candidates:
        return None
    if link == "subject":
        if start > 0 and index.tok.lower[start - 1] in _H_OTHER_SUBJECTS:
            return None  # "Craig was asleep upstairs and she said ...": the verb has its own subject
        # Not "she said Reece 'always says he'll be in'" (his words as she reports them), nor "wouldn't give Dean's date of
        # birth, said she'd text it" (what a man owns does not speak; "Craig's views shared with the SW" were still his).
        speaks = index.tok.lower[start] in _H_SPEECH_VERBS
        before = [m for m in candidates if m.end <= start and start - m.end <= 8 and not index.breaks_between(m.end, start)
                  and not index.person_between(m.end, start, label) and not _object_of_a_verb(index.tok, m.start)
                  and not (speaks and possessive_at(index.tok, m.end))
                  and not any(index.tok.text(k) in _OPENING_QUOTES for k in range(m.end, start))
                  and not _shares_an_earlier_subject(index, m, start)]
        return before[-1] if before else None
    if link == "subject_strict":
        # "The CPN reported", "the perinatal team (Funmi) confirmed": only auxiliaries or a parenthesis between.
        # "Dr Shah at Castle View Surgery replied": the surgery after 'at' belongs to the subject.
        before = [m for m in candidates if m.end <= start and _subject_gap(index.tok, _past_their_place(index.tok, candidates, m.end), start)
                  and not _governed(index.tok, m.start)]
        return before[-1] if before else None
    if link == "object" and _family_subject(index, start) and not _bare_participle(index, start):
        return None  # "Kayleigh met Lewis in 2022", "she texts him": the family acting, not a professional
    if link == "object":
        after = [m for m in candidates if m.start >= end and m.start - end <= 10 and not index.breaks_between(end, m.start)
                 and _object_gap(index, end, m.start) and not _absent_or_glimpsed(index.tok, m.end) and not _owns_the_object(index, m.end)
                 and not (index.tok.low(start) == "met" and _how_they_met(index.tok, m.end))]
        # "Dad was spoken to", "Dale Hirst (mum's partner) and Mia seen"; not "someone Natalie met".
        passive = [m for m in candidates if m.end <= start and start - m.end <= 4 and _passive_gap(index.tok, m.end, start)
                   and _reads_as_passive(index.tok, m.end, start)]
        if passive and _glimpsed_after(index.tok, end):
            passive = []  # "a male was seen leaving by the back gate", "was seen by the neighbour": no one engaged him
        if index.tok.lower[start] in _H_PASSIVE_AUX:
            return (passive or [None])[0]  # "Harvey was seen ... since his father's death": who was seen comes first
        return (after or passive or [None])[0]
    if link == "nearby" and reaches_back:
        near = candidates  # "letter to the GP sent; no reply": a failure refers back past the ';'
    else:
        near = [m for m in candidates if not (m.end <= start and index.breaks_between(m.end, start))
                and not (m.start >= end and index.breaks_between(end, m.start))]
    if not near:
        return None
    if link == "nearby" and not reaches_back:
        # "He doesn't know Reece well. Police checks on Scott returned no trace": the man of its own sentence first.
        near = [m for m in near if m.start >= seg.start] or near
    if label == FATHER:
        # "Police checks show a conviction for ABH against a previous partner": the one harmed was not checked.
        near = [m for m in near if not _harmed_by_the_act(index.tok, m.start)]
        if not near:
            return None
    return min(near, key=lambda m: abs(m.start - start))


def _shares_an_earlier_subject(index: _Index, mention: Mention, verb: int) -> bool:
    """ "She goes to her dad's (Wayne) every other weekend and says it is 'better there'": a verb after 'and' shares the
    subject that opens its sentence ('She'), so the man named in between is not the one who says it."""
    if verb == 0 or index.tok.low(verb - 1) != "and":
        return False
    seg = index.segments[index.segment_index(mention.start)]
    return seg.start < mention.start and index.tok.lower[seg.start] in _H_OPENING_SUBJECTS


_H_OPENING_SUBJECTS = hashes({"she", "i", "we", "they"})


def _harmed_by_the_act(tok: Tokens, start: int) -> bool:
    """The mention follows "against" ("assault against a previous partner", "ABH against his ex"): a victim."""
    k = start - 1
    while k >= 0 and start - k <= 3 and tok.low(k) in _VICTIM_DETERMINERS:
        k -= 1
    return k >= 0 and tok.low(k) == "against"


_VICTIM_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "previous", "former", "ex", "ex-", "-"})


_H_HIM = next(iter(hashes(["him"])))


def _antecedent_of_him(index: _Index, label: str, start: int, end: int, seg_i: int, kinds=None) -> Mention | None:
    """ "Kelvin Ashby arrived at the end of the visit and I spoke to him": 'him' after the verb is the last man of this
    sentence or the one before, unless someone else stands between them or that man is someone else's (the
    grandfather) or ruled out ("no partner"). Only a worker's act counts: "she met him on Snapchat", "his dad
    messages him" have the family as subject, and "met him at college" is how a couple met."""
    if _subject_not_a_worker(index, start) or (index.tok.low(start) == "met" and _how_they_met(index.tok, end + 1)):
        return None
    pool = (index.mentions_in.get(seg_i - 1, []) if seg_i > 0 else []) + index.mentions_in.get(seg_i, [])
    before = [m for m in pool if m.label == label and m.end <= start and (not kinds or m.kind in kinds)]
    if not before:
        return None
    last = before[-1]
    if last.status in (Status.OTHER_EXPERIENCER.value, Status.NEGATED.value):
        return None
    # (A worker between them is the one acting: "Birth father Marcus Oyelaran: Roisin wrote to him in March".)
    between = [p for p in index.people_in_range(last.end, start) if p.role not in ("PRONOUN", "SELF")
               and _known_role(index, p) not in ("PROFESSIONAL", "GP")
               and not any(m.start <= p.start and p.end <= m.end for m in pool if m.label == label)]
    return None if between else last


def _subject_not_a_worker(index: _Index, start: int) -> bool:
    """The word before the verb (past adverbs and 'has') is 'she', 'he', 'they' or a person of the family. 'She' may be
    the worker, but a man linked to an act of the family's would hide him from the audit, so 'him' needs 'I', a worker
    or note-speak with no subject ("Spoke to him")."""
    tok = index.tok
    k = _word_before_verb(tok, start)
    if k < 0:
        return False
    if tok.lower[k] in _H_SUBJECT_PRONOUNS:
        return True
    return any(p.end == k + 1 and p.role not in ("PROFESSIONAL", "GP", "SELF") for p in index.people_in_range(max(0, k - 6), k + 1))


def _governed(tok: Tokens, start: int) -> bool:
    """The mention is the object of a preposition ("letter to the GP sent"), so it cannot be the subject."""
    k = start - 1
    if k >= 1 and tok.lower[k] in _H_OPEN:
        # "Letter to GP (Brambles Medical Centre) sent": the bracket renames a governed mention.
        k -= 1
        while k >= 0 and (tok.title[k] or tok.lower[k] in _H_GP_WORDS) and start - k <= 6:
            k -= 1
        return k >= 0 and tok.lower[k] in _H_GOVERNING | _H_DETERMINERS and _governed(tok, k + 1)
    if k >= 0 and tok.lower[k] in _H_DETERMINERS:
        k -= 1
    return k >= 0 and tok.lower[k] in _H_GOVERNING


def _status_separator(index: _Index, k: int) -> bool:
    """A colon, or a dash with spaces round it: "GP report: not yet requested", "Rang the duty line - no answer"."""
    if index.tok.lower[k] == _H_COLON:
        return True
    return index.tok.lower[k] in _H_DASHES and bool(index.doc[k].whitespace_)


def _anaphor_after(index: _Index, end: int) -> bool:
    """'this', 'it', 'these' ... within a few words after the action: it talks about what the last sentence said."""
    tok = index.tok
    return any(tok.lower[k] in _H_ANAPHORS for k in range(end, min(tok.n, end + 3)))


def _bare_participle(index: _Index, start: int) -> bool:
    """"Jodie, her partner Dwayne and both children seen": a participle with no 'has' before it is passive, so the
    family before it were seen, not seeing."""
    tok = index.tok
    return tok.lower[start] in _H_BARE_PARTICIPLES and not (start > 0 and tok.lower[start - 1] in _H_PERFECT_AUX)


_H_BARE_PARTICIPLES = hashes({"seen", "spoken"})
_H_PERFECT_AUX = hashes({"has", "have", "had", "'s", "'ve"})


def _word_before_verb(tok: Tokens, start: int) -> int:
    """The token before the verb at `start`, past adverbs and 'has' ("he has only met Dean"): where its subject ends."""
    k = start - 1
    # "Jayden had a video call with his dad": a noun of contact after "had a" has the subject of "had".
    while k >= 0 and tok.lower[k] in _H_KINDS_OF_CALL:
        k -= 1
    if k >= 1 and tok.lower[k] in _H_A and tok.lower[k - 1] in _H_HAD:
        k -= 2
    while k >= 0 and (tok.lower[k] in _H_SUBJECT_ADVERBS or tok.lower[k] in _H_PERFECT_AUXILIARIES):
        k -= 1
    return k


_H_KINDS_OF_CALL = hashes({"video", "phone", "telephone", "facetime", "whatsapp", "brief", "short", "long", "quick"})
_H_A = hashes({"a", "an"})
_H_HAD = hashes({"had", "has", "have"})


def _family_subject(index: _Index, start: int, also: tuple[str, ...] = ()) -> bool:
    """The verb's subject, just before it, is the mother, a child or a relative, or has one of the roles `also`
    (pronouns are left alone: in notes 'she' is as often the worker)."""
    tok = index.tok
    k = _word_before_verb(tok, start)  # "he has met Dean"
    if k >= 0 and tok.lower[k] in _H_CLOSE:  # "Kayleigh (mum) met Lewis"
        opening = next((j for j in range(k - 1, max(-1, k - 8), -1) if tok.lower[j] in _H_OPEN), None)
        if opening is not None:
            inside = [p for p in index.people_in_range(opening, k) if p.role in ("MOTHER", "CHILD", "OTHER", *also)]
            if inside:
                return True
            k = opening - 1
    if k < 0:
        return False
    family = ("MOTHER", "CHILD", "OTHER", *also)
    if tok.lower[k] in _H_SUBJECT_PRONOUNS:
        # "Shannon says she met Reece at a party": the pronoun of reported speech is the speaker, not the worker;
        # a named speaker the note does not place ("Jaden said he rang his dad") is not a worker either.
        family = ("MOTHER", "CHILD", "OTHER", "PERSON", *also)
        j = k - 1
        if j >= 0 and tok.lower[j] == _H_THAT:
            j -= 1
        if j >= 0 and tok.lower[j] in _H_HEARER:
            j -= 1  # "told me she"
        if j < 0 or tok.lower[j] not in _H_REPORTING_VERBS:
            return False
        k = j - 1
        if k < 0:
            return False
        if tok.lower[k] in _H_SUBJECT_PRONOUNS:
            return True  # "He said he has met Dean twice": a worker writes 'I'; 'he' or 'she' reports someone else
    person = next((p for p in index.people_in_range(max(0, k - 4), k + 1) if p.end == k + 1), None)
    if person is not None and person.role == "PERSON" and person.name and "PERSON" not in family:
        # "Kayleigh met Lewis in 2022": the case knows Kayleigh as the mother though this note gives her no role.
        entry = _case_entry(index, person)
        return entry is not None and entry.role in family
    return person is not None and person.role in family


_H_SUBJECT_PRONOUNS = hashes({"she", "he", "they"})
_H_OTHER_SUBJECTS = hashes({"she", "i", "we", "they", "mum", "mother"})  # a subject that is not the man a mention names
_H_PERFECT_AUXILIARIES = hashes({"has", "have", "had"})
_H_THAT = next(iter(hashes({"that"})))
_H_HEARER = hashes({"me", "us"})
_H_REPORTING_VERBS = hashes({"says", "said", "reports", "reported", "told", "tells", "explained", "explains", "stated", "states",
                             "admitted", "admits", "disclosed", "discloses", "confirmed", "confirms"})


def _object_of_a_verb(tok: Tokens, start: int) -> bool:
    """"Yusuf sees dad at weekends, says ...", "no contact with Paddy Walsh since 2016 and says": a mention straight
    after a verb or a preposition is its object, so not who speaks."""
    k = start - 1
    if k >= 0 and tok.lower[k] in _H_OPENING_QUOTES:
        k -= 1
    if k >= 0 and tok.lower[k] in _H_NAMING:
        return True  # "gave officers the name 'Lee' only and said ...": a name given, not a man speaking
    if k >= 0 and tok.lower[k] in _H_OBJECT_DETERMINERS:
        k -= 1
    if k >= 0 and tok.lower[k] in _H_OBJECT_PREPOSITIONS:
        return True
    if k < 0 or not tok.is_lower[k] or not tok.alpha[k] or tok.stop[k]:
        return False
    word = tok.low(k)
    return word.endswith(("s", "ed")) and not word.endswith("ss") or word in _BASE_FORM_ACTION_VERBS


_H_OBJECT_DETERMINERS = hashes({"his", "her", "their", "the", "my"})
_H_OPENING_QUOTES = hashes({"'", '"', "\u2018", "\u201c"})
_H_NAMING = hashes({"name", "named", "called"})
_H_OBJECT_PREPOSITIONS = _H_GOVERNING | hashes({"about", "of", "by"})
_BASE_FORM_ACTION_VERBS = frozenset({"saw", "met", "seen", "see", "meet", "visit", "phone", "call", "contact", "invite", "ring", "text",
                                     "email", "ask", "tell", "inform", "check", "trace", "find", "locate", "involve", "engage", "write",
                                     "want", "let", "allow", "trust", "need", "like", "know", "blame", "left", "told"})


def _absent_or_glimpsed(tok: Tokens, end: int) -> bool:
    """"Vicky and Ollie seen, Mick not present", "she saw Reece leaving the flat": he was not engaged."""
    nxt = tok.low(end) if end < tok.n else ""
    if nxt in _GLIMPSED:
        return True
    k = end + 1 if nxt in ("was", "is") else end
    if k + 1 < tok.n and tok.low(k) == "at" and tok.low(k + 1) in _AWAY_AT:
        return True  # "Kirsty and Ethan seen, Jamie at work", "Jamie was at work"
    return nxt in ("not", "was", "is", "absent") and end + 1 < tok.n and (
        nxt == "absent" or tok.low(end + 1) in ("present", "absent", "there", "home", "in", "out", "available", "seen"))


def _how_they_met(tok: Tokens, end: int) -> bool:
    """ "She met Ashton when she was 16", "met Kyle at college", "met him online in 2021": how the couple met."""
    words = [tok.low(k) for k in range(end, min(tok.n, end + 3))]
    if not words:
        return False
    if words[0] == "when" or words[0] in ("online", "through") or (words[0] == "in" and len(words) > 1 and _YEARLIKE.match(words[1])):
        return True
    return words[0] == "at" and len(words) > 1 and (words[1] in _PLACES_COUPLES_MEET or (words[1] in ("a", "the") and len(words) > 2
                                                                                      and words[2] in _PLACES_COUPLES_MEET))


_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")
_PLACES_COUPLES_MEET = frozenset({"college", "school", "party", "work", "church", "mosque", "gym", "pub", "club", "festival", "hostel", "uni",
                                  "university", "sixth"})
_GLIMPSED = frozenset({"leaving", "arriving", "walking", "driving", "going", "running", "outside", "absent"})
_BYSTANDERS = frozenset({"neighbour", "neighbours", "neighbor", "neighbors", "passer-by", "public", "caller", "witness", "cctv"})
_AWAY_AT = frozenset({"work", "college", "school", "training"})  # not "seen Jamie at the house"


def _glimpsed_after(tok: Tokens, end: int) -> bool:
    """ "A male was seen leaving", "was seen by the neighbour": seen in passing, by someone who is no professional."""
    if end >= tok.n:
        return False
    if tok.low(end) in _GLIMPSED:
        return True
    words = [tok.low(k) for k in range(end, min(tok.n, end + 4))]
    return words[:1] == ["by"] and any(w in _BYSTANDERS for w in words[1:])


def _reads_as_passive(tok: Tokens, a: int, start: int) -> bool:
    """"Dad was visited", "Dad seen at home" are passive; "Wayne visited once while she was asleep" is Wayne acting.
    Without an auxiliary, only participles that note-speak uses passively ('seen', 'spoken to') count."""
    if any(tok.lower[k] in _H_PASSIVE_AUX for k in range(a, start + 1)):
        return True
    # "Josh texted her last week": a participle with an object after it is the man acting, not acted on.
    return tok.lower[start] in _H_NOTE_SPEAK_PASSIVES and not (start + 1 < tok.n and tok.lower[start + 1] in _H_OBJECTS_AFTER)


_H_OBJECTS_AFTER = hashes({"her", "him", "them", "me", "us", "mum", "mother"})
_H_NOTE_SPEAK_PASSIVES = hashes({"seen", "spoken", "interviewed", "contacted", "met", "checked", "invited", "informed", "advised",
                                 "consulted", "phoned", "telephoned", "rung", "emailed", "texted", "written", "traced", "located",
                                 "arrested"})


def _owns_the_object(index: _Index, end: int) -> bool:
    """ "Visited Dylan's mother, Sandra", "met Marcus' sister": the man owns the person acted on, who is someone else.
    Ownership is read as the people tagger reads it (`possessive_at`: "'s", or a bare apostrophe after an s)."""
    tok = index.tok
    if end + 1 >= tok.n or not possessive_at(tok, end):
        return False
    return any(p.start == end + 1 and p.role not in ("FATHER", "PRONOUN") for p in index.people_in_range(end + 1, min(tok.n, end + 3)))


def _object_gap(index: _Index, a: int, b: int) -> bool:
    """Only people, list joins and small words between a verb and its object ("spoke to mum and dad", "met with
    Liam's dad"); not "change, seen mostly on announced visits, and Dean"."""
    in_person = {k for p in index.people_in_range(a, b) for k in range(p.start, p.end)}
    if not _only_between(index.tok, a, b, _H_OBJECT_GAP, in_person):
        return False
    # "Spoke to Ellie about Liam", "rang her re Dean": the man is what they spoke about, not who was spoken to.
    topic = next((k for k in range(a, b) if index.tok.lower[k] in _H_TOPIC), None)
    return topic is None or not any(p.end <= topic for p in index.people_in_range(a, topic))


def _passive_gap(tok: Tokens, a: int, b: int) -> bool:
    """Only auxiliaries, names, ages and list joins between a person and a passive verb."""
    return _only_between(tok, a, b, _H_PASSIVE_GAP)


def _only_between(tok: Tokens, a: int, b: int, allowed: frozenset[int], positions: set[int] = frozenset()) -> bool:
    """Every token from a to b is an allowed word, a capitalised word, a number or one of `positions`."""
    return all(k in positions or tok.lower[k] in allowed or tok.title[k] or tok.like_num[k] for k in range(a, b))


def _past_their_place(tok: Tokens, mentions: list[Mention], k: int) -> int:
    """Where the words after a person resume when 'at'/'from' and a mention of their workplace follow ("Dr Shah at Castle
    View Surgery"), else k."""
    if k < tok.n and tok.lower[k] in _H_AT_FROM:
        place = next((m for m in mentions if m.start == k + 1), None)
        if place is not None:
            return place.end
    return k


_H_AT_FROM = hashes({"at", "from"})


def _subject_gap(tok: Tokens, a: int, b: int) -> bool:
    if b - a > 12:
        return False
    depth = 0
    for k in range(a, b):
        h = tok.lower[k]
        if h in _H_OPEN:
            depth += 1
        elif h in _H_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and h not in _H_SUBJECT_GAP:
            return False
    return True


#: In an apologies item, words that say the report has not come ("Dr Brandt (GP) - 'report to follow'").
_REPORT_NOT_SENT = ("no report", "not received", "without", "to follow", "awaited", "pending", "will send", "to be sent", "promised")


_H_RELATIVES = hashes(["who", "whose", "whom", "which"])


def _attendee_list_followups(index: _Index) -> list[tuple]:
    """A father or GP named in a 'Present:' list attended; in 'Apologies:' did not (unless a report came); in
    'Invited:' was invited, which counts for a father (SCHEME) and is not yet contact with a GP."""
    out = []
    for i, seg in enumerate(index.segments):
        if seg.kind not in ATTENDEE_LIST_KINDS or index.tok.lower[seg.start] in _H_RELATIVES:
            continue  # "... and Jason Crewe, who is Riley's dad": the clause says who Jason is; it lists no one
        for mention in index.mentions_in.get(i, ()):
            if mention.end > seg.end:
                continue
            concern = LABEL_CONCERNS[mention.label]
            if concern not in ("father_involvement", "gp_contact"):
                continue
            item_text = index.text(seg.start, seg.end).lower()
            not_there = [c for c in index.cues_in.get(i, ()) if c.kind in ("negated", "failed") and seg.start <= c.start < seg.end]
            if seg.kind == "invited":
                if not_there:
                    continue  # "Jordan Reece - not invited (no address held)"
                kind = FollowupKind.COMPLETED.value if concern == "father_involvement" else FollowupKind.PLANNED.value
                action = "invite"
            elif seg.kind == "present" and not_there:
                kind, action = FollowupKind.FAILED.value, "apologies"  # "Present: ... Dr Hallam (GP) - did not join"
            elif seg.kind == "present":
                kind, action = FollowupKind.COMPLETED.value, "attended"
            elif "report" in item_text and not any(w in item_text for w in _REPORT_NOT_SENT):
                kind, action = FollowupKind.COMPLETED.value, "report_received"
            else:
                kind, action = FollowupKind.FAILED.value, "apologies"
            out.append((seg.start, seg.end, concern, kind, action, index.text(mention.start, mention.end)))
    return out


def _author(index: _Index) -> str:
    """The note's author role, lower-cased ("" when the export gives none)."""
    return (index.doc._.author_role or "").strip().lower()


def _gp_note_followups(index: _Index) -> list[tuple]:
    """A note written by the GP is the GP communicating; mental-health content in it is liaison about it."""
    role = _author(index)
    if role not in GP_AUTHORS:
        return []
    first = index.segments[0]
    out = [(first.start, first.end, "gp_contact", FollowupKind.COMPLETED.value, "gp_note", "GP")]
    # "She declined to discuss her mood", "I was not asked about her depression and have not reviewed it": a sentence
    # in which the GP records that her mental health was not taken up is no liaison about it.
    refused = {index.segment_index(c.start) for c in index.cues if c.kind in ("failed", "negated")}
    mmh = [m for m in index.mentions if m.label == MMH and m.status == Status.AFFIRMED.value]
    if mmh and not any(m.label == MMH and index.segment_index(m.start) in refused for m in index.mentions):
        seg = index.segments[index.segment_index(mmh[0].start)]
        out.append((seg.start, seg.end, "maternal_mental_health", FollowupKind.COMPLETED.value, "gp_note", index.text(mmh[0].start, mmh[0].end)))
    return out


def _mental_health_note_followups(index: _Index) -> list[tuple]:
    """A note written by an adult mental-health service about the mother's own difficulty is the service
    assessing or treating her, whatever its verbs: liaison is recorded in the service's own hand. A note
    that records a failure ("referral returned", "did not attend") is not."""
    role = _author(index)
    if not role or not _MENTAL_HEALTH_AUTHORS.search(role) or _CHILDREN_SERVICE_AUTHORS.search(role):
        return []
    failures = [c for c in index.cues if c.kind == "failed"]
    if failures:
        # "We are unable to accept referrals without GP registration ... Referral returned": the service's own
        # reply undoes the referral, though the letter names the mother's difficulty nowhere.
        for cue in failures:
            seg = index.segments[index.segment_index(cue.start)]
            if "referr" in index.text(seg.start, seg.end).lower():
                return [(seg.start, seg.end, "maternal_mental_health", FollowupKind.FAILED.value, "referral", None)]
        return []
    mmh = [m for m in index.mentions if m.label == MMH and m.status == Status.AFFIRMED.value]
    if not mmh:
        return []
    seg = index.segments[index.segment_index(mmh[0].start)]
    return [(seg.start, seg.end, "maternal_mental_health", FollowupKind.COMPLETED.value, "mh_note", index.text(mmh[0].start, mmh[0].end))]


#: Posts of adult mental-health workers, as the people tagger records them ("her care coordinator, Ifeoma Adeyemi").
MENTAL_HEALTH_POSTS = frozenset({"care coordinator", "care co-ordinator", "cpn", "psychiatrist", "clinical psychologist", "psychologist",
                                 "perinatal psychiatrist", "mental health nurse"})
_H_CONTACT_VERBS = hashes(["spoke", "spoken", "speak", "phoned", "phone", "rang", "ring", "called", "call", "emailed", "email", "met",
                           "meet", "contacted", "contact", "liaised", "liaise", "visited", "visit"])
_H_PAST_CONTACT_VERBS = hashes(["spoke", "spoken", "phoned", "rang", "called", "emailed", "met", "contacted", "liaised", "visited"])
_H_CONTACT_LINKS = hashes(["to", "with", "by", "again", "on", "the", "her", "mum's"])
_LIAISON_RULE = ActionRule("liaison", FollowupKind.COMPLETED.value, ("maternal_mental_health",), False, "any", None, False, ())


def _named_mental_health_worker_followups(index: _Index) -> list[tuple]:
    """ "I spoke to Ms Adeyemi the same afternoon", where the case knows Ms Adeyemi as the mother's care
    coordinator: contact with her mental-health worker, though the sentence names no service."""
    registry = index.doc._.people
    if registry is None:
        return []
    tok, out = index.tok, []
    for person in people(index.doc):
        if person.name is None or person.start == 0:
            continue
        entry = registry.lookup(person.name.split())
        if entry is None or entry.role != "PROFESSIONAL" or (entry.cue or "").lower() not in MENTAL_HEALTH_POSTS:
            continue
        k = person.start - 1
        while k > 0 and tok.lower[k] in _H_CONTACT_LINKS and person.start - k < 4:
            k -= 1
        if tok.lower[k] not in _H_CONTACT_VERBS:
            continue
        seg = index.segments[index.segment_index(k)]
        if _about_a_man(index, registry, seg) or _CHILDRENS_SERVICE.search(index.text(seg.start, seg.end)):
            # "Phone call with Dr Achebe, clinical psychologist, with Gavin's consent": the father's worker;
            # "call with Dr Feld, psychologist in the CAMHS adoption team": the child's.
            continue
        kind = _kind(index, _LIAISON_RULE, k, k + 1, seg)
        if kind == FollowupKind.PLANNED.value and tok.lower[k] in _H_PAST_CONTACT_VERBS:
            kind = FollowupKind.COMPLETED.value  # "I spoke to Ms Adeyemi: discharge is planned for April" was done
        if kind != "negated":
            out.append((k, person.end, "maternal_mental_health", kind, "liaison", person.name))
    return out


_H_HIS_WORD = hashes(["his", "him"])
_CHILDRENS_SERVICE = re.compile(r"\b(?:CAMHS|MHST|adoption|young people'?s|school)\b", re.I)


def _about_a_man(index: _Index, registry, seg) -> bool:
    """The segment speaks of a man: a name the case knows as a man, or 'his'."""
    tok = index.tok
    if any(tok.lower[k] in _H_HIS_WORD for k in range(seg.start, seg.end)):
        return True
    for person in people(index.doc):
        if seg.start <= person.start < seg.end and person.name is not None:
            entry = registry.lookup(person.name.split())
            if entry is not None and (entry.role == "FATHER" or entry.gender == "m") and entry.role != "PROFESSIONAL":
                return True
    return False


def followup_span(doc: Doc, start: int, end: int, concern: str, kind: str, action: str | None, target: str | None) -> Span:
    """A follow-up span. Its kind, action and target live on the span itself (kb_id, id), not in Span._ extensions:
    extensions are keyed by character offsets, and one action can be two follow-ups (GP and mental health)."""
    return Span(doc, start, end, label=concern, kb_id=kind, span_id=f"{action or ''}|{target or ''}")


def followup_parts(span: Span) -> tuple[str, str | None, str | None]:
    """(kind, action, target) of a follow-up span made by `followup_span`."""
    action, _, target = span.id_.partition("|")
    return span.kb_id_, action or None, target or None


def _dedupe(items: list[tuple]) -> list[tuple]:
    """One follow-up per concern and token range; when two overlap, the longer stays."""
    items = sorted(items, key=lambda f: (f[2], f[0], -(f[1] - f[0])))
    kept: list[tuple] = []
    for f in items:
        if kept and kept[-1][2] == f[2] and f[0] < kept[-1][1] and f[1] <= kept[-1][1] and kept[-1][3] == f[3]:
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f[0], f[1], f[2]))
