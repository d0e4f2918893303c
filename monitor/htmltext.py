"""Decoding and text helpers shared by every parser: bytes to str without mojibake, blocks to clean text."""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

# Declared Chinese legacy charsets are decoded as their superset, so rare characters survive.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def _norm_encoding(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _SUPERSET.get(name, name)
    resolved = resolve_encoding(name)
    if resolved is None:
        return None
    return _SUPERSET.get(resolved, resolved)


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page, returning (text, encoding used).

    Order: byte-order mark, a charset that decodes the bytes cleanly (HTTP header, then the page's
    meta tag), UTF-8, GB18030 (old Xinhua regional pages declare nothing or the wrong thing), and
    last cp1252 with replacement so nothing ever raises.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace"), enc
    candidates: list[str] = []
    for declared in (http_content_type_encoding(content_type or ""), html_body_declared_encoding(body)):
        enc = _norm_encoding(declared)
        if enc and enc not in candidates:
            candidates.append(enc)
    for enc in ("utf-8", "gb18030"):
        if enc not in candidates:
            candidates.append(enc)
    for enc in candidates:
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    # Nothing decodes cleanly: take the first declared guess, replacing the bad bytes.
    return body.decode(candidates[0], errors="replace"), candidates[0]


_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")


def clean_line(text: str) -> str:
    """Collapse inner whitespace (including ideographic and no-break spaces) and trim."""
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
