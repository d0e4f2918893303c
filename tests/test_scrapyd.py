"""Past one machine: scrapyd runs the spiders from the project's egg and writes feeds; one host ingests them.

A real scrapyd on 127.0.0.1 gets the egg that `scrapyd-deploy` builds, runs a job (the chinaorg spider,
replaying the demo archive so that no network is needed) with MONITOR_NODE on, and `monitor ingest` of its
feed must leave a store equal to a local run's: the same articles and the same batch.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARCHIVE, ROOT, free_port, run_monitor

pytestmark = pytest.mark.server  # starts scrapyd on 127.0.0.1
requests = pytest.importorskip("requests")


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A scrapyd on a free port of 127.0.0.1, writing items as JSON lines under items/; its URL and folder."""
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = eggs\nlogs_dir = logs\n"
        "items_dir = items\ndbs_dir = dbs\nmax_proc = 1\npoll_interval = 0.2\n", encoding="utf-8")
    errors = (tmp_path / "scrapyd.err").open("wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("scrapyd"))], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # bounded: about 20 s
            try:
                if requests.get(f"{url}/daemonstatus.json", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            pytest.fail(f"scrapyd did not start: {(tmp_path / 'scrapyd.err').read_text()[-2000:]}")
        yield url, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        errors.close()


def _articles(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT canonical_url, source, outlet, title, published, language, text, relevant, "
                            "event, batch_json FROM articles ORDER BY canonical_url").fetchall()


def _batches(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT approved_on, count, ordinal, areas, status FROM batches ORDER BY id").fetchall()


def test_a_scrapyd_job_from_the_egg_ingested_equals_a_local_run(scrapyd: tuple[str, Path], tmp_path: Path) -> None:
    url, folder = scrapyd
    egg = tmp_path / "monitor.egg"
    built = subprocess.run([str(Path(sys.executable).with_name("scrapyd-deploy")), f"--build-egg={egg}"], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0 and egg.exists(), built.stderr[-2000:]
    with egg.open("rb") as fh:
        added = requests.post(f"{url}/addversion.json", data={"project": "monitor", "version": "1"},
                              files={"egg": fh}, timeout=60).json()
    assert added["status"] == "ok", added
    assert "chinaorg" in requests.get(f"{url}/listspiders.json", params={"project": "monitor"}, timeout=60).json()[
        "spiders"]
    job = requests.post(f"{url}/schedule.json", data=[
        ("project", "monitor"), ("spider", "chinaorg"), ("setting", "MONITOR_NODE=1"),
        ("setting", f"MONITOR_REPLAY={DEMO_ARCHIVE}")], timeout=60).json()
    assert job["status"] == "ok", job
    for _ in range(300):  # bounded: about 60 s
        jobs = requests.get(f"{url}/listjobs.json", params={"project": "monitor"}, timeout=10).json()
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the scrapyd job did not finish")
    [feed] = (folder / "items" / "monitor" / "chinaorg").glob(f"{job['jobid']}.jl")
    assert not (folder / "data").exists()  # a node opens no store

    node_db, local_db = tmp_path / "node.db", tmp_path / "local.db"
    done = run_monitor("ingest", str(feed), "--db", str(node_db))
    assert done.returncode == 0, done.stderr
    done = run_monitor("crawl", "chinaorg", "--replay", str(DEMO_ARCHIVE), "--db", str(local_db))
    assert done.returncode == 0, done.stderr
    assert _articles(node_db) == _articles(local_db) and _articles(local_db)
    assert _batches(node_db) == _batches(local_db)
