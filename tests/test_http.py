"""HTTP behaviour against a site played on 127.0.0.1: conditional fetches, retries, redirects, robots, encodings.

Each crawl runs the real Scrapy engine in a child process (tests/localsite.py) against pytest-httpserver.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests import localsite
from tests.conftest import rows
from tests.localsite import listing, page

ARTICLE_A = page("MIIT approves foreign telecom firms", "BEIJING -- China approved 13 foreign-invested firms "
                 "for value-added telecom services in four pilot areas.\n\nMore paragraphs follow here.")
ARTICLE_B = page("Data centre opens", "A new data centre opened in Shanghai this week, operators said, with "
                 "capacity for cloud services.")
FAST = {"RETRY_BACKOFF_BASE": 0.05, "DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1}


def crawl(db: Path, server: HTTPServer, settings: dict | None = None) -> dict:
    return localsite.crawl(db, server.url_for("/listing.html"), {**FAST, **(settings or {})}, timeout=120)


def paths(server: HTTPServer) -> list[str]:
    return [req.path for req, _ in server.log]


def conditional(body: str | bytes, etag: str, content_type: str = "text/html; charset=utf-8"):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, status=200, headers={"ETag": etag, "Content-Type": content_type})
    return handler


@pytest.fixture
def site(local_server: HTTPServer) -> HTTPServer:
    local_server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    return local_server


def test_second_run_over_unchanged_site_fetches_only_discovery(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_handler(
        conditional(listing("/articles/a.html", "/articles/b.html"), '"L1"'))
    site.expect_request("/articles/a.html").respond_with_handler(conditional(ARTICLE_A, '"A1"'))
    site.expect_request("/articles/b.html").respond_with_handler(conditional(ARTICLE_B, '"B1"'))
    first = crawl(db_path, site)
    assert first["sources"]["localsite"]["new"] == 2
    site.clear_log()
    second = crawl(db_path, site)
    assert [p for p in paths(site) if p.startswith("/articles/")] == []
    assert second["sources"]["localsite"]["discovery_not_modified"] == 1
    assert second["status"] == "ok"
    assert [s for _, s in site.log if s.status_code == 304]


def test_known_article_outside_window_is_never_fetched_again(site: HTTPServer, db_path: Path) -> None:
    hrefs = ["/articles/a.html"]
    site.expect_request("/listing.html").respond_with_handler(lambda r: Response(listing(*hrefs), content_type="text/html"))
    site.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    site.expect_request("/articles/b.html").respond_with_data(ARTICLE_B, content_type="text/html")
    crawl(db_path, site, {"MONITOR_RECHECK_DAYS": 0})
    hrefs.append("/articles/b.html")
    site.clear_log()
    result = crawl(db_path, site, {"MONITOR_RECHECK_DAYS": 0})
    assert [p for p in paths(site) if p.startswith("/articles/")] == ["/articles/b.html"]
    assert result["sources"]["localsite"]["skipped_known"] == 1


def test_article_updated_inside_window_records_a_change(site: HTTPServer, db_path: Path) -> None:
    versions = {"body": ARTICLE_A, "etag": '"A1"'}
    site.expect_request("/listing.html").respond_with_data(listing("/articles/a.html"), content_type="text/html")

    def article(request: Request) -> Response:
        if request.headers.get("If-None-Match") == versions["etag"]:
            return Response(status=304)
        return Response(versions["body"], headers={"ETag": versions["etag"], "Content-Type": "text/html"})

    site.expect_request("/articles/a.html").respond_with_handler(article)
    crawl(db_path, site)
    versions.update(body=ARTICLE_A.replace("13 foreign-invested", "14 foreign-invested"), etag='"A2"')
    result = crawl(db_path, site)
    assert result["sources"]["localsite"]["updated"] == 1
    assert "changed_article" in result["events"]
    sent = [req.headers.get("If-None-Match") for req, _ in site.log if req.path == "/articles/a.html"]
    assert sent[-1] == '"A1"'  # the re-check was conditional


def test_server_errors_and_timeouts_are_retried_then_recorded(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(
        listing("/articles/a.html", "/articles/broken.html", "/articles/slow.html"), content_type="text/html")
    site.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    site.expect_request("/articles/broken.html").respond_with_data("oops", status=500)

    def slow(request: Request) -> Response:
        time.sleep(2.5)
        return Response(ARTICLE_B, content_type="text/html")

    site.expect_request("/articles/slow.html").respond_with_handler(slow)
    result = crawl(db_path, site)
    stats = result["sources"]["localsite"]
    assert paths(site).count("/articles/broken.html") == 2  # the first try and one retry
    assert stats["new"] == 1  # the healthy article is stored: the failures are not fatal
    assert stats["errors"] == 4  # two 500s and two timeouts, each retried once, all recorded
    assert result["status"] == "degraded"
    assert "4 of 7 requests failed" in stats["reasons"]


def test_redirected_article_is_stored_under_its_final_url(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(listing("/articles/old.html"), content_type="text/html")
    site.expect_request("/articles/old.html").respond_with_data(
        "", status=301, headers={"Location": site.url_for("/articles/new.html")})
    site.expect_request("/articles/new.html").respond_with_data(ARTICLE_A, content_type="text/html")
    crawl(db_path, site)
    urls = [r[0] for r in rows(db_path, "SELECT url FROM articles")]
    assert urls == [site.url_for("/articles/new.html")]


def test_robots_disallow_is_obeyed(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(
        listing("/articles/a.html", "/private/articles/secret.html"), content_type="text/html")
    site.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    crawl(db_path, site)
    assert "/private/articles/secret.html" not in paths(site)
    assert "/robots.txt" in paths(site)


def test_gbk_page_without_charset_header_is_decoded(site: HTTPServer, db_path: Path) -> None:
    chinese = page("工信部批准外资企业", "工业和信息化部批准首批外资企业开展增值电信业务试点。\n\n这是第二段文字。")
    site.expect_request("/listing.html").respond_with_data(listing("/articles/zh.html"), content_type="text/html")
    site.expect_request("/articles/zh.html").respond_with_data(chinese.encode("gbk"), content_type="text/html")
    crawl(db_path, site)
    ((title, text),) = rows(db_path, "SELECT title, text FROM articles")
    assert title == "工信部批准外资企业"
    assert "增值电信业务试点" in text and "\ufffd" not in text


def test_oversized_response_is_cut_off(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(
        listing("/articles/a.html", "/articles/huge.html"), content_type="text/html")
    site.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    site.expect_request("/articles/huge.html").respond_with_data(page("Huge", "x " * 200_000), content_type="text/html")
    result = crawl(db_path, site, {"DOWNLOAD_MAXSIZE": 100_000, "DOWNLOAD_WARNSIZE": 0})
    titles = [r[0] for r in rows(db_path, "SELECT title FROM articles")]
    assert titles == ["MIIT approves foreign telecom firms"]
    assert result["sources"]["localsite"]["new"] == 1


def test_listing_whose_layout_changed_is_judged_degraded(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(
        "<html><body><div class='new-layout'>Loading...</div></body></html>", content_type="text/html")
    result = crawl(db_path, site)
    assert result["status"] == "degraded"
    assert "no article links" in result["sources"]["localsite"]["reasons"][0]
    assert "source_degraded" in result["events"]


def test_live_crawl_is_recorded_and_its_archive_replays_without_the_network(site: HTTPServer, db_path: Path) -> None:
    site.expect_request("/listing.html").respond_with_data(
        listing("/articles/a.html", "/articles/b.html"), content_type="text/html")
    site.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    site.expect_request("/articles/b.html").respond_with_data(ARTICLE_B, content_type="text/html")
    crawl(db_path, site)
    archive = db_path.parent / "archive"
    assert list(archive.glob("*.warc.gz"))
    site.clear_log()
    replay_db = db_path.parent / "replay.db"
    result = crawl(replay_db, site, {"MONITOR_REPLAY": str(archive)})
    assert site.log == []  # not one request reached the server
    assert result["sources"]["localsite"]["new"] == 2
    query = "SELECT url, content_hash FROM articles ORDER BY url"
    assert rows(replay_db, query) == rows(db_path, query)
