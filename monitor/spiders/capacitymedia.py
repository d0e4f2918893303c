"""Capacity Media (www.capacitymedia.com): RSS feed -> /article/…  article pages.

Discovery (SOURCES.md §11): the feed /feed/ (C: 10 items, live-checked 2026-08-04).
Feeds carry the whole trade (global telecom news): only items whose title names China (`on_topic`) are fetched.
Article pages: R only (the pre-2024 Brightspot design: `h1`, `div.RichTextArticleBody-body p`),
possibly outdated after the 2024 redesign. They are read by the generic parser (JSON-LD, og:/meta tags, trafilatura).
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
    allowed_domains: ClassVar[list[str]] = ["capacitymedia.com"]
    start_urls: ClassVar[list[str]] = ["https://www.capacitymedia.com/feed/"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
