"""Incremental crawling: conditional discovery fetches, and known articles not fetched again after a window."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from monitor.dates import iso, now
from pipelines.store import Store

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
        self.store = Store(settings.get("MONITOR_DB"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        settings = crawler.settings
        if settings.get("MONITOR_REPLAY") or not settings.getbool("MONITOR_INCREMENTAL"):
            raise NotConfigured  # replaying, or incremental crawling switched off
        mw = cls(crawler)
        from scrapy import signals

        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def close(self) -> None:
        self.store.close()

    def _first_seen(self, url: str) -> datetime | None:
        row = self.store.db.execute(
            """SELECT r.started FROM articles a JOIN runs r ON r.id = a.first_seen_run
               WHERE a.url = ? OR a.canonical_url = ? LIMIT 1""", [url, url]).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def _validators(self, request: Request) -> None:
        row = self.store.db.execute("SELECT etag, last_modified FROM fetches WHERE url = ?", [request.url]).fetchone()
        if row:
            if row[0]:
                request.headers.setdefault("If-None-Match", row[0])
            if row[1]:
                request.headers.setdefault("If-Modified-Since", row[1])

    def process_request(self, request: Request) -> None:
        kind = request.meta.get("monitor_kind")
        if kind == "article":
            first_seen = self._first_seen(request.url)
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
            return response
        if response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            stamp = iso(now())
            with self.store.transaction():
                self.store.db.execute(
                    """INSERT INTO fetches (url, kind, etag, last_modified, status, first_fetched, last_fetched)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                         status = excluded.status, last_fetched = excluded.last_fetched""",
                    [request.url, kind, etag.decode("latin-1") if etag else None,
                     modified.decode("latin-1") if modified else None, 200, stamp, stamp],
                )
        return response
