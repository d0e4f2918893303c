"""Xinhua in English (english.news.cn; legacy www.xinhuanet.com/english/, english.xinhuanet.com).

Discovery
* https://english.news.cn/list/latestnews.htm: confirmed. RSSHub (a maintained public collection of
  feed scrapers; recent, undated version) reads it, and a public monitor of Chinese state outlets
  live-checked it on 2026-09-26 (20 dated links, all from the last day).
* https://english.news.cn/list/china-business.htm: confirmed by public code (a collector whose examples
  are dated 2026-02).
* No RSS: the English feeds answer but their newest item is from January 2018 (confirmed by the same
  live check of 2026-09-26); other feed names in lists are reported only.
* The selectors public code uses on these listings (`#list .item .tit a`, `.time`) are not needed: the
  base spider keeps every link that matches an article URL, with no title filter (the pipelines decide
  relevance). Xinhua pages write single-quoted `href='…'` (confirmed by public notes dated 2026-10), which
  the HTML parser reads. No real listing page of this site was seen; the discovery test runs on a page
  written by the project.

Article URLs
* /YYYYMMDD/<32 hex>/c.html: confirmed on a real saved page of english.news.cn (January 2023) and by
  the article-link pattern of the public monitor above.
* www.news.cn/english/… and the legacy /english/YYYY-MM/DD/c_<id>.htm and english.xinhuanet.com forms:
  inferred (the Chinese site's c_<id>.htm form is confirmed; no English page of that form was seen).

Article pages (read by monitor.spiders.xinhua_zh.read_xinhua, shared with the Chinese site)
* Body `#detailContent` `p`s: the lead photo and its caption come first, as `<span>`s, then the dateline
  "HONG KONG/GUANGZHOU, Jan. 15 (Xinhua) --": confirmed on the real saved page of english.news.cn
  (January 2023; only its body container was saved). The dateline is kept (it dates the story); the
  captions before it are dropped.
* Title `.head-line h1 span.title` and time `.header-time`: inferred, from the same CMS's Chinese pages
  (confirmed there on real saved pages of www.news.cn, 2023 and 2024); no English page with them was seen.
  When the page prints no time, or a time whose day differs from the URL's, the date comes from the URL.
* The "[Editor: huaxia]" line (dropped) and the "Related:" and sharing lines (dropped): reported, not on
  the saved page.
* Legacy pages are read with the 2019-2020 www.xinhuanet.com template (`.h-title`, `.h-time`,
  `#p-detail`), confirmed on real saved Chinese pages of 2019 and 2020; that English pages use it is
  inferred.
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
