"""Capacity Media (www.capacitymedia.com): RSS feed -> /article/… article pages.

Discovery
* The feed /feed/: confirmed by a public feed-monitoring report's live check on 2026-08-04 (10 items).
  /rss, /rss/news, the /news listing and site search are reported only. The feed carries the whole
  trade (global telecom news): only items whose title names China (`on_topic`) are fetched.

Article URLs
* Three generations, confirmed by URL samples in public code and notes: /Article/<digits>/… (up to 2018),
  /article/<~21 char id>/news/<slug> (2019-2024), /article/<slug> (2024 on).

Article pages: no real page was seen. Selectors of the older Brightspot design are reported (an undated
Selenium config: `h1`, `h2.ArticlePage-subHeadline`, `div.RichTextArticleBody-body p`) and may be outdated
after the 2024 redesign, so they are not used: pages are read by the generic parser (JSON-LD, og:/meta
tags, trafilatura).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from monitor import generic
from monitor.spiders.base import ArticleSpider, listing_topics

logger = logging.getLogger(__name__)

# Three generations (C): /Article/<digits>/… (≤2018), /article/<id>/news/<slug> (2019-2024), /article/<slug>.
ARTICLE_URL_RE = re.compile(r"/[Aa]rticle/(?:\d+/[\w-]+|[A-Za-z0-9]{15,30}/news/[\w-]+|[a-z0-9-]+)/?$")


class CapacitymediaSpider(ArticleSpider):
    name = "capacitymedia"
    language = "en"
    outlet = "Capacity Media"
    timezone = "Europe/London"
    allowed_domains: ClassVar[list[str]] = ["capacitymedia.com"]
    start_urls: ClassVar[list[str]] = ["https://www.capacitymedia.com/feed/"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
