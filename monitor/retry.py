"""Retries with exponential backoff: Scrapy's RetryMiddleware, with each retry waiting before it is sent."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry 5xx answers and timeouts like Scrapy does, waiting RETRY_BACKOFF_BASE * 2**(n-1) seconds first."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        return self._backoff(super().process_response(request, response))

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        return self._backoff(super().process_exception(request, exception))

    def _backoff(self, result: Any) -> Any:
        """A retry request Scrapy made (through `get_retry_request`) waits before it is sent."""
        if isinstance(result, Request) and result.meta.get("retry_times"):
            attempt = result.meta["retry_times"]
            result.meta["backoff_delay"] = min(self.cap, self.base * 2 ** (attempt - 1))
        return result

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay:
            logger.debug("backing off %.1fs before retrying %s", delay, request.url)
            await asyncio.sleep(delay)
        return None
