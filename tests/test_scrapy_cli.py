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


def _archive_without_the_source(tmp_path: Path) -> Path:
    """An archive holding one page of another site: every request of the crawled source answers 404."""
    from monitor.archive import ArchivedResponse, write_warc

    path = tmp_path / "other.warc.gz"
    write_warc(path, [ArchivedResponse("https://example.org/", 200, [("Content-Type", "text/html")], b"<p>x</p>")])
    return path


def test_scrapy_crawl_that_reads_nothing_is_judged_failed_with_the_reason(tmp_path: Path) -> None:
    """Regression: `scrapy crawl xinhua_en` with no network exited 0 and recorded the source as ok."""
    import json

    db = tmp_path / "m.db"
    done = _scrapy("crawl", "xinhua_en", "-s", f"MONITOR_REPLAY={_archive_without_the_source(tmp_path)}",
                   "-s", f"MONITOR_DB={db}")
    assert done.returncode == 0, done.stderr[-2000:]
    with closing(sqlite3.connect(db)) as conn, conn:
        status, stats = conn.execute("select status, stats from runs").fetchone()
    assert status == "failed"
    assert "no discovery page could be read" in " ".join(json.loads(stats)["xinhua_en"]["reasons"])


def test_a_run_that_reads_nothing_says_one_line_per_source_and_no_traceback(tmp_path: Path) -> None:
    from tests.conftest import run_monitor

    done = run_monitor("run", "--replay", str(_archive_without_the_source(tmp_path)), "--sources",
                       "xinhua_en,chinaorg", "--db", str(tmp_path / "m.db"))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert sorted(line.split(":")[1].split()[0] for line in lines) == ["chinaorg", "xinhua_en"], done.stderr
    assert "Traceback" not in done.stderr


def test_scrapy_fetch_is_no_run_of_the_monitor(tmp_path: Path) -> None:
    """Regression: `scrapy fetch` (and shell, view) took the run lock and recorded a degraded run."""
    db = tmp_path / "m.db"
    done = _scrapy("fetch", "--nolog", "https://english.news.cn/list/latestnews.htm", "-s",
                   f"MONITOR_REPLAY={DEMO_ARCHIVE}", "-s", f"MONITOR_DB={db}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "latestnews" in done.stdout or "<html" in done.stdout.lower()
    assert not db.exists()
