"""clean_text, table-driven: the cleaned text, and the map back to the original for every word in it.

A word of the cleaned text must map back to the same word in the original, or to the markup that produced
it ("Mum's" -> "Mum&#39;s"): that is what makes `text == original[start:end]` true for every reported span.
"""

from __future__ import annotations

import re

import pytest

from recordscan.text_cleaning import OffsetMap, clean_text

WORD = re.compile(r"(?:\w[\u0300-\u036f]*)+(?:'(?:\w[\u0300-\u036f]*)+)*")  # words, with combining accents

# name: (original, cleaned, {word in the cleaned text: the original text it must map to})
CASES: dict[str, tuple[str, str, dict[str, str]]] = {
    # HTML: block tags become line breaks, cells a space, inline tags nothing
    "paragraphs": ("<p>Mum was seen.</p><p>Dad was not.</p>", "\nMum was seen.\n\nDad was not.\n", {"Dad": "Dad"}),
    "line breaks": ("Line one<br>Line two<br/>Line three<BR />end", "Line one\nLine two\nLine three\nend", {}),
    "list items": ("<ul><li>one</li><li>two</li></ul>", "\n\none\n\ntwo\n\n", {}),
    "table cells": ("<table><tr><td>GP</td><td>not seen</td></tr></table>", "\n\n GP  not seen \n\n", {"GP": "GP"}),
    "inline tags": ('a <b>bold</b> <span class="x" style="color:red">word</span>', "a bold word", {"word": "word"}),
    "comment": ("x <!-- Dad --> y", "x  y", {}),
    "word html": ("<p class=MsoNormal>Mum<o:p></o:p></p><div>seen</div>", "\nMum\n\nseen\n", {"Mum": "Mum"}),
    "angle-bracket placeholders are text": ("<Child A> said<br>Dad hit <Mum>", "<Child A> said\nDad hit <Mum>", {"Child": "Child", "Mum": "Mum"}),
    "comparisons are text": ("score < 3 and > 1", "score < 3 and > 1", {}),
    # entities
    "ampersand": ("Tom &amp; Jerry", "Tom & Jerry", {"Jerry": "Jerry"}),
    "apostrophe": ("Mum&#39;s view", "Mum's view", {"Mum's": "Mum&#39;s"}),
    "nbsp": ("low&nbsp;mood", "low mood", {"low": "low", "mood": "mood"}),
    "quot": ("&quot;fine&quot; she said", '"fine" she said', {"fine": "fine"}),
    "hex and decimal": ("Dad&#x2019;s and Mum&#8217;s &#X41;BC", "Dad's and Mum's ABC", {"Dad's": "Dad&#x2019;s", "ABC": "&#X41;BC"}),
    "curly entities": ("<div>Mum&rsquo;s &ldquo;low mood&rdquo;</div>", "\nMum's \"low mood\"\n", {"Mum's": "Mum&rsquo;s", "mood": "mood"}),
    "unknown entity kept": ("&unknown; stays", "&unknown; stays", {"unknown": "unknown"}),
    "escaped markup": ("&lt;p&gt; is text", "<p> is text", {"p": "p"}),
    "invalid code points": ("a&#0;b &#55296; &#1114112;", "a\ufffdb \ufffd \ufffd", {"a": "a"}),
    "carriage return entity": ("one&#13;two", "one\ntwo", {"two": "two"}),
    # RTF
    "rtf with font table": (r"{\rtf1\ansi\deff0{\fonttbl{\f0\fswiss Calibri;}{\f1 Arial;}}\f0\fs22 Mum\'92s low mood\par Dad\u8217?s view\par}",
                            "Mum's low mood\nDad's view\n", {"Mum's": r"Mum\'92s", "Dad's": r"Dad\u8217?s", "low": "low"}),
    "rtf ignorable destinations": ("{\\rtf1 {\\*\\generator Riched20 10.0;}\\viewkind4\\uc1 \\pard\\sa200\\sl276\\slmult1\\f0\\fs22\\lang9 "
                                   "Seen at home\\par\r\n}", "Seen at home\n", {"home": "home"}),
    "rtf colour table and words": (r"{\rtf1{\colortbl;\red255\green0\blue0;}{\stylesheet{\s0 Normal;}}\cf1 Red\cf0  text\line next\tab end}",
                                   "Red text\nnext\tend", {"Red": "Red", "end": "end"}),
    "rtf escapes": (r"{\rtf1 a\{b\}c\\d e\~f g\_h i\-j}", "a{b}c\\d e f g-h ij", {"e": "e", "f": "f", "ij": r"i\-j"}),
    "rtf emoji and lone surrogate": (r"{\rtf1 ok \u-10179?\u-8704? and \u55296? done}", "ok \U0001F600 and \ufffd done", {"done": "done"}),
    "rtf cp1252 escapes": (r"{\rtf1 Zo\'eb \'93quoted\'94 \'80 5}", 'Zo\u00eb "quoted" \u20ac 5', {"Zo\u00eb": r"Zo\'eb", "quoted": "quoted"}),
    # characters
    "smart quotes": ("Mum\u2019s \u201cview\u201d \u2018x\u2019 \u201aq\u201e \u2032\u2033", "Mum's \"view\" 'x' 'q\" '\"", {"Mum's": "Mum\u2019s"}),
    "non-breaking spaces": ("a\u00a0b\u202fc", "a b c", {"b": "b"}),
    "control characters": ("a\x01b\x07c\x1bd\x7fe\x85f\tg\nh\x0bi\x0cj\x00k", "a b c d e f\tg\nh i j k", {"k": "k"}),
    "zero-width characters": ("a\u200bb\u200cc\u200dd\ufeffe\u00adf\u200eg\u200fh", "abcdefgh", {"abcdefgh": "a\u200bb\u200cc\u200dd\ufeffe\u00adf\u200eg\u200fh"}),
    "soft hyphen in a word": ("low\u00admood", "lowmood", {"lowmood": "low\u00admood"}),
    "line and paragraph separators": ("a\u2028b\u2029c", "a\nb\nc", {"b": "b"}),
    "carriage returns": ("a\r\nb\rc\r", "a\nb\nc\n", {"b": "b", "c": "c"}),
    "plain text is untouched": ("Mum has low mood; Dad was seen (aged 8).", "Mum has low mood; Dad was seen (aged 8).", {}),
    "emoji and combining": ("\U0001F622 Zoe\u0301 <b>seen</b>", "\U0001F622 Zoe\u0301 seen", {"Zoe\u0301": "Zoe\u0301"}),
}


def _cleans_to(fragment: str, word: str, rtf: bool) -> bool:
    """Does this piece of the original, cleaned on its own, give `word`? (An entity or escape that produced it.)"""
    cleaned = clean_text("{\\rtf1 " + fragment + "}" if rtf else fragment)[0]
    return cleaned.strip() == word


@pytest.mark.parametrize("name", list(CASES))
def test_clean_text(name):
    original, expected, mapped = CASES[name]
    cleaned, offsets = clean_text(original)
    assert cleaned == expected
    assert offsets.clean_length == len(cleaned) and offsets.orig_length == len(original)
    rtf = original.lstrip().startswith("{\\rtf")
    found = {}
    for m in WORD.finditer(cleaned):
        start, end = offsets.span(m.start(), m.end())
        assert 0 <= start < end <= len(original), (m.group(), start, end)
        source = original[start:end]
        assert source == m.group() or _cleans_to(source, m.group(), rtf), (m.group(), source)
        found[m.group()] = source
    for word, source in mapped.items():
        assert found[word] == source


def test_clean_text_needs_no_work_for_plain_text():
    text = "Mum has low mood."
    cleaned, offsets = clean_text(text)
    assert cleaned is text and offsets.is_identity() and offsets == OffsetMap.identity(len(text))


def test_offset_map_span_of_a_replacement_covers_the_whole_entity():
    original = "a &amp; b"
    cleaned, offsets = clean_text(original)
    i = cleaned.index("&")
    assert offsets.span(i, i + 1) == (2, 7) and original[2:7] == "&amp;"
    assert offsets.span(0, len(cleaned)) == (0, len(original))
    assert offsets.span(i, i) == (2, 2)  # an empty span stays empty


def test_rtf_line_breaks_in_the_source_are_not_text():
    cleaned, _ = clean_text("{\\rtf1 one\r\ntwo\\par\r\nthree}")
    assert cleaned == "onetwo\nthree"
