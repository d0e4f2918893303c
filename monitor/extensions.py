"""The run around a plain `scrapy crawl SOURCE`: the same lock, run record and after-run step as `monitor run`.

Under `monitor run` the runner opens and closes the run (MONITOR_RUN_ID is set) and this extension stays off.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from monitor import afterrun, health
from monitor.runs import plural
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
            from monitor.runner import upgrade

            Store(self.db_path, check=True).close()  # a damaged store is refused before anything
            upgrade(self.db_path)  # a store from an earlier version gets its facts recomputed first
            with Store(self.db_path) as store:
                self.recovered = store.mark_interrupted()
                self.run_id = store.start_run(self.mode, [crawler.spider.name])
        except BaseException:
            self.lock.__exit__(None, None, None)
            raise
        crawler.stats.set_value("monitor/run_id", self.run_id)  # the store pipeline writes into this run
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunExtension:
        from monitor.spiders.base import ArticleSpider

        if crawler.settings.getint("MONITOR_RUN_ID") or crawler.settings.getbool("MONITOR_NODE") \
                or not isinstance(crawler.spider, ArticleSpider):
            # The runner holds the run; a scrapyd node has no store; `scrapy fetch`/`shell` crawl no source.
            raise NotConfigured
        return cls(crawler)

    def spider_closed(self) -> None:
        try:
            name = self.crawler.spider.name
            with Store(self.db_path) as store:
                result = health.judge_run(store, self.run_id, self.mode, {name: self.crawler.stats.get_stats()})
                result.recovered = self.recovered
                with store.transaction():
                    afterrun.close_run(store, result)
            afterrun.publish(self.db_path, result)
            if result.status != "ok":
                logger.warning("run %s: %s (%s)", self.run_id, result.status,
                               "; ".join(r for s in result.sources.values() for r in s.reasons))
        finally:
            self.lock.__exit__(None, None, None)


class ProgressExtension:
    """On a terminal, one line kept up to date while a run crawls: pages fetched and articles stored per source.

    Nothing at all when stdout or stderr is not a terminal (cron, pipes, files): the report says the rest.
    """

    shown: dict[str, tuple[int, int]] = {}  # source -> (pages fetched, articles stored), for all crawlers
    open_spiders = 0

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        import sys

        if not (crawler.settings.getbool("MONITOR_PROGRESS", True) and sys.stdout.isatty() and sys.stderr.isatty()):
            raise NotConfigured
        return cls(crawler)

    def _update(self) -> None:
        name = self.crawler.spider.name
        stats = self.crawler.stats.get_stats()
        stored = sum(stats.get(f"monitor/{name}/articles_{k}", 0) for k in ("new", "updated", "unchanged"))
        ProgressExtension.shown[name] = (int(stats.get("downloader/response_count", 0)), int(stored))

    @classmethod
    def _draw(cls) -> None:
        import shutil
        import sys

        pages = sum(p for p, _ in cls.shown.values())
        stored = sum(s for _, s in cls.shown.values())
        line = (f"{plural(pages, 'page')} fetched, {plural(stored, 'article')} stored — "
                + " · ".join(f"{name} {p}/{s}" for name, (p, s) in sorted(cls.shown.items())))
        sys.stderr.write("\r\x1b[K" + line[: shutil.get_terminal_size().columns - 1])
        sys.stderr.flush()

    def spider_opened(self) -> None:
        from twisted.internet import task

        ProgressExtension.open_spiders += 1
        self.tick = task.LoopingCall(self._tick)
        self.tick.start(1.0, now=True)

    def _tick(self) -> None:
        self._update()
        self._draw()

    def spider_closed(self) -> None:
        import sys

        if self.tick.running:
            self.tick.stop()
        self._update()
        self._draw()
        ProgressExtension.open_spiders -= 1
        if ProgressExtension.open_spiders == 0:
            sys.stderr.write("\n")
            ProgressExtension.shown.clear()
