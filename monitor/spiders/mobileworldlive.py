"""Mobile World Live (www.mobileworldlive.com): WordPress RSS feed -> /<topic-or-company>/<slug>/ article pages.

Discovery (SOURCES.md §11): the WordPress feed /feed/ (C: 30 items, live-checked 2026-08-04).
Feeds carry the whole trade (global telecom news): only items whose title names China (`on_topic`) are fetched.
Article pages: unknown (I: WordPress, so JSON-LD and og: tags are expected). They are read by the generic parser (JSON-LD, og:/meta tags, trafilatura).
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
    allowed_domains: ClassVar[list[str]] = ["mobileworldlive.com"]
    start_urls: ClassVar[list[str]] = ["https://www.mobileworldlive.com/feed/"]
    discovery = "RSS feed (titles filtered by China words)"
    article_url_re = ARTICLE_URL_RE
    parser = staticmethod(generic.parse_article)
    topic_words = listing_topics("china_en")
