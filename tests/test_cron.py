"""The cron contract, true as written: the README's own crontab line mails the news once, then nothing."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARCHIVE, ROOT

# A crontab line: five schedule fields, then the command.
CRON = re.compile(r"^\s*(?:\S+\s+){5}(?P<command>cd \S+ && .+)$", re.M)


def _readme_command() -> str:
    found = CRON.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "the README gives no crontab line"
    return found["command"]


def _as_cron_would(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The line run by a shell, as cron runs it, in the checkout instead of /opt/telecom-monitor."""
    line = re.sub(r"^cd \S+", f"cd {ROOT}", command)
    return subprocess.run(["/bin/sh", "-c", line], capture_output=True, text=True, timeout=300,
                          env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env})


def test_the_readme_cron_line_mails_a_new_batch_once_and_then_nothing(tmp_path: Path) -> None:
    command = _readme_command()
    assert "--quiet" in command and ">" not in command  # output goes to cron's mail, not to a file
    env = {"MONITOR_REPLAY": str(DEMO_ARCHIVE), "MONITOR_DB": str(tmp_path / "cron.db")}
    first = _as_cron_would(command, env)
    assert first.returncode == 0, first.stderr
    assert "New approval batches" in first.stdout and first.stderr == ""
    second = _as_cron_would(command, env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == "" and second.stderr == ""  # nothing new: cron mails nothing


def test_an_undelivered_notification_is_one_line_every_run_until_delivered(tmp_path: Path) -> None:
    """Regression: a failed webhook under --quiet said nothing (rc 0, nothing in stderr, report or log)."""
    env = {"MONITOR_REPLAY": str(DEMO_ARCHIVE), "MONITOR_DB": str(tmp_path / "cron.db"),
           "MONITOR_WEBHOOK_URL": "http://127.0.0.1:9/hook"}  # nothing listens there
    command = _readme_command()
    for _ in range(2):
        done = _as_cron_would(command, env)
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and "notification of run 1 was not delivered" in lines[0], done.stderr
        assert "Undelivered notifications" in done.stdout


@pytest.mark.server
def test_a_channel_that_got_the_alert_is_not_sent_it_again_while_another_is_retried(tmp_path: Path) -> None:
    """Regression: with a webhook and a command, a failing command made every run post the webhook again."""
    from tests.conftest import serving

    received = tmp_path / "command-calls"
    env = {"MONITOR_REPLAY": str(DEMO_ARCHIVE), "MONITOR_DB": str(tmp_path / "cron.db"),
           "MONITOR_NOTIFY_COMMAND": f"cat >> {received}; exit 1"}
    with serving() as hook:
        hook.expect_request("/hook", method="POST").respond_with_data("ok")
        env["MONITOR_WEBHOOK_URL"] = hook.url_for("/hook")
        for _ in range(3):
            _as_cron_would(_readme_command(), env)
        posts = len(hook.log)
    assert posts == 1  # the webhook got it once
    assert received.read_text(encoding="utf-8").count("# Monitor run 1") == 3  # the command is retried each run
