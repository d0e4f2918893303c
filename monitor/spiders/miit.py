"""MIIT (www.miit.gov.cn): the column list JSON API -> art_<32 hex>.html notice and policy pages.

Discovery
* Section pages are client-side shells of 2-3 KB with no article links: confirmed by public live
  debugging notes (dated 2026-10). So the start URLs are the list API itself.
* The list API `…/api-gateway/jpaas-publish-server/front/page/build/unit` with parseType=buildstatic,
  webId, tplSetId, pageType=column, tagId=右侧内容, editType=null, pageId=<column id>: confirmed by public
  code (an undated "regulation-monitor" script); paging with paramJson {"pageNo", "pageSize"} and items
  `.page-content ul li` (`a/@title`, `span` date): confirmed by a public Scrapy spider dated 2022-07-13.
  RSSHub (a maintained public collection of feed scrapers; undated) reads the same API through the
  shells' `<script parseType="buildstatic">` tags. The answer's `data.html` is an HTML fragment of `li`
  items (`a[href]` with the title in `title` or the text, `span` date); this spider reads every `li`.
  No real API answer was seen; the discovery test runs on one written by the project.
* Columns: 最新政策 (42cd…) and 通知公告 (3e3a…): confirmed (the regulation-monitor script). d3e2…: used
  as a pageId by the 2022 spider and as the 工信动态 column id of MIIT's own RSS in public configs; that the
  API lists 工信动态 under it is inferred.
* Titles are filtered by topic words (`on_topic`): MIIT publishes on every industry it runs.
* RSSHub's department-file and consultation routes send back the cookie of the first response, so this
  spider keeps cookies on (they are off elsewhere); whether MIIT requires it is not known.
* MIIT's own RSS endpoint (named in public configs, never reported to work) and its policy search API
  (confirmed by RSSHub) are not used.

Article URLs
* Paths ending art_<32 hex>.html, some .htm: confirmed (public notes dated 2026-10; RSSHub). The full
  path forms (/zwgk/zcwj/wjfb/tz/art/YYYY/…, /xwdt/gxdt/…/art/YYYY/…) are inferred.

Article pages (no real page was seen: nothing here is checked against one)
* date `#con_time` (YYYY-MM-DD HH:mm), source `.cinfo` "来源：…" (returned as the author), body `#con_con`
  (文件发布, 意见征集) or `.ccontent` (news, 解读): confirmed by public code (RSSHub's MIIT routes; the
  2022 spider for `#con_con` and the 来源 regex).
* Title `#con_title`, the government-site metadata `meta[name=ArticleTitle]` and `meta[name=PubDate]`, and
  `h1`: inferred.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode, urljoin

from parsel import Selector
from scrapy.http import Response

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs, node_text
from monitor.spiders.base import ArticleSpider, ParsedArticle, listing_topics

logger = logging.getLogger(__name__)

API = "https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit"
WEB_ID = "8d828e408d90447786ddbe128d495e9e"
TPL_SET_ID = "209741b2109044b5b7695700b2bec37e"
COLUMNS: dict[str, str] = {
    "最新政策": "42cd38164cb6441a84bdfa441909e15e",
    "通知公告": "3e3ad1a3bec74939890a0d3e54815141",
    "工信动态": "d3e2bede1bc045e2875fc7161c01db7d",
}

# /zwgk/zcwj/wjfb/tz/art/2025/art_0123456789abcdef0123456789abcdef.html (some end .htm).
ARTICLE_URL_RE = re.compile(r"/art_[0-9a-f]{32}\.html?$")
_SOURCE_RE = re.compile(r"来源[:：]\s*(\S+)")


def list_api_url(page_id: str, page_no: int = 1, page_size: int = 24) -> str:
    """The list API URL of one MIIT column page."""
    params = {
        "parseType": "buildstatic",
        "webId": WEB_ID,
        "tplSetId": TPL_SET_ID,
        "pageType": "column",
        "tagId": "右侧内容",
        "editType": "null",
        "pageId": page_id,
        "paramJson": json.dumps({"pageNo": page_no, "pageSize": str(page_size)}, separators=(",", ":")),
    }
    return f"{API}?{urlencode(params)}"


def list_items(payload: str, base: str) -> Iterator[tuple[str, str, str]]:
    """(absolute URL, title, date) of each `li` in the API's data.html fragment."""
    try:
        data: Any = json.loads(payload)
    except ValueError:
        logger.warning("miit: list API answer is not JSON (%s)", base)
        return
    fragment = (data.get("data") or {}).get("html") if isinstance(data, dict) else None
    if not isinstance(fragment, str):
        logger.warning("miit: list API answer has no data.html (%s)", base)
        return
    for li in Selector(text=fragment).css("li"):
        a = li.css("a[href]")
        if not a:
            continue
        title = clean_line(a[0].attrib.get("title") or a[0].xpath("string()").get() or "")
        date = clean_line(li.css("span").xpath("string()").get() or "")
        yield urljoin(base, a[0].attrib["href"].strip()), title, date


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a MIIT notice or news page (pure: no network, no clock)."""
    sel = Selector(text=html)
    title = (
        clean_line(sel.css("#con_title").xpath("string()").get() or "")
        or clean_line(sel.css('meta[name="ArticleTitle"]::attr(content)').get() or "")
        or clean_line(sel.css("h1").xpath("string()").get() or "")
    )
    published = parse_published(clean_line(sel.css("#con_time").xpath("string()").get() or ""), languages=("zh",))
    if published is None:
        published = parse_published(sel.css('meta[name="PubDate"]::attr(content)').get(), languages=("zh",))
    if published is None:
        logger.warning("miit: no date on %s", url)
    source = None
    if m := _SOURCE_RE.search(clean_line(sel.css(".cinfo").xpath("string()").get() or "")):
        source = m.group(1)
    paragraphs: list[str] = []
    for query in ("#con_con", ".ccontent"):
        body = sel.css(query)
        if body:
            blocks = body[0].xpath(".//p[not(ancestor::p)]")
            paragraphs = [node_text(p) for p in blocks] if blocks else [node_text(body[0])]
            break
    return {
        "title": title or None,
        "published": published,
        "author": source,
        "language": "zh",
        "text": join_paragraphs(paragraphs),
        "canonical_url": url,
    }


class MiitSpider(ArticleSpider):
    name = "miit"
    language = "zh"
    outlet = "MIIT"
    allowed_domains: ClassVar[list[str]] = ["www.miit.gov.cn"]
    start_urls: ClassVar[list[str]] = [list_api_url(page_id) for page_id in COLUMNS.values()]
    discovery = "JSON list API of the policy, notice and news columns (titles filtered by topic words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(parse_article)
    topic_words = listing_topics("miit_zh")
    # Public MIIT clients (RSSHub's routes) send back the cookie of the first answer; cookies are off elsewhere.
    custom_settings: ClassVar[dict[str, Any]] = {"COOKIES_ENABLED": True}

    def link_items(self, response: Response) -> Iterator[tuple[str, str]]:
        """The API answers JSON whose data.html is an HTML fragment of `li` items."""
        for url, title, _date in list_items(response.text, response.url):
            yield url, title
