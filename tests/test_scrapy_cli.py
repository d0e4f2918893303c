"""`scrapy list` and `scrapy crawl SOURCE` work from the project root, through the same pipelines."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from monitor import registry
from tests.conftest import DEMO_ARCHIVE, ROOT


def _scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, "MONITOR_LOG_LEVEL": "WARNING"})


def test_scrapy_list_names_every_source() -> None:
    done = _scrapy("list")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == sorted(registry.spiders())


def test_scrapy_crawl_replays_into_the_store(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    done = _scrapy("crawl", "chinaorg", "-s", f"MONITOR_REPLAY={DEMO_ARCHIVE}", "-s", f"MONITOR_DB={db}")
    assert done.returncode == 0, done.stderr[-2000:]
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*) from articles where source = 'chinaorg'").fetchone()[0] == 1
        assert conn.execute("select mode, status from runs").fetchall() == [("replay", "ok")]
        assert conn.execute("select count(*) from batches").fetchone()[0] == 1


def test_scrapy_crawl_is_turned_away_while_another_run_holds_the_store(tmp_path: Path) -> None:
    from monitor.runner import run_lock

    db = tmp_path / "m.db"
    with run_lock(db):
        done = _scrapy("crawl", "chinaorg", "-s", f"MONITOR_REPLAY={DEMO_ARCHIVE}", "-s", f"MONITOR_DB={db}")
    assert done.returncode != 0
    assert "another run holds" in done.stderr
    assert not db.exists()
