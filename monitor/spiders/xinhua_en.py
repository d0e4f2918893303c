"""Xinhua in English (english.news.cn; legacy www.xinhuanet.com/english/, english.xinhuanet.com).

Discovery (SOURCES.md §1): Xinhua's English RSS feeds answer but are stale (newest item January 2018,
live-checked 2026-09-26), so none is used. The listings are current:
* https://english.news.cn/list/latestnews.htm (C: RSSHub route and a live check, 20 dated links a day);
* https://english.news.cn/list/china-business.htm (C: used by a 2026 collector).
Both carry relative (often single-quoted) links to /YYYYMMDD/<32 hex>/c.html; the base spider keeps every
link matching an article URL. No title filter: the pipelines decide relevance.

Article pages use the CMS of www.news.cn (C for the body, PROVENANCE; I for the title and time blocks,
assumed to be the Chinese site's `.head-line h1 span.title` and `.header-time`): body `#detailContent`
`p`s starting with the dateline "BEIJING, Feb. 28 (Xinhua) --" (kept: it dates the story), lead photo
captions before the dateline (dropped), "[Editor: huaxia]" (dropped). When the page prints no time, the
date comes from the URL (/YYYYMMDD/ or /YYYY-MM/DD/). Legacy pages (/english/YYYY-MM/DD/c_<id>.htm) are
read the same way (I).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar
from urllib.parse import urlsplit

from monitor.htmltext import join_paragraphs
from monitor.spiders.base import ArticleSpider, ParsedArticle
from monitor.spiders.xinhua_zh import is_english_xinhua, read_xinhua

logger = logging.getLogger(__name__)

# english.news.cn/20250303/0a1b…(32 hex)/c.html, www.news.cn/english/2025…/c.html,
# legacy /english/2019-03/03/c_137864212.htm.
ARTICLE_PATH_RE = re.compile(
    r"^/(?:english/)?(?:[\w-]+/)*(?:\d{8}/[0-9a-f]{32}/c\.html?|\d{4}-\d{2}/\d{2}/c_\d+\.html?)$"
)
# "BEIJING, Feb. 28 (Xinhua) --", "HONG KONG/GUANGZHOU, Jan. 15 (Xinhua) --", "UNITED NATIONS, May 2 (Xinhua) --".
DATELINE_RE = re.compile(r"^[A-Z][A-Za-z .,'/&-]{1,80}, [A-Z][a-z]{2,4}\.? \d{1,2} \(Xinhua\)\s*--")
# Lines that are chrome, not story: related-story lead-ins and sharing prompts.
_CHROME_RE = re.compile(r"^(?:Related:.*|Related (?:News|Stories)|Share:?|Print|Source:\s*Xinhua|Photos?)$", re.I)


def parse_article(html: str, url: str) -> ParsedArticle:
    """Fields of an English Xinhua article page (pure: no network, no clock)."""
    fields = read_xinhua(html, url, "en")
    paras = [p for p in fields["text"].split("\n\n") if p and not _CHROME_RE.match(p)]
    # Photo captions of the lead picture come before the dateline: the story starts at the dateline.
    for i, para in enumerate(paras[:8]):
        if DATELINE_RE.match(para):
            paras = paras[i:]
            break
    fields["text"] = join_paragraphs(paras)
    return fields


class XinhuaEnSpider(ArticleSpider):
    name = "xinhua_en"
    language = "en"
    outlet = "Xinhua"
    allowed_domains: ClassVar[list[str]] = ["english.news.cn", "news.cn", "xinhuanet.com"]
    start_urls: ClassVar[list[str]] = [
        "https://english.news.cn/list/latestnews.htm",
        "https://english.news.cn/list/china-business.htm",
    ]
    discovery = "listing pages"
    article_url_re = ARTICLE_PATH_RE
    parser = staticmethod(parse_article)

    @classmethod
    def handles(cls, url: str) -> bool:
        return is_english_xinhua(url)

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        return is_english_xinhua(url) and bool(ARTICLE_PATH_RE.match(urlsplit(url).path))
