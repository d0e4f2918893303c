"""No request leaves its source: a downloader middleware that every request passes, redirects included.

Scrapy's offsite check lets through requests marked `dont_filter` (discovery pages are, so that they are
fetched every run), and a redirect of such a request keeps the mark. This guard does not look at the mark:
a request to a host outside the spider's `allowed_domains`, or to a loopback, private, link-local, reserved
or multicast address (a cloud metadata service answers at 169.254.169.254), is dropped and counted
(`guard/offsite`, `guard/private_address`). Tests that crawl a site on 127.0.0.1 say so explicitly with
MONITOR_ALLOW_PRIVATE_ADDRESSES. A host *name* that resolves to a private address is not caught here (the
name is checked, not its DNS answer): the sources' domains are public names the project chose.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


def is_private_host(host: str) -> bool:
    """True for an address (or localhost name) that no public news site has.

    >>> is_private_host("169.254.169.254"), is_private_host("127.0.0.2"), is_private_host("english.news.cn")
    (True, True, False)
    """
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any((address.is_private, address.is_loopback, address.is_link_local, address.is_reserved,
                address.is_multicast, address.is_unspecified))


@lru_cache(maxsize=1024)
def refusal(host: str, domains: tuple[str, ...], allow_private: bool = False) -> str | None:
    """Why a request to `host` is refused ("offsite", "private_address"), or None; a crawl asks about the same
    few hosts for every request, so the answer is kept.

    >>> refusal("english.news.cn", ("news.cn",)), refusal("evil.example", ("news.cn",)), refusal("127.0.0.1", ())
    (None, 'offsite', 'private_address')
    """
    if domains and not any(host == d or host.endswith("." + d) for d in domains):
        return "offsite"
    if not allow_private and is_private_host(host):
        return "private_address"
    return None


class RequestGuardMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("MONITOR_ALLOW_PRIVATE_ADDRESSES")

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequestGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        domains = tuple(getattr(self.crawler.spider, "allowed_domains", None) or ())
        if why := refusal(host, domains, self.allow_private):
            self._refuse(why, request)

    def _refuse(self, why: str, request: Request) -> None:
        self.crawler.stats.inc_value(f"guard/{why}")
        logger.warning("refused %s request to %s (from %s)", why.replace("_", " "), request.url,
                       request.meta.get("redirect_urls", ["the spider"])[0])
        raise IgnoreRequest(f"{why}: {request.url}")
