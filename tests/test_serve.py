"""`monitor serve`: Datasette over a store built from the demo, read-only, with its canned queries and facets."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from monitor import charts, serve
from tests.conftest import DEMO_ARCHIVE, run_monitor, served

pytestmark = pytest.mark.server  # starts Datasette on 127.0.0.1
pytest.importorskip("datasette", reason="Datasette is the optional extra `serve` (make installs it)")
pytest.importorskip("datasette_dashboards", reason="datasette-dashboards is in the optional extra `serve`")
feedparser = pytest.importorskip("feedparser")


def _get(url: str) -> dict | list:
    return json.loads(_raw(url)[1])


def _raw(url: str) -> tuple[str, bytes]:
    """(content type, body) of a page of the local server."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
        return response.headers.get("Content-Type", ""), response.read()


def test_the_store_is_browsable_with_its_questions_answered(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db), env={"MONITOR_CHARTS": "1"}).returncode == 0
    with served(db, tmp_path / "serve.log") as base:
        root = base.rsplit("/", 1)[0]
        rows = _get(f"{base}/batches_with_firms.json?_shape=array")
        assert [(r["count"], r["status"]) for r in rows] == [(13, "confirmed")]
        assert "T-Systems P.R. China Ltd." in rows[0]["firms"] and "Xinhua" in rows[0]["outlets"]
        facets = _get(f"{base}/articles.json?_facet=event&_size=0")["facet_results"]
        assert "event" in json.dumps(facets)
        history = _get(f"{base}/figure_history.json?_shape=array")
        assert {r["kind"] for r in history} >= {"enterprises_total", "enterprises_new"}
        meta = _get(f"{root}/-/metadata.json")
        assert meta["databases"]["demo"]["tables"]["batches"]["description"]
        _the_dashboard_and_the_feed_are_served(root, base)
        count = f"{base}.json?sql=select+count(*)+as+n+from+articles&_shape=array"
        before = _get(count)[0]["n"]
        docs = tmp_path / "docs.jsonl"  # cron writes while people browse: they see it (no stale snapshot)
        docs.write_text('{"id": "x", "text": "Rain is expected in the north this weekend, forecasters said."}\n',
                        encoding="utf-8")
        assert run_monitor("ingest", str(docs), "--db", str(db)).returncode == 0
        assert _get(count)[0]["n"] == before + 1
    assert not list(tmp_path.glob(".*datasette*"))  # nothing written beside the store


def _the_dashboard_and_the_feed_are_served(root: str, base: str) -> None:
    """The dashboard of figures and batches (datasette-dashboards), its charts' rows, the Atom feed the run wrote
    and the run's chart, all from the one server."""
    kind, page = _raw(f"{root}/-/dashboards/{serve.DASHBOARD}")
    assert kind.startswith("text/html")
    html = page.decode("utf-8")
    for name, chart in charts.charts().items():
        assert f"renderChart('{name}'" in html and chart["title"] in html
    assert serve.feed_url("demo") in html  # the note links the feed
    assert "vega-lite.min.js" in html  # bundled with the plugin: the charts draw offline
    figures = _get(f"{base}.json?" + urllib.parse.urlencode({"sql": serve.chart_sql("enterprises"), "_shape": "array"}))
    assert ("enterprises_total", 2400, "over") in {(r["kind"], r["value"], r["qualifier"]) for r in figures}
    batches = _get(f"{base}.json?" + urllib.parse.urlencode({"sql": serve.chart_sql("batches"), "_shape": "array"}))
    assert [(b["count"], b["status"], b["day"]) for b in batches] == [(13, "confirmed", "2025-02-28")]
    kind, body = _raw(f"{root}{serve.feed_url('demo')}")
    assert "xml" in kind
    feed = feedparser.parse(body)
    assert not feed.bozo and [e.id for e in feed.entries if ":batch:" in e.id]
    kind, png = _raw(f"{root}/reports/demo-run-00001-figures.png")
    assert kind == "image/png" and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_reports_folder_is_served_once_a_run_has_made_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor import settings

    monkeypatch.setattr(settings, "MONITOR_REPORTS_DIR", None)
    db, meta = tmp_path / "monitor.db", tmp_path / "metadata.json"
    assert "--static" not in serve.command(db, 8001, meta)  # Datasette refuses a folder that is not there
    (tmp_path / "reports").mkdir()
    args = serve.command(db, 8001, meta)
    assert args[args.index("--static") + 1] == f"reports:{tmp_path / 'reports'}"
    assert serve.feed_url("monitor") == "/reports/monitor-feed.xml"
