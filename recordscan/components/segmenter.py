"""Split case notes into segments: sentences, headings, bullet lines and the items of attendee lists.

Case notes break sentences on line breaks and bullets as often as on full stops, put headings such as
"Health:" in front of text, abbreviate freely ("Dr.", "approx.", "e.g.") and, in minutes, list who was
present and who sent apologies. ConText scopes stop at a segment boundary, and follow-up rules need to
know whether a name stands in a "Present:" list or an "Apologies:" list, so each segment gets a kind:
`sentence`, `heading`, `bullet`, `present` or `apologies` (kept in `doc.user_data`, see notestate.py).

The work is done with regular expressions over the text and a binary search into token offsets, so the
cost per note is a handful of regex matches rather than a Python loop over every token.
"""

from __future__ import annotations

import re
import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import doc_text, register_extensions
from .notestate import SEGMENTS_KEY, Segment, tokens

register_extensions()

_NOT_START = np.array([-1], dtype=np.int64).view(np.uint64)[0]  # SENT_START -1 ("not a start") as the uint64 spaCy expects

ABBREVIATIONS = frozenset(
    """dr mr mrs ms miss mx prof rev st sgt insp det capt approx appt e.g eg i.e ie etc vs tel ref
    dob d.o.b incl inc dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs
    fri sat sun wk wks yrs yr hrs hr mins min co ltd cf op""".split()
)

#: Abbreviations that also end sentences: a capital after them starts the next one. Titles ("Dr. Patel") and "e.g."
#: stay abbreviations whatever follows.
ENDS_SENTENCE_BEFORE_CAPITAL = frozenset(
    """dob d.o.b approx appt incl etc jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs
    fri sat sun wk wks yrs yr hrs hr mins min v poss prev esp""".split()  # "Jacob v. anxious", "poss. bruising"
)

_LIST_HEADER = re.compile(  # matched against lower-cased text
    r"\b(?P<head>present|attendees|attending|in attendance|attended by|attended|apologies(?: received)?(?: from)?|"
    r"apologies and no report|absent|not present|not seen|unable to attend|did not attend|invited but did not attend|invited|seen)"
    r"\s*(?:\([^)\n]{0,40}\))?\s*[:\-\u2013]\s*"  # "Seen: Maureen, her husband Ken Haddow, Kacey and Riley" on a visit
)
_BARE_LIST_HEADER = re.compile(r"\b(?P<head>present|attendees|in attendance|apologies)[ \t]+(?=\S)")
# "CIN 1: Sinead, Martin (dad), SW, DSL" or "Strategy discussion 10:00: SW, DC Harrow, Dr Kaur (GP)": a meeting
# name, a colon and a list of at least three short items is an attendee list even without "Present:".
_MEETING_WORD = re.compile(r"\b(?:meeting|conference|cin|cp|core group|cg|taf|tac|strategy|strat disc|discussion|icpc|rcpc|review|mtg|panel|minutes)\b")
_LIST_WORDS = ("present", "apolog", "attendee", "attendance", "attended by", "attending", "absent", "invited", "seen")
_APOLOGY_HEADS = ("apolog", "absent", "not present", "not seen", "unable", "did not", "invited but")
# Matched only at line starts (a handful per note), which is much cheaper than a multi-line regex scan.
_HEADING = re.compile(r"[ \t]*(?:\d{1,2}[.)]\s*)?[A-Z][A-Za-z0-9 /&'()\-]{0,40}:(?=[ \t]|$|\n)")
BULLET = re.compile(r"[ \t]*(?:[\-\*\u2022\u25cf\u25aa\u2023\u2043\u25e6o]|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])[ \t]+")
_SENTENCE_END = re.compile(r"(?P<punct>[.!?]+)['\"\u2019\u201d)\]]*\s+(?=\S)")
_PIPE = re.compile(r"\s\|\s*(?=\S)")
# Dictated notes typed by speech-to-text keep the spoken punctuation as words: "no further call outs full stop close
# with school support" (not "came to a full stop", "her new line manager").
_SPOKEN_STOP = re.compile(r"(?<!\ba )\b(?:full stop|new paragraph|new line|next line)\b(?!\s+(?:manager|managers|of)\b)[\s.]*(?=\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, punct_start: int) -> bool:
    """True when the full stop at `punct_start` ends an abbreviation or an initial, not a sentence."""
    m = _WORD_BEFORE.search(text, max(0, punct_start - 12), punct_start)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ENDS_SENTENCE_BEFORE_CAPITAL:
        # "Shauna has still not given his DOB. Plan: PNC checks on Dean", "seen on Wed. Mum was out": a capital after
        # these ends the sentence ("approx. 3 weeks", "DOB. 12/03/1990" do not).
        after = text[punct_start + 1:punct_start + 3].lstrip()
        return not (after[:1].isupper())
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and text[punct_start - 1].isupper()  # an initial: "J. Smith"


def find_segments(text: str) -> list[tuple[int, int, str]]:
    """Character segments (start, end, kind) covering the text, in order; whitespace-only gaps are dropped."""
    starts: dict[int, str] = {0: "sentence"}
    line_starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        line_starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    for line in line_starts:
        first = _skip_space(text, line)
        if first >= len(text) or text[first] == "\n":
            continue
        starts.setdefault(first, "sentence")
        if BULLET.match(text, line):
            starts[line if line == first else first] = "bullet"
        heading = _HEADING.match(text, line)
        if heading:
            after = heading.end()
            rest = text[after:after + 1]
            if rest and rest not in "\n":
                if starts.get(first) != "bullet":
                    starts[first] = "heading"
                starts[_skip_space(text, after)] = "sentence"
    for m in _SENTENCE_END.finditer(text):
        if m.group("punct")[-1] == "." and _is_abbreviation(text, m.start()):
            continue
        starts.setdefault(m.end(), "sentence")
    if "|" in text:
        for m in _PIPE.finditer(text):
            starts.setdefault(m.end(), "sentence")
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased; keep offsets true
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    if "full stop" in low or "new paragraph" in low or "new line" in low or "next line" in low:
        for m in _SPOKEN_STOP.finditer(low):
            starts.setdefault(m.end(), "sentence")
    if any(word in low for word in _LIST_WORDS):  # most notes have no attendee list
        for m in _LIST_HEADER.finditer(low):
            if _opens_line(text, m.start()):
                head = m.group("head").lower()
                # "Invited: ...; GP (Holloway Lane); ...": asked to come, which is not having come.
                kind = "apologies" if head.startswith(_APOLOGY_HEADS) else "invited" if head == "invited" else "present"
                _add_list_items(text, m.start(), m.end(), kind, starts)
        # "CSC: Present Farah, SW, IDVA, DSL, HV.": the same list with no colon after its header.
        for m in _BARE_LIST_HEADER.finditer(low):
            opens = _opens_line(text, m.start()) or text[:m.start()].rstrip().endswith(":")
            if opens and m.end() < len(text) and text[m.end()].isupper() and _looks_like_attendees(text, m.end()):
                kind = "apologies" if m.group("head").startswith("apolog") else "present"
                _add_list_items(text, m.start(), m.end(), kind, starts)
    for header_start, items_start in _meeting_headers(text, low):
        if _looks_like_attendees(text, items_start) and not _LIST_HEADER.match(low, header_start):
            _add_list_items(text, header_start, items_start, "present", starts)
    ordered = sorted(k for k in starts if k < len(text))
    segments = []
    for i, start in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else len(text)
        if text[start:end].strip():
            segments.append((start, end, starts[start]))
    return segments


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _opens_line(text: str, pos: int) -> bool:
    """True at the start of a line or sentence (after any bullet), where a list header can stand."""
    k = pos - 1
    while k >= 0 and text[k] in " \t-*\u2022":
        k -= 1
    return k < 0 or text[k] == "\n" or (text[k] == " " and k > 0 and text[k - 1] in ".!?|") or text[k] in ".!?|"


def _meeting_headers(text: str, low: str):
    """(start of header, start of list) for each "<meeting name ...>:" in the text (`low`: the text lower-cased)."""
    pos = text.find(":")
    while pos >= 0:
        if not (pos + 1 < len(text) and text[pos + 1].isdigit() and pos > 0 and text[pos - 1].isdigit()):  # not a time 10:00
            line_start = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos), text.rfind("| ", 0, pos)) + 1
            if pos - line_start <= 70 and _MEETING_WORD.search(low, line_start, pos):
                items = _skip_space(text, pos + 1)
                if items < len(text) and text[items] != "\n":
                    yield _skip_space(text, line_start), items
        pos = text.find(":", pos + 1)


def _looks_like_attendees(text: str, start: int) -> bool:
    """At least three comma-separated items of at most six words before the sentence ends."""
    end = len(text)
    for stop in (text.find("\n", start), _sentence_stop(text, start)):
        if 0 <= stop < end:
            end = stop
    items = [i.strip() for i in re.split(r"[,;]", re.sub(r"\([^)]*\)", "", text[start:end]))]
    return len(items) >= 3 and all(0 < len(i.split()) <= 6 for i in items)


def _sentence_stop(text: str, start: int) -> int:
    for m in re.finditer(r"\.(?=\s|$)", text[start:]):
        if not _is_abbreviation(text, start + m.start()):
            return start + m.start()
    return -1


def _add_list_items(text: str, header_start: int, items_start: int, kind: str, starts: dict[int, str]) -> None:
    """Mark each comma- or semicolon-separated item of an attendee list as its own segment."""
    line_end = text.find("\n", items_start)
    line_end = len(text) if line_end < 0 else line_end
    starts[header_start] = "heading"
    depth = 0
    item_start = items_start
    for i in range(items_start, line_end):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",;":
            starts[_skip_space(text, item_start)] = kind
            item_start = i + 1
        elif depth == 0 and ch == "." and (i + 1 == line_end or text[i + 1] in " \t") and not _is_abbreviation(text, i):
            break  # the list ends with its sentence
    starts[_skip_space(text, item_start)] = kind
    # Anything after the list on the same line is ordinary text again.
    for pos in list(starts):
        if items_start <= pos < line_end and starts[pos] == "sentence":
            starts[pos] = kind if _inside_list(text, items_start, pos) else "sentence"


def _inside_list(text: str, items_start: int, pos: int) -> bool:
    stop = re.search(r"\.(\s|$)", text[items_start:pos])
    return stop is None


class NoteSegmenter:
    """spaCy component: sets sentence starts and records each segment and its kind (`notestate.segments`)."""

    def __init__(self, nlp: Language, name: str = "recordscan_segmenter"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc.user_data[SEGMENTS_KEY] = []
            return doc
        tok = tokens(doc)
        found = find_segments(tok.text_)
        token_starts = np.asarray(tok.idx, dtype=np.int64)
        bounds = np.searchsorted(token_starts, np.array([(a, b) for a, b, _ in found], dtype=np.int64).reshape(-1, 2), side="left")
        segs: list[Segment] = []
        last_token = -1
        for (t_start, t_end), (_, _, kind) in zip(bounds.tolist(), found):
            if t_start <= last_token:
                t_start = last_token + 1
            if t_start >= t_end or t_start >= n:
                continue
            segs.append(Segment(t_start, t_end, kind))
            last_token = t_start
        if not segs or segs[0].start != 0:
            segs.insert(0, Segment(0, segs[0].start if segs else n, "sentence"))
        # One vectorised write: setting Token.is_sent_start one by one re-scans the whole doc each time.
        starts = np.full((n, 1), _NOT_START, dtype=np.uint64)
        starts[[seg.start for seg in segs], 0] = 1
        doc.from_array([SENT_START], starts)
        doc.user_data[SEGMENTS_KEY] = segs
        return doc

    # The segmenter has no state of its own; these keep nlp.to_disk/from_disk uniform.
    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self
