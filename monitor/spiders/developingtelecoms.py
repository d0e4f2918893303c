"""Developing Telecoms (developingtelecoms.com): Joomla RSS feed -> /telecom-<business|technology>/<sub>/<id>-<slug>.html article pages.

Discovery (SOURCES.md §11): the Joomla feed /?format=feed&type=rss (C: 34 items, live-checked
2026-08-04).
Feeds carry the whole trade (global telecom news): only items whose title names China (`on_topic`) are fetched.
Article pages: not seen in any saved page or code (unknown). They are read by the generic parser (JSON-LD, og:/meta tags, trafilatura).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from monitor import generic
from monitor.spiders.base import ArticleSpider, listing_topics

logger = logging.getLogger(__name__)

# /telecom-business/<subsection>/<id>-<slug>.html (C, URL samples; e.g. telecom-regulation).
ARTICLE_URL_RE = re.compile(r"/telecom-(?:business|technology)/[\w-]+/\d+-[\w-]+\.html$")


class DevelopingtelecomsSpider(ArticleSpider):
    name = "developingtelecoms"
    language = "en"
    outlet = "Developing Telecoms"
    allowed_domains: ClassVar[list[str]] = ["developingtelecoms.com"]
    start_urls: ClassVar[list[str]] = ["https://developingtelecoms.com/?format=feed&type=rss"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
