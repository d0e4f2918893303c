"""After a run: match batches and record the run's judgement (one transaction), then write its reports and
send what is owed. Called by the runner for `monitor run`, `ingest` and `crawl`, and by
monitor.extensions.RunExtension when a plain `scrapy crawl` ends, so both do the same."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitor import diff, notify, report, settings
from monitor.dates import now
from monitor.runs import RunResult
from pipelines.batches import match_batches
from pipelines.store import Store

logger = logging.getLogger(__name__)


def reports_dir(db_path: str | Path) -> Path:
    """Where run reports and logs go: MONITOR_REPORTS_DIR, else reports/ beside the store."""
    return Path(settings.MONITOR_REPORTS_DIR) if settings.MONITOR_REPORTS_DIR else \
        Path(db_path).resolve().parent / "reports"


def report_path(db_path: str | Path, run_id: int, suffix: str) -> Path:
    """A run's report or log: named by its store too, so two stores in one folder never share a file.

    >>> report_path("/srv/data/monitor.db", 7, ".md").name
    'monitor-run-00007.md'
    """
    return reports_dir(db_path) / f"{Path(db_path).stem}-run-{run_id:05d}{suffix}"


# A source that stays degraded is said again at most this often (a 3-hourly cron would mail it 8 times a day).
REANNOUNCE = timedelta(days=1)


def close_run(store: Store, result: RunResult) -> dict[str, int]:
    """Batch matching over the whole store, degraded and recovered sources, the run's status. Inside the
    caller's transaction.

    A source that turns degraded is announced; while it stays degraded, again once a day; when it is healthy
    again after a degraded run, `source_recovered` says so. Every degraded run is still recorded.
    """
    found = match_batches(store, result.run_id)
    for name, r in result.sources.items():
        if result.mode == "ingest":
            continue  # an ingest's "sources" are outlets of a file, not crawled sites
        past = store.source_history(name, result.run_id, 1)
        was_degraded = bool(past) and past[0].get("status") == "degraded"
        if r.status == "degraded":
            last = store.last_announced("source_degraded", name)
            announced = not was_degraded or last is None or now() - last >= REANNOUNCE
            store.add_event(result.run_id, "source_degraded", name, (), {"reasons": r.reasons, "announced": announced})
        elif was_degraded:
            store.add_event(result.run_id, "source_recovered", name, (), {})
    store.finish_run(result.run_id, result.status, {k: v.as_dict() for k, v in result.sources.items()})
    return found


@dataclass
class Outcome:
    result: RunResult
    events: list[dict[str, Any]]
    markdown: str
    off_topic: dict[str, int] = field(default_factory=dict)  # new/changed articles not about the policy, by kind
    report_paths: list[str] = field(default_factory=list)
    undelivered: list[str] = field(default_factory=list)  # notifications that failed (retried next run)

    @property
    def new_batches(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "new_batch"]

    @property
    def nothing_to_say(self) -> bool:
        """True when cron should stay silent: nothing new worth reading, no failure, nothing undelivered.

        A source that stays degraded is worth reading only when announced (once a day)."""
        return (not any(diff.worth_reading(e) for e in self.events) and self.result.status in ("ok", "degraded")
                and not self.undelivered)

    def as_json(self) -> dict[str, Any]:
        return report.run_json(self.result, self.events, self.report_paths, self.off_topic)


def publish(db_path: str, result: RunResult) -> Outcome:
    """Write the run's report and diff (Markdown and JSON) to the reports folder, then send pending notifications."""
    store = Store(db_path)
    try:
        # Articles not about the policy are counted, not loaded: a backfill of 10,000 pages stores thousands.
        evs = diff.events(store, run=result.run_id, also=result.recovered, off_topic=False)
        off_topic = diff.off_topic_counts(store, run=result.run_id, also=result.recovered)
        log = report_path(db_path, result.run_id, ".log")
        outcome = Outcome(result, evs, report.run_markdown(result, evs, str(log) if log.exists() else None,
                                                           store.run_started(result.run_id), off_topic),
                          off_topic)
        reports_dir(db_path).mkdir(parents=True, exist_ok=True)
        md_path, json_path = report_path(db_path, result.run_id, ".md"), report_path(db_path, result.run_id, ".json")
        outcome.report_paths = [str(md_path), str(json_path)]
        write_atomic(md_path, outcome.markdown)
        write_atomic(json_path, report.to_json(outcome.as_json(), indent=2))
        outcome.undelivered = notify.notify_pending(store, lambda run_id: report_path(db_path, run_id, ".md"),
                                                    settings.MONITOR_WEBHOOK_URL, settings.MONITOR_NOTIFY_COMMAND)
        _write_feed(store, db_path)  # after the alert: a secondary output never holds it back
        chart, chart_failure = _write_chart(store, db_path, result.run_id)  # after the alert, too
        if chart is not None:
            outcome.report_paths.append(str(chart))
            outcome.markdown += report.chart_markdown(chart.name)
        if outcome.undelivered:  # said in the report too, every run until delivered
            outcome.markdown += "\n" + report.undelivered_markdown(outcome.undelivered)
        if chart_failure:
            outcome.markdown += report.chart_failure_markdown(chart_failure)
        if outcome.undelivered or chart_failure or chart is not None:
            write_atomic(md_path, outcome.markdown)
        if outcome.undelivered or chart is not None:
            write_atomic(json_path, report.to_json(outcome.as_json(), indent=2))
    finally:
        store.close()
    return outcome


def _write_feed(store: Store, db_path: str) -> None:
    from monitor.feed import atom

    try:
        write_atomic(reports_dir(db_path) / f"{Path(db_path).stem}-feed.xml", atom(store))
    except ValueError as exc:  # text the feed library refuses: logged, the run goes on
        logger.warning("the Atom feed could not be written: %s", exc)


def _write_chart(store: Store, db_path: str, run_id: int) -> tuple[Path | None, str | None]:
    """The run's PNG of the figures and batches (`<store>-run-NNNNN-figures.png`), or why it could not be drawn:
    a chart never fails a run, and it is drawn again only when what it shows changed (monitor/charts.py)."""
    from monitor import charts

    if not settings.MONITOR_CHARTS:
        return None, None
    try:
        drawn = charts.write_for_run(store, reports_dir(db_path), Path(db_path).stem, run_id)
    except (charts.ChartError, sqlite3.Error) as exc:
        logger.warning("the chart of figures and batches could not be drawn: %s", exc)
        return None, str(exc)
    if drawn.note:
        logger.info("no chart: %s", drawn.note)
    return drawn.path, None


def write_atomic(path: Path, data: str | bytes) -> None:
    """A report (text, as UTF-8) or a chart is there whole or not at all: a reader never sees half a file, and
    a failed write leaves no temporary file behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
