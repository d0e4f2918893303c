"""Incremental crawling: conditional discovery fetches, and known articles not fetched again after a window."""

from __future__ import annotations

import logging
from datetime import timedelta

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from monitor.dates import now
from pipelines.store import Store, run_id_of

logger = logging.getLogger(__name__)


class IncrementalMiddleware:
    """Downloader middleware over the store's `fetches` log and `articles` table.

    - discovery pages are fetched with If-None-Match / If-Modified-Since from their last 200;
    - an article URL already stored is skipped, unless it was first seen less than MONITOR_RECHECK_DAYS
      ago, and then it is fetched conditionally (a changed text becomes a `changed_article` event).
    Off in replay mode (a replay re-reads everything, so a re-run only moves last-seen).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.window = timedelta(days=settings.getfloat("MONITOR_RECHECK_DAYS"))
        self.crawler = crawler
        self.store = Store(settings.get("MONITOR_DB"))
        # A listing's validators are kept back until the crawl ends, and written only if none of its article
        # fetches failed: otherwise its next 304 would hide the failed article for good.
        self.pending: dict[str, tuple[str | None, str | None]] = {}
        self.failed_listings: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        settings = crawler.settings
        if settings.get("MONITOR_REPLAY") or not settings.getbool("MONITOR_INCREMENTAL") \
                or settings.getbool("MONITOR_NODE"):
            raise NotConfigured  # replaying, incremental crawling switched off, or a scrapyd node (no store)
        mw = cls(crawler)
        from scrapy import signals

        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def close(self) -> None:
        try:
            if self.stats.get_value("monitor/store_failed"):
                # Articles were fetched but not stored: no listing may answer 304 next run and hide them.
                logger.warning("not caching any listing: the store could not keep some articles")
                self.pending.clear()
            kept = {url: v for url, v in self.pending.items() if url not in self.failed_listings}
            for url in self.failed_listings & set(self.pending):
                logger.info("not caching %s: some of its articles could not be fetched", url)
            with self.store.transaction():
                for url, (etag, modified) in kept.items():
                    self.store.remember_fetch(url, "discovery", etag, modified)
        finally:
            self.store.close()

    def _validators(self, request: Request) -> None:
        known = self.store.fetch_validators(request.url)
        if known:
            etag, modified = known
            if etag:
                request.headers.setdefault("If-None-Match", etag)
            if modified:
                request.headers.setdefault("If-Modified-Since", modified)

    def process_request(self, request: Request) -> None:
        kind = request.meta.get("monitor_kind")
        if kind == "article":
            first_seen = self.store.first_seen_at(request.url)
            if first_seen is not None:
                if now() - first_seen > self.window:
                    self.stats.inc_value("incremental/skipped_known")
                    raise IgnoreRequest(f"known article outside the re-check window: {request.url}")
                self.stats.inc_value("incremental/rechecked")
                self._validators(request)
        elif kind == "discovery":
            self._validators(request)

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("monitor_kind")
        if kind not in ("discovery", "article"):
            return response
        if response.status == 304:
            self.stats.inc_value(f"incremental/not_modified/{kind}")
            if kind == "article" and (run_id := run_id_of(self.crawler)):
                self.store.mark_seen(request.url, run_id)  # unchanged, and seen in this run
            return response
        if response.status >= 400 and kind == "article":
            self._article_failed(request)
        if response.status == 200:
            etag = _header(response, b"ETag")
            modified = _header(response, b"Last-Modified")
            if kind == "discovery":
                self.pending[request.url] = (etag, modified)
            else:
                with self.store.transaction():
                    self.store.remember_fetch(request.url, kind, etag, modified)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """An article that could not be fetched (after retries) keeps its listing uncached."""
        if request.meta.get("monitor_kind") == "article" and not isinstance(exception, IgnoreRequest):
            self._article_failed(request)

    def _article_failed(self, request: Request) -> None:
        if listing := request.meta.get("monitor_listing"):
            self.failed_listings.add(listing)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
