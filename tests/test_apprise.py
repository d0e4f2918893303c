"""Notifications through Apprise URLs (MONITOR_NOTIFY_URLS), received by real servers on 127.0.0.1: each URL a
channel of its own, delivered once, retried until delivered, a malformed one said and the others sent."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer

from monitor import exitcodes
from tests.conftest import free_port, run_monitor
from tests.test_notify import BATCH, OTHER, _docs

pytestmark = pytest.mark.server


def _hits(server: HTTPServer, path: str) -> list[dict]:
    """The JSON bodies the server received on a path, in order."""
    return [json.loads(request.get_data()) for request, _ in server.log if request.path == path]


def _deliveries(db: str) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(db)) as conn, conn:
        return conn.execute("select run_id, channel from deliveries order by run_id, channel").fetchall()


def _notified(db: str, run: int) -> bool:
    with closing(sqlite3.connect(db)) as conn, conn:
        return conn.execute("select notified from runs where id = ?", [run]).fetchone()[0] is not None


def test_a_json_url_gets_the_batch_as_title_and_markdown_report(local_server: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    local_server.expect_request("/hook", method="POST").respond_with_data("ok")
    env = {"MONITOR_NOTIFY_URLS": f"json://127.0.0.1:{local_server.port}/hook"}
    done = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db, env=env)
    assert done.returncode == 0, done.stderr
    [body] = _hits(local_server, "/hook")
    assert body["title"] == "New approval batch: 21 firms approved 2025-09-05"
    assert body["message"].startswith("# Monitor run 1 (ingest")  # the run's Markdown report, as written
    assert "## New approval batches (1)" in body["message"]
    assert "(Xinhua, 2025-09-06; [stored copy](http://127.0.0.1:8001/m/articles/1))" in body["message"]
    [(run, channel)] = _deliveries(db)
    assert run == 1 and re.fullmatch(r"apprise:json:[0-9a-f]{12}", channel)


def test_a_500_is_retried_next_run_and_delivered_once(local_server: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    env = {"MONITOR_NOTIFY_URLS": f"json://127.0.0.1:{local_server.port}/hook"}
    local_server.expect_oneshot_request("/hook", method="POST").respond_with_data("down", status=500)
    first = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db, env=env)
    assert first.returncode == 0, first.stderr  # never fatal
    assert "## Undelivered notifications" in first.stdout
    [line] = [x for x in first.stdout.splitlines() if "was not delivered" in x]
    assert f"Apprise json://127.0.0.1:{local_server.port}/hook: " in line and "error=500" in line
    assert not _notified(db, 1) and _deliveries(db) == []
    local_server.expect_request("/hook", method="POST").respond_with_data("ok")
    second = run_monitor("ingest", str(_docs(tmp_path, "b", OTHER)), "--db", db, env=env)
    assert second.returncode == 0 and "was not delivered" not in second.stdout
    third = run_monitor("ingest", str(_docs(tmp_path, "c", OTHER)), "--db", db, env=env)
    assert third.returncode == 0 and "was not delivered" not in third.stdout
    assert len(_hits(local_server, "/hook")) == 2  # the 500, then one delivery: not two
    assert _notified(db, 1) and [run for run, _ in _deliveries(db)] == [1]


def test_a_malformed_url_is_said_and_the_others_are_sent_once(local_server: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    local_server.expect_request("/hook", method="POST").respond_with_data("ok")
    env = {"MONITOR_NOTIFY_URLS": f"slack://s3cret-token, json://127.0.0.1:{local_server.port}/hook"}
    for n, text in enumerate([BATCH, OTHER]):
        done = run_monitor("ingest", str(_docs(tmp_path, f"d{n}", text)), "--db", db, "--quiet", env=env)
        assert done.returncode == 0, done.stderr
        [line] = [x for x in done.stdout.splitlines() if "was not delivered" in x]  # every run until fixed
        assert "Apprise URL 1 of MONITOR_NOTIFY_URLS (slack://…): Apprise cannot read this slack:// URL" in line
        assert "s3cret" not in done.stdout + done.stderr
    assert len(_hits(local_server, "/hook")) == 1  # the good channel got it once
    assert len(_deliveries(db)) == 1 and not _notified(db, 1)
    # Fixed (here: removed), the run is notified at last, and the good channel is not sent it again.
    env = {"MONITOR_NOTIFY_URLS": f"json://127.0.0.1:{local_server.port}/hook"}
    done = run_monitor("ingest", str(_docs(tmp_path, "d2", OTHER)), "--db", db, "--quiet", env=env)
    assert done.returncode == 0 and done.stdout == ""
    assert len(_hits(local_server, "/hook")) == 1 and _notified(db, 1)


def test_of_two_urls_the_failing_one_is_retried_alone(local_server: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    local_server.expect_request("/good", method="POST").respond_with_data("ok")
    local_server.expect_oneshot_request("/flaky", method="POST").respond_with_data("down", status=500)
    env = {"MONITOR_NOTIFY_URLS": f"json://127.0.0.1:{local_server.port}/good "
                                  f"json://127.0.0.1:{local_server.port}/flaky"}
    first = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db, env=env)
    assert "/flaky: " in first.stdout and "/good: " not in first.stdout
    local_server.expect_request("/flaky", method="POST").respond_with_data("ok")
    run_monitor("ingest", str(_docs(tmp_path, "b", OTHER)), "--db", db, env=env)
    assert (len(_hits(local_server, "/good")), len(_hits(local_server, "/flaky"))) == (1, 2)
    assert len(_deliveries(db)) == 2 and _notified(db, 1)


def test_a_refused_connection_is_one_line_and_pending(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    port = free_port()  # free, so nothing listens there
    env = {"MONITOR_NOTIFY_URLS": f"json://127.0.0.1:{port}/hook"}
    done = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db, env=env)
    assert done.returncode == 0, done.stderr
    [line] = [x for x in done.stdout.splitlines() if "was not delivered" in x]
    assert f"Apprise json://127.0.0.1:{port}/hook: A Connection error occurred" in line
    assert "Traceback" not in done.stderr and not _notified(db, 1)


def test_form_and_ntfy_urls_are_received(local_server: HTTPServer, tmp_path: Path) -> None:
    local_server.expect_request("/form", method="POST").respond_with_data("ok")
    local_server.expect_request("/", method="POST").respond_with_json({"id": "1"})  # ntfy posts its topic to /
    env = {"MONITOR_NOTIFY_URLS": f"form://127.0.0.1:{local_server.port}/form,ntfy://127.0.0.1:{local_server.port}/vats"}
    done = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", str(tmp_path / "m.db"), env=env)
    assert done.returncode == 0 and "was not delivered" not in done.stdout, done.stdout
    form = next(r for r, _ in local_server.log if r.path == "/form")
    assert parse_qs(form.get_data(as_text=True))["title"] == ["New approval batch: 21 firms approved 2025-09-05"]
    [ntfy] = _hits(local_server, "/")
    assert ntfy["topic"] == "vats" and "## New approval batches (1)" in ntfy["message"]


def test_notify_test_says_each_channel_and_exits_by_the_worst(local_server: HTTPServer, tmp_path: Path) -> None:
    local_server.expect_request("/ok", method="POST").respond_with_data("ok")
    local_server.expect_request("/down", method="POST").respond_with_data("down", status=500)
    good = f"json://user:pa55word@127.0.0.1:{local_server.port}/ok"
    done = run_monitor("notify", "--test", env={"MONITOR_NOTIFY_URLS": good, "MONITOR_NOTIFY_COMMAND": "cat >/dev/null"})
    assert done.returncode == exitcodes.OK, done.stderr
    assert done.stdout.splitlines() == ["the notify command: test notification delivered",
                                        f"Apprise json://user:****@127.0.0.1:{local_server.port}/ok: "
                                        "test notification delivered"]
    assert _hits(local_server, "/ok")[0]["title"] == "Monitor test notification"
    down = f"{good} json://127.0.0.1:{local_server.port}/down"
    done = run_monitor("notify", "--test", env={"MONITOR_NOTIFY_URLS": down})
    assert done.returncode == exitcodes.FAILURE
    assert done.stderr == (f"monitor notify: Apprise json://127.0.0.1:{local_server.port}/down: not delivered: "
                           "Failed to send JSON POST notification: Internal server error., error=500.\n")
    done = run_monitor("notify", "--test", env={"MONITOR_NOTIFY_URLS": f"nonsense://s3cret {down}"})
    assert done.returncode == exitcodes.BAD_INPUT  # a malformed URL is bad input, and the others are still tried
    assert "Apprise URL 1 of MONITOR_NOTIFY_URLS (nonsense://…): not delivered: Apprise has no service nonsense://" \
        in done.stderr
    assert "test notification delivered" in done.stdout and "s3cret" not in done.stdout + done.stderr
    assert "pa55word" not in done.stdout + done.stderr
    assert len(_hits(local_server, "/ok")) == 3

