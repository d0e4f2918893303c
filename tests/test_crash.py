"""kill -9 in the middle of an ingest or a crawl, then a rerun: the store is sound, nothing doubled or lost."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
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


@pytest.mark.parametrize("trial", TRIALS)
def test_kill_during_crawl_then_rerun(local_server: HTTPServer, tmp_path: Path, trial: int) -> None:
    db = tmp_path / "m.db"
    n = 12
    httpserver = local_server
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/listing.html").respond_with_data(
        listing(*[f"/articles/{i}.html" for i in range(n)]), content_type="text/html")
    served: list[str] = []

    def article(request: Request) -> Response:
        served.append(request.path)
        time.sleep(0.2)
        i = request.path.rsplit("/", 1)[-1].split(".")[0]
        return Response(page(f"Story {i}", f"Foreign telecom firms story number {i}, long enough to be kept as text."),
                        content_type="text/html")

    httpserver.expect_request(__import__("re").compile(r"/articles/\d+\.html")).respond_with_handler(article)
    url = httpserver.url_for("/listing.html")
    settings = json.dumps({"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "MONITOR_RECHECK_DAYS": 0})
    proc = _start([str(LOCALSITE), str(db), url, settings], tmp_path / "child.log")
    _kill_when(proc, lambda: len(served) >= 3)
    assert _integrity(db) == "ok"
    done = subprocess.run([sys.executable, str(LOCALSITE), str(db), url, settings], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*), count(distinct canonical_url) from articles").fetchone() == (n, n)
        statuses = [r[0] for r in conn.execute("select status from runs order by id")]
    assert statuses[0] == "interrupted" and statuses[-1] in ("ok", "degraded")
    assert _integrity(db) == "ok"
