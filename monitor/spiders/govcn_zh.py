"""The State Council's Chinese site (www.gov.cn): policy listings -> …/YYYYMM/content_<digits>.htm pages.

Discovery
* The 最新政策 listing /zhengce/zuixin/: confirmed by public code (RSSHub, a maintained public collection
  of feed scrapers, undated), which takes its links `h4 a` and `div.subtitle a[title]` that match
  www.gov.cn/zhengce…content_<digits>.htm.
* The policy front page /zhengce/ ("最新" block: `.list ul li a` + a `span` date; links absolute or
  relative, ./YYYYMM/content_<id>.htm): seen on a real saved excerpt of that block (September 2026;
  trimmed, so not verified), which the real-page tests run through this spider's link rules.
* Every link matching an article URL is a candidate; listings are broad, so only links whose title
  carries a topic word (`on_topic`) are fetched.

Article URLs
* /zhengce/content/YYYYMM/content_<digits>.htm and news …/YYYYMM/content_<digits>.htm: confirmed by
  public code (RSSHub) and URL samples; ./YYYYMM/content_<id>.htm links on the real listing excerpt.
* The older /zhengce/content/YYYY-MM/DD/content_<digits>.htm form: inferred.

Article pages (no real article page was seen: nothing here is checked against one)
* `meta[name=firstpublishedtime]` (YYYY-MM-DD-HH:mm:ss), `meta[name=author]`, title `div.share-title`,
  body `#UCAP-CONTENT` / `div.TRS_UEDITOR` (policy library pages: `.pages_content`): confirmed by public
  code (RSSHub's gov.cn routes, undated).
* Fallbacks, inferred: the national government-site metadata (`meta[name=ArticleTitle]`,
  `meta[name=PubDate]`), `h1`, the `<title>` before its first "_", and a `#Content` body.
english.www.gov.cn belongs to govcn_en, not here.
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from parsel import Selector

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs, node_text
from monitor.spiders.base import ArticleSpider, ParsedArticle, host_of, listing_topics

logger = logging.getLogger(__name__)

# /zhengce/content/202503/content_7011234.htm, /zhengce/202609/content_7082364.htm,
# /yaowen/liebiao/202503/content_7011235.htm; older /zhengce/content/2016-12/07/content_5144582.htm.
ARTICLE_URL_RE = re.compile(r"/(?:\d{6}|\d{4}-\d{2}/\d{2})/content_\d+\.htm$")
ENGLISH_HOST = "english.www.gov.cn"


def _meta(sel: Selector, name: str) -> str:
    return clean_line(sel.css(f'meta[name="{name}"]::attr(content)').get() or "")


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a www.gov.cn article or policy page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = (
        clean_line(sel.css("div.share-title").xpath("string()").get() or "")
        or _meta(sel, "ArticleTitle")
        or clean_line(sel.css("h1").xpath("string()").get() or "")
        or re.sub(r"_.*$", "", clean_line(sel.css("title::text").get() or ""))
    )
    published = None
    for value in (_meta(sel, "firstpublishedtime"), _meta(sel, "PubDate")):
        if value and (published := parse_published(value, languages=("zh",))):
            break
    if published is None:
        logger.warning("govcn_zh: no date on %s", url)
    paragraphs: list[str] = []
    for query in ("#UCAP-CONTENT", "div.TRS_UEDITOR", ".pages_content", "#Content"):
        body = sel.css(query)
        if body:
            blocks = body[0].xpath(".//p[not(ancestor::p)]")
            paragraphs = [node_text(p) for p in blocks] if blocks else [node_text(body[0])]
            break
    return {
        "title": title or None,
        "published": published,
        "author": _meta(sel, "author") or None,
        "language": "zh",
        "text": join_paragraphs(paragraphs),
        "canonical_url": url,
    }


class GovcnZhSpider(ArticleSpider):
    name = "govcn_zh"
    language = "zh"
    outlet = "State Council (gov.cn)"
    allowed_domains: ClassVar[list[str]] = ["www.gov.cn"]
    start_urls: ClassVar[list[str]] = ["https://www.gov.cn/zhengce/zuixin/", "https://www.gov.cn/zhengce/"]
    discovery = "policy listing pages (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_zh")

    @classmethod
    def handles(cls, url: str) -> bool:
        return host_of(url) != ENGLISH_HOST and super().handles(url)

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        return host_of(url) != ENGLISH_HOST and super().is_article_url(url)
