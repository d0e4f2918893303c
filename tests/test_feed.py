"""The Atom feed: one entry per confirmed batch (a stable id), one per figure conflict, read by a feed parser."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser

from tests.conftest import DEMO_ARCHIVE, run_monitor


def test_the_feed_has_the_confirmed_batch_with_its_evidence_and_the_conflict(demo_store: Path) -> None:
    done = run_monitor("feed", "--db", str(demo_store))
    assert done.returncode == 0, done.stderr
    feed = feedparser.parse(done.stdout)
    assert not feed.bozo, feed.bozo_exception
    batches = [e for e in feed.entries if e.id.startswith("urn:telecom-opening-monitor:batch:")]
    assert [e.title for e in batches] == ["13 firms approved (2025-02-28)"]
    assert "T-Systems P.R. China Ltd. (Deutsche Telekom)" in batches[0].summary
    assert len(batches[0].links) >= 3  # the reports' addresses
    assert [e for e in feed.entries if e.id.startswith("urn:telecom-opening-monitor:conflict:")]


def test_a_second_run_writes_the_same_entries_so_a_reader_shows_none_twice(demo_store: Path, tmp_path: Path) -> None:
    demo_store = Path(shutil.copytree(demo_store.parent, tmp_path / "demo")) / demo_store.name  # this test writes
    before = {e.id for e in feedparser.parse(run_monitor("feed", "--db", str(demo_store)).stdout).entries}
    assert run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(demo_store)).returncode == 0
    written = demo_store.parent / "reports" / "demo-feed.xml"
    assert {e.id for e in feedparser.parse(written.read_text(encoding="utf-8")).entries} == before
