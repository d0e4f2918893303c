"""Run health: a source is judged against its own recent runs, and a broken one degrades only itself."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from monitor import exitcodes
from monitor.archive import ArchivedResponse, load_archive, write_warc
from monitor.dates import BEIJING
from monitor.health import is_stale, judge
from tests.conftest import DEMO_ARCHIVE, run_monitor

HEALTHY = {"discovery_pages": 2, "discovery_links": 10, "articles": 10, "requests": 13, "errors": 0,
           "field_title": 10, "field_published": 10, "field_text": 10}


@pytest.mark.parametrize(("stats", "reason"), [
    ({**HEALTHY, "discovery_pages": 0, "discovery_links": 0, "articles": 0}, "no discovery page"),
    ({**HEALTHY, "discovery_links": 0, "articles": 0}, "no article links"),
    ({**HEALTHY, "articles": 0}, "gave no article"),
    ({**HEALTHY, "field_published": 1}, "published found on 10%"),
    ({**HEALTHY, "errors": 9}, "9 of 13 requests failed"),
])
def test_degraded(stats: dict, reason: str) -> None:
    reasons = judge(stats, [HEALTHY, HEALTHY])
    assert any(reason in r for r in reasons), reasons


def test_healthy_run_and_quiet_incremental_run_are_fine() -> None:
    assert judge(HEALTHY, [HEALTHY]) == []
    quiet = {"discovery_pages": 0, "discovery_not_modified": 2, "discovery_links": 0, "articles": 0, "requests": 3,
             "errors": 0}
    assert judge(quiet, [HEALTHY]) == []
    known = {**HEALTHY, "articles": 0, "skipped_known": 10, "field_title": 0}
    assert judge(known, [HEALTHY]) == []


def test_stale_when_not_healthy_for_days() -> None:
    now = datetime(2025, 3, 10, tzinfo=BEIJING)
    assert is_stale((now - timedelta(days=5)), 3, now)
    assert not is_stale((now - timedelta(days=1)), 3, now)
    assert is_stale(None, 3, now)


def test_broken_listing_degrades_its_source_only_and_sets_the_exit_code(tmp_path: Path) -> None:
    """xinhua_en's listings change layout (no links); chinaorg in the same archive is unaffected."""
    index = load_archive(DEMO_ARCHIVE)
    pages = []
    for r in index.values():
        if r.url.startswith("https://english.news.cn/list/"):
            r = ArchivedResponse(r.url, 200, [("Content-Type", "text/html; charset=utf-8")],
                                 b"<html><body><div id='app'>Loading...</div></body></html>")
        pages.append(r)
    archive = tmp_path / "redesign.warc.gz"
    write_warc(archive, pages)
    done = run_monitor("run", "--replay", str(archive), "--db", str(tmp_path / "m.db"),
                       "--sources", "xinhua_en,chinaorg", "--json")
    assert done.returncode == exitcodes.DEGRADED, done.stderr
    report = json.loads(done.stdout)
    assert report["sources"]["xinhua_en"]["status"] == "degraded"
    assert report["sources"]["chinaorg"]["status"] == "ok" and report["sources"]["chinaorg"]["new"] == 1
    assert any(e["kind"] == "source_degraded" and e["subject"] == "xinhua_en" for e in report["events"])
    sources = json.loads(run_monitor("sources", "--db", str(tmp_path / "m.db"), "--json").stdout)["sources"]
    health = {s["name"]: s["health"] for s in sources}
    assert health["xinhua_en"].startswith("degraded") and health["chinaorg"] == "ok"
    assert health["miit"] == "never run"
