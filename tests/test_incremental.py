"""Incremental crawling, the middleware alone over a real store: validators, known articles, the re-check window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from monitor.dates import iso, now
from monitor.incremental import ENTRY_KIND, IncrementalMiddleware, entry_digest, entry_key, out_of_order
from pipelines.store import Store
from tests.localsite import Site, age, page

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


# ---- which known articles a changed listing re-checks (issue 11) ------------------------------------------------

@pytest.mark.parametrize(("ranks", "moved"), [
    ([0, 1, 2, 3], []),
    ([1, 2, 3], []),  # the first link fell off the listing: nothing moved
    ([2, 0, 1, 3], [0]),  # the third link was bumped to the top
    ([0, 2, 3, 1], [3]),  # the second link sank to the bottom
    ([1, 0], [0]),  # a swap: the one that went up
    ([], []),
])
def test_a_link_that_moved_against_the_others_is_found(ranks: list[int], moved: list[int]) -> None:
    assert sorted(out_of_order(ranks)) == moved


@pytest.mark.parametrize(("before", "after", "same"), [
    ("China approves 13 firms 2025-03-03", "China approves 13 firms  2025-03-03", True),
    ("Firms approved 3 hours ago", "Firms approved 5 hours ago", True),
    ("工信部批复外资企业 5分钟前", "工信部批复外资企业 2小时前", True),
    ("China approves 13 firms", "China approves 14 firms", False),
    ("China approves 13 firms 2025-03-03", "China approves 13 firms 2025-03-04", False),
])
def test_an_entry_is_compared_by_its_words_without_relative_times(before: str, after: str, same: bool) -> None:
    assert (entry_digest(before) == entry_digest(after)) is same


def test_a_known_article_inside_the_fresh_window_is_rechecked(db_path: Path) -> None:
    _stored_article(db_path, iso(now() - timedelta(hours=2)))
    mw = _middleware(db_path)
    try:
        request = Request(ARTICLE, meta={"monitor_kind": "article"})
        mw.process_request(request)
        assert request.meta["monitor_recheck"] == "fresh"
        assert mw.stats.get_value("incremental/recheck/fresh") == 1
    finally:
        mw.close()


def test_the_spider_side_drops_a_known_article_whose_entry_is_unchanged(db_path: Path) -> None:
    """The decision is taken before scheduling: a dropped request never meets the duplicate filter."""
    _stored_article(db_path, "2020-01-01T00:00:00+08:00")
    entries = {ARTICLE: "China approves 13 foreign firms 2025-02-28"}
    with Store(db_path) as store, store.transaction():
        store.remember_fetch(entry_key(LISTING, ARTICLE), ENTRY_KIND, f"{entry_digest(entries[ARTICLE])}/0", None)
    mw = _middleware(db_path)
    listing = Response(LISTING)
    try:
        same = Request(ARTICLE, meta={"monitor_kind": "article", "monitor_entries": entries})
        assert mw.get_processed_request(same, listing) is None
        changed = {ARTICLE: "China approves 13 foreign firms (corrected) 2025-02-28"}
        request = Request(ARTICLE, meta={"monitor_kind": "article", "monitor_entries": changed})
        assert mw.get_processed_request(request, listing) is request
        assert request.meta["monitor_recheck"] == "entry_changed"
    finally:
        mw.close()


# ---- the same, through the real engine against a site on 127.0.0.1 ----------------------------------------------

FAST = {"RETRY_BACKOFF_BASE": 0.05, "DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 0}


def test_one_new_link_requests_the_new_article_and_the_changed_entries_only(local_server: HTTPServer,
                                                                           db_path: Path) -> None:
    """Regression (issue 11): a listing that changed re-requested every linked article, 30 here for one new link."""
    site = Site(local_server, 30, FAST)
    first, asked = site.crawl(db_path)
    assert len(asked) == 30 and first["sources"]["localsite"]["new"] == 30
    age(db_path, 5)  # past MONITOR_RECHECK_DAYS: only what the listing shows can bring an article back
    new = site.add(30)
    dated, title, _ = site.entries[12]
    site.entries[12] = (dated, title, "2025-03-03 (updated)")  # a changed date
    site.entries.insert(0, site.entries.pop(20))  # an old story bumped to the top
    bumped = site.entries[0][0]
    second, asked = site.crawl(db_path)
    assert sorted(asked) == sorted([new, dated, bumped])
    assert second["sources"]["localsite"]["skipped_known"] == 28
    third, asked = site.crawl(db_path)  # the listing answers 304: nothing at all
    assert asked == [] and third["sources"]["localsite"]["discovery_not_modified"] == 1


def test_an_entry_whose_title_changed_is_rechecked_and_its_correction_kept(local_server: HTTPServer,
                                                                          db_path: Path) -> None:
    site = Site(local_server, 10, FAST)
    site.crawl(db_path)
    age(db_path, 5)
    href, _, day = site.entries[4]
    old_etag = f'"{hash(site.bodies[href])}"'
    site.entries[4] = (href, "Story 4 on foreign telecom firms (corrected: 14 firms)", day)
    site.bodies[href] = page("Story 4 (corrected)", "Corrected text: 14 firms, long enough to be kept as main text.")
    result, asked = site.crawl(db_path)
    assert asked == [href]
    assert result["sources"]["localsite"]["updated"] == 1  # a story off the policy: counted, not listed
    assert result["off_topic"]["changed_article"] == 1 and "changed_article" not in result["events"]
    assert [req.headers.get("If-None-Match") for req, _ in local_server.log if req.path == href] == [old_etag]


def test_nothing_is_rechecked_on_an_unchanged_listing(local_server: HTTPServer, db_path: Path) -> None:
    """Even when the listing answers 200 every time (no validators): its entries are the same, in the same order, so
    it is taken as a 304 would be, although the articles are due their periodic re-check (see below)."""
    site = Site(local_server, 10, FAST)
    site.listing_etag = False
    site.crawl(db_path)
    age(db_path, 2)
    result, asked = site.crawl(db_path)
    assert asked == []
    assert result["sources"]["localsite"]["skipped_known"] == 10 and result["status"] == "ok"


def test_the_periodic_recheck_reaches_every_article_inside_the_window_once_it_is_due(local_server: HTTPServer,
                                                                                    db_path: Path) -> None:
    """Past the fresh day, an article not checked for half its age is re-checked when its listing changes: a
    correction the listing does not show is found within days, at the cost of one request per article then."""
    site = Site(local_server, 10, FAST)
    site.crawl(db_path)
    age(db_path, 2)  # first seen and last checked two days ago: inside MONITOR_RECHECK_DAYS (3), past the fresh day
    href = site.entries[6][0]
    site.bodies[href] = page("Story 6", "Quietly corrected text, long enough to be kept as the main text of a page.")
    new = site.add(10)
    result, asked = site.crawl(db_path)
    assert sorted(asked) == sorted(h for h, _, _ in site.entries)  # the new one and all ten known, conditionally
    assert result["sources"]["localsite"]["updated"] == 1 and result["sources"]["localsite"]["not_modified"] == 9
    site.add(11)
    _, asked = site.crawl(db_path)  # all ten were just checked; the one of the last run is still fresh
    assert sorted(asked) == sorted(["/articles/11.html", new])


def test_a_recheck_that_failed_is_tried_again_next_run(local_server: HTTPServer, db_path: Path) -> None:
    """Its entry is not recorded as seen, so the change still shows next run."""
    site = Site(local_server, 5, FAST)
    site.crawl(db_path)
    age(db_path, 5)
    href, title, _ = site.entries[2]
    site.entries[2] = (href, title, "2025-03-03 (updated)")
    site.failing.add(href)
    _, asked = site.crawl(db_path)
    assert asked == [href]
    site.failing.clear()
    age(db_path, 5)
    _, asked = site.crawl(db_path)
    assert asked == [href]
    _, asked = site.crawl(db_path)
    assert asked == []
