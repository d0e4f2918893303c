"""No request leaves its source: offsite and private-address requests are refused, redirects included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from monitor.archive import iter_responses
from monitor.guard import RequestGuardMiddleware, is_private_host
from monitor.spiders.xinhua_en import XinhuaEnSpider
from tests.conftest import serving
from tests.test_http import crawl


@pytest.mark.parametrize(("host", "private"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("169.254.169.254", True), ("10.1.2.3", True), ("192.168.0.1", True),
    ("172.16.5.4", True), ("::1", True), ("[fe80::1]", True), ("0.0.0.0", True), ("localhost", True),
    ("english.news.cn", False), ("8.8.8.8", False), ("www.miit.gov.cn", False),
])
def test_private_addresses(host: str, private: bool) -> None:
    assert is_private_host(host) is private


def _guard(**settings: object) -> RequestGuardMiddleware:
    crawler = get_crawler(XinhuaEnSpider, settings)
    crawler.spider = XinhuaEnSpider()
    return RequestGuardMiddleware.from_crawler(crawler)


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",  # a cloud metadata service
    "http://127.0.0.2/admin",
    "https://elsewhere.example/page.html",
])
def test_a_request_off_the_sources_domains_is_refused_even_when_not_filtered(url: str) -> None:
    guard = _guard()
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request(url, dont_filter=True, meta={"redirect_urls": ["https://english.news.cn/x"]}))
    assert sum(v for k, v in guard.crawler.stats.get_stats().items() if k.startswith("guard/")) == 1


def test_the_sources_own_pages_pass() -> None:
    assert _guard().process_request(Request("https://english.news.cn/list/latestnews.htm", dont_filter=True)) is None


@pytest.fixture
def internal() -> Iterator[HTTPServer]:
    """A second server on 127.0.0.2: an internal host that no crawl may reach."""
    with serving("127.0.0.2") as server:
        server.expect_request("/latest/meta-data/").respond_with_data("secret")
        yield server


def test_a_listing_redirected_to_an_internal_host_is_not_followed(local_server: HTTPServer, internal: HTTPServer,
                                                                   db_path: Path) -> None:
    """Regression: a 302 from a listing (a dont_filter request) was followed to 127.0.0.2 and archived."""
    local_server.expect_request("/robots.txt").respond_with_data("User-agent: *\n")
    local_server.expect_request("/listing.html").respond_with_data(
        "", status=302, headers={"Location": internal.url_for("/latest/meta-data/")})
    result = crawl(db_path, local_server)
    assert result["sources"]["localsite"]["status"] == "degraded"  # its listing could not be read
    assert internal.log == []  # never asked
    archived = [r.url for r in iter_responses(db_path.parent / "archive")]
    assert archived and not [u for u in archived if "127.0.0.2" in u]
