"""The State Council's English site (english.www.gov.cn): listings -> …/YYYYMM/DD/content_WS<24 hex>.html.

Discovery
* The listings /news/ and /policies/: confirmed by a live check of a public monitor of Chinese state
  outlets on 2026-09-26 (16 and 12 dated links).
* Their entries, `<h3><a href="//english.www.gov.cn/…">` followed by `<h4>YYYY/MM/DD</h4>`: reported (a
  test fixture of another project, undated); not needed, every link matching an article URL is a
  candidate. Listings are broad: only links whose title carries a topic word (`on_topic`) are fetched.
  No real listing page was seen; the discovery test runs on a page written by the project.
* RSS /rss/news.xml: reported only, not used.

Article URLs
* /<news|policies/latestreleases|archive/statistics>/YYYYMM/DD/content_WS<24 hex>.html: confirmed by
  URL samples (2023-2026) and the article-link pattern of the public monitor above.

Article pages (no real page was seen: nothing here is checked against one)
* `meta[name=publishdate]` (YYYY-MM-DD): reported (the same test fixture of another project).
* Everything else is inferred: the site shares China Daily's WS content ids, so the parser reads that
  CMS's places (`h1`, `.info` with "By …" and "Updated: …", `#Content` `p`s, then `.pages_content`,
  `.article-content`, `article`), with `og:title` and `meta[name=ArticleTitle]` as title fallbacks.
  Treat its selectors as a guess until a real page is saved.
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from parsel import Selector

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs, node_text
from monitor.spiders.base import ArticleSpider, ParsedArticle, listing_topics

logger = logging.getLogger(__name__)

# /news/202404/10/content_WS66164db2c6d0868f4e8e5e93.html, /policies/latestreleases/…, /archive/statistics/…
ARTICLE_URL_RE = re.compile(r"/\d{6}/\d{2}/content_WS[0-9a-f]{24}\.html")


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of an english.www.gov.cn article page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = (
        clean_line(sel.css("h1").xpath("string()").get() or "")
        or clean_line(sel.css('meta[property="og:title"]::attr(content)').get() or "")
        or clean_line(sel.css('meta[name="ArticleTitle"]::attr(content)').get() or "")
    )
    info = clean_line(sel.css(".info").xpath("string()").get() or "")
    author = None
    if m := re.search(r"\bBy\s+([^|]+?)\s*(?:\||Updated:|$)", info):
        author = m.group(1).strip() or None
    published = None
    if m := re.search(r"(?:Updated|Published):\s*([^|]+?)\s*(?:\||$)", info):
        published = parse_published(m.group(1), languages=("en",))
    if published is None:
        published = parse_published(sel.css('meta[name="publishdate"]::attr(content)').get(), languages=("en",))
    if published is None:
        logger.warning("govcn_en: no date on %s", url)
    paragraphs: list[str] = []
    for query in ("#Content", ".pages_content", ".article-content", "article"):
        body = sel.css(query)
        if body:
            blocks = body[0].xpath(".//*[self::p or self::figcaption][not(ancestor::figcaption)]")
            paragraphs = [node_text(b) for b in blocks]
            break
    return {
        "title": title or None,
        "published": published,
        "author": author,
        "language": "en",
        "text": join_paragraphs(paragraphs),
        "canonical_url": sel.css('meta[property="og:url"]::attr(content)').get() or url,
    }


class GovcnEnSpider(ArticleSpider):
    name = "govcn_en"
    language = "en"
    outlet = "State Council (gov.cn)"
    allowed_domains: ClassVar[list[str]] = ["english.www.gov.cn"]
    start_urls: ClassVar[list[str]] = ["https://english.www.gov.cn/news/", "https://english.www.gov.cn/policies/"]
    discovery = "news and policy listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_en")
