"""End to end: the bundled demo archive replayed through the real Scrapy engine into a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARCHIVE, run_monitor


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    first = run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr[-3000:]
    with closing(sqlite3.connect(db)) as conn, conn:
        snapshot = conn.execute("select canonical_url, content_hash, first_seen_run from articles order by 1").fetchall()
    second = run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db), "--json")
    assert second.returncode == 0, second.stderr[-3000:]
    return db, json.loads(first.stdout), {"report": json.loads(second.stdout), "snapshot": snapshot}


def test_every_source_of_the_demo_yields_articles(replayed) -> None:
    _, first, _ = replayed
    for name in ("xinhua_en", "xinhua_zh", "chinaorg", "telecomreviewasia"):
        assert first["sources"][name]["new"] >= 1, name
        assert first["sources"][name]["status"] == "ok", first["sources"][name]
    assert first["status"] == "ok"


def test_demo_flags_the_first_batch_from_several_outlets(replayed) -> None:
    _, first, _ = replayed
    batches = [e for e in first["events"] if e["kind"] == "new_batch"]
    assert len(batches) == 1
    batch = batches[0]["batch"]
    assert batch["count"] == 13
    assert "2025-02-26" <= batch["approved_on"] <= "2025-02-28"
    assert len(batch["outlets"]) >= 2
    assert {"Xinhua", "Telecom Review Asia"} <= set(batch["outlets"])
    assert batch["firms"], "the batch names its firms"
    assert all(ev["url"] for ev in batch["evidence"])


def test_replaying_again_reports_nothing_new_and_adds_no_rows(replayed) -> None:
    db, _, again = replayed
    assert again["report"]["events"] == []
    with closing(sqlite3.connect(db)) as conn, conn:
        now = conn.execute("select canonical_url, content_hash, first_seen_run from articles order by 1").fetchall()
        last_seen = {r[0] for r in conn.execute("select last_seen_run from articles")}
    assert now == again["snapshot"]
    assert last_seen == {again["report"]["run"]}


@pytest.mark.parametrize("phrase", ['"外资企业"', '"value-added telecom"'])
def test_full_text_search_finds_chinese_and_english(replayed, phrase: str) -> None:
    db, _, _ = replayed
    with closing(sqlite3.connect(db)) as conn, conn:
        hits = conn.execute("select count(*) from articles_fts where articles_fts match ?", [phrase]).fetchone()[0]
    assert hits >= 1


def test_unrelated_telecom_article_is_stored_but_not_relevant(replayed) -> None:
    db, _, _ = replayed
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*) from articles where relevant = 0").fetchone()[0] >= 1


def test_trade_press_misreport_is_flagged_as_a_conflict_and_both_kept(replayed) -> None:
    _, first, _ = replayed
    conflicts = [e for e in first["events"] if e["kind"] == "figure_conflict"]
    assert conflicts
    outlets = {f["outlet"] for e in conflicts for f in e["figures"]}
    assert outlets == {"Telecom Review Asia", "Xinhua"}
    assert all(f["value"] == 2400 for e in conflicts for f in e["figures"])
