"""China Daily in English (www.chinadaily.com.cn): section listings -> /a/YYYYMM/DD/WS<24 hex>.html pages.

Discovery (SOURCES.md §5): the section listings /business/tech (C, live-checked 2026-09-26) and
/business/economy, /business/companies (R: used in others' code, not checked). RSS is dead (C), so none.
Listings are broad: only links whose title carries a topic word (`on_topic`) are fetched.
Article pages (C, PROVENANCE): title `.lft_art h1`; byline and date in `.info .info_l`
("By Wang Xiaoyu | China Daily | Updated: 2024-05-13 09:08"); body `#Content` p and figcaptions.
`meta[name=author]` names the desk editor (in Chinese), never the byline: it is not read.
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

# /a/202405/13/WS664167f4a31082fc043c6af7.html (2018+) or /business/tech/2017-06/05/content_29618113.htm.
ARTICLE_URL_RE = re.compile(r"/a/\d{6}/\d{2}/WS[0-9a-f]{24}\.html|/\d{4}-\d{2}/\d{2}/content_\d+\.htm$")


def on_topic(title: str) -> bool:
    """True when a listing title is worth fetching the article for."""
    low = title.lower()
    return any(word in low for word in TOPIC_WORDS)


def _text(node: Selector) -> str:
    return clean_line(" ".join(node.xpath(".//text()").getall()))


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a www.chinadaily.com.cn article page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = clean_line(sel.css(".lft_art h1").xpath("string()").get() or "") or clean_line(
        sel.css('meta[property="og:title"]::attr(content)').get() or ""
    )
    author = None
    published = None
    # "By Wang Xiaoyu | China Daily | Updated: 2024-05-13 09:08": the author part may be absent.
    info = clean_line(sel.css(".info_l").xpath("string()").get() or "")
    for part in (p.strip() for p in info.split("|")):
        if part.startswith("By "):
            author = part[3:].strip() or None
        elif re.match(r"(?i)(updated|published)\s*:", part):
            published = parse_published(part, languages=("en",))
    if published is None:
        published = parse_published(sel.css('meta[name="publishdate"]::attr(content)').get(), languages=("en",))
    if published is None:
        logger.warning("chinadaily_en: no date on %s", url)
    body = sel.css("#Content")
    blocks = body.xpath(".//*[self::p or self::figcaption][not(ancestor::figcaption)]") if body else []
    text = join_paragraphs([_text(b) for b in blocks])
    return {
        "title": title or None,
        "published": iso(published),
        "author": author,
        "language": "en",
        "text": text,
        "canonical_url": sel.css('meta[property="og:url"]::attr(content)').get() or url,
    }


def _titled_links(response: Response, is_article_url: Callable[[str], bool]) -> dict[str, str]:
    """Article URL -> its anchor text(s) on a listing page (image links add nothing to the title)."""
    html, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
    found: dict[str, str] = {}
    for a in Selector(text=html).css("a[href]"):
        url = urljoin(response.url, (a.attrib.get("href") or "").strip())
        if is_article_url(url):
            found[url] = clean_line(f"{found.get(url, '')} {_text(a)} {a.attrib.get('title', '')}")
    return found


class ChinadailyEnSpider(ArticleSpider):
    name = "chinadaily_en"
    language = "en"
    allowed_domains: ClassVar[list[str]] = ["www.chinadaily.com.cn", "global.chinadaily.com.cn"]
    start_urls: ClassVar[list[str]] = [
        "https://www.chinadaily.com.cn/business/tech",
        "https://www.chinadaily.com.cn/business/economy",
        "https://www.chinadaily.com.cn/business/companies",
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
