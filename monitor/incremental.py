"""Incremental crawling: conditional discovery fetches, and known articles re-checked only when they can have changed."""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from monitor.dates import now
from pipelines.store import Store, run_id_of

logger = logging.getLogger(__name__)



class Reason(StrEnum):
    """Why a link is requested (the stat incremental/recheck/<reason> counts the re-checks of known articles)."""

    NEW = "new"  # not in the store: fetched plainly
    ENTRY_CHANGED = "entry_changed"  # its entry's text on the listing changed (title, date, summary)
    MOVED = "moved"  # it moved against the order of the listing's other known links (bumped to the top)
    FRESH = "fresh"  # first seen less than MONITOR_RECHECK_FRESH_DAYS ago
    PERIODIC = "periodic"  # inside MONITOR_RECHECK_DAYS and not checked for half its age


# A listing entry's row in the store's fetch log: kind "entry", keyed "<listing URL> <article URL>" (a space is
# never part of a requested URL), its etag column holding "<digest of the entry text>/<place on the listing>".
ENTRY_KIND = "entry"

# Text in an entry that changes while the article does not: relative times ("3 hours ago", "5分钟前").
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s+ago\b"
    r"|\d+\s*(?:秒|分钟|小时|天|周)前|刚刚|\bjust now\b", re.I)

# Articles' answers written to the store at a time (see IncrementalMiddleware.fetched).
FLUSH_EVERY = 100

_INSTANCES: WeakKeyDictionary[Crawler, IncrementalMiddleware] = WeakKeyDictionary()


def active(settings: Any) -> bool:
    """Whether a crawl with these settings crawls incrementally: not when replaying, switched off, or on a
    scrapyd node (no store). The spider computes listing entries only then: nothing else reads them."""
    return not (settings.get("MONITOR_REPLAY") or not settings.getbool("MONITOR_INCREMENTAL")
                or settings.getbool("MONITOR_NODE"))


def entry_digest(text: str) -> str:
    """What an entry's text is compared by: its words, relative times left out, in a short digest.

    >>> entry_digest("Firms approved  3 hours ago") == entry_digest("Firms approved 4 hours ago")
    True
    """
    words = " ".join(_RELATIVE_TIME.sub(" ", text).split())
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:16]


def entry_key(listing: str, link: str) -> str:
    return f"{listing} {link}"


def out_of_order(ranks: list[int]) -> set[int]:
    """Positions in `ranks` (the earlier places of a listing's known links, in their order now) outside one longest
    increasing run: the links that moved against the others. Links added above or removed between them move none.

    >>> sorted(out_of_order([0, 1, 2, 3]))
    []
    >>> sorted(out_of_order([2, 0, 1, 3]))  # the third link was bumped to the top
    [0]
    """
    tails: list[int] = []  # tails[k]: the smallest last rank of an increasing run of length k + 1
    tail_at: list[int] = []  # ... and its position
    before = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        k = bisect_left(tails, rank)
        if k == len(tails):
            tails.append(rank)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = rank, i
        before[i] = tail_at[k - 1] if k else -1
    kept = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(i)
        i = before[i]
    return set(range(len(ranks))) - kept


@dataclass
class _Listing:
    """A discovery page as parsed in this crawl, beside what the store recorded of its entries."""

    entries: dict[str, str]  # the spider's link -> entry text (one dict per parse of the listing)
    tokens: dict[str, str]  # link -> "<digest>/<place>" now
    stored: dict[str, str]  # link -> the token the store had (links it had none for are absent)
    changed: dict[str, Reason] = field(default_factory=dict)  # link -> ENTRY_CHANGED or MOVED
    unchanged: bool = False  # every entry as recorded, in the same places: the listing says nothing new


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Downloader and spider middleware over the store's `fetches` log and `articles` table (one instance per crawl,
    in both roles).

    - discovery pages are fetched with If-None-Match / If-Modified-Since from their last 200 (a 304: nothing more);
    - as a spider middleware it sees each listing's article requests before they are scheduled: a link not in the
      store is fetched; a known article is re-checked (conditionally: a changed text becomes a `changed_article`
      event) when it was first seen less than MONITOR_RECHECK_FRESH_DAYS ago, and, on a listing that changed,
      when its entry changed (text or place, see `ArticleSpider.listing_entries`) or it is inside
      MONITOR_RECHECK_DAYS and was not checked for half its age; other requests are dropped
      (`incremental/skipped_known`);
    - listing validators and entries are written when the crawl ends, never for an article whose fetch failed.
    Off in replay mode (a replay re-reads everything, so a re-run only moves last-seen).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.stats = crawler.stats
        self.window = timedelta(days=settings.getfloat("MONITOR_RECHECK_DAYS"))
        self.fresh = min(timedelta(days=settings.getfloat("MONITOR_RECHECK_FRESH_DAYS", 1.0)), self.window)
        self.store = Store(settings.get("MONITOR_DB"))
        # A listing's validators are kept back until the crawl ends, and written only if none of its article
        # fetches failed: otherwise its next 304 would hide the failed article for good.
        self.pending: dict[str, tuple[str | None, str | None]] = {}
        self.failed_listings: set[str] = set()
        self.listings: dict[str, _Listing] = {}
        self.sent: set[str] = set()  # links let through to the scheduler
        self.settled: set[str] = set()  # ... and those that got an answer (200, 304) or were refused on purpose
        # Articles answered 200 (URL, ETag, Last-Modified) and 304 (URL), written FLUSH_EVERY at a time: a
        # transaction per article was a commit (an fsync) per page. What a crash loses here is only a validator
        # (a later re-check is a plain GET) or a 304's last-seen run (the article's own row is unchanged).
        self.fetched: list[tuple[str, str | None, str | None]] = []
        self.seen: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if (mw := _INSTANCES.get(crawler)) is not None:
            return mw  # the other role of the same middleware
        if not active(crawler.settings):
            raise NotConfigured
        mw = cls(crawler)
        _INSTANCES[crawler] = mw
        from scrapy import signals

        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def close(self) -> None:
        try:
            if self.stats.get_value("monitor/store_failed"):
                # Articles were fetched but not stored: no listing may answer 304, nor an entry look unchanged,
                # next run and hide them.
                logger.warning("not caching any listing: the store could not keep some articles")
                self.pending.clear()
                self.listings.clear()
            kept = {url: v for url, v in self.pending.items() if url not in self.failed_listings}
            for url in self.failed_listings & set(self.pending):
                logger.info("not caching %s: some of its articles could not be fetched", url)
            self._flush()
            with self.store.transaction():
                for url, (etag, modified) in kept.items():
                    self.store.remember_fetch(url, "discovery", etag, modified)
                for listing, state in self.listings.items():
                    for link, token in state.tokens.items():
                        if link in self.sent and link not in self.settled:
                            continue  # fetched and failed (or never answered): its change is looked at again
                        if state.stored.get(link) != token:
                            self.store.remember_fetch(entry_key(listing, link), ENTRY_KIND, token, None)
        finally:
            self.store.close()
            _INSTANCES.pop(self.crawler, None)

    # ---- spider side: which article requests are scheduled ---------------------------------------------
    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        entries = request.meta.get("monitor_entries")
        if response is None or entries is None or request.meta.get("monitor_kind") != "article":
            return request
        state = self._listing(response.url, entries)
        link = request.meta.get("monitor_link", request.url)  # as the listing gave it (the entries' key)
        reason = self._reason(request.url, state.changed.get(link), quiet=state.unchanged)
        if reason is None:
            self.stats.inc_value("incremental/skipped_known")
            logger.debug("known article, nothing says it changed: %s", link)
            return None
        request.meta["monitor_recheck"] = reason
        self.sent.add(link)
        return request

    def _listing(self, listing: str, entries: dict[str, str]) -> _Listing:
        """The listing's entries now and in the store, and which known links changed (once per listing and crawl)."""
        state = self.listings.get(listing)
        if state is not None and state.entries is entries:
            return state
        tokens = {link: f"{entry_digest(text)}/{rank}" for rank, (link, text) in enumerate(entries.items())}
        stored = {}
        for link in tokens:
            known = self.store.fetch_validators(entry_key(listing, link))
            if known and known[0]:
                stored[link] = known[0]
        state = _Listing(entries, tokens, stored)
        # A link the store has no entry for (a new link, or a listing first read by this version) is recorded,
        # and is not by itself a reason to re-check.
        in_order = [link for link in tokens if link in stored]
        for link in in_order:
            if tokens[link].split("/")[0] != stored[link].split("/")[0]:
                state.changed[link] = Reason.ENTRY_CHANGED
        ranks = [_rank(stored[link]) for link in in_order]
        for i in out_of_order(ranks):
            state.changed.setdefault(in_order[i], Reason.MOVED)
        state.unchanged = stored == tokens
        if state.unchanged:
            self.stats.inc_value("incremental/listing_unchanged")
        self.listings[listing] = state
        return state

    def _reason(self, url: str, changed: Reason | None, quiet: bool = False) -> Reason | None:
        """Why `url` is requested (new, or a re-check), or None: a known article that nothing says has changed.
        `quiet`: its listing shows what it showed last time (as a 304 would say): only a fresh article is due."""
        seen = self.store.article_seen_at(url)
        if seen is None:
            return Reason.NEW
        if changed:
            return changed
        first, last = seen
        at = now()
        age = at - first
        if age < self.fresh:  # a correction in an article's first day is caught whatever its listing shows
            return Reason.FRESH
        if quiet:
            return None
        if age < self.window and at - last >= age / 2:
            return Reason.PERIODIC
        return None

    # ---- downloader side: validators, answers ---------------------------------------------------------
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
            reason = request.meta.get("monitor_recheck")
            if reason is None:  # not from a listing parse (no entries): the time rules alone decide
                reason = self._reason(request.url, None)
                if reason is None:
                    self.stats.inc_value("incremental/skipped_known")
                    raise IgnoreRequest(f"known article, nothing says it changed: {request.url}")
                request.meta["monitor_recheck"] = reason
            if reason != Reason.NEW:
                if not request.meta.get("monitor_counted"):  # a retry or redirect is the same re-check
                    request.meta["monitor_counted"] = True
                    self.stats.inc_value("incremental/rechecked")
                    self.stats.inc_value(f"incremental/recheck/{reason}")
                self._validators(request)
        elif kind == "discovery":
            self._validators(request)

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("monitor_kind")
        if kind not in ("discovery", "article"):
            return response
        if response.status == 304:
            self.stats.inc_value(f"incremental/not_modified/{kind}")
            if kind == "article":
                self._settled(request)
                self.seen.append(request.url)  # unchanged, and seen in this run
                self._flush(FLUSH_EVERY)
            return response
        if response.status >= 400 and kind == "article":
            self._article_failed(request)
        if response.status == 200:
            etag = _header(response, b"ETag")
            modified = _header(response, b"Last-Modified")
            if kind == "discovery":
                self.pending[request.url] = (etag, modified)
            else:
                self._settled(request)
                self.fetched.append((request.url, etag, modified))
                self._flush(FLUSH_EVERY)
        return response

    def _flush(self, at_least: int = 0) -> None:
        """Write the articles' answers kept so far in one transaction, once there are `at_least` of them."""
        if len(self.fetched) + len(self.seen) < max(at_least, 1):
            return
        fetched, self.fetched = self.fetched, []
        seen, self.seen = self.seen, []
        run_id = run_id_of(self.crawler)
        with self.store.transaction():
            for url, etag, modified in fetched:
                self.store.remember_fetch(url, "article", etag, modified)
            if run_id:
                for url in seen:
                    self.store.mark_seen(url, run_id)

    def process_exception(self, request: Request, exception: Exception) -> None:
        """An article that could not be fetched (after retries) keeps its listing uncached; one refused on purpose
        (robots.txt, the request guard) is settled."""
        if request.meta.get("monitor_kind") == "article":
            if isinstance(exception, IgnoreRequest):
                self._settled(request)
            else:
                self._article_failed(request)

    def _settled(self, request: Request) -> None:
        self.settled.add(request.meta.get("monitor_link", request.url))

    def _article_failed(self, request: Request) -> None:
        if listing := request.meta.get("monitor_listing"):
            self.failed_listings.add(listing)


def _rank(token: str) -> int:
    try:
        return int(token.rpartition("/")[2])
    except ValueError:
        return -1


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
