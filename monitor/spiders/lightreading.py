"""Light Reading (www.lightreading.com): RSS feed -> /<section>/<slug> article pages.

Discovery
* The feed /rss.xml: confirmed by a public feed-monitoring report's live check on 2026-08-04 (40 items).
  The old .asp feeds named in lists are dead (inferred). The feed carries the whole trade: only items
  whose title names China (`on_topic`) are fetched.

Article URLs
* /<section>/<slug>: confirmed by URL samples in public code and notes (sections seen:
  regulatory-politics, data-center, network-platforms, wifi, network-technology). Any first path part is
  accepted except the site's own pages (author, topics, about, …): inferred.

Article pages: unknown (no saved page, no public code). They are read by the generic parser (JSON-LD,
og:/meta tags, trafilatura).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from monitor import generic
from monitor.spiders.base import ArticleSpider, listing_topics

logger = logging.getLogger(__name__)

# /regulatory-politics/<slug> and other sections (C, samples); not the site's own pages.
ARTICLE_URL_RE = re.compile(r"^https?://(?:www\.)?lightreading\.com/(?!(?:author|topics|about|resources|events|search)/)[a-z0-9-]+/[a-z0-9-]+/?$")


class LightreadingSpider(ArticleSpider):
    name = "lightreading"
    language = "en"
    outlet = "Light Reading"
    timezone = "America/New_York"
    allowed_domains: ClassVar[list[str]] = ["lightreading.com"]
    start_urls: ClassVar[list[str]] = ["https://www.lightreading.com/rss.xml"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
