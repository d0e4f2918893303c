"""The parser for any news page without a site parser: JSON-LD, OpenGraph/meta tags, then trafilatura.

Also home of the block-text helpers the site parsers share: `paragraphs` (an element's text as
paragraphs, breaking at block elements and <br>), `densest_block` (the element holding most
non-link text, for old table-layout pages) and `detect_language`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import trafilatura
from bs4 import BeautifulSoup
from parsel import Selector

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs

logger = logging.getLogger(__name__)

ParsedArticle = dict[str, Any]

# Elements that start a new paragraph.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote figcaption figure table tbody thead tfoot tr td th "
    "section article header footer aside center dl dt dd pre hr br address main nav".split()
)
# Elements whose text is never main text.
SKIP_TAGS = frozenset(
    "script style noscript iframe form button video audio select textarea svg object embed input "
    "head title template canvas map".split()
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A line break in the source between two Chinese characters or punctuation marks: not a space.
_CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t]*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)
_ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
                            "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage"})


def _tag(el: Any) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _clean(text: str) -> str:
    return clean_line(_CJK_BREAK.sub("", text).replace("\n", " "))


def paragraphs(root: Any, drop: Callable[[Any], bool] | None = None) -> list[str]:
    """Text of an lxml element as cleaned paragraphs: block elements and <br> break, inline ones join.

    `drop(element)` returning True leaves that element (and its children) out.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            line = _clean("".join(buf))
            if line:
                out.append(line)
            buf.clear()

    def walk(el: Any) -> None:
        tag = _tag(el)
        if tag is not None and tag not in SKIP_TAGS and not (drop and drop(el)):
            block = tag in BLOCK_TAGS
            if block:
                flush()
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    buf.append(child.tail)
            if block:
                flush()

    walk(root)
    flush()
    return out


def _own_text_length(el: Any) -> int:
    """Characters of non-link text in an element's direct text and its direct <p>/<font>/<span> children."""
    total = len((el.text or "").strip())
    for child in el:
        tag = _tag(child)
        if tag in ("p", "font", "span", "b", "strong"):
            text = "".join(child.itertext())
            links = "".join("".join(a.itertext()) for a in child.iter("a"))
            total += max(0, len(text.strip()) - 2 * len(links.strip()))
        total += len((child.tail or "").strip())
    return total


def densest_block(root: Any) -> Any | None:
    """The td/div/article/section holding the most non-link paragraph text (table-layout pages)."""
    best, best_score = None, 0
    for el in root.iter("td", "div", "article", "section", "span"):
        score = _own_text_length(el)
        if score > best_score:
            best, best_score = el, score
    return best


def cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK.match(c)) / len(letters)


def detect_language(declared: str | None, text: str) -> str:
    """"zh" or "en": the page's declared language when it says so, else by the share of CJK letters."""
    if declared:
        low = declared.strip().lower()
        if low.startswith("zh"):
            return "zh"
        if low.startswith("en"):
            return "en"
    return "zh" if cjk_ratio(text) > 0.3 else "en"


def meta(sel: Selector, *names: str) -> str | None:
    """The first non-empty content of <meta name=…> or <meta property=…> among `names`."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            value = sel.xpath(f"//meta[translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                              f"'abcdefghijklmnopqrstuvwxyz')='{name}']/@content").get()
            if value and value.strip():
                return value.strip()
    return None


def _walk_ld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk_ld(node[key])
    elif isinstance(node, list):
        for item in node:
            yield from _walk_ld(item)


def json_ld_article(sel: Selector) -> dict[str, Any]:
    """The first JSON-LD object typed as a news article (or article, blog post), else {}."""
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except ValueError:
            logger.debug("unreadable JSON-LD block skipped")
            continue
        for obj in _walk_ld(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types) and (
                obj.get("headline") or obj.get("articleBody") or obj.get("datePublished")
            ):
                return obj
    return {}


def ld_author(value: Any) -> str | None:
    """A JSON-LD author (string, Person, or list of them) as "A, B"."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(item["name"])
    names = [clean_line(n) for n in names if n and n.strip()]
    return ", ".join(names) or None


def ld_text(value: str) -> str:
    """The text of a JSON-LD string field that may carry markup, paragraphs on lines of their own."""
    if "<" not in value:
        return value
    return BeautifulSoup(value, "html.parser").get_text("\n")


def strip_title_suffix(title: str, suffixes: tuple[str, ...]) -> str:
    """The title without a trailing " - Site" part naming one of `suffixes`."""
    for _ in range(3):
        m = re.match(r"^(.*\S)\s*[-_|–—]\s*([^-_|–—]+?)\s*$", title)
        if not m or not any(s.lower() in m.group(2).lower() for s in suffixes):
            break
        title = m.group(1)
    return title


def trafilatura_paragraphs(html: str, url: str) -> list[str]:
    """trafilatura's main text (precision first, plain text) as paragraphs, or []."""
    text = trafilatura.extract(
        html, url=url, favor_precision=True, output_format="txt", include_comments=False,
        include_tables=False, with_metadata=False,
    )
    return [p for p in (_clean(line) for line in (text or "").splitlines()) if p]


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of any news page: JSON-LD and meta tags for metadata, trafilatura for the main text."""
    sel = Selector(text=html or "<html></html>")
    ld = json_ld_article(sel)
    title = (
        (ld.get("headline") if isinstance(ld.get("headline"), str) else None)
        or meta(sel, "og:title", "twitter:title")
        or clean_line(sel.xpath("string(//h1)").get() or "")
        or strip_title_suffix(clean_line(sel.xpath("string(//title)").get() or ""), ("news", "网", ".com", ".cn"))
    )
    raw_date = (
        (ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None)
        or meta(sel, "article:published_time", "publishdate", "pubdate", "date", "dc.date",
                "og:article:published_time", "datepublished", "firstpublishedtime")
        or sel.xpath("//time/@datetime").get()
    )
    declared = (
        (ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
        or sel.xpath("/html/@lang").get()
        or meta(sel, "og:locale", "language", "content-language")
    )
    author = ld_author(ld.get("author")) or meta(sel, "author", "article:author", "byl")
    if author and (author.isdigit() or author.startswith("http")):
        author = None
    if author:
        author = re.sub(r"^by\s+", "", author, flags=re.I) or None

    body = trafilatura_paragraphs(html, url)
    if body and title and body[0] == clean_line(title):
        body = body[1:]
    if not body and isinstance(ld.get("articleBody"), str):
        # articleBody is plain text on most sites and markup on some: BeautifulSoup reads both.
        body = [p for p in (_clean(x) for x in ld_text(ld["articleBody"]).splitlines()) if p]
    if not body:
        block = densest_block(sel.root)
        body = paragraphs(block) if block is not None else []
    if not body:
        logger.warning("generic: no main text on %s", url)
    text = join_paragraphs(body)
    language = detect_language(declared, text or title or "")
    published = parse_published(raw_date, languages=(language, "en") if language == "zh" else ("en",))
    canonical = sel.xpath("//link[@rel='canonical']/@href").get() or meta(sel, "og:url") or url
    return {
        "title": clean_line(title) or None,
        "published": published,
        "author": author,
        "language": language,
        "text": text,
        "canonical_url": canonical,
    }
