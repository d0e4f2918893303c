"""bench/liveproxy.py: the benchmark's live site, an HTTPS proxy on 127.0.0.1 answering from a WARC archive."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.liveproxy import ArchiveProxy
from monitor.archive import ArchivedResponse, write_warc

pytestmark = pytest.mark.server

PAGE = b"<html><body><h1>Story</h1><p>About foreign-invested telecom firms.</p></body></html>"


@pytest.fixture()
def proxy(tmp_path: Path):
    archive = tmp_path / "site.warc.gz"
    write_warc(archive, [
        ArchivedResponse("https://english.news.cn/robots.txt", 200, [("Content-Type", "text/plain")],
                         b"User-agent: *\nAllow: /\n"),
        ArchivedResponse("https://english.news.cn/20250101/abc/c.html", 200,
                         [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")], PAGE),
    ])
    server = ArchiveProxy(archive).start()
    yield server
    server.stop()


def _opener(proxy: ArchiveProxy) -> urllib.request.OpenerDirector:
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE  # the proxy's certificate is self-signed, as Scrapy accepts
    return urllib.request.build_opener(urllib.request.ProxyHandler({"https": proxy.url, "http": proxy.url}),
                                       urllib.request.HTTPSHandler(context=unverified))


def test_an_https_page_is_answered_through_a_connect_tunnel(proxy: ArchiveProxy) -> None:
    with _opener(proxy).open("https://english.news.cn/20250101/abc/c.html", timeout=10) as response:
        assert response.status == 200
        assert response.read() == PAGE
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["Content-Length"] == str(len(PAGE))
        assert "Transfer-Encoding" not in response.headers  # the archive's wire headers are not replayed


def test_an_http_request_to_the_proxy_is_answered_by_its_url_either_scheme(proxy: ArchiveProxy) -> None:
    with _opener(proxy).open("http://english.news.cn/robots.txt", timeout=10) as response:
        assert response.read() == b"User-agent: *\nAllow: /\n"
    assert proxy.requests == 1


def test_a_page_the_archive_lacks_is_404_and_counted(proxy: ArchiveProxy) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        _opener(proxy).open("https://english.news.cn/missing.html", timeout=10)
    caught.value.close()  # the error holds the tunnel's socket
    assert caught.value.code == 404
    assert proxy.missing == 1
