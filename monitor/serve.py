"""`monitor serve`: Datasette over the store, read-only, on 127.0.0.1, with the tables described
and canned queries for the questions people ask. Datasette is an optional extra (`pip install .[serve]`);
nothing else in the monitor imports it, and this module only builds its metadata and starts it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

TABLES: dict[str, tuple[str, dict[str, str], list[str]]] = {
    # table: (description, column descriptions, facets)
    "runs": ("One row per crawl, ingest or re-extraction run.", {
        "started": "when the run began (Beijing time)", "mode": "live, replay, ingest, crawl or reextract",
        "stats": "per-source counts and health (JSON)", "status": "ok, degraded, failed or interrupted",
        "notified": "when its notification went out"}, ["mode", "status"]),
    "articles": ("One row per article (canonical URL), with what extraction found in it.", {
        "source": "the spider (or ingest)", "outlet": "the outlet's name", "published": "publication time",
        "language": "the article's language", "relevant": "1 when it is about the policy",
        "event": "batch_report, cumulative_status, policy_milestone, applicant_news or unrelated",
        "batch_json": "the batch facts it states (JSON)", "first_seen_run": "the run that first stored it"},
        ["source", "outlet", "language", "event", "relevant"]),
    "firms": ("One row per firm, under its canonical name.", {
        "parent": "its parent group", "aliases": "other names, English and Chinese (JSON)"}, []),
    "mentions": ("A firm in an article, with its role and evidence.", {
        "role": "approved, applicant, parent or mentioned", "name": "the firm as the article writes it",
        "evidence": "the sentence it was read from"}, ["role"]),
    "figures": ("A figure in an article, once, with every mention as evidence.", {
        "kind": "batch_count, enterprises_total, enterprises_new, pilot_approvals_total, growth, money, other",
        "measure": "what it counts, in the article's words", "qualifier": "over, about, ...",
        "as_of": "the day it is true of"}, ["kind", "unit"]),
    "batches": ("One row per approval batch (an event in the world, not an article).", {
        "approved_on": "the approval day a report stated", "reported_on": "its first report's day",
        "status": "candidate, confirmed or withdrawn", "confirmed_run": "the run that confirmed (and flagged) it"},
        ["status"]),
    "batch_reports": ("An article reporting a batch, with the count, date and scope it gave.", {}, ["scope"]),
    "events": ("What each run found.", {"kind": "new_batch, batch_candidate, new_firm, figure_conflict, ..."},
               ["kind"]),
}

QUERIES = {
    "batches_with_firms": ("Batches with their firms, parents and outlets", """
        select b.id, b.approved_on, b.count, b.status, group_concat(distinct f.name) as firms,
               group_concat(distinct f.parent) as parents, group_concat(distinct a.outlet) as outlets
        from batches b left join batch_reports br on br.batch_id = b.id
        left join articles a on a.id = br.article_id
        left join mentions m on m.article_id = br.article_id and m.role = 'approved'
        left join firms f on f.id = m.firm_id
        where b.status != 'withdrawn' group by b.id order by coalesce(b.approved_on, b.reported_on)"""),
    "new_batches_since": ("Batches confirmed in runs since a day", """
        select b.id, b.approved_on, b.count, r.started as confirmed
        from batches b join runs r on r.id = b.confirmed_run
        where b.status = 'confirmed' and r.started >= :since order by r.started"""),
    "figure_history": ("Each official figure over time, with its outlets", """
        select f.kind, f.as_of, f.value, f.qualifier, a.outlet, f.evidence, a.url
        from figures f join articles a on a.id = f.article_id
        where a.relevant = 1 and f.kind in ('enterprises_total', 'enterprises_new', 'pilot_approvals_total')
        order by f.kind, f.as_of"""),
    "batch_reports": ("Articles that reported a batch", """
        select br.batch_id, a.outlet, a.title, a.published, a.url, br.count, br.approved_on, br.scope
        from batch_reports br join articles a on a.id = br.article_id order by br.batch_id, a.published"""),
    "candidates": ("Candidates awaiting confirmation", """
        select b.id, b.approved_on, b.reported_on, b.count, group_concat(a.outlet) as outlets
        from batches b join batch_reports br on br.batch_id = b.id join articles a on a.id = br.article_id
        where b.status = 'candidate' group by b.id"""),
    "degraded_sources": ("Sources degraded in recent runs", """
        select e.subject as source, r.id as run, r.started, e.details
        from events e join runs r on r.id = e.run_id where e.kind = 'source_degraded' order by r.id desc"""),
}


def metadata(store_name: str) -> dict[str, Any]:
    """Datasette metadata: a title and description for every table and column, facets, canned queries."""
    return {
        "title": "Telecom-opening monitor",
        "description": "MIIT approvals of foreign-invested firms for value-added telecom services: batches, "
                       "firms, figures and the articles that report them.",
        "databases": {store_name: {
            "tables": {name: {"description": desc, "columns": columns, "facets": facets}
                       for name, (desc, columns, facets) in TABLES.items()},
            "queries": {name: {"title": title, "sql": " ".join(sql.split())} for name, (title, sql) in QUERIES.items()},
        }},
    }


def command(db: Path, port: int, metadata_path: Path) -> list[str]:
    """The Datasette command line on 127.0.0.1. Not `--immutable`: cron keeps writing the store (through its
    write-ahead log), and Datasette opens an ordinary database file read-only anyway."""
    return [_datasette(), "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
            "--metadata", str(metadata_path)]


def _datasette() -> str:
    found = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(found).exists():
        raise FileNotFoundError("Datasette is not installed: pip install '.[serve]' (or make serve)")
    return found


def serve(db: Path, port: int, metadata_path: Path) -> int:
    """Run Datasette until it is stopped (Ctrl-C, or SIGTERM to this process, which stops it too)."""
    child = subprocess.Popen(command(db, port, metadata_path))

    def stop(signum: int, _frame: Any) -> None:
        child.terminate()

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return child.wait()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
