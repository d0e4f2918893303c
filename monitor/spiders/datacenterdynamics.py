"""DatacenterDynamics (DCD) (www.datacenterdynamics.com): RSS feed -> /en/news/<slug>/ article pages.

Discovery
* The feed /en/rss/: reported only (very common in feed lists; nobody reports a check). The listing
  /en/news/ and the feed /en/rss/news/ are reported too and not used. Treat discovery as unconfirmed.
  The feed carries the whole trade: only items whose title names China (`on_topic`) are fetched.

Article URLs
* /en/news/<slug>/: confirmed by URL samples in public code and notes; /en/analysis/ and /en/opinions/
  in the same form are accepted too (inferred).

Article pages: no real page was seen. Selectors are reported (an undated Selenium config:
`h1.article-heading`, `div.article-sub-heading p`, `div.block-text`); pages are read by the generic
parser (JSON-LD, og:/meta tags, trafilatura), not by those selectors.
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
    timezone = "Europe/London"
    allowed_domains: ClassVar[list[str]] = ["datacenterdynamics.com"]
    start_urls: ClassVar[list[str]] = ["https://www.datacenterdynamics.com/en/rss/"]
    discovery = "RSS feed, unconfirmed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
