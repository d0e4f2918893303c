"""MIIT (www.miit.gov.cn): the column list JSON API -> art_<32 hex>.html notice and policy pages.

Discovery (SOURCES.md §10): section pages are client-side shells (C), so the start URLs are the list API
itself (C: `front/page/build/unit` with parseType=buildstatic, webId, tplSetId, pageType=column,
tagId=右侧内容, editType=null, pageId=<column id>, paramJson pageNo/pageSize). Its JSON carries
`data.html`, an HTML fragment of `li` items (`a[href]` with the title in `title` or the text, `span`
date). Columns: 最新政策 and 通知公告 (C), 工信动态 (I: the RSS column id taken as a pageId).
Titles are filtered by topic words (`on_topic`): MIIT publishes on every industry it runs.
Note (C, RSSHub): some MIIT routes send the cookie of a first response; the project runs without
cookies, so a 4xx here is the first thing to check.
Article pages (C, RSSHub): date `#con_time`, source `.cinfo` "来源：…", body `#con_con` (文件发布) or
`.ccontent` (news); title `#con_title` or the government-site `meta[name=ArticleTitle]`.
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
    # Public MIIT clients send back the cookie of the first answer (SOURCES.md §10); cookies are off elsewhere.
    custom_settings: ClassVar[dict[str, Any]] = {"COOKIES_ENABLED": True}

    def link_items(self, response: Response) -> Iterator[tuple[str, str]]:
        """The API answers JSON whose data.html is an HTML fragment of `li` items."""
        for url, title, _date in list_items(response.text, response.url):
            yield url, title
