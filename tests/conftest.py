"""Shared test helpers: where ../shared is, a temporary store, and running the `monitor` command."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_ARCHIVE = ROOT / "data" / "archive" / "demo"

# A run's PNG chart costs about a second of a fresh process (a JavaScript engine starts); the suite runs the
# after-run step a hundred times. Tests of the chart switch it on (tests/test_charts.py, test_afterrun, test_serve).
os.environ.setdefault("MONITOR_CHARTS", "0")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a local server is marked `server` (make test runs and times those apart)."""
    for item in items:
        if "local_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with the reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (the real pages and the labelled corpus) is not beside the checkout")
    return path


def run_monitor(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `monitor` command line in a child process (Scrapy's reactor runs once per process)."""
    full_env = {**os.environ, "MONITOR_LOG_LEVEL": "WARNING", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=full_env, timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive replayed once by `monitor run` into a store, its reports beside it in reports/: for
    tests that only read it (a test that writes to it copies the folder first)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    done = run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@contextmanager
def serving(host: str = "127.0.0.1"):
    """A threaded HTTP server on a loopback address playing a site (a slow handler must not block the others)."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host=host, port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def local_server():
    """A site on 127.0.0.1."""
    with serving() as server:
        yield server


@pytest.fixture
def store(db_path: Path):
    """A real store in a temporary file, closed after the test."""
    from pipelines.store import Store

    opened = Store(db_path)
    try:
        yield opened
    finally:
        opened.close()


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of a query on a store file, through a connection that is closed again."""
    import sqlite3

    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db: Path, log_path: Path) -> Iterator[str]:
    """`monitor serve` over the store on a free port of 127.0.0.1: yields the database's address once it answers."""
    port = free_port()
    with open(log_path, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "monitor.cli", "serve", "--db", str(db), "--port", str(port)],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}/{db.stem}"
        try:
            for _ in range(150):  # bounded: about 30 s
                if server.poll() is not None:
                    raise RuntimeError(f"monitor serve exited {server.returncode}: {log_path.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}.json", timeout=5) as response:  # noqa: S310 - local
                        json.loads(response.read())
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"monitor serve did not answer on port {port}: {log_path.read_text()[-2000:]}")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)
