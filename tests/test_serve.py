"""`monitor serve`: Datasette over a store built from the demo, read-only, with its canned queries and facets."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARCHIVE, ROOT, run_monitor

pytestmark = pytest.mark.server  # starts Datasette on 127.0.0.1
pytest.importorskip("datasette", reason="Datasette is the optional extra `serve` (make installs it)")


def _get(url: str) -> dict | list:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
        return json.loads(response.read())


def test_the_store_is_browsable_with_its_questions_answered(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db)).returncode == 0
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "monitor.cli", "serve", "--db", str(db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/demo"
    try:
        for _ in range(100):  # bounded: about 20 s
            try:
                _get(f"{base}.json")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        rows = _get(f"{base}/batches_with_firms.json?_shape=array")
        assert [(r["count"], r["status"]) for r in rows] == [(13, "confirmed")]
        assert "T-Systems P.R. China Ltd." in rows[0]["firms"] and "Xinhua" in rows[0]["outlets"]
        facets = _get(f"{base}/articles.json?_facet=event&_size=0")["facet_results"]
        assert "event" in json.dumps(facets)
        history = _get(f"{base}/figure_history.json?_shape=array")
        assert {r["kind"] for r in history} >= {"enterprises_total", "enterprises_new"}
        meta = _get(f"http://127.0.0.1:{port}/-/metadata.json")
        assert meta["databases"]["demo"]["tables"]["batches"]["description"]
        count = f"{base}.json?sql=select+count(*)+as+n+from+articles&_shape=array"
        before = _get(count)[0]["n"]
        docs = tmp_path / "docs.jsonl"  # cron writes while people browse: they see it (no stale snapshot)
        docs.write_text('{"id": "x", "text": "Rain is expected in the north this weekend, forecasters said."}\n',
                        encoding="utf-8")
        assert run_monitor("ingest", str(docs), "--db", str(db)).returncode == 0
        assert _get(count)[0]["n"] == before + 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not list(tmp_path.glob(".*datasette*"))  # nothing written beside the store
