"""kill -9 in the middle of an ingest or a crawl, then a rerun: the store is sound, nothing doubled or lost."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import ROOT
from tests.localsite import LOCALSITE, listing, page

pytestmark = pytest.mark.crash  # kills processes mid-run: timed apart from the core suite
# How many kill -9 trials of each kind: one in `make test`, many in `make crash` (MONITOR_CRASH_TRIALS=25).
TRIALS = range(int(os.environ.get("MONITOR_CRASH_TRIALS", "1")))


def _integrity(db: Path) -> str:
    with closing(sqlite3.connect(db)) as conn, conn:
        return conn.execute("pragma integrity_check").fetchone()[0]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as fh:
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=fh)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the child ended before it could be killed"
        assert time.monotonic() < deadline, "the child never got going"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("trial", TRIALS)
def test_kill_during_ingest_then_rerun(tmp_path: Path, trial: int) -> None:
    db, docs = tmp_path / "m.db", tmp_path / "docs.jsonl"
    n = 1500
    with docs.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Report {i}: MIIT approved foreign-invested firms for value-added telecom services. " * 8
            fh.write(json.dumps({"id": f"d{i}", "url": f"https://example.org/{i}", "text": text}) + "\n")
    proc = _start(["-m", "monitor.cli", "ingest", str(docs), "--db", str(db)], tmp_path / "child.log")
    lock = Path(f"{db}.lock")
    _kill_when(proc, lambda: lock.exists() and lock.read_text().strip() == str(proc.pid) and db.exists())
    assert _integrity(db) == "ok"
    done = subprocess.run([sys.executable, "-m", "monitor.cli", "ingest", str(docs), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*), count(distinct canonical_url) from articles").fetchone() == (n, n)
    assert _integrity(db) == "ok"


def _slow_site(httpserver: HTTPServer, n: int, wait: Callable[[], object] = lambda: time.sleep(0.2),
               ) -> tuple[str, list[str]]:
    """A listing of `n` articles, each served after `wait()` (0.2 s); the listing's URL and the article paths
    served (counted as asked for)."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/listing.html").respond_with_data(
        listing(*[f"/articles/{i}.html" for i in range(n)]), content_type="text/html")
    served: list[str] = []

    def article(request: Request) -> Response:
        served.append(request.path)
        wait()
        i = request.path.rsplit("/", 1)[-1].split(".")[0]
        return Response(page(f"Story {i}", f"Foreign telecom firms story number {i}, long enough to be kept as text."),
                        content_type="text/html")

    httpserver.expect_request(re.compile(r"/articles/\d+\.html")).respond_with_handler(article)
    return httpserver.url_for("/listing.html"), served


SLOW = json.dumps({"CONCURRENT_REQUESTS": 2, "MONITOR_RECHECK_DAYS": 0})  # two at a time: 1.2 s for the site


def _crawling(db: Path) -> list[int]:
    """The processes whose command line names the store: a run, and the crawl process it forked."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(db).encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:  # gone meanwhile
            continue
    return found


def _gone(db: Path, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _crawling(db):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("trial", TRIALS)
def test_kill_during_crawl_then_rerun(local_server: HTTPServer, tmp_path: Path, trial: int) -> None:
    db = tmp_path / "m.db"
    n = 12
    url, served = _slow_site(local_server, n)
    proc = _start([str(LOCALSITE), str(db), url, SLOW], tmp_path / "child.log")
    _kill_when(proc, lambda: len(served) >= 3)
    assert _gone(db, 2), "the crawl process outlived its run"  # the kernel kills it with the run (Linux)
    time.sleep(0.3)  # a request sent just before it died is counted by now
    asked = len(served)
    time.sleep(1)  # an orphaned crawl would have asked for about five more by now
    assert len(served) == asked, "the crawl went on asking after its run was killed"
    assert _integrity(db) == "ok"
    done = subprocess.run([sys.executable, str(LOCALSITE), str(db), url, SLOW], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*), count(distinct canonical_url) from articles").fetchone() == (n, n)
        statuses = [r[0] for r in conn.execute("select status from runs order by id")]
    assert statuses[0] == "interrupted" and statuses[-1] in ("ok", "degraded")
    assert _integrity(db) == "ok"


@pytest.mark.parametrize("how", ["SIGTERM to the run", "Ctrl-C on its terminal"])
def test_a_stop_signal_stops_the_crawl_gracefully_and_the_run_is_closed(local_server: HTTPServer, tmp_path: Path,
                                                                         how: str) -> None:
    """cron's SIGTERM, or a terminal's Ctrl-C (a SIGINT to the whole foreground process group), reaches the
    crawl once: Scrapy asks for nothing more, what was fetched is stored, and the run is judged and closed as any
    other. A second SIGINT would be Scrapy's forced stop."""
    db = tmp_path / "m.db"
    release = threading.Event()
    url, served = _slow_site(local_server, 40, lambda: release.wait(30))  # held until the crawl heard the signal
    with (tmp_path / "child.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, str(LOCALSITE), str(db), url, SLOW], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    run_log = tmp_path / "reports" / "m-run-00001.log"  # every crawl logs at INFO there
    try:
        deadline = time.monotonic() + 60
        while not served:
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl never got going"
            time.sleep(0.05)
        if how == "SIGTERM to the run":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # the run and whatever else is in its group
        while "shutting down gracefully" not in (run_log.read_text() if run_log.exists() else ""):
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl never heard of the signal"
            time.sleep(0.05)
    finally:
        release.set()
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, (tmp_path / "child.log").read_text()[-2000:]
    assert "forcing unclean shutdown" not in run_log.read_text()  # told once, not twice
    assert len(served) <= 2  # nothing asked for after the signal (two at a time were in flight)
    result = json.loads(out.splitlines()[-1])
    with closing(sqlite3.connect(db)) as conn, conn:
        stored = conn.execute("select count(*) from articles").fetchone()[0]
        (status,) = conn.execute("select status from runs").fetchone()
    assert stored == result["sources"]["localsite"]["articles"] <= 2
    assert status in ("ok", "degraded")  # judged and closed, not left running
    assert _gone(db)


def test_a_crawl_process_killed_alone_leaves_a_failed_run(local_server: HTTPServer, tmp_path: Path) -> None:
    """The kernel's OOM killer takes the crawl process, not the run: the run says so and closes as failed."""
    db = tmp_path / "m.db"
    url, served = _slow_site(local_server, 12)
    with (tmp_path / "child.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, str(LOCALSITE), str(db), url, SLOW], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=log)
    deadline = time.monotonic() + 60
    while len(served) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, "the crawl never got going"
        time.sleep(0.05)
    (crawl,) = [pid for pid in _crawling(db) if pid != proc.pid]
    os.kill(crawl, signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "the crawl process was killed by SIGKILL before it reported" in (tmp_path / "child.log").read_text()
    result = json.loads(out.splitlines()[-1])
    assert result["status"] == "failed"
    # The report and the per-source stderr line say why: the source's first reason.
    assert result["sources"]["localsite"]["reasons"][0] == "the crawl process was killed by SIGKILL before it reported"
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select status from runs").fetchone() == ("failed",)
    assert _integrity(db) == "ok"
