"""Strip export artefacts (HTML, RTF, odd whitespace and quotes) while keeping a map back to the original text.

Rich-text editors and reporting tools leave `<p>`, `&nbsp;`, `{\\rtf1 ...}`, curly quotes and control
characters in case-note exports. The tagger reads the cleaned text, but every span we report must point
into the text the user gave us, so cleaning returns an `OffsetMap` alongside the cleaned string.

Most notes need no cleaning at all, so `clean_text` checks for artefacts first and returns the text
unchanged with an identity map: this keeps the common case as cheap as a regex search.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

# Characters or sequences that mean a note needs cleaning. Anything else passes straight through.
_NEEDS_CLEANING = re.compile(
    r"[<&{}\\\r\u00a0\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2032\u2033\u00ad\u200b-\u200f\u2028\u2029\u202f\ufeff"
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)

_BLOCK_TAGS = {
    "p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "blockquote", "pre", "section", "article", "header", "footer", "dt", "dd",
}
# Only real HTML elements (and namespaced Word tags such as <o:p>) are markup: notes use angle brackets for
# placeholders ("<Child A> said ..."), and those words must reach the tagger.
_INLINE_TAGS = {
    "a", "abbr", "address", "b", "big", "body", "button", "caption", "center", "cite", "code", "col", "colgroup", "del",
    "dl", "em", "figcaption", "figure", "font", "form", "head", "html", "i", "img", "input", "ins", "label", "link",
    "main", "mark", "meta", "nav", "nobr", "q", "s", "script", "small", "span", "strike", "strong", "style", "sub", "sup",
    "tbody", "td", "tfoot", "th", "thead", "time", "title", "u", "wbr", "xml",
}
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9]*)?)(?![A-Za-z0-9:])[^<>]{0,2000}?/?>|<!--.*?-->", re.S)
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_RTF_TOKEN = re.compile(r"\\'([0-9a-fA-F]{2})|\\u(-?[0-9]+) ?\??|\\([a-zA-Z]+)(-?[0-9]+)? ?|\\([{}\\])|\\[^a-zA-Z{}\\']|[{}]|\r\n|\r")
_RTF_BREAKS = {"par", "line", "row", "cell", "sect", "page"}
# RTF destinations whose content is formatting metadata, not note text.
_RTF_SKIP_DESTINATIONS = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "footer", "generator", "listtable", "listoverridetable", "rsidtbl", "xmlnstbl", "themedata", "latentstyles", "datastore"}

_CHAR_REPLACEMENTS = {
    "\u00a0": " ", "\u202f": " ", "\u2028": "\n", "\u2029": "\n",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\r": "",
}
_DROP_CHARS = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"}
_DROPPED = re.compile("[\r\u00ad\u200b-\u200f\ufeff]")
_NEEDS_MAP = re.compile("[<&{}\\\\\r\u00ad\u200b-\u200f\ufeff\u2028\u2029]")  # markup, or characters that are dropped or expand
_ONE_FOR_ONE = {ord(k): v for k, v in _CHAR_REPLACEMENTS.items() if len(v) == 1}
_ONE_FOR_ONE.update({c: " " for c in (*range(0, 32), *range(0x7F, 0xA0)) if chr(c) not in "\n\t"})


@dataclass
class OffsetMap:
    """Piecewise map from offsets in the cleaned text to offsets in the original text.

    Each segment is either copied (cleaned and original advance together) or replaced (a run of cleaned
    characters stands for a whole original run, e.g. "&" for "&amp;"). Both coordinates are non-decreasing.
    """

    clean_starts: list[int] = field(default_factory=list)
    orig_starts: list[int] = field(default_factory=list)
    orig_ends: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)
    clean_length: int = 0
    orig_length: int = 0

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([0], [0], [length], [True], length, length)

    def _segment(self, clean_offset: int) -> int:
        return max(0, bisect.bisect_right(self.clean_starts, clean_offset) - 1)

    def start(self, clean_offset: int) -> int:
        """Original offset where the character at `clean_offset` begins."""
        if clean_offset >= self.clean_length:
            return self.orig_length
        i = self._segment(clean_offset)
        if self.copied[i]:
            return self.orig_starts[i] + (clean_offset - self.clean_starts[i])
        return self.orig_starts[i]

    def end(self, clean_end: int) -> int:
        """Original offset just after the character that ends at `clean_end` (exclusive)."""
        if clean_end <= 0:
            return 0
        i = self._segment(clean_end - 1)
        if self.copied[i]:
            return self.orig_starts[i] + (clean_end - self.clean_starts[i])
        return self.orig_ends[i]

    def span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Map a cleaned-text span to the smallest original span that produced it."""
        start = self.start(clean_start)
        end = max(start, self.end(clean_end))
        return start, end

    def is_identity(self) -> bool:
        return len(self.copied) == 1 and self.copied[0] and self.clean_length == self.orig_length


class _Builder:
    """Accumulates cleaned text and its offset map in one pass."""

    def __init__(self, original: str):
        self.original = original
        self.parts: list[str] = []
        self.map = OffsetMap(orig_length=len(original))
        self.clean_pos = 0

    def copy(self, start: int, end: int) -> None:
        """Copy original[start:end]: one-for-one character swaps (curly quotes, non-breaking spaces, control
        characters) keep offsets as they are; dropped characters (zero-width, soft hyphen, CR) split the run."""
        if end <= start:
            return
        pos = start
        for m in _DROPPED.finditer(self.original, start, end):
            self._copy_run(pos, m.start())
            if m.group() == "\r" and self.original[m.end():m.end() + 1] != "\n":
                self.replace(m.start(), m.end(), "\n")  # CR LF is one break (the CR goes); a bare CR is an old-Mac break
            pos = m.end()
        self._copy_run(pos, end)

    def _copy_run(self, start: int, end: int) -> None:
        if end <= start:
            return
        m = self.map
        if m.copied and m.copied[-1] and m.orig_ends[-1] == start and m.clean_starts[-1] + (m.orig_ends[-1] - m.orig_starts[-1]) == self.clean_pos:
            m.orig_ends[-1] = end  # extend the previous copied segment
        else:
            m.clean_starts.append(self.clean_pos)
            m.orig_starts.append(start)
            m.orig_ends.append(end)
            m.copied.append(True)
        self.parts.append(self.original[start:end].translate(_ONE_FOR_ONE))
        self.clean_pos += end - start

    def replace(self, start: int, end: int, replacement: str) -> None:
        if not replacement:
            return
        m = self.map
        m.clean_starts.append(self.clean_pos)
        m.orig_starts.append(start)
        m.orig_ends.append(end)
        m.copied.append(False)
        self.parts.append(replacement)
        self.clean_pos += len(replacement)

    def result(self) -> tuple[str, OffsetMap]:
        self.map.clean_length = self.clean_pos
        if not self.map.clean_starts:
            self.map.clean_starts, self.map.orig_starts, self.map.orig_ends, self.map.copied = [0], [0], [0], [True]
        return "".join(self.parts), self.map


def _char_replacement(ch: str) -> str | None:
    """Replacement for one character, '' to drop it, None to keep it as it is."""
    if ch in _CHAR_REPLACEMENTS:
        return _CHAR_REPLACEMENTS[ch]
    if ch in _DROP_CHARS:
        return ""
    code = ord(ch)
    if (code < 32 and ch not in "\n\t") or 0x7F <= code <= 0x9F:
        return " "
    return None


def _decode_entity(body: str) -> str | None:
    decoded = html.unescape(f"&{body};")
    if decoded == f"&{body};":
        return None  # unknown entity: keep the text as written
    decoded = decoded.replace("\r", "\n")  # &#13; is a line break, not nothing
    out = []
    for ch in decoded:
        repl = _char_replacement(ch)
        out.append(ch if repl is None else repl)
    return "".join(out)


def _is_markup(m: re.Match) -> bool:
    name = m.group(1)
    if name is None:
        return True  # a comment
    name = name.lower()
    return ":" in name or name in _BLOCK_TAGS or name in _INLINE_TAGS


def _looks_like_html(text: str) -> bool:
    return "<" in text and any(_is_markup(m) for m in _HTML_TAG.finditer(text))


def clean_text(text: str) -> tuple[str, OffsetMap]:
    """Return (cleaned text, map back to `text`). Offsets of the cleaned text map to offsets of `text`."""
    if not _NEEDS_CLEANING.search(text):
        return text, OffsetMap.identity(len(text))
    if not _NEEDS_MAP.search(text):
        # Only one-for-one swaps (curly quotes, non-breaking spaces, control characters): offsets are unchanged.
        return text.translate(_ONE_FOR_ONE), OffsetMap.identity(len(text))
    if text.lstrip().startswith("{\\rtf"):
        return _clean_rtf(text)
    builder = _Builder(text)
    pos = 0
    has_html = _looks_like_html(text)
    pattern = _HTML_TAG if has_html else None
    for m in _iter_markup(text, pattern):
        builder.copy(pos, m.start())
        token = m.group(0)
        if token.startswith("&"):
            decoded = _decode_entity(m.group(1))
            if decoded is None:
                builder.copy(m.start(), m.end())
            else:
                builder.replace(m.start(), m.end(), decoded)
        elif token.startswith("<!--"):
            pass
        else:
            name = (m.group(1) or "").lower()
            builder.replace(m.start(), m.end(), "\n" if name in _BLOCK_TAGS else " " if name in ("td", "th") else "")
        pos = m.end()
    builder.copy(pos, len(text))
    return builder.result()


def _iter_markup(text: str, tag_pattern: re.Pattern | None):
    """Tags (when the note looks like HTML) and entities, in text order."""
    entities = list(_HTML_ENTITY.finditer(text)) if "&" in text else []
    tags = [m for m in tag_pattern.finditer(text) if _is_markup(m)] if tag_pattern is not None else []
    merged = sorted(entities + tags, key=lambda m: m.start())
    last_end = -1
    for m in merged:
        if m.start() >= last_end:
            yield m
            last_end = m.end()


def _clean_rtf(text: str) -> tuple[str, OffsetMap]:
    """Keep the visible text of an RTF fragment; paragraph marks become line breaks."""
    builder = _Builder(text)
    pos = 0
    depth = 0
    skip_depth: int | None = None  # inside a metadata group ({\\fonttbl ...}, {\\* ...}) until it closes
    ignorable_next = False
    pending_low: int | None = None  # start of a \\uN escape already consumed as the low half of a surrogate pair
    for m in _RTF_TOKEN.finditer(text):
        if skip_depth is None:
            builder.copy(pos, m.start())
        pos = m.end()
        tok = m.group(0)
        if tok == "{":
            depth += 1
            continue
        if tok == "}":
            if skip_depth is not None and depth <= skip_depth:
                skip_depth = None
            depth -= 1
            continue
        if skip_depth is not None or tok in ("\r\n", "\r"):
            continue  # metadata, or a line break in the RTF source (not in the text)
        if tok == "\\*":
            ignorable_next = True
            continue
        if m.group(3) and (ignorable_next or m.group(3) in _RTF_SKIP_DESTINATIONS):
            skip_depth = depth
            ignorable_next = False
            continue
        ignorable_next = False
        if m.group(2) is not None and 0xD800 <= int(m.group(2)) % 65536 <= 0xDBFF:
            # \\uN can be half of a UTF-16 surrogate pair (RTF writes an emoji as two \\u escapes). A pair becomes
            # one character standing for both escapes; a lone half becomes U+FFFD. A surrogate must never reach the
            # tokenizer: it cannot be encoded, and spaCy fails on it.
            low = _RTF_TOKEN.match(text, m.end())
            if low is not None and low.group(2) is not None and 0xDC00 <= int(low.group(2)) % 65536 <= 0xDFFF:
                high_code, low_code = int(m.group(2)) % 65536, int(low.group(2)) % 65536
                builder.replace(m.start(), low.end(), chr(0x10000 + ((high_code - 0xD800) << 10) + (low_code - 0xDC00)))
                pos = low.end()
                pending_low = low.start()
                continue
        if m.group(2) is not None and pending_low == m.start():
            pending_low = None
            continue  # the second half of a pair already replaced
        replacement = _rtf_replacement(m)
        if replacement is not None:
            builder.replace(m.start(), m.end(), replacement)
    if skip_depth is None:
        builder.copy(pos, len(text))
    return builder.result()


# Control symbols: \\~ is a non-breaking space and \\_ a non-breaking hyphen (dropping them would join words);
# a backslash before a line break is a paragraph mark. Others (\\- optional hyphen, \\| ...) are dropped.
_RTF_SYMBOLS = {"\\~": " ", "\\_": "-", "\\\n": "\n"}
_RTF_WORDS = {"tab": "\t", "emdash": "-", "endash": "-", "lquote": "'", "rquote": "'", "ldblquote": '"', "rdblquote": '"', "bullet": "\u2022"}


def _rtf_replacement(m: re.Match) -> str | None:
    """Visible text for one RTF token; None for formatting control words."""
    if m.group(1) or m.group(2):  # \\'hh (a Windows-1252 byte) or \\uN (a Unicode code point)
        ch = bytes([int(m.group(1), 16)]).decode("cp1252", errors="replace") if m.group(1) else chr(int(m.group(2)) % 65536)
        if "\ud800" <= ch <= "\udfff":
            return "\ufffd"  # half of a surrogate pair with no other half: not a character
        repl = _char_replacement(ch)
        return ch if repl is None else repl
    if m.group(3):
        word = m.group(3)
        return "\n" if word in _RTF_BREAKS else _RTF_WORDS.get(word)
    if m.group(5):  # escaped brace or backslash
        return m.group(5)
    return _RTF_SYMBOLS.get(m.group(0))
