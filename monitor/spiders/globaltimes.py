"""Global Times (www.globaltimes.cn): section listings -> /page/YYYYMM/<7 digits>.shtml article pages.

Discovery (SOURCES.md §7): the section listing /china/index.html (C: a collector's selectors with 2026-02
examples) and /business/index.html (R: a DALABA candidate, not checked). RSS is stale (C), so none.
Listing links are dated to the month only: the date is read on the article page. Listings are broad:
only links whose title carries a topic word (`on_topic`) are fetched.
Article pages: `span.pub_time` "Published: Mar 03, 2025 09:34 PM" is C; title `.article_title`, body
`.article_right` (text split by <br>) or `.article_content` and the byline "By …" are R (code only, no
saved page confirms them), so og:/meta fallbacks are kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import ClassVar
from urllib.parse import urljoin

from parsel import Selector
from scrapy.http import Response

from monitor.dates import iso, parse_published
from monitor.htmltext import clean_line, decode_html, join_paragraphs
from monitor.spiders.base import ArticleSpider, ParsedArticle

logger = logging.getLogger(__name__)

# Listing titles worth fetching (lower-case substrings). Broad on purpose: the pipelines decide relevance.
TOPIC_WORDS: tuple[str, ...] = (
    "telecom", "value-added", "foreign", "opening", "open up", "opens", "miit", "information technology",
    "pilot", "data center", "data centre", "internet", "cloud", "app store",
)

ARTICLE_URL_RE = re.compile(r"/page/\d{6}/\d{5,8}\.shtml|/content/\d+\.shtml")
_BREAKS = re.compile(r"(?:<br\s*/?>\s*){1,}", re.I)


def on_topic(title: str) -> bool:
    """True when a listing title is worth fetching the article for."""
    low = title.lower()
    return any(word in low for word in TOPIC_WORDS)


def _text(node: Selector) -> str:
    return clean_line(" ".join(node.xpath(".//text()").getall()))


def _paragraphs(body: Selector) -> list[str]:
    """Paragraphs of the body: its <p>s, or the text between <br> runs (GT bodies are mostly br-split)."""
    out: list[str] = []
    for chunk in _BREAKS.split(body.get() or ""):
        node = Selector(text=f"<div>{chunk}</div>")
        node.css("script, style, .article_footer, .share").drop()
        inner = node.xpath("//div[1]//p")
        if inner:
            # Text outside the <p>s of this chunk, then each <p> on its own.
            loose = clean_line(" ".join(node.xpath("//div[1]/text()").getall()))
            out.extend([loose, *(_text(p) for p in inner)])
        else:
            out.append(_text(node))
    return out


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a Global Times article page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = clean_line(sel.css(".article_title").xpath("string()").get() or "") or clean_line(
        sel.css('meta[property="og:title"]::attr(content)').get() or ""
    )
    published = None
    author = None
    byline = clean_line(sel.css(".author_share_left, .author_share").xpath("string()").get() or "")
    # "By Wang Qi Published: Mar 03, 2025 09:34 PM" or just the span.pub_time.
    if m := re.search(r"\bBy\s+(.+?)\s*(?:\||Published:|$)", byline):
        author = m.group(1).strip() or None
    pub = clean_line(sel.css("span.pub_time").xpath("string()").get() or "")
    if not pub and (m := re.search(r"Published:\s*(.+?)(?:\s*\||$)", byline)):
        pub = m.group(1)
    published = parse_published(pub, languages=("en",)) if pub else None
    if published is None:
        meta = sel.css('meta[property="article:published_time"]::attr(content)').get()
        published = parse_published(meta, languages=("en",))
    if published is None:
        logger.warning("globaltimes: no date on %s", url)
    body = sel.css(".article_right") or sel.css(".article_content")
    text = join_paragraphs(_paragraphs(body[0])) if body else ""
    return {
        "title": title or None,
        "published": iso(published),
        "author": author,
        "language": "en",
        "text": text,
        "canonical_url": sel.css('link[rel="canonical"]::attr(href)').get() or url,
    }


def _titled_links(response: Response, is_article_url: Callable[[str], bool]) -> dict[str, str]:
    """Article URL -> its anchor text(s) on a listing page."""
    html, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
    found: dict[str, str] = {}
    for a in Selector(text=html).css("a[href]"):
        url = urljoin(response.url, (a.attrib.get("href") or "").strip())
        if is_article_url(url):
            found[url] = clean_line(f"{found.get(url, '')} {_text(a)} {a.attrib.get('title', '')}")
    return found


class GlobaltimesSpider(ArticleSpider):
    name = "globaltimes"
    language = "en"
    allowed_domains: ClassVar[list[str]] = ["globaltimes.cn"]
    start_urls: ClassVar[list[str]] = [
        "https://www.globaltimes.cn/china/index.html",
        "https://www.globaltimes.cn/business/index.html",
    ]
    discovery = "section listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)

    def discover(self, response: Response) -> Iterator[str]:
        for url, title in _titled_links(response, self.is_article_url).items():
            if on_topic(title):
                yield url
            else:
                logger.debug("%s: off-topic listing title %r", self.name, title)
