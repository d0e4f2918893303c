"""Xinhua in Chinese (www.news.cn, www.xinhuanet.com and regional sites such as he.news.cn).

Discovery
* The channel JSON data sources /fortune/ds_1e491dadc8944459b71b7ab13422623d.json and
  /tech/ds_fd79514d92f34849bc8baef7ce3d5aae.json: confirmed by public code. RSSHub (a maintained public
  collection of feed scrapers; recent, undated version) finds a channel's id in its page and reads
  ds_<id>.json; these two ids come from the tests of another public Xinhua route, with fixtures dated
  2026-09. Shape: `{"datasource": [{"publishUrl", "linkUrls", "title", "publishTime", …}]}`, publishUrl
  absolute, root-relative or relative to the channel; the base spider's JSON walk reads every URL field.
* The listing http://www.xinhuanet.com/tech/: confirmed by a live check of a public monitor of Chinese
  state outlets on 2026-09-26 (29 dated links); every link matching an article URL is kept.
* No RSS: Xinhua's feeds are stale or unchecked (reported only).
* A real saved excerpt of a www.news.cn politics listing (October 2026; trimmed, so not verified) is run
  through this spider's link rules by the real-page tests; the start pages themselves were never seen.
Every article is fetched (no title filter): the lists are short and the pipelines decide relevance.

Article URLs (all confirmed on real saved pages)
* /<section>/YYYYMMDD/<32 hex>/c.html: www.news.cn (May 2024), he.news.cn (May 2024);
* /<section>/YYYY-MM/DD/c_<id>.htm: www.news.cn (November 2023), www.xinhuanet.com (December 2019,
  February 2020);
* regional /news/YYYY-MM/DD/content_<id>.htm: he.xinhuanet.com (June 2012, a Wayback copy) and
  chinaneast.xinhuanet.com (August 2005).

Article pages, three templates, all confirmed on those real saved pages:
* 2020s news.cn: title `.head-line h1 span.title` (he.news.cn: `h1#title span`), time `.header-time`
  (year, MM/DD, HH:MM:SS; he.news.cn: `.info span.time`), `meta[name=publishdate]`, body
  `#detailContent` (the 2023 page has its `<p>`s directly under `#detail`), editor `.editor`
  "【责任编辑:…】", video player and pager inside the body (dropped);
* 2019-2020 xinhuanet: `.h-title`, `.h-info .h-time`, body `#p-detail` (gallery `.lb`, likes
  `.zan-wap`, correction/editor `.p-jc` inside, dropped);
* old regional table layout, GB2312/GBK often without a charset (decoded before parsing by
  monitor.htmltext.decode_html): title from `<title>`, time printed near the title (its day must agree
  with the URL's, else the URL's day is used), body = the table cell holding the most paragraph text.
The English site shares the CMS: `read_xinhua` is also used by monitor.spiders.xinhua_en.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from parsel import Selector

from monitor.dates import parse_published
from monitor.generic import densest_block, paragraphs, strip_title_suffix
from monitor.htmltext import clean_line, join_paragraphs
from monitor.spiders.base import ArticleSpider, ParsedArticle, host_matches, host_of

logger = logging.getLogger(__name__)

XINHUA_DOMAINS = ("news.cn", "xinhuanet.com")
# Subdomains in other languages than Chinese: never ours (English is xinhua_en's, the rest is generic).
FOREIGN_SUBDOMAINS = frozenset(
    "english spanish french arabic russian jp kr german portuguese italian".split()
)

# /fortune/20250303/0a1b…(32 hex)/c.html, /politics/leaders/2024…/c.html, he.news.cn/20240515/…/c.html;
# /fortune/2023-11/17/c_1129981476.htm; regional /news/2012-06/04/content_25340717.htm.
ARTICLE_PATH_RE = re.compile(
    r"^/(?:[\w-]+/)*(?:\d{8}/[0-9a-f]{32}/c\.html?|\d{4}-\d{2}/\d{2}/c_\d+\.html?|\d{4}-\d{2}/\d{2}/content_\d+\.html?)$"
)
# The date in an article URL: /20250303/ or /2025-03/03/.
URL_DATE_RE = re.compile(r"/(?P<y>20\d\d|19\d\d)(?:-(?P<m1>\d\d)/(?P<d1>\d\d)|(?P<m2>\d\d)(?P<d2>\d\d))/")
_TIMESTAMP_RE = re.compile(r"(20\d\d|19\d\d)[-年/](\d{1,2})[-月/](\d{1,2})日?\s*(\d{1,2}:\d{2}(?::\d{2})?)?")

# Chrome inside the body containers: editor and correction lines, pager, video player, gallery, likes.
_DROP_CLASSES = frozenset(
    "editor xinhuaPager p-jc tiyi1 tiyi01 lb zan-wap p-tags player-container load-layer control-bar "
    "pageShare share domMobile nextpage relatedNews columBox bookList advise".split()
)
_DROP_IDS = re.compile(r"^(?:articleEdit|advisebox\d*|DH-PLAYERID\d*|fontsize|fontcolor|wxpic|wxtitle)$")
# Whole-line chrome in either language.
EDITOR_LINE_RE = re.compile(
    r"^(?:[【\[［(（]?\s*(?:责任编辑|编辑|纠错|Editor)\s*[:：].*|【纠错】.*|\[Editor:.*\]|[【\[]?纠错[】\]]|"
    r"阅读下一篇[:：]?|Enditem|(?:\[\d+\]\s*)+|分享到[:：]?|字体[:：].*|Related:?|Play Video|\d+:\d\d|/\d+:\d\d)$",
    re.I,
)


def drop_chrome(el: Any) -> bool:
    classes = set((el.get("class") or "").split())
    if classes & _DROP_CLASSES:
        return True
    if _DROP_IDS.match(el.get("id") or ""):
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style


def url_date(url: str) -> tuple[int, int, int] | None:
    m = URL_DATE_RE.search(urlsplit(url).path + "/")
    if not m:
        return None
    return int(m["y"]), int(m["m1"] or m["m2"]), int(m["d1"] or m["d2"])


def _header_time(sel: Selector) -> str | None:
    """The 2020s `.header-time`: <span class=year><em>2024</em></span><span class=day>05/09</span><span class=time>…"""
    node = sel.css(".header-time")
    if not node:
        return None
    digits = re.findall(r"\d+", " ".join(node[0].xpath(".//text()").getall()))
    if len(digits) >= 3:
        date = f"{digits[0]}-{digits[1]}-{digits[2]}"
        return f"{date} {':'.join(digits[3:6])}" if len(digits) >= 5 else date
    return None


def _time_candidates(sel: Selector) -> Iterator[str]:
    """Printed times, most specific first; the whole-page scan comes last and only when asked for."""
    if value := _header_time(sel):
        yield value
    for query in (".h-info .h-time", ".h-time", ".info .time", ".source .time", "span.time", ".time"):
        for value in sel.css(query).xpath("string()").getall():
            if clean_line(value):
                yield clean_line(value)
    if value := sel.xpath("//meta[@name='publishdate']/@content").get():
        yield value
    # Old table pages print "新华网河北频道 ( 2012-06-04 09:20:26 )" somewhere near the title.
    page_text = " ".join(sel.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())
    yield from (m.group(0) for m in _TIMESTAMP_RE.finditer(page_text) if m.group(4))


def find_published(sel: Selector, url: str, languages: tuple[str, ...]) -> datetime | None:
    """Publication time: the page's printed time when its day agrees with the URL's, else the URL's day."""
    day = url_date(url)
    for value in _time_candidates(sel):
        dt = parse_published(value, languages=languages)
        if dt is None:
            continue
        if day is None or (dt.year, dt.month, dt.day) == day:
            return dt
    if day:
        return parse_published(f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}", languages=languages)
    return None


def find_title(sel: Selector, suffixes: tuple[str, ...]) -> str | None:
    for query in (".head-line h1 span.title", ".head-line h1", "h1#title span", "h1#title", ".h-title",
                  "#title", ".mheader h1", ".Btitle", "#conTit h1"):
        if value := clean_line(sel.css(query).xpath("string()").get() or ""):
            return value
    value = clean_line(sel.xpath("string(//title)").get() or "")
    return strip_title_suffix(value, suffixes) or None


def body_paragraphs(sel: Selector) -> list[str]:
    """The main text of any of the three templates, chrome lines removed."""
    node = None
    for query in ("#detailContent", "#p-detail", "#detail", "#content", ".article-content"):
        found = sel.css(query)
        if found:
            node = found[0].root
            break
    if node is None:
        node = densest_block(sel.root)
    if node is None:
        return []
    return [p for p in paragraphs(node, drop=drop_chrome) if not EDITOR_LINE_RE.match(p)]


def read_xinhua(html: str, url: str, language: str) -> ParsedArticle:
    """The fields every Xinhua template gives, in `language` ("zh" or "en")."""
    sel = Selector(text=html)
    languages: tuple[str, ...] = ("zh", "en") if language == "zh" else ("en",)
    title = find_title(sel, ("新华网", "新华", "频道", "Xinhua", "振兴东北"))
    body = body_paragraphs(sel)
    if not body:
        logger.warning("xinhua_%s: no body on %s", language, url)
    canonical = sel.xpath("//link[@rel='canonical']/@href").get() or url
    return {
        "title": title,
        "published": find_published(sel, url, languages),
        "author": None,
        "language": language,
        "text": join_paragraphs(body),
        "canonical_url": canonical,
    }


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a Chinese Xinhua article page, any of its three templates (pure: no network, no clock)."""
    return read_xinhua(html, url, "zh")


def is_english_xinhua(url: str) -> bool:
    """english.news.cn, english.xinhuanet.com, and the /english/ paths of www.news.cn and www.xinhuanet.com."""
    host = host_of(url)
    if not host_matches(host, XINHUA_DOMAINS):
        return False
    return host.split(".")[0] == "english" or urlsplit(url).path.startswith("/english/")


def _is_foreign_language(url: str) -> bool:
    return host_of(url).split(".")[0] in FOREIGN_SUBDOMAINS or urlsplit(url).path.startswith("/english/")


class XinhuaZhSpider(ArticleSpider):
    name = "xinhua_zh"
    language = "zh"
    outlet = "Xinhua"
    allowed_domains: ClassVar[list[str]] = ["news.cn", "xinhuanet.com"]
    start_urls: ClassVar[list[str]] = [
        "https://www.news.cn/fortune/ds_1e491dadc8944459b71b7ab13422623d.json",
        "https://www.news.cn/tech/ds_fd79514d92f34849bc8baef7ce3d5aae.json",
        "http://www.xinhuanet.com/tech/",
    ]
    discovery = "JSON list API (channel data sources) and a listing page"
    article_url_re = ARTICLE_PATH_RE
    parser = staticmethod(parse_article)

    @classmethod
    def handles(cls, url: str) -> bool:
        return host_matches(host_of(url), XINHUA_DOMAINS) and not _is_foreign_language(url)

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        return cls.handles(url) and bool(ARTICLE_PATH_RE.match(urlsplit(url).path))
