"""Global Times (www.globaltimes.cn): section listings -> /page/YYYYMM/<7 digits>.shtml article pages.

Discovery
* The section listing /china/index.html: confirmed by public code (a collector whose examples are dated
  2026-02 reads its blocks: `a.new_title_ml`, `a.new_title_ms`, `.mid_title a`, `div.source_time`).
* /business/index.html: reported (a candidate in a public monitor's list, not checked). The listings that
  monitor did live-check on 2026-09-26 (/opinion/, /world/index.html) are not used.
* No RSS: /rss/outbrain.xml is confirmed to carry a recommendation set, not current news (the same
  live check); /rss/china.xml is reported to answer 404. Site search is reported only.
* Listing links are dated to the month only (from the URL), so the date is read on the article page.
  Listings are broad: only links whose title carries a topic word (`on_topic`) are fetched. No real
  listing page was seen; the discovery test runs on a page written by the project.

Article URLs
* /page/YYYYMM/<7 digits>.shtml: confirmed by the article-link pattern of the same public monitor and by
  many URL samples (2023-2026); the pattern accepts 5 to 8 digits. Old /content/<id>.shtml: inferred.

Article pages (no real page was seen: nothing here is checked against one)
* `span.pub_time` "Published: Mar 03, 2025 09:34 PM": confirmed by public code (the 2026-02 collector).
* Title `.article_title` and body `.article_right`: reported (undated public code); body fallback
  `.article_content` and the author from "By … Published:": reported (an AI-generated adapter).
* The byline block `.author_share_left`/`.author_share`, splitting the body at `<br>` runs, and the
  `og:title` and `article:published_time` fallbacks: inferred.
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

ARTICLE_URL_RE = re.compile(r"/page/\d{6}/\d{5,8}\.shtml|/content/\d+\.shtml")
# Paragraph boundaries inside the body: <br> runs and block tags (<p class="picture"> captions, <center>).
_BREAKS = re.compile(r"(?:\s*(?:<br\s*/?>|</?(?:p|div|center|h\d|blockquote)\b[^>]*>)\s*)+", re.I)


def _paragraphs(body: Selector) -> list[str]:
    """Paragraphs of the body: the text between <br> runs and block tags (GT bodies are mostly br-split)."""
    body.css("script, style").drop()
    inner = re.sub(r"^<[^>]+>|</[^>]+>$", "", (body.get() or "").strip())
    return [node_text(Selector(text=f"<div>{chunk}</div>")) for chunk in _BREAKS.split(inner)]


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
        "published": published,
        "author": author,
        "language": "en",
        "text": text,
        "canonical_url": sel.css('link[rel="canonical"]::attr(href)').get() or url,
    }


class GlobaltimesSpider(ArticleSpider):
    name = "globaltimes"
    language = "en"
    outlet = "Global Times"
    allowed_domains: ClassVar[list[str]] = ["globaltimes.cn"]
    start_urls: ClassVar[list[str]] = [
        "https://www.globaltimes.cn/china/index.html",
        "https://www.globaltimes.cn/business/index.html",
    ]
    discovery = "section listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_en")
