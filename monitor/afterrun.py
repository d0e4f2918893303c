"""After a run: match batches and record the run's judgement (one transaction), then write its reports and
send what is owed. Called by the runner for `monitor run`, `ingest` and `crawl`, and by
monitor.extensions.RunExtension when a plain `scrapy crawl` ends, so both do the same."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor import diff, notify, report, settings
from monitor.runs import RunResult
from pipelines.batches import match_batches
from pipelines.store import Store


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


def close_run(store: Store, result: RunResult) -> dict[str, int]:
    """Batch matching over the whole store, degraded sources, the run's status. Inside the caller's transaction."""
    found = match_batches(store, result.run_id)
    for name, r in result.sources.items():
        if r.status == "degraded":
            store.add_event(result.run_id, "source_degraded", name, (), {"reasons": r.reasons})
    store.finish_run(result.run_id, result.status, {k: v.as_dict() for k, v in result.sources.items()})
    return found


@dataclass
class Outcome:
    result: RunResult
    events: list[dict[str, Any]]
    markdown: str
    report_paths: list[str] = field(default_factory=list)

    @property
    def new_batches(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "new_batch"]

    @property
    def nothing_to_say(self) -> bool:
        """True when cron should stay silent: nothing new worth reading and no failure."""
        return not any(diff.worth_reading(e) for e in self.events) and self.result.status == "ok"

    def as_json(self) -> dict[str, Any]:
        return report.run_json(self.result, self.events, self.report_paths)


def publish(db_path: str, result: RunResult) -> Outcome:
    """Write the run's report and diff (Markdown and JSON) to the reports folder, then send pending notifications."""
    store = Store(db_path)
    try:
        evs = diff.events(store, run=result.run_id)
        log = report_path(db_path, result.run_id, ".log")
        outcome = Outcome(result, evs, report.run_markdown(result, evs, str(log) if log.exists() else None))
        reports_dir(db_path).mkdir(parents=True, exist_ok=True)
        md_path, json_path = report_path(db_path, result.run_id, ".md"), report_path(db_path, result.run_id, ".json")
        outcome.report_paths = [str(md_path), str(json_path)]
        _write_atomic(md_path, outcome.markdown)
        _write_atomic(json_path, report.to_json(outcome.as_json(), indent=2))
        notify.notify_pending(store, lambda run_id: report_path(db_path, run_id, ".md"),
                              settings.MONITOR_WEBHOOK_URL, settings.MONITOR_NOTIFY_COMMAND)
    finally:
        store.close()
    return outcome


def _write_atomic(path: Path, text: str) -> None:
    """A report is there whole or not at all (a reader never sees half a file)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
