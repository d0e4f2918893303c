"""Notification of newly confirmed batches after a run: a webhook (JSON POST), a command (Markdown on stdin) and
any number of Apprise URLs (e-mail, Slack, Telegram, Matrix, ntfy, ...), each a channel of its own. A failure
is logged and left pending, so the next run retries it: never lost, never fatal, never sent twice to a channel
that got it."""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor import diff, report, settings
from monitor.dates import now
from pipelines.store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    title: str
    markdown: str  # the run's Markdown report: the command's stdin, the Apprise body
    body: dict[str, Any]  # the webhook's JSON


@dataclass(frozen=True)
class Channel:
    """One place a notification goes. `name` is recorded in the store's deliveries (never a secret); `label`
    is what a person reads; `problem` says why a channel set up wrongly can never be sent to."""

    name: str
    label: str
    send: Callable[[Message], str | None]  # None when delivered, else why not
    problem: str | None = None

    def deliver(self, message: Message) -> str | None:
        if self.problem:
            return self.problem
        why = self.send(message)
        if why:
            logger.warning("%s: %s; will retry next run", self.label, why)
        return why


def channels(webhook: str | None, command: str | None, urls: str | None) -> list[Channel]:
    """Every channel set up: the webhook, the command, then each Apprise URL in the order given."""
    out = []
    if webhook:
        out.append(Channel("webhook", "the webhook", lambda m: post(webhook, m.body)))
    if command:
        out.append(Channel("command", "the notify command", lambda m: run_command(command, m.markdown)))
    return out + apprise_channels(urls or "")


def notify_pending(store: Store, report_of_run: Any, webhook: str | None, command: str | None,
                   urls: str | None = None) -> list[str]:
    """Send the notification of every finished run that flagged a new batch and was not notified yet.

    `report_of_run(run_id)` is the path of that run's Markdown report; `urls` the Apprise URLs (default
    MONITOR_NOTIFY_URLS). Each channel that got a run's notification is recorded and never sent it again.
    Returns one line per notification that could not be delivered everywhere (it stays pending, and the next
    run tries the channels that did not get it).
    """
    targets = channels(webhook, command, settings.MONITOR_NOTIFY_URLS if urls is None else urls)
    if not targets:
        store.waive_notifications()
        return []
    undelivered = []
    for run_id in store.runs_awaiting_notification():
        evs = [e for e in diff.events(store, run=run_id, off_topic=False)
               if e["kind"] in ("new_batch", "new_firm", "figure_conflict")]
        batches = [e["batch"] for e in evs if e["kind"] == "new_batch"]
        md_path = Path(report_of_run(run_id))
        markdown = md_path.read_text(encoding="utf-8") if md_path.exists() else report.diff_markdown(evs)
        message = Message(report.alert_title(batches), markdown, {"run": run_id, "batches": batches, "events": evs})
        done = store.delivered_channels(run_id)
        failures = []
        for channel in targets:
            if channel.name in done:
                continue  # delivered on an earlier try: never sent twice
            if why := channel.deliver(message):
                failures.append(f"{channel.label}: {why}")
            else:
                store.mark_delivered(run_id, channel.name, now())
        if failures:
            undelivered.append(f"the notification of run {run_id} was not delivered ({'; '.join(failures)}); "
                               "it is sent again next run")
        else:
            store.mark_notified(run_id, now())
    return undelivered


def send_test(webhook: str | None, command: str | None, urls: str | None = None) -> list[tuple[Channel, str | None]]:
    """A test message through every channel set up: (channel, None when delivered, else why not) for each."""
    message = Message(report.TEST_TITLE, report.TEST_MARKDOWN, {"test": True, "text": report.TEST_MARKDOWN})
    return [(channel, channel.deliver(message))
            for channel in channels(webhook, command, settings.MONITOR_NOTIFY_URLS if urls is None else urls)]


# ---- the webhook and the command -----------------------------------------------------------------
def post(url: str, body: dict[str, Any]) -> str | None:
    """POST the JSON body; None when delivered, else why not."""
    data = report.to_json(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - URL from settings
            if 200 <= response.status < 300:
                return None
            return f"it answered {response.status}"
    except urllib.error.HTTPError as exc:
        return f"it answered {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return f"it failed: {exc}"


def run_command(command: str, markdown: str) -> str | None:
    """Run the notify command with the Markdown report on stdin; None when it succeeded, else why not."""
    try:
        done = subprocess.run(command, shell=True, input=markdown.encode(), timeout=60, check=False,  # noqa: S602
                              capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"it failed: {exc}"
    return None if done.returncode == 0 else f"it exited {done.returncode}"


# ---- Apprise -------------------------------------------------------------------------------------
# Apprise URLs are separated by spaces or commas; a comma inside a URL (mailto://...?to=a@x,b@y) is kept
# unless a new scheme:// follows it.
_SEPARATOR = re.compile(r"\s+|,+(?=\s*[A-Za-z][A-Za-z0-9+.-]*://)")


def split_urls(urls: str) -> list[str]:
    """The Apprise URLs of MONITOR_NOTIFY_URLS, in order, each once.

    >>> split_urls("json://h/a, ntfy://h/t  mailto://u:p@h?to=a@x,b@y,tgram://t/1")
    ['json://h/a', 'ntfy://h/t', 'mailto://u:p@h?to=a@x,b@y', 'tgram://t/1']
    """
    out: list[str] = []
    for part in _SEPARATOR.split(urls):
        part = part.strip(" ,")
        if part and part not in out:
            out.append(part)
    return out


def apprise_channels(urls: str) -> list[Channel]:
    """A channel per Apprise URL. Its name in the store is `apprise:<scheme>:<hash of the URL>` and its label
    Apprise's privacy-masked URL (passwords and tokens starred, no query): neither shows a secret. A URL Apprise
    cannot use is a channel with a problem, said at every try, and the others go on."""
    found = split_urls(urls)
    if not found:
        return []
    out = []
    for n, url in enumerate(found, 1):
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        name = f"apprise:{scheme or 'none'}:{hashlib.sha256(url.encode()).hexdigest()[:12]}"
        with _apprise_log(capture=False), _plugins_loading():
            import apprise  # only when set up: loading its plugins takes a few tenths of a second

            plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            where = f"Apprise URL {n} of MONITOR_NOTIFY_URLS" + (f" ({scheme}://…)" if scheme else "")
            out.append(Channel(name, where, _never, problem=_why_unusable(scheme)))
            continue
        label = "Apprise " + plugin.url(privacy=True).split("?", 1)[0]
        out.append(Channel(name, label, _apprise_sender(plugin)))
    return out


def _why_unusable(scheme: str) -> str:
    if not scheme:
        return "it is not a URL (no scheme://); fix or remove it in MONITOR_NOTIFY_URLS"
    with _plugins_loading():
        from apprise.manager_plugins import NotificationManager

        known = NotificationManager().schemas()
    if scheme not in known:
        return f"Apprise has no service {scheme}://; fix or remove it in MONITOR_NOTIFY_URLS"
    return f"Apprise cannot read this {scheme}:// URL (a part is missing or malformed); fix it in MONITOR_NOTIFY_URLS"


def _never(message: Message) -> str | None:
    return "never sent"  # a channel with a problem is never sent to (Channel.deliver says the problem)


def _apprise_sender(plugin: Any) -> Callable[[Message], str | None]:
    def send(message: Message) -> str | None:
        import apprise

        sender = apprise.Apprise()
        sender.add(plugin)
        with _apprise_log(capture=True):
            result = sender.notify(body=message.markdown, title=message.title,
                                   body_format=apprise.NotifyFormat.MARKDOWN)
        if result:
            return None
        said = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
        return " ".join(said[0].split())[:300] if said else f"Apprise reports {result.status.name.lower()}"

    return send


@contextmanager
def _plugins_loading() -> Iterator[None]:
    """Apprise loads its plugins when first asked for one; on Python 3.11 and 3.12 its e-mail plugin imports
    imghdr, which the standard library deprecates: that warning alone is not ours to meet."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
        yield


@contextmanager
def _apprise_log(capture: bool) -> Iterator[None]:
    """Apprise's own log held in: it logs the whole of a URL it cannot read, secrets and all, so nothing while
    instantiating (`capture` false); while sending, its warnings are kept (a result holds only what its logger
    lets through) for the one line we say, and not passed on."""
    log = logging.getLogger("apprise")
    before = log.disabled, log.level, log.propagate
    log.disabled, log.propagate = not capture, False
    if capture:
        log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log.disabled, log.propagate = before[0], before[2]
        log.setLevel(before[1])
