"""Mobile World Live (www.mobileworldlive.com): WordPress RSS feed -> /<topic-or-company>/<slug>/ pages.

Discovery
* The WordPress feed /feed/: confirmed by a public feed-monitoring report's live check on 2026-08-04
  (30 items). /latest-stories/feed/ is reported only. The feed carries the whole trade: only items whose
  title names China (`on_topic`) are fetched.

Article URLs
* /<topic-or-company>/<slug>/ (e.g. /google/google-to-pull-pixel-production-from-china/): confirmed by
  URL samples in public code and notes. WordPress's own archive and system paths are refused (inferred).

Article pages: unknown (no saved page, no public code). That WordPress gives them JSON-LD and og: tags is
inferred. They are read by the generic parser (JSON-LD, og:/meta tags, trafilatura).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from monitor import generic
from monitor.spiders.base import ArticleSpider, listing_topics

logger = logging.getLogger(__name__)

# /<topic-or-company>/<slug>/ (C, samples), but not WordPress's own archive and system paths.
ARTICLE_URL_RE = re.compile(r"^https?://(?:www\.)?mobileworldlive\.com/(?!(?:category|tag|author|page|feed|wp-[a-z]+|events|about)/)[a-z0-9-]+/[a-z0-9-]+/?$")


class MobileworldliveSpider(ArticleSpider):
    name = "mobileworldlive"
    language = "en"
    outlet = "Mobile World Live"
    timezone = "Europe/London"
    allowed_domains: ClassVar[list[str]] = ["mobileworldlive.com"]
    start_urls: ClassVar[list[str]] = ["https://www.mobileworldlive.com/feed/"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
