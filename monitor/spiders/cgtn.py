"""CGTN (news.cgtn.com, newseu.cgtn.com, www.cgtn.com): section RSS feeds -> /news/…/index.html article pages.

Discovery
* The section feeds https://www.cgtn.com/subscribe/rss/section/china.xml and business.xml: confirmed by a
  live check of a public monitor of Chinese state outlets on 2026-09-26 (RSS 2.0, 50 items each, with
  descriptions). Feeds are broad: only items whose title carries a topic word (`on_topic`) are fetched.
  No real feed was seen; the discovery test runs on a feed written by the project.
* HTML listings are read the same way, by anchor text: the link rules are run on two real saved CGTN
  home pages (January 2019) by the real-page tests. www.cgtn.com/opinions is confirmed by public code
  (RSSHub, a maintained public collection of feed scrapers; undated) but not used.
* CGTN's JSON APIs are reported only and not used.

Article URLs
* /news/YYYY-MM-DD/<Title-Slug>-<~10 char id>/index.html: confirmed by URL samples in public code and
  notes (2020-2026) and on a real saved page of newseu.cgtn.com (June 2020); newer pages ending /p.html
  are confirmed by the same samples.
* Older /news/<hex>/index.html: confirmed on real saved pages of news.cgtn.com and www.cgtn.com (2018-2019);
  /news/<hex>/share.html and share_p.html: confirmed as links on the real 2019 home page and in the
  `al:ios:url` of the real 2019 old-template page.

Article pages, two templates (files may start with a byte-order mark, as the saved ones do):
* new: title `.news-title`, date `.date` ("19:49, 21-Jan-2019"), author `.news-author`, body
  `#cmsMainContent` `p.text` / `div.text` (its `p`s) / `p.subtitle`, captions `.imageCaption .title`, a
  "Read more:" label followed by linked headlines (dropped): confirmed on a real saved page of cgtn.com
  (January 2019) and on two saved body containers (one undated, about December 2018; June 2020). RSSHub
  also reads `.news-author-name` and `#cmsMainContent`.
* old: date `.news-date p` ("2019-01-16 09:10 GMT+8"); the body is also JSON in
  `#cmsMainContent[data-json]` (contentType 1 = paragraph, 4 = image with caption), read first:
  confirmed on a real saved page of news.cgtn.com (January 2019).
* `meta[property=article:published_time]` is reported (a generic scraper); the date in the URL is the
  last fallback (it dates the saved June 2020 body container, which prints no date).
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
# and the 2019 home page's /news/<hex>/share.html links (seen on a real saved CGTN home page, Jan. 2019).
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
