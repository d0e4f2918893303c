"""Decoding and text helpers shared by every parser: bytes to str without mojibake, blocks to clean text."""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _clean_guess(body: bytes) -> str | None:
    """For a page that declares no charset: UTF-8 when the bytes are UTF-8, else GB18030 when they are that."""
    return next((enc for enc in ("utf-8", "gb18030") if _strict(body, enc) is not None), None)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page, returning (text, encoding used).

    w3lib's `html_to_unicode` reads the byte-order mark, the HTTP charset and the page's meta charset in
    that order (GB2312 and GBK as their superset GB18030, so rare characters survive). When the declared
    charset does not decode the bytes cleanly (old Xinhua regional pages declare the wrong one), UTF-8 and
    then GB18030 are tried strictly; nothing ever raises.
    """
    encoding, text = html_to_unicode(content_type or "", body, default_encoding="utf-8", auto_detect_fun=_clean_guess)
    if "\ufffd" in text and b"\xef\xbf\xbd" not in body:  # bytes were replaced: the declaration was wrong
        for guess in ("utf-8", "gb18030"):
            if (strict := _strict(body, guess)) is not None:
                return strict, guess
    return text, encoding


_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")


_ODD_WS = re.compile(r"[\t\r\f\v\u00a0\u3000\u200b\ufeff]")  # _WS but the plain space


def clean_line(text: str) -> str:
    """Collapse inner whitespace (including ideographic and no-break spaces) and trim.

    >>> clean_line("  13\u3000firms \t approved ")
    '13 firms approved'
    """
    if "  " not in text and not _ODD_WS.search(text):  # most lines: nothing to collapse (5x faster than the sub)
        return text.strip()
    return _WS.sub(" ", text).strip()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Main text as the project stores it: non-empty cleaned paragraphs separated by blank lines."""
    return "\n\n".join(p for p in (clean_line(x) for x in paragraphs) if p)


def page_url(html: str) -> str | None:
    """The address a page gives itself (canonical link, og:url, CGTN's al:ios:url), when it gives one."""
    from parsel import Selector

    sel = Selector(text=html[:200_000])
    for query in ('link[rel="canonical"]::attr(href)', 'meta[property="og:url"]::attr(content)',
                  'meta[property="al:ios:url"]::attr(content)'):
        value = (sel.css(query).get() or "").strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


def node_text(node) -> str:  # a parsel Selector
    """All the text inside a selected element, whitespace collapsed (a paragraph's, a title's)."""
    return clean_line(" ".join(node.xpath(".//text()").getall()))


# Control characters a page may carry into a title or a terminal ("\x1b[31m" rewrites an analyst's screen):
# every C0 and C1 control but newline and tab, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
# Field sizes a parser's output is bounded to (README, "Bad input"): no news title or byline is longer.
FIELD_LIMITS = {"title": 1_000, "author": 300, "language": 16, "text": 2_000_000}


def sanitize(fields: dict) -> dict:
    r"""A parser's output made safe to store and print: control characters removed, fields bounded in size.

    >>> sanitize({"title": "A\x1b[31m red\x07 title", "text": "para\n\npara"})["title"]
    'A[31m red title'
    """
    out = dict(fields)
    for key, limit in FIELD_LIMITS.items():
        value = out.get(key)
        if isinstance(value, str):
            value = _CONTROL.sub("", value)
            if key != "text":
                value = " ".join(value.split())
            out[key] = value[:limit] or (None if key != "text" else "")
    return out
