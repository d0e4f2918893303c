"""`monitor serve`: Datasette over the store, read-only, on 127.0.0.1, with the tables described,
canned queries for the questions people ask, a dashboard of the official figures and the approval batches
(datasette-dashboards, with the Vega-Lite specs of data/charts.json that the PNG of each run also draws) at
/-/dashboards/figures, and the reports folder, the Atom feed in it, at /reports/. Datasette is an optional extra
(`pip install .[serve]`); nothing else in the monitor imports it, and this module only builds its metadata and
starts it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

# table: (title, description, column descriptions (every column: tests/test_serve.py checks), facets)
TABLES: dict[str, tuple[str, str, dict[str, str], list[str]]] = {
    "meta": ("Store settings", "The store's own settings: its schema version, and whether facts await re-extraction.", {
        "key": "the setting", "value": "its value"}, []),
    "runs": ("Runs", "One row per crawl, ingest or re-extraction run.", {
        "id": "the run's number", "started": "when the run began (Beijing time)",
        "finished": "when it ended (empty while running, or when killed)",
        "mode": "live, replay, ingest, crawl or reextract", "sources": "the sources it crawled (JSON)",
        "archive": "the replayed archive or the ingested file", "stats": "per-source counts and health (JSON)",
        "status": "ok, degraded, failed or interrupted", "notified": "when its notification went out"},
        ["mode", "status"]),
    "articles": ("Articles", "One row per article (canonical URL), with what extraction found in it.", {
        "id": "the article's number", "canonical_url": "its address, canonical (one row for http and https)",
        "url": "the address it was fetched from", "source": "the spider (or ingest)", "outlet": "the outlet's name",
        "title": "its headline", "published": "publication time", "author": "its byline, when given",
        "language": "the article's language", "text": "its main text", "content_hash": "a hash of title and text",
        "fetched_at": "when it was fetched", "first_seen_run": "the run that first stored it",
        "last_seen_run": "the last run that saw it", "changed_run": "the last run that found its text changed",
        "relevant": "1 when it is about the policy",
        "event": "batch_report, cumulative_status, policy_milestone, applicant_news or unrelated",
        "batch_json": "the batch facts it states (JSON)", "areas": "the pilot areas it names (JSON)"},
        ["source", "outlet", "language", "event", "relevant"]),
    "article_versions": ("Article versions", "Every text an article has had, by content hash: what changed when.", {
        "article_id": "the article", "run_id": "the run that fetched this version", "content_hash": "its hash",
        "title": "the headline then", "text": "the text then"}, []),
    "firms": ("Firms", "One row per firm, under its canonical name.", {
        "id": "the firm's number", "name": "its canonical name", "parent": "its parent group",
        "aliases": "other names, English and Chinese (JSON)", "first_seen_run": "the run that first found it"}, []),
    "mentions": ("Firm mentions", "A firm in an article, with its role and evidence.", {
        "article_id": "the article", "seq": "its order in the article",
        "firm_id": "the firm (empty for a unit named only by its owner)",
        "role": "approved, applicant, parent or mentioned", "name": "the firm as the article writes it",
        "parent": "its parent group", "surface": "the words in the text", "evidence": "the sentence it was read from",
        "start": "where the words start in the text", "end": "where they end"}, ["role"]),
    "figures": ("Figures", "A figure in an article, once, with every mention as evidence.", {
        "article_id": "the article", "seq": "its order in the article", "value": "the number",
        "unit": "firms, enterprises, percent, yuan, ...",
        "kind": "batch_count, enterprises_total, enterprises_new, pilot_approvals_total, growth, money, other",
        "measure": "what it counts, in the article's words", "qualifier": "over, about, ...",
        "as_of": "the day it is true of", "surface": "the words in the text",
        "evidence": "the sentence it was read from", "start": "where the words start in the text",
        "end": "where they end", "mentions": "every mention of it in the article (JSON)"}, ["kind", "unit"]),
    "batches": ("Approval batches", "One row per approval batch (an event in the world, not an article).", {
        "id": "the batch's number", "approved_on": "the approval day a report stated",
        "reported_on": "its first report's day", "count": "how many firms it approved",
        "ordinal": "first, second, ... when a report numbers it", "areas": "the pilot areas (JSON)",
        "first_seen_run": "the run that first saw it", "status": "candidate, confirmed or withdrawn",
        "confirmed_run": "the run that confirmed (and flagged) it"}, ["status"]),
    "batch_reports": ("Batch reports", "An article reporting a batch, with the count, date and scope it gave.", {
        "batch_id": "the batch", "article_id": "the article", "count": "the count it gave",
        "approved_on": "the approval day it gave", "scope": "national, or the regional subset it reports",
        "run_id": "the run that linked them"}, ["scope"]),
    "events": ("Events", "What each run found.", {
        "id": "the event's number", "run_id": "the run",
        "kind": "new_batch, batch_candidate, new_firm, figure_conflict, ...", "subject": "what it is about",
        "articles": "the articles it comes from (JSON)", "details": "what was found (JSON)"}, ["kind"]),
    "deliveries": ("Deliveries", "A notification channel that got a run's alert (never sent it twice).", {
        "run_id": "the run", "channel": "webhook, command, or apprise:<scheme>:<hash of its URL>",
        "delivered": "when"}, ["channel"]),
    "fetches": ("Fetches", "Incremental crawling: each URL's validators, and each listing entry's digest.", {
        "url": "the URL, or '<listing URL> <article URL>' for an entry", "kind": "discovery, article or entry",
        "etag": "its ETag (an entry: the digest and place of its text)", "last_modified": "its Last-Modified",
        "status": "the HTTP status", "first_fetched": "first fetched", "last_fetched": "last fetched"}, ["kind"]),
    "articles_fts": ("Full-text index", "The search index of articles' titles and texts (see the README's "
                     "Searching): use the search box of the articles table.", {
        "title": "the headline, as indexed", "text": "the text, as indexed"}, []),
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


DASHBOARD = "figures"  # at /-/dashboards/figures
REPORTS_MOUNT = "reports"  # the reports folder (run reports, charts, the Atom feed) at /reports/...


def chart_sql(name: str) -> str:
    """The SQL of a chart of data/charts.json (the store's, which the run's PNG is drawn from too)."""
    from monitor import charts
    from pipelines.store import batch_chart_sql, figure_chart_sql

    return batch_chart_sql() if name == "batches" else figure_chart_sql(charts.figure_kinds(name))


def feed_url(store_name: str) -> str:
    """Where `monitor serve` serves the Atom feed each run writes beside its reports."""
    return f"/{REPORTS_MOUNT}/{store_name}-feed.xml"


def dashboard(store_name: str) -> dict[str, Any]:
    """The datasette-dashboards configuration: the charts of data/charts.json, each with its SQL, and a note
    saying what they show and where the feed is."""
    from monitor import charts
    from pipelines.knowledge import load

    about = load("charts.json")["dashboard"]
    specs = charts.charts()
    note = "".join(f"- **{c['title']}**: {c['description']}\n" for c in specs.values())
    note += (f"\nThe [Atom feed]({feed_url(store_name)}) of confirmed batches and figure conflicts is served at "
             f"`{feed_url(store_name)}`; each run's report and its chart of these figures "
             f"(`{store_name}-run-NNNNN-figures.png`) are under `/{REPORTS_MOUNT}/` too.\n")
    board: dict[str, Any] = {"about": {"library": "markdown", "display": note}}
    for name, chart in specs.items():
        board[name] = {"title": chart["title"], "db": store_name, "query": chart_sql(name), "library": "vega-lite",
                       "display": chart["spec"]}
    names = [n for n in specs if n != "batches"]
    layout = [["about"] * len(names), names] + ([["batches"] * len(names)] if "batches" in specs else [])
    return {DASHBOARD: {"title": about["title"], "description": about["description"], "layout": layout,
                        "charts": board}}


def metadata(store_name: str) -> dict[str, Any]:
    """Datasette metadata: a title and description for every table and column, facets, canned queries, and the
    dashboard of figures and batches (datasette-dashboards)."""
    description = ("MIIT approvals of foreign-invested firms for value-added telecom services: batches, "
                   "firms, figures and the articles that report them.")
    return {
        "title": "Telecom-opening monitor",
        "description_html": f"{description} Charts: <a href=\"/-/dashboards/{DASHBOARD}\">official figures and "
                            f"approval batches</a>; <a href=\"{feed_url(store_name)}\">Atom feed</a> of confirmed "
                            f"batches and figure conflicts.",
        "databases": {store_name: {
            "tables": {name: {"title": title, "description": desc, "columns": columns, "facets": facets}
                       for name, (title, desc, columns, facets) in TABLES.items()},
            "queries": {name: {"title": title, "sql": textwrap.dedent(sql).strip()}
                        for name, (title, sql) in QUERIES.items()},
        }},
        "plugins": {"datasette-dashboards": dashboard(store_name)},
    }


def command(db: Path, port: int, metadata_path: Path) -> list[str]:
    """The Datasette command line on 127.0.0.1. Not `--immutable`: cron keeps writing the store (through its
    write-ahead log), and Datasette opens an ordinary database file read-only anyway. The reports folder
    (MONITOR_REPORTS_DIR, else reports/ beside the store) is served at /reports/ once a run has made it."""
    from monitor.afterrun import reports_dir

    args = [_datasette(), "serve", str(db), "--host", "127.0.0.1", "--port", str(port),
            "--metadata", str(metadata_path)]
    folder = reports_dir(db)
    if folder.is_dir():
        args += ["--static", f"{REPORTS_MOUNT}:{folder}"]
    return args


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
