"""The run around a plain `scrapy crawl SOURCE`: the same lock, run record and after-run step as `monitor run`.

Under `monitor run` the runner opens and closes the run (MONITOR_RUN_ID is set) and this extension stays off.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from monitor import afterrun, health
from pipelines.lock import run_lock
from pipelines.store import Store

logger = logging.getLogger(__name__)


class RunExtension:
    """Takes the store's run lock and opens a run when the crawler is set up (a second run is refused at
    once, before anything is fetched); when the spider closes, judges the source, matches batches, writes
    the reports and notifies, then lets the lock go."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("MONITOR_DB")
        self.mode = "replay" if crawler.settings.get("MONITOR_REPLAY") else "crawl"
        self.lock = run_lock(self.db_path)
        self.lock.__enter__()  # raises StoreLocked: the crawl does not start
        try:
            with Store(self.db_path) as store:
                store.mark_interrupted()
                self.run_id = store.start_run(self.mode, [crawler.spider.name])
        except BaseException:
            self.lock.__exit__(None, None, None)
            raise
        crawler.stats.set_value("monitor/run_id", self.run_id)  # the store pipeline writes into this run
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunExtension:
        if crawler.settings.getint("MONITOR_RUN_ID"):
            raise NotConfigured  # the runner holds the run (a message would be logged as a warning)
        return cls(crawler)

    def spider_closed(self) -> None:
        try:
            name = self.crawler.spider.name
            with Store(self.db_path) as store:
                result = health.judge_run(store, self.run_id, self.mode, {name: self.crawler.stats.get_stats()})
                with store.transaction():
                    afterrun.close_run(store, result)
            afterrun.publish(self.db_path, result)
            if result.status != "ok":
                logger.warning("run %s: %s (%s)", self.run_id, result.status,
                               "; ".join(r for s in result.sources.values() for r in s.reasons))
        finally:
            self.lock.__exit__(None, None, None)
