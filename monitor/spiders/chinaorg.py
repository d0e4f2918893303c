"""china.org.cn (English): the business section listing -> /<section>/YYYY-MM/DD/content_<id>.htm pages.

Discovery
* The section listing http://www.china.org.cn/business/: inferred. No public code reads it and its list
  selectors are unknown, so every link on it matching the article URL form is kept (no title filter).
  No real listing page was seen; the discovery test runs on a page written by the project.
* No RSS: the feeds named in lists are reported only, and one project reports that /rss/1201719.xml
  answers HTML, not a feed.

Article URLs
* /<section>/YYYY-MM/DD/content_<digits>.htm: confirmed by URL samples in public code and notes
  (2013-2025; one 2021 sample ends .html) and on a real saved page of china.org.cn (October 2022).

Article pages
* The `<!--enpproperty <articleid>…<date>2022-10-21 09:44:58:0</date><author>By X</author><title>…
  </title>… /enpproperty-->` comment (title, date, author, URL) and the body `#container_txt` between
  the `<!--enpcontent-->` and `<!--/enpcontent-->` markers: confirmed on the real saved page of
  china.org.cn (October 2022; only its body container was saved). So were the photo captions
  (`figcaption`, dropped), the "Follow China.org.cn on …" line and the opinion pages' footer lines
  ("For more information please visit:", "Opinion articles reflect the views of their authors…",
  "If you would like to contribute…"), all dropped.
* Page chrome around the body ("You are here:", "Adjust font size", "Off the wire" and the list after
  it): reported, seen only in the extracted text of an article, not in saved HTML (the saved page has the
  body container only). They are dropped.
* Fallbacks when there is no enpproperty comment: `h1`, the `<title>` without " - China.org.cn", a date
  in `#artInfo`/`.artInfo`/`.info`, then the date in the URL: inferred.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from parsel import Selector

from monitor.dates import parse_published
from monitor.generic import paragraphs, strip_title_suffix
from monitor.htmltext import clean_line, join_paragraphs
from monitor.spiders.base import ArticleSpider, ParsedArticle, host_of

logger = logging.getLogger(__name__)

HOSTS = ("www.china.org.cn", "china.org.cn")
# /business/2025-04/15/content_117826204.htm (or .html).
ARTICLE_PATH_RE = re.compile(r"^/[\w-]+(?:/[\w-]+)*/\d{4}-\d{2}/\d{2}/content_\d+\.html?$")
_URL_DATE_RE = re.compile(r"/(\d{4})-(\d{2})/(\d{2})/content_")
_ENPPROPERTY_RE = re.compile(r"<!--\s*enpproperty(.*?)/enpproperty\s*-->", re.S | re.I)
_ENPCONTENT_RE = re.compile(r"<!--\s*enpcontent\s*-->(.*?)<!--\s*/enpcontent\s*-->", re.S | re.I)
# Lines of page chrome and of the opinion pages' standard footer.
CHROME_RE = re.compile(
    r"^(?:You are here:?.*|Adjust font size:?.*|Off the wire|Follow China\.org\.cn on .*|"
    r"ChinaNews App Download|Opinion articles reflect the views of their authors.*|"
    r"If you would like to contribute, please contact us.*|.*For more information please visit:?|"
    r"https?://\S+|Print|E-mail|Bookmark and Share|Comment|Related:?|Go to Forum.*)$",
    re.I,
)
# Where the story is over: everything from these lines on is chrome.
_STOP_RE = re.compile(r"^(?:Off the wire|Related (?:News|Stories)|Go to Forum.*)$", re.I)


def enpproperty(html: str) -> dict[str, str]:
    """The fields of the <!--enpproperty …--> comment: {"title": …, "date": …, "author": …, …}."""
    m = _ENPPROPERTY_RE.search(html)
    if not m:
        return {}
    return {k.lower(): htmllib.unescape(v).strip() for k, v in re.findall(r"<(\w+)>(.*?)</\1>", m.group(1), re.S)}


def _drop(el: Any) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    classes = set((el.get("class") or "").split())
    return tag == "figcaption" or bool(classes & {"imgComment_content", "related", "offwire", "fontsize"})


def body_paragraphs(html: str, sel: Selector) -> list[str]:
    m = _ENPCONTENT_RE.search(html)
    if m:
        root = Selector(text=f"<div>{m.group(1)}</div>").css("div")[0].root
    else:
        found = sel.css("#container_txt") or sel.css("#artiContent") or sel.css("#content")
        if not found:
            return []
        root = found[0].root
    out: list[str] = []
    for para in paragraphs(root, drop=_drop):
        if _STOP_RE.match(para):
            break
        if not CHROME_RE.match(para):
            out.append(para)
    return out


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of a china.org.cn article page or its #container_txt fragment (pure: no network, no clock)."""
    sel = Selector(text=html)
    props = enpproperty(html)
    title = clean_line(props.get("title", "")) or clean_line(sel.css("h1").xpath("string()").get() or "")
    if not title:
        title = strip_title_suffix(clean_line(sel.xpath("string(//title)").get() or ""), ("china.org.cn",))
    published = parse_published(props.get("date"), languages=("en",))
    if published is None:
        info = clean_line(sel.css("#artInfo, .artInfo, .info").xpath("string()").get() or "")
        if m := re.search(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?", info):
            published = parse_published(m.group(0), languages=("en",))
    if published is None and (m := _URL_DATE_RE.search(urlsplit(url).path)):
        published = parse_published("-".join(m.groups()), languages=("en",))
    author = re.sub(r"^by\s+", "", clean_line(props.get("author", "")), flags=re.I) or None
    body = body_paragraphs(html, sel)
    if not body:
        logger.warning("chinaorg: no body on %s", url)
    return {
        "title": title or None,
        "published": published,
        "author": author,
        "language": "en",
        "text": join_paragraphs(body),
        "canonical_url": props.get("url") or url,
    }


class ChinaorgSpider(ArticleSpider):
    name = "chinaorg"
    language = "en"
    outlet = "China.org.cn"
    allowed_domains: ClassVar[list[str]] = ["china.org.cn"]
    parse_hosts: ClassVar[tuple[str, ...]] = HOSTS
    start_urls: ClassVar[list[str]] = ["http://www.china.org.cn/business/"]
    discovery = "listing pages (section listing, inferred)"
    article_url_re = ARTICLE_PATH_RE
    parser = staticmethod(parse_article)

    @classmethod
    def handles(cls, url: str) -> bool:
        return host_of(url) in HOSTS

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        return cls.handles(url) and bool(ARTICLE_PATH_RE.match(urlsplit(url).path))
