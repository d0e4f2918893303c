"""Developing Telecoms (developingtelecoms.com): Joomla RSS feed -> /telecom-…/<sub>/<id>-<slug>.html pages.

Discovery
* The Joomla feed /?format=feed&type=rss: confirmed by a public feed-monitoring report's live check on
  2026-08-04 (34 items). /feed is reported only. The feed carries the whole trade: only items whose
  title names China (`on_topic`) are fetched.

Article URLs
* /telecom-business/<sub>/<digits>-<slug>.html and /telecom-technology/<sub>/<digits>-<slug>.html:
  confirmed by URL samples in public code and notes (e.g. telecom-regulation, data-centres-networks).

Article pages: unknown (no saved page, no public code). That they are Joomla pages with schema.org
microdata is inferred from the feed. They are read by the generic parser (JSON-LD, og:/meta tags,
trafilatura).
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
    timezone = "Europe/London"
    allowed_domains: ClassVar[list[str]] = ["developingtelecoms.com"]
    start_urls: ClassVar[list[str]] = ["https://developingtelecoms.com/?format=feed&type=rss"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
