"""Notification of newly confirmed batches after a run: a webhook (JSON POST) and/or a command (Markdown on
stdin). A failure is logged and left pending, so the next run retries it: never lost, never fatal."""

from __future__ import annotations

import logging
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from monitor import diff, report
from monitor.dates import now
from pipelines.store import Store

logger = logging.getLogger(__name__)


def notify_pending(store: Store, report_of_run: Any, webhook: str | None, command: str | None) -> int:
    """Send the notification of every finished run that flagged a new batch and was not notified yet.

    `report_of_run(run_id)` is the path of that run's Markdown report. Returns how many runs were notified.
    """
    if not (webhook or command):
        store.waive_notifications()
        return 0
    sent = 0
    for run_id in store.runs_awaiting_notification():
        evs = [e for e in diff.events(store, run=run_id) if e["kind"] in ("new_batch", "new_firm", "figure_conflict")]
        body = {"run": run_id, "batches": [e["batch"] for e in evs if e["kind"] == "new_batch"], "events": evs}
        md_path = Path(report_of_run(run_id))
        markdown = md_path.read_text(encoding="utf-8") if md_path.exists() else report.diff_markdown(evs)
        ok = True
        if webhook:
            ok &= post(webhook, body)
        if command:
            ok &= run_command(command, markdown)
        if ok:
            store.mark_notified(run_id, now())
            sent += 1
    return sent


def post(url: str, body: dict[str, Any]) -> bool:
    data = report.to_json(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - URL from settings
            if 200 <= response.status < 300:
                return True
            logger.warning("webhook %s answered %s; will retry next run", url, response.status)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        logger.warning("webhook %s failed (%s); will retry next run", url, exc)
    return False


def run_command(command: str, markdown: str) -> bool:
    try:
        done = subprocess.run(command, shell=True, input=markdown.encode(), timeout=60, check=False,  # noqa: S602
                              capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("notify command failed (%s); will retry next run", exc)
        return False
    if done.returncode != 0:
        logger.warning("notify command exited %s; will retry next run", done.returncode)
        return False
    return True
