"""The cron contract on real article openings: ingest ../shared/corpus/dev.jsonl, dev2.jsonl and dev3.jsonl
(English, Chinese and eleven other languages) month by month, as cron would meet them."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from itertools import groupby
from pathlib import Path

import pytest

from tests.conftest import need_shared, run_monitor

CORPORA = ("dev.jsonl", "dev2.jsonl", "dev3.jsonl")


def _month(record: dict) -> str:
    return (record.get("published") or "9999-99")[:7]  # undated last


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, list[dict], dict]]]:
    records = []
    for name in CORPORA:
        corpus = need_shared("corpus", name)
        records += [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    records.sort(key=lambda r: (_month(r), r.get("published") or ""))
    folder = tmp_path_factory.mktemp("cron")
    db = folder / "m.db"
    runs = []
    for month, group in groupby(records, key=_month):
        group = list(group)
        path = folder / f"{month}.jsonl"
        path.write_text("".join(json.dumps({k: r.get(k) for k in ("id", "url", "title", "published", "language",
                                                                    "outlet", "text")}, ensure_ascii=False) + "\n"
                                for r in group), encoding="utf-8")
        done = run_monitor("ingest", str(path), "--db", str(db), "--json")
        assert done.returncode == 0, done.stderr
        runs.append((month, group, json.loads(done.stdout)))
    return db, runs


def test_exactly_one_batch_results_and_no_other_candidate_survives(ingested) -> None:
    db, _ = ingested
    batches = json.loads(run_monitor("batches", "--db", str(db), "--json", "--all").stdout)["batches"]
    assert len(batches) == 1, batches
    assert batches[0]["status"] == "confirmed"
    assert batches[0]["count"] == 13
    assert "2025-02-26" <= batches[0]["approved_on"] <= "2025-02-28"
    assert batches[0]["reports"] >= 4 and len(batches[0]["outlets"]) >= 3


def test_flagged_new_once_in_the_first_run_that_sees_a_report(ingested) -> None:
    _, runs = ingested
    flagged = [i for i, (_, _, out) in enumerate(runs) for e in out["events"] if e["kind"] == "new_batch"]
    # The first month with a report of the batch has an official one (Xinhua): flagged then, never again.
    first_report = next(i for i, (_, group, _) in enumerate(runs)
                        if any(r["gold_events"] == ["batch_report"] for r in group))
    assert flagged == [first_report]


def test_later_reports_corroborate(ingested) -> None:
    _, runs = ingested
    corroborated = [e for _, _, out in runs for e in out["events"] if e["kind"] == "batch_corroborated"]
    assert corroborated


def test_other_kinds_of_article_never_join_a_batch(ingested) -> None:
    db, runs = ingested
    others = {r["url"] or f"urn:monitor:ingest:{r['id']}" for _, group, _ in runs for r in group
              if "batch_report" not in r["gold_events"]}
    with closing(sqlite3.connect(db)) as conn, conn:
        linked = {row[0] for row in conn.execute(
            "select a.canonical_url from batch_reports br join articles a on a.id = br.article_id")}
    assert not (linked & others)


def test_cumulative_rise_is_recorded_as_implied_approvals(ingested) -> None:
    _, runs = ingested
    implied = [e for _, _, out in runs for e in out["events"] if e["kind"] == "implied_approvals"]
    assert implied and implied[-1]["total"] >= 40
