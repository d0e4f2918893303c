"""China Daily in Chinese (china.chinadaily.com.cn, cn.chinadaily.com.cn): channel listings -> /a/…/WS<hex>.html.

Discovery
* The channel listing https://china.chinadaily.com.cn/5bd5639ca3101a87ca8ff636 (时政要闻): confirmed by
  public code (several public spiders read it, undated); no dated live check.
* …/5bd5639ca3101a87ca8ff634: confirmed by one public spider's channel list (undated).
* The list-item selector one Scrapy spider uses (`div.busBox3 h3 a[href]`) is reported only and not
  needed: every link matching an article URL is a candidate. Listings are broad: only links whose title
  carries a topic word (`on_topic`) are fetched. No real listing page was seen; the discovery test runs
  on a page written by the project.

Article URLs
* /a/YYYYMM/DD/WS<24 hex>.html: confirmed on a real saved page of china.chinadaily.com.cn (November 2023).
* cn.chinadaily.com.cn as a second host: inferred.

Article pages (all confirmed on that real saved page of November 2023)
* title `h1.dabiaoti` (a hidden copy of the h1 and the h2 standfirst sits at the top of the body, so a
  bare `h1` is only the last fallback, after `og:title`);
* `.fenx .xinf-le` holds "来源：…" and then the date "2023-11-17 15:13"; `meta[name=publishdate]` is the
  date's fallback;
* body `#Content.article` `p`s;
* `meta[name=author]` names the desk editor and the page carries no byline, so author is None.
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

ARTICLE_URL_RE = re.compile(r"/a/\d{6}/\d{2}/WS[0-9a-f]{24}\.html")
_DATE_RE = re.compile(r"(?:19|20)\d\d-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a china.chinadaily.com.cn article page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = (
        clean_line(sel.css("h1.dabiaoti").xpath("string()").get() or "")
        or clean_line(sel.css('meta[property="og:title"]::attr(content)').get() or "")
        or clean_line(sel.css("h1").xpath("string()").get() or "")
    )
    published = None
    for info in sel.css(".fenx .xinf-le"):
        if m := _DATE_RE.search(node_text(info)):
            published = parse_published(m.group(0), languages=("zh",))
            break
    if published is None:
        published = parse_published(sel.css('meta[name="publishdate"]::attr(content)').get(), languages=("zh",))
    if published is None:
        logger.warning("chinadaily_zh: no date on %s", url)
    body = sel.css("#Content")
    blocks = body.xpath(".//*[self::p or self::figcaption][not(ancestor::figcaption)]") if body else []
    return {
        "title": title or None,
        "published": published,
        "author": None,
        "language": "zh",
        "text": join_paragraphs([node_text(b) for b in blocks]),
        "canonical_url": sel.css('meta[property="og:url"]::attr(content)').get() or url,
    }


class ChinadailyZhSpider(ArticleSpider):
    name = "chinadaily_zh"
    language = "zh"
    outlet = "China Daily"
    allowed_domains: ClassVar[list[str]] = ["china.chinadaily.com.cn", "cn.chinadaily.com.cn"]
    start_urls: ClassVar[list[str]] = [
        "https://china.chinadaily.com.cn/5bd5639ca3101a87ca8ff636",
        "https://china.chinadaily.com.cn/5bd5639ca3101a87ca8ff634",
    ]
    discovery = "channel listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_zh")
