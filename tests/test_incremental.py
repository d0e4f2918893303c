"""Incremental crawling, the middleware alone over a real store: validators, known articles, the re-check window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from monitor.incremental import IncrementalMiddleware
from pipelines.store import Store

LISTING = "https://english.news.cn/list/latestnews.htm"
ARTICLE = "https://english.news.cn/20250228/0123456789abcdef0123456789abcdef/c.html"


def _middleware(db: Path, **settings: object) -> IncrementalMiddleware:
    crawler = get_crawler(Spider, {"MONITOR_DB": str(db), "MONITOR_INCREMENTAL": True, "MONITOR_RECHECK_DAYS": 3,
                                   "MONITOR_RUN_ID": 1, **settings})
    return IncrementalMiddleware.from_crawler(crawler)


@pytest.fixture
def middleware(db_path: Path) -> Iterator[IncrementalMiddleware]:
    mw = _middleware(db_path)
    try:
        yield mw
    finally:
        mw.close()


def _stored_article(db: Path, started: str) -> None:
    with Store(db) as store, store.transaction():
        run = store.start_run("live")
        store.db["runs"].update(run, {"started": started})
        store.save_article({"canonical_url": ARTICLE, "url": ARTICLE, "source": "xinhua_en", "title": "t",
                            "text": "A stored article."}, run)


def test_off_in_replay(db_path: Path) -> None:
    with pytest.raises(NotConfigured):
        _middleware(db_path, MONITOR_REPLAY="data/archive/demo")


def test_a_listing_is_fetched_with_the_validators_of_its_last_200(db_path: Path) -> None:
    first = _middleware(db_path)
    first.process_response(Request(LISTING, meta={"monitor_kind": "discovery"}),
                           Response(LISTING, headers={"ETag": '"v1"'}))
    first.close()  # validators are written when the crawl ends
    again = _middleware(db_path)
    try:
        request = Request(LISTING, meta={"monitor_kind": "discovery"})
        again.process_request(request)
        assert request.headers.get("If-None-Match") == b'"v1"'
    finally:
        again.close()


def test_a_listing_whose_article_failed_is_not_cached(db_path: Path) -> None:
    middleware = _middleware(db_path)
    middleware.process_response(Request(LISTING, meta={"monitor_kind": "discovery"}),
                                Response(LISTING, headers={"ETag": '"v1"'}))
    article = Request(ARTICLE, meta={"monitor_kind": "article", "monitor_listing": LISTING})
    middleware.process_response(article, Response(ARTICLE, status=500))
    middleware.close()
    with Store(db_path) as store:
        assert store.fetch_validators(LISTING) is None


def test_a_known_article_outside_the_window_is_not_fetched(db_path: Path) -> None:
    _stored_article(db_path, "2020-01-01T00:00:00+08:00")
    mw = _middleware(db_path)
    try:
        with pytest.raises(IgnoreRequest):
            mw.process_request(Request(ARTICLE.replace("https:", "http:"), meta={"monitor_kind": "article"}))
        assert mw.stats.get_value("incremental/skipped_known") == 1
    finally:
        mw.close()


def test_a_new_article_is_fetched_plainly(middleware: IncrementalMiddleware) -> None:
    request = Request(ARTICLE, meta={"monitor_kind": "article"})
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers
