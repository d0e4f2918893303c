"""Replay and record: the downloader middlewares between a crawl and its WARC archive (monitor.archive)."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.warcwriter import WARCWriter

from monitor.archive import load_archive, url_key, write_pair

logger = logging.getLogger(__name__)

# Hop-by-hop headers describe the wire, not the body we store.
_DROP_HEADERS = {b"transfer-encoding", b"connection", b"keep-alive"}


def _decode_headers(headers: Headers) -> list[tuple[str, str]]:
    out = []
    for key, values in headers.items():
        if key.lower() in _DROP_HEADERS:
            continue
        for v in values:
            out.append((key.decode("latin-1"), v.decode("latin-1")))
    return out


class ReplayMiddleware:
    """Downloader middleware: answer every request from the archive in MONITOR_REPLAY; no network.

    A URL the archive lacks is answered 404 (flag `replay-missing`) and counted as `replay/missing`.
    """

    def __init__(self, path: str, crawler: Crawler) -> None:
        self.index = load_archive(path)
        self.stats = crawler.stats
        logger.info("replaying %d archived responses from %s", len(self.index), path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        path = crawler.settings.get("MONITOR_REPLAY")
        if not path:
            raise NotConfigured  # no archive to replay: a live crawl
        return cls(path, crawler)

    def process_request(self, request: Request) -> Response:
        archived = self.index.get(url_key(request.url))
        if archived is None:
            self.stats.inc_value("replay/missing")
            logger.info("not in archive: %s", request.url)
            return Response(request.url, status=404, request=request, flags=["replay-missing"])
        self.stats.inc_value("replay/hits")
        headers = Headers(archived.headers)
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        return respcls(
            url=request.url, status=archived.status, headers=headers, body=archived.body,
            request=request, flags=["replayed"],
        )


class RecordMiddleware:
    """Downloader middleware: write each response, as it came off the wire, into a WARC file per crawl."""

    def __init__(self, folder: str, crawler: Crawler) -> None:
        self.folder = Path(folder)
        self.stats = crawler.stats
        self.crawler = crawler
        self.fh: Any = None
        self.writer: WARCWriter | None = None
        self.path: Path | None = None
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        settings = crawler.settings
        if settings.get("MONITOR_REPLAY") or not settings.getbool("MONITOR_RECORD"):
            raise NotConfigured  # replaying, or recording switched off
        return cls(settings.get("MONITOR_ARCHIVE_DIR"), crawler)

    def _open(self) -> WARCWriter:
        if self.writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            name = getattr(self.crawler.spider, "name", "crawl")
            self.path = self.folder / f"{stamp}-{name}-{os.getpid()}.warc.gz"
            self.fh = open(self.path, "ab")  # noqa: SIM115 - closed on spider_closed
            self.writer = WARCWriter(self.fh, gzip=True)
        return self.writer

    def process_response(self, request: Request, response: Response) -> Response:
        if "replayed" in response.flags or "cached" in response.flags:
            return response
        writer = self._open()
        write_pair(
            writer, response.url, request.method, _decode_headers(request.headers),
            response.status, _decode_headers(response.headers), response.body,
        )
        self.fh.flush()
        self.stats.inc_value("archive/recorded")
        return response

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            logger.info("archived responses to %s", self.path)
            self.fh = self.writer = None
