"""CGTN (news.cgtn.com, newseu.cgtn.com, www.cgtn.com): section RSS feeds -> /news/…/index.html article pages.

Discovery (SOURCES.md §8): the section feeds www.cgtn.com/subscribe/rss/section/china.xml and business.xml
(C: RSS 2.0, 50 items each, live-checked 2026-09-26). Feeds are broad: only items whose title carries a
topic word (`on_topic`) are fetched. HTML listings (www.cgtn.com/opinions, C) work too, by anchor text.
Article pages (C, PROVENANCE), two templates, files may start with a byte-order mark:
* new: title `.news-title`, date `.date` ("19:49, 21-Jan-2019"), author `.news-author`, body
  `#cmsMainContent` `p.text` / `div.text` (its `p`s) / `p.subtitle`, captions `.imageCaption .title`;
* old: date `.news-date p` ("2019-01-16 09:10 GMT+8"); the body is also JSON in
  `#cmsMainContent[data-json]` (contentType 1 = paragraph, 4 = image with caption), read first.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, ClassVar

from parsel import Selector

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs, node_text
from monitor.spiders.base import ArticleSpider, ParsedArticle, listing_topics

logger = logging.getLogger(__name__)

# /news/2025-03-03/China-approves-…-1Bz6kW0Xyz2/index.html (or p.html), older /news/<32 hex>/index.html,
# and the 2019 home page links /news/<32 hex>/share.html (a real saved page in ../shared shows it).
_URL_DAY = re.compile(r"/news/(\d{4}-\d{2}-\d{2})/")
ARTICLE_URL_RE = re.compile(
    r"/news/(?:\d{4}-\d{2}-\d{2}/[A-Za-z0-9_-]+|[0-9a-f]{16,})/(?:index|p|share_p|share)\.html"
)

# Classes that hold main text inside #cmsMainContent, in document order.
_BLOCKS = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' text ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' subtitle ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' imageCaption ')]"
)


def _classes(node: Selector) -> set[str]:
    return set((node.attrib.get("class") or "").split())


def _json_body(raw: str) -> list[str]:
    """Paragraphs of the old template's data-json: [{"contentType": 1, "content": …}, {"contentType": 4, "img": …}]."""
    try:
        rows: Any = json.loads(raw)
    except ValueError:
        return []
    out: list[str] = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        kind = str(row.get("contentType"))
        if kind == "1" and isinstance(row.get("content"), str):
            # The content may hold inline markup (links, bold).
            out.append(node_text(Selector(text=f"<div>{row['content']}</div>")))
        elif kind == "4" and isinstance(row.get("img"), dict) and row["img"].get("caption"):
            out.append(clean_line(str(row["img"]["caption"])))
    return out


def _html_body(body: Selector) -> list[str]:
    out: list[str] = []
    in_read_more = False  # inside a "Read more:" label and the linked headlines after it
    for node in body.xpath(_BLOCKS):
        classes = _classes(node)
        # Skip blocks nested in a block already taken (a caption's inner .title, a div.text's p.text).
        if node.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' imageCaption ')]"):
            continue
        if "imageCaption" in classes:
            caption = node.css("p.title") or node.css(".title")
            if caption:
                out.append(node_text(caption[0]))
            continue
        if node.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' text ')]"):
            continue
        text = node_text(node)
        if text.rstrip(":").strip().lower() == "read more":
            in_read_more = True
            continue
        if in_read_more and text == clean_line(" ".join(node.css("a").xpath(".//text()").getall())):
            continue
        in_read_more = False
        paragraphs = node.xpath("./p")
        out.extend(node_text(p) for p in paragraphs) if paragraphs else out.append(text)
    return out


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a CGTN article page, new or old template (pure: no network, no clock)."""
    sel = Selector(text=html.lstrip("\ufeff"))
    title = clean_line(sel.css(".news-title").xpath("string()").get() or "") or clean_line(
        sel.css('meta[property="og:title"]::attr(content)').get() or ""
    )
    if not title:
        title = re.sub(r"\s+-\s+CGTN$", "", clean_line(sel.css("title::text").get() or ""))
    published = None
    for query in (".news-section-date .date", "span.date", ".news-date p", ".news-date"):
        if value := clean_line(sel.css(query).xpath("string()").get() or ""):
            published = parse_published(value, languages=("en",))
            if published:
                break
    if published is None:
        meta = sel.css('meta[property="article:published_time"]::attr(content)').get()
        published = parse_published(meta, languages=("en",))
    if published is None and (m := _URL_DAY.search(url)):
        published = parse_published(m.group(1))  # /news/2020-06-25/<slug>/index.html: the day, no time
    author = clean_line(sel.css(".news-author-name, .news-author").xpath("string()").get() or "") or None
    body = sel.css("#cmsMainContent")
    paragraphs: list[str] = []
    if body:
        if raw := body[0].attrib.get("data-json"):
            paragraphs = _json_body(raw)
        if not paragraphs:
            paragraphs = _html_body(body[0])
    if not paragraphs:
        logger.warning("cgtn: no body on %s", url)
    canonical = sel.css('meta[property="og:url"]::attr(content)').get() or url
    return {
        "title": title or None,
        "published": published,
        "author": author,
        "language": "en",
        "text": join_paragraphs(paragraphs),
        "canonical_url": canonical,
    }


class CgtnSpider(ArticleSpider):
    name = "cgtn"
    language = "en"
    outlet = "CGTN"
    allowed_domains: ClassVar[list[str]] = ["cgtn.com"]
    start_urls: ClassVar[list[str]] = [
        "https://www.cgtn.com/subscribe/rss/section/china.xml",
        "https://www.cgtn.com/subscribe/rss/section/business.xml",
    ]
    discovery = "RSS feeds (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("policy_en")
