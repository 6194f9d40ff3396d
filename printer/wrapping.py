"""Fit text to the paper: wrap by Chinese line-breaking rules, truncate, and measure in dots."""

from __future__ import annotations

import re
from collections.abc import Callable

_NO_LINE_START = set("，。、；：！？）》」』】…,.;:!?)%")
_NO_LINE_END = set("（《「『【(")
_BREAKS = (re.compile(r"(?<=[，；：。｜])|(?=[（(])"), re.compile(r"(?<= )"))
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:/?=&%_~+-]*|\s|.")


def wrap(
    text: str, measure: Callable[[str], float], width: float, _level: int = 0
) -> list[str]:
    """Break text into lines no wider than width, preferring breaks between phrases."""
    if measure(text) <= width:
        return [text]
    if _level >= len(_BREAKS):
        return wrap_chars(text, measure, width)
    # Break after a comma or colon first, then at a space, and only then inside a phrase,
    # so 「请留意叫号，」 stays one thought and a number stays with its unit.
    lines: list[str] = []
    cur = ""
    for phrase in _BREAKS[_level].split(text):
        if not phrase:
            continue
        if measure(cur + phrase) <= width:
            cur += phrase
            continue
        if cur.strip():
            lines.append(cur.rstrip())
        *head, cur = wrap(phrase.lstrip(), measure, width, _level + 1) or [""]
        lines += head
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def wrap_chars(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Break text into lines no wider than width, keeping words and CJK punctuation rules."""
    lines: list[str] = []
    cur = ""
    for token in _TOKEN.findall(text):
        if measure(cur + token) <= width:
            cur += token
            continue
        if not cur.strip():
            cur = ""
        if token.isspace():
            lines.append(cur.rstrip())
            cur = ""
            continue
        if measure(token) > width:
            # An over-long word (a URL, say) is split wherever it must be.
            for ch in token:
                if measure(cur + ch) > width and cur:
                    lines.append(cur)
                    cur = ""
                cur += ch
            continue
        carry = ""
        # Keep closing punctuation off a line start and opening marks off a line end.
        if token[0] in _NO_LINE_START and len(cur) > 1:
            carry, cur = cur[-1], cur[:-1]
        while len(cur) > 1 and cur[-1] in _NO_LINE_END:
            carry, cur = cur[-1] + carry, cur[:-1]
        if cur.strip():
            lines.append(cur.rstrip())
        cur = carry + token
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def truncate(text: str, measure: Callable[[str], float], width: float) -> str:
    """Shorten text with an ellipsis until it fits width."""
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def gb_char_dots(ch: str) -> int:
    """Return the dots one character takes in the printer font (ANK 12, Hanzi 24)."""
    return 12 if ord(ch) < 0x80 else 24


def gb_measure(text: str) -> int:
    """Return the width of text in dots at 1x in gb18030 mode."""
    return sum(gb_char_dots(c) for c in text)


def huge_multiplier(text: str, dots: int) -> int:
    """Return the largest character multiplier (1..8) that fits text with a margin."""
    return max(1, min(8, (dots - 24) // max(1, gb_measure(text))))
