"""Scrapy settings and the monitor's configuration; MONITOR_* environment variables are read here once."""

import os
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MONITOR_{name}", default)


BOT_NAME = "monitor"
SPIDER_MODULES = ["monitor.spiders"]
NEWSPIDER_MODULE = "monitor.spiders"

# Where runtime data lives: data/monitor.db and data/archive/live under the folder the command runs in (a
# checkout, or wherever cron cds to), unless MONITOR_DB / MONITOR_ARCHIVE_DIR say otherwise. The hand-kept
# knowledge is not here: it is installed with the package (pipelines.knowledge).
MONITOR_DB = _env("DB", str(Path("data") / "monitor.db"))
MONITOR_ARCHIVE_DIR = _env("ARCHIVE_DIR", str(Path("data") / "archive" / "live"))
# Run reports and logs; unset: reports/ beside the store (data/reports for the default store).
MONITOR_REPORTS_DIR = _env("REPORTS_DIR", "") or None
# Record every live response into WARC files (off in replay mode).
MONITOR_RECORD = _env("RECORD", "1") == "1"
# A WARC file or a folder of them: when set, every request is answered from it (no network).
MONITOR_REPLAY = _env("REPLAY", "") or None

# Politeness: on by default.
CONTACT = _env("CONTACT", "telecom-opening-monitor@example.org")
USER_AGENT = _env(
    "USER_AGENT",
    f"telecom-opening-monitor/0.1 (+https://github.com/telecom-opening-monitor; {CONTACT})",
)
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = float(_env("THROTTLE_START", "1.0"))
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(_env("DOWNLOAD_DELAY", "0.5"))
DOWNLOAD_TIMEOUT = int(_env("DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = int(_env("MAX_RESPONSE_BYTES", str(8 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = int(_env("RETRY_TIMES", "2"))
RETRY_BACKOFF_BASE = float(_env("RETRY_BACKOFF_BASE", "2.0"))  # seconds before the first retry, doubling
RETRY_BACKOFF_MAX = 60.0
COOKIES_ENABLED = False
# An article page yields one item and the pipelines are synchronous: Scrapy's default of 100 would start 100
# asyncio tasks per response for nothing (bench/throughput.py: a quarter of the monitor's CPU at 1k pages).
CONCURRENT_ITEMS = 1
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening port on a cron machine
LOG_LEVEL = _env("LOG_LEVEL", "INFO")

# Incremental crawling: discovery pages are always conditional; a known article is re-checked (conditionally)
# only when it can have changed (see below), never after MONITOR_RECHECK_DAYS unless its listing entry changes.
MONITOR_INCREMENTAL = _env("INCREMENTAL", "1") == "1"
MONITOR_RECHECK_DAYS = float(_env("RECHECK_DAYS", "3"))
# Which known articles are re-checked (monitor/incremental.py): those first seen less than this many days ago,
# and, when their listing changed, those whose entry on it changed (text or place) and those inside
# MONITOR_RECHECK_DAYS not checked for half their age. Past MONITOR_RECHECK_DAYS only a changed entry brings an article back.
MONITOR_RECHECK_FRESH_DAYS = float(_env("RECHECK_FRESH_DAYS", "1"))
# Health: a source not seen healthy for this many days is "stale".
MONITOR_STALE_DAYS = float(_env("STALE_DAYS", "3"))

# Requests to loopback, private or link-local addresses are refused (monitor/guard.py); tests that crawl a
# local site turn this on explicitly.
MONITOR_ALLOW_PRIVATE_ADDRESSES = False
# `monitor query` stops a query still running after this many seconds (an endless recursive CTE).
MONITOR_QUERY_SECONDS = float(_env("QUERY_SECONDS", "30"))
# A discovery page yields at most this many article links (more are counted as discovery_links_dropped).
MONITOR_MAX_LINKS_PER_PAGE = int(_env("MAX_LINKS_PER_PAGE", "500"))

DOWNLOADER_MIDDLEWARES = {
    # Every request, redirects included, stays on its source's domains and off private addresses.
    "monitor.guard.RequestGuardMiddleware": 50,
    # Replay stands where the network would (after robots.txt, user agent, retries, redirects, stats);
    # recording sees each response as it came off the wire.
    "monitor.replay.ReplayMiddleware": 950,
    "monitor.incremental.IncrementalMiddleware": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "monitor.retry.BackoffRetryMiddleware": 550,
    "monitor.replay.RecordMiddleware": 901,
}

# The incremental middleware in its other role: it drops a listing's requests for known articles before they are
# scheduled (the same instance as the downloader middleware above).
SPIDER_MIDDLEWARES = {"monitor.incremental.IncrementalMiddleware": 500}

ITEM_PIPELINES = {  # the flow: clean -> extract -> store
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.extract.ExtractPipeline": 500,
    "pipelines.store.StorePipeline": 800,
    "pipelines.feed.FeedPipeline": 900,  # only on a scrapyd node (MONITOR_NODE), in place of extract and store
}
# A scrapyd node: items go to Scrapy's FEEDS as document lines for `monitor ingest`; no store is opened.
MONITOR_NODE = _env("NODE", "0") == "1"

# A plain `scrapy crawl` is a run like `monitor run`: locked, recorded, judged, matched, reported.
EXTENSIONS = {"monitor.extensions.RunExtension": 100,
              # Pages fetched and articles stored, on one line, only when run on a terminal.
              "monitor.extensions.ProgressExtension": 500}

# Scrapy checks that no callback is a generator returning a value by reading the callback's source and parsing
# it, on every response: its cache is keyed weakly on the bound method, which is gone after each call. That was
# about 4 % of a crawl (py-spy, 3,000 pages); tests/test_layout.py makes the same check of every spider once.
WARN_ON_GENERATOR_RETURN_VALUE = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# Notification when a run flags a new approval batch (either, both or neither).
MONITOR_WEBHOOK_URL = _env("WEBHOOK_URL", "") or None  # receives a JSON POST: the batch, firms and evidence
MONITOR_NOTIFY_COMMAND = _env("NOTIFY_COMMAND", "") or None  # receives the Markdown report on stdin
# Apprise URLs (mailto://, slack://, tgram://, matrix://, ntfy://, json://, ...), separated by spaces or commas:
# each is a channel of its own, delivered once.
MONITOR_NOTIFY_URLS = _env("NOTIFY_URLS", "")
# A PNG chart of the official figures and the batches beside each run report (monitor/charts.py); 0: none.
MONITOR_CHARTS = _env("CHARTS", "1") == "1"
# Where `monitor serve` is reached, for the links to an article's stored copy in diffs and alerts.
MONITOR_SERVE_URL = _env("SERVE_URL", "http://127.0.0.1:8001").rstrip("/")
