"""Text normalisation before extraction: Simplified Chinese, half-width forms, no pinyin debris, tidy spaces.

Every later step reads the normalised text; `Normalized.span()` maps a span of it back to the original
text, so evidence and offsets always point at what the outlet printed.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import opencc

logger = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")

# One character in, one character out: full-width ASCII (U+FF01..FF5E) and the odd spaces become plain ASCII.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20, 0x0009: 0x20, 0x2002: 0x20, 0x2003: 0x20,
               0x2009: 0x20, 0x000B: 0x20, 0x000C: 0x20, 0x2028: 0x0A, 0x2029: 0x0A, 0x000D: 0x0A,
               0x2018: 0x27, 0x2019: 0x27, 0x2212: 0x2D, 0x2013: 0x2D, 0x2014: 0x2D})
# Digits of other scripts become ASCII digits, one for one: Arabic-Indic, Eastern Arabic-Indic, Devanagari; the Arabic
# percent sign, decimal and thousands separators become "%", "," and "." (so "٢٫٤" reads as 2,4 and "٢٬٤٠٠" as 2.400).
_WIDTH.update({cp: 0x30 + cp - first for first in (0x0660, 0x06F0, 0x0966) for cp in range(first, first + 10)})
_WIDTH.update({0x066A: 0x25, 0x066B: 0x2C, 0x066C: 0x2E})

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", "aaaaeeeeiiiioooouuuuvvvvv")
# A pinyin syllable: optional initial, vowels, optional nasal or r ending ("zhun", "wang", "lv").
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv]{1,3}(?:ng|n|r)?")
# Pinyin glosses some sites print after a character: 获准(zhun), 網(wǎng)站.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\(\s*([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\s*\)")
# Characters that vanish: zero-width spaces and joiners, soft hyphens, BOM.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
# Runs of spaces (one is kept), spaces at a line's ends and blank lines beyond one (all dropped).
_SPACES = re.compile(r"(?P<run> {2,})(?! *\n)(?<!\n {2})| +(?=\n)|(?<=\n) +|(?P<lines>\n{3,})")


# A character of no Latin script (nor of the punctuation around Latin text).
_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f\u20ac]")


def latin_only(text: str) -> bool:
    """True when a text is written in Latin letters only (so patterns of other scripts need not be tried on it).

    >>> latin_only("Café “Foo” — 13 firms"), latin_only("13家")
    (True, False)
    """
    return not _NON_LATIN.search(text)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified Chinese, keeping the length (a phrase that changes length is done per character).

    >>> to_simplified("增值電信業務經營試點批覆")
    '增值电信业务经营试点批复'
    """
    if not _CJK.search(text):
        return text
    conv = _t2s().convert
    out = conv(text)
    if len(out) == len(text):
        return out

    def run(m: re.Match[str]) -> str:
        piece = conv(m.group())
        if len(piece) == len(m.group()):
            return piece
        return "".join(c2 if len(c2 := conv(ch)) == 1 else ch for ch in m.group())

    return _CJK_RUN.sub(run, text)


@dataclass(frozen=True)
class Normalized:
    """Normalised text with the way back: `starts[i]` is where segment i begins in `text` and `orig[i]` in the original."""

    text: str
    original: str
    starts: tuple[int, ...] = (0,)
    orig: tuple[int, ...] = (0,)

    def to_original(self, pos: int) -> int:
        """Position in the original text of position `pos` of the normalised text."""
        i = bisect_right(self.starts, pos) - 1
        return min(self.orig[i] + (pos - self.starts[i]), len(self.original))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


def _pinyin_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PINYIN.finditer(text):
        if _SYLLABLE.fullmatch(m.group(1).translate(_TONES)):
            spans.append(m.span())
    return spans


def normalize(text: str, simplify: bool = True) -> Normalized:
    """Normalise `text` for extraction and keep the map back to it; `simplify` False keeps Han characters as written
    (Japanese kanji are not Traditional Chinese).

    >>> n = normalize("工信部向首批１３家外資企業發放批覆，獲準(zhun)")
    >>> n.text
    '工信部向首批13家外资企业发放批复,获准'
    >>> n.span(n.text.index("获准"), len(n.text))
    (18, 20)
    >>> normalize("١٣ شركة و२४ कंपनियां").text
    '13 شركة و24 कंपनियां'
    """
    work = text.translate(_WIDTH)
    work = to_simplified(work) if simplify else work
    drops = [m.span() for m in _INVISIBLE.finditer(work)] + _pinyin_spans(work)
    if drops:
        drops.sort()
        work, starts, orig = _cut(work, drops, (0,), (0,))
    else:
        starts, orig = (0,), (0,)
    spaces = []
    for m in _SPACES.finditer(work):
        s, e = m.span()
        keep = 2 if m["lines"] else (1 if m["run"] and (s == 0 or work[s - 1] != "\n") else 0)
        spaces.append((s + keep, e))
    spaces = [(s, e) for s, e in spaces if e > s]
    if spaces:
        work, starts, orig = _cut(work, spaces, starts, orig)
    return Normalized(work, text, starts, orig)


def _cut(text: str, drops: list[tuple[int, int]], starts: tuple[int, ...], orig: tuple[int, ...]):
    """Remove the (sorted, disjoint) spans from `text`, composing the offset map with the one given."""
    base = Normalized(text, text, starts, orig)
    pieces: list[str] = []
    new_starts: list[int] = []
    new_orig: list[int] = []
    pos = out = 0
    for s, e in drops:
        if s < pos:
            s = pos
        if s > pos:
            pieces.append(text[pos:s])
            _segments(base, pos, s, out, new_starts, new_orig)
            out += s - pos
        pos = max(pos, e)
    if pos < len(text) or not pieces:
        pieces.append(text[pos:])
        _segments(base, pos, len(text), out, new_starts, new_orig)
    return "".join(pieces), tuple(new_starts) or (0,), tuple(new_orig) or (0,)


def _segments(base: Normalized, s: int, e: int, out: int, starts: list[int], orig: list[int]) -> None:
    """Segments of the kept text [s, e) placed at `out`, split wherever the earlier map has a segment start."""
    i = bisect_right(base.starts, s) - 1
    cur = s
    while cur < e or (cur == e == s):
        nxt = base.starts[i + 1] if i + 1 < len(base.starts) else None
        starts.append(out + cur - s)
        orig.append(base.orig[i] + (cur - base.starts[i]))
        if nxt is None or nxt >= e:
            break
        cur = nxt
        i += 1
