"""TeleGeography CommsUpdate (www.telegeography.com, www.commsupdate.com): RSS -> …/articles/<date>/<slug>/.

Discovery
* /products/commsupdate/rss.xml and https://www.commsupdate.com/rss: reported only (seen in feed lists,
  never checked; one list suggests CommsUpdate has its own domain). Site search is reported too and not
  used. Treat all of it as a guess. The feeds carry the whole trade: only items whose title names China
  (`on_topic`) are fetched.

Article URLs
* …/articles/YYYY/MM/DD/<slug>/ on either host: inferred (no sample found).

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

# /products/commsupdate/articles/2025/03/04/<slug>/ or commsupdate.com/articles/2025/03/04/<slug>/ (I).
ARTICLE_URL_RE = re.compile(r"/articles/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?$")


class TelegeographySpider(ArticleSpider):
    name = "telegeography"
    language = "en"
    outlet = "TeleGeography CommsUpdate"
    timezone = "America/New_York"
    allowed_domains: ClassVar[list[str]] = ["telegeography.com", "commsupdate.com"]
    start_urls: ClassVar[list[str]] = [
        "https://www.telegeography.com/products/commsupdate/rss.xml",
        "https://www.commsupdate.com/rss",
    ]
    discovery = "RSS feeds, unconfirmed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
