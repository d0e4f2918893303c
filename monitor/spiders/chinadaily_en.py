"""China Daily in English (www.chinadaily.com.cn): section listings -> /a/YYYYMM/DD/WS<24 hex>.html pages.

Discovery
* The section listing /business/tech: confirmed by a live check of a public monitor of Chinese state
  outlets on 2026-09-26 (35 dated links).
* /business/economy and /business/companies: reported (used in others' code, not checked).
* No RSS: confirmed dead (world_rss.xml answered 404 on 2026-09-25 in the same monitor's check; another
  project found the other feeds frozen in 2017 and 2019).
* The list-item selector one scraper uses (`.content_left ul li`) is reported only and not needed: every
  link matching an article URL is a candidate. Listings are broad: only links whose title carries a topic
  word (`on_topic`) are fetched. No real listing page was seen; the discovery test runs on a page written
  by the project.

Article URLs
* /a/YYYYMM/DD/WS<24 hex>.html: confirmed on real saved pages of www.chinadaily.com.cn (13 and 20 May
  2024) and by the article-link pattern of the public monitor above.
* Pre-2018 /<section>/YYYY-MM/DD/content_<digits>.htm: confirmed by URL samples in public code.
* global.chinadaily.com.cn as a second host: inferred.

Article pages (all confirmed on the two real saved pages of May 2024)
* title `.lft_art h1` (fallback `og:title`); byline and date in `.info .info_l`
  ("By Wang Xiaoyu | China Daily | Updated: 2024-05-13 09:08", split on "|"; the byline may be absent,
  as on the photo story of 20 May 2024); `meta[name=publishdate]` as the date's fallback; body
  `#Content` `p`s and `figcaption`s.
* `meta[name=author]` names the desk editor (in Chinese), never the byline: it is not read.
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

# /a/202405/13/WS664167f4a31082fc043c6af7.html (2018+) or /business/tech/2017-06/05/content_29618113.htm.
ARTICLE_URL_RE = re.compile(r"/a/\d{6}/\d{2}/WS[0-9a-f]{24}\.html|/\d{4}-\d{2}/\d{2}/content_\d+\.htm$")


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
    text = join_paragraphs([node_text(b) for b in blocks])
    return {
        "title": title or None,
        "published": published,
        "author": author,
        "language": "en",
        "text": text,
        "canonical_url": sel.css('meta[property="og:url"]::attr(content)').get() or url,
    }


class ChinadailyEnSpider(ArticleSpider):
    name = "chinadaily_en"
    language = "en"
    outlet = "China Daily"
    allowed_domains: ClassVar[list[str]] = ["www.chinadaily.com.cn", "global.chinadaily.com.cn"]
    start_urls: ClassVar[list[str]] = [
        "https://www.chinadaily.com.cn/business/tech",
        "https://www.chinadaily.com.cn/business/economy",
        "https://www.chinadaily.com.cn/business/companies",
    ]
    discovery = "section listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_en")
