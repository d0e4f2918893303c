"""DatacenterDynamics (DCD) (www.datacenterdynamics.com): RSS feed -> /en/news/<slug>/ article pages.

Discovery (SOURCES.md §11): the feed /en/rss/ (R only: very common in feed lists, nobody
reports a check; the listing /en/news/ is R too). Treat discovery as unconfirmed.
Feeds carry the whole trade (global telecom news): only items whose title names China (`on_topic`) are fetched.
Article pages: R only (a Selenium config: `h1.article-heading`, `div.block-text`), no saved page. They are read by the generic parser (JSON-LD, og:/meta tags, trafilatura).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from monitor import generic
from monitor.spiders.base import ArticleSpider, listing_topics

logger = logging.getLogger(__name__)

# /en/news/china-approves-foreign-data-center-operators/ (C, URL samples); analysis pieces too.
ARTICLE_URL_RE = re.compile(r"/en/(?:news|analysis|opinions)/[a-z0-9-]+/?$")


class DatacenterdynamicsSpider(ArticleSpider):
    name = "datacenterdynamics"
    language = "en"
    outlet = "DatacenterDynamics"
    allowed_domains: ClassVar[list[str]] = ["datacenterdynamics.com"]
    start_urls: ClassVar[list[str]] = ["https://www.datacenterdynamics.com/en/rss/"]
    discovery = "RSS feed, unconfirmed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
