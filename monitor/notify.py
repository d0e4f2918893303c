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


def notify_pending(store: Store, report_of_run: Any, webhook: str | None, command: str | None) -> list[str]:
    """Send the notification of every finished run that flagged a new batch and was not notified yet.

    `report_of_run(run_id)` is the path of that run's Markdown report. Returns one line per notification that
    could not be delivered (it stays pending, and the next run tries again).
    """
    if not (webhook or command):
        store.waive_notifications()
        return []
    undelivered = []
    for run_id in store.runs_awaiting_notification():
        evs = [e for e in diff.events(store, run=run_id) if e["kind"] in ("new_batch", "new_firm", "figure_conflict")]
        body = {"run": run_id, "batches": [e["batch"] for e in evs if e["kind"] == "new_batch"], "events": evs}
        md_path = Path(report_of_run(run_id))
        markdown = md_path.read_text(encoding="utf-8") if md_path.exists() else report.diff_markdown(evs)
        done = store.delivered_channels(run_id)
        failures = []
        for channel, target in (("webhook", webhook), ("command", command)):
            if not target or channel in done:
                continue  # not set up, or delivered on an earlier try: never sent twice
            why = post(target, body) if channel == "webhook" else run_command(target, markdown)
            if why:
                failures.append(why)
            else:
                store.mark_delivered(run_id, channel, now())
        if failures:
            undelivered.append(f"the notification of run {run_id} was not delivered ({'; '.join(failures)}); "
                               "it is sent again next run")
        else:
            store.mark_notified(run_id, now())
    return undelivered


def post(url: str, body: dict[str, Any]) -> str | None:
    """POST the JSON body; None when delivered, else why not."""
    data = report.to_json(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - URL from settings
            if 200 <= response.status < 300:
                return None
            why = f"the webhook answered {response.status}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        why = f"the webhook failed: {exc}"
    logger.warning("%s; will retry next run", why)
    return why


def run_command(command: str, markdown: str) -> str | None:
    """Run the notify command with the Markdown report on stdin; None when it succeeded, else why not."""
    try:
        done = subprocess.run(command, shell=True, input=markdown.encode(), timeout=60, check=False,  # noqa: S602
                              capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        why = f"the notify command failed: {exc}"
    else:
        if done.returncode == 0:
            return None
        why = f"the notify command exited {done.returncode}"
    logger.warning("%s; will retry next run", why)
    return why


def send_test(webhook: str | None, command: str | None) -> list[str]:
    """A test message through each channel set up; one line per channel that failed."""
    text = "# Monitor test notification\n\nThis is a test: the channel works. New batches will come this way.\n"
    failures = []
    if webhook and (why := post(webhook, {"test": True, "text": text})):
        failures.append(why)
    if command and (why := run_command(command, text)):
        failures.append(why)
    return failures
