"""A monitor run: lock the store, crawl the chosen sources through the real Scrapy engine, judge them, record it."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from monitor import health, registry
from pipelines.batches import after_run
from pipelines.store import Store, source_stats

logger = logging.getLogger(__name__)


class StoreLocked(Exception):
    """Another process holds the store's run lock."""


@contextmanager
def run_lock(db_path: str | Path) -> Iterator[None]:
    """One run at a time per store: an flock on `<db>.lock`, released by the kernel even on kill -9."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreLocked(f"another run holds {db_path} (lock {lock_path})") from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def reports_dir(db_path: str | Path) -> Path:
    """Where run reports and logs go: MONITOR_REPORTS_DIR, else reports/ beside the store."""
    from monitor.settings import MONITOR_REPORTS_DIR

    return Path(MONITOR_REPORTS_DIR) if MONITOR_REPORTS_DIR else Path(db_path).resolve().parent / "reports"


def report_path(db_path: str | Path, run_id: int, suffix: str) -> Path:
    """A run's report or log: named by its store too, so two stores in one folder never share a file.

    >>> report_path("/srv/data/monitor.db", 7, ".md").name
    'monitor-run-00007.md'
    """
    return reports_dir(db_path) / f"{Path(db_path).stem}-run-{run_id:05d}{suffix}"


@contextmanager
def run_log(path: Path, level: str = "INFO") -> Iterator[None]:
    """Everything the crawl logs at `level` or above (INFO at least) also goes to the run's log file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(min(logging.INFO, logging.getLevelName(level.upper()) if isinstance(
        logging.getLevelName(level.upper()), int) else logging.INFO))
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, handler.level))
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def project_settings(**overrides: Any) -> Settings:
    settings = Settings()
    settings.setmodule("monitor.settings", priority="project")
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    return settings


@dataclass
class SourceResult:
    name: str
    stats: dict[str, int]
    status: str = "ok"
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reasons": self.reasons, **self.stats}


def _summarise(name: str, raw: dict[str, Any]) -> dict[str, int]:
    """The counts a report and the health judgement need, from one crawler's Scrapy stats."""
    own = source_stats(raw, name)
    errors = sum(v for k, v in raw.items() if k.startswith("downloader/exception_type_count/"))
    errors += sum(v for k, v in raw.items() if k.startswith("downloader/response_status_count/5"))
    errors += sum(v for k, v in raw.items() if k.startswith("spider_exceptions/"))
    return {
        "requests": int(raw.get("downloader/request_count", 0)),
        "responses": int(raw.get("downloader/response_count", 0)),
        "discovery_pages": own.get("discovery_pages", 0),
        "discovery_not_modified": own.get("discovery_not_modified", 0),
        "discovery_links": own.get("discovery_links", 0),
        "skipped_known": int(raw.get("incremental/skipped_known", 0)),
        "not_modified": int(raw.get("incremental/not_modified/article", 0)),
        "articles": own.get("articles_parsed", 0),
        "new": own.get("articles_new", 0),
        "updated": own.get("articles_updated", 0),
        "unchanged": own.get("articles_unchanged", 0),
        "dropped": sum(v for k, v in own.items() if k.startswith("dropped/")),
        "store_errors": own.get("dropped/store_error", 0),
        **{f"field_{f}": own.get(f"field/{f}", 0) for f in health.FIELDS},
        "replay_missing": int(raw.get("replay/missing", 0)),
        "errors": int(errors),
    }


@dataclass
class RunResult:
    run_id: int
    mode: str
    sources: dict[str, SourceResult]
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "mode": self.mode, "status": self.status,
                "sources": {k: v.as_dict() for k, v in self.sources.items()}}


def crawl(
    sources: list[str],
    db_path: str,
    replay: str | None = None,
    log_level: str = "WARNING",
    extra_settings: dict[str, Any] | None = None,
    spiders: dict[str, type] | None = None,
) -> RunResult:
    """Crawl `sources` into the store at `db_path` as one recorded run; the caller holds the run lock.

    `spiders` replaces the registry (tests crawl a local site with a spider of their own).
    """
    table = spiders or registry.spiders()
    mode = "replay" if replay else "live"
    store = Store(db_path)
    try:
        store.mark_interrupted()
        run_id = store.start_run(mode, sources, archive=replay)
    finally:
        store.close()
    settings = project_settings(
        MONITOR_DB=db_path, MONITOR_RUN_ID=run_id, MONITOR_REPLAY=replay, LOG_LEVEL=log_level,
        **(extra_settings or {}),
    )
    if replay:
        # Replay answers from the archive at once: no politeness delays needed, none recorded.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("MONITOR_RECORD", False, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # the caller's handlers, plus the run log
    process = CrawlerProcess(settings)
    crawlers = {}
    for name in sources:
        crawler = process.create_crawler(table[name])
        crawlers[name] = crawler
        process.crawl(crawler)
    log_path = report_path(db_path, run_id, ".log")
    with run_log(log_path, log_level):
        process.start()
    results = {}
    store = Store(db_path)
    try:
        for name, crawler in crawlers.items():
            stats = crawler.stats.get_stats() if crawler.stats else {}
            result = SourceResult(name, _summarise(name, stats))
            result.reasons = health.judge(result.stats, health.history(store, name, run_id))
            result.status = "degraded" if result.reasons else "ok"
            results[name] = result
    finally:
        store.close()
    if results and all(r.stats["discovery_pages"] + r.stats["discovery_not_modified"] == 0 for r in results.values()):
        status = "failed"  # not one source could be read: the network, the archive or the machine is at fault
    elif any(r.status != "ok" for r in results.values()):
        status = "degraded"
    else:
        status = "ok"
    store = Store(db_path)
    try:
        with store.transaction():
            after_run(store, run_id)
            for name, r in results.items():
                if r.status == "degraded":
                    store.add_event(run_id, "source_degraded", name, (), {"reasons": r.reasons})
            store.finish_run(run_id, status, {k: v.as_dict() for k, v in results.items()})
    finally:
        store.close()
    return RunResult(run_id, mode, results, status)
