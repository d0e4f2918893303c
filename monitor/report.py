"""What people read: the run report and diff (Markdown and JSON), batches, firms, source health, notifications."""

from __future__ import annotations

import difflib
import json
import logging
import os
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.runner import RunResult, report_path, reports_dir
from pipelines.store import Store

logger = logging.getLogger(__name__)

# The order a person reads a diff in: what matters most first.
EVENT_ORDER = ["new_batch", "implied_approvals", "new_firm", "figure_conflict", "batch_corroborated",
               "new_article", "changed_article", "source_degraded"]
TITLES = {
    "new_batch": "New approval batches",
    "implied_approvals": "Implied new approvals (the official cumulative count rose)",
    "new_firm": "New firms",
    "figure_conflict": "Figure conflicts between outlets",
    "batch_corroborated": "Known batches corroborated",
    "new_article": "New relevant articles",
    "changed_article": "Changed articles",
    "source_degraded": "Degraded sources",
}


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


# ---- events --------------------------------------------------------------------------------------
def events(store: Store, run: int | None = None, since: str | None = None) -> list[dict[str, Any]]:
    """The events of one run (default: the last), or of every run started on or after `since`."""
    if since:
        from monitor.dates import parse_published

        when = parse_published(since)
        if when is None:
            raise ValueError(f"cannot read the date {since!r} (use YYYY-MM-DD)")
        from monitor.dates import BEIJING

        # runs.started is ISO text in Beijing time: compare like with like.
        runs = [r[0] for r in store.db.execute("SELECT id FROM runs WHERE started >= ? ORDER BY id",
                                               [when.astimezone(BEIJING).isoformat()]).fetchall()]
    else:
        if run is None:
            run = store.last_run_id()
        elif not store.db.execute("SELECT 1 FROM runs WHERE id = ?", [run]).fetchone():
            raise ValueError(f"no run {run} in the store")
        runs = [run] if run is not None else []
    if not runs:
        return []
    marks = ",".join("?" * len(runs))
    rows = store.db.execute(
        f"SELECT id, run_id, kind, subject, articles, details FROM events WHERE run_id IN ({marks}) ORDER BY id",
        runs,
    ).fetchall()
    out = []
    for event_id, run_id, kind, subject, articles, details in rows:
        event = {"kind": kind, "run": run_id, "subject": subject, "articles": _article_refs(store, _loads(articles, [])),
                 **_loads(details, {}), "id": event_id}
        if kind == "new_batch":
            event["batch"] = batch(store, int(subject))
        if kind == "changed_article" and event["articles"]:
            event["diff"] = _text_diff(store, event["articles"][0]["id"], run_id)
        out.append(event)
    out.sort(key=lambda e: (EVENT_ORDER.index(e["kind"]) if e["kind"] in EVENT_ORDER else 99, e["id"]))
    return out


def worth_reading(event: dict[str, Any]) -> bool:
    """Everything but new or changed articles that are not about the policy (they are stored, not shown)."""
    return not (event["kind"] in ("new_article", "changed_article") and not event.get("relevant"))


def _article_refs(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    refs = []
    for article_id in ids:
        row = store.db.execute("SELECT url, source, coalesce(outlet, source), title, published FROM articles "
                               "WHERE id = ?", [article_id]).fetchone()
        if row:
            refs.append({"id": article_id, "url": row[0], "source": row[1], "outlet": row[2], "title": row[3],
                         "published": row[4]})
    return refs


def _text_diff(store: Store, article_id: int, run_id: int) -> str:
    """The change run `run_id` made to an article's text: its version then against the one before it."""
    versions = store.db.execute(
        "SELECT run_id, text FROM article_versions WHERE article_id = ? ORDER BY run_id, rowid", [article_id]
    ).fetchall()
    at = [i for i, (run, _) in enumerate(versions) if run == run_id]
    if not at or at[-1] == 0:
        return ""
    before, after = versions[at[-1] - 1][1], versions[at[-1]][1]
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=1)
    return "\n".join(lines)


# ---- batches and firms ---------------------------------------------------------------------------
def batch(store: Store, batch_id: int) -> dict[str, Any]:
    row = store.db.execute(
        "SELECT id, approved_on, count, ordinal, areas, first_seen_run, reported_on, status FROM batches WHERE id = ?",
        [batch_id]).fetchone()
    named = store.db.execute(
        """SELECT DISTINCT f.name, f.parent FROM batch_reports br JOIN mentions m ON m.article_id = br.article_id
           JOIN firms f ON f.id = m.firm_id WHERE br.batch_id = ? AND m.role = 'approved' ORDER BY f.name""",
        [batch_id]).fetchall()
    firms = [name for name, _ in named]
    reports = store.db.execute(
        """SELECT a.id, coalesce(a.outlet, a.source), a.url, a.title, a.published FROM batch_reports br
           JOIN articles a ON a.id = br.article_id
           WHERE br.batch_id = ? ORDER BY a.published IS NULL, a.published, a.id""", [batch_id]).fetchall()
    evidence = []
    for article_id, source, url, title, published in reports:
        sentence = store.db.execute(
            "SELECT evidence FROM figures WHERE article_id = ? AND unit = 'firms' ORDER BY seq LIMIT 1", [article_id]
        ).fetchone()
        evidence.append({"article": article_id, "outlet": source, "url": url, "title": title,
                         "published": published, "sentence": sentence[0] if sentence else None})
    return {
        "id": row[0], "approved_on": row[1], "count": row[2], "ordinal": row[3], "areas": _loads(row[4], []),
        "firms": firms, "parents": {name: parent for name, parent in named if parent}, "reports": len(reports), "outlets": sorted({r[1] for r in reports}),
        "first_seen_run": row[5], "reported_on": row[6], "status": row[7], "evidence": evidence,
    }


def batches(store: Store) -> list[dict[str, Any]]:
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM batches WHERE status != 'withdrawn' ORDER BY coalesce(approved_on, reported_on), id").fetchall()]
    out = []
    for batch_id in ids:
        b = batch(store, batch_id)
        for extra in ("evidence", "parents", "reported_on", "status"):
            b.pop(extra)
        out.append(b)
    return out


def firms(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute(
        """SELECT f.id, f.name, f.parent, f.aliases, f.first_seen_run,
                  group_concat(DISTINCT m.role), count(DISTINCT m.article_id)
           FROM firms f LEFT JOIN mentions m ON m.firm_id = f.id GROUP BY f.id ORDER BY f.name"""
    ).fetchall()
    out = []
    for firm_id, name, parent, aliases, first_run, roles, articles in rows:
        batch_ids = [r[0] for r in store.db.execute(
            """SELECT DISTINCT br.batch_id FROM mentions m JOIN batch_reports br ON br.article_id = m.article_id
               WHERE m.firm_id = ? AND m.role = 'approved' ORDER BY 1""", [firm_id]).fetchall()]
        out.append({"name": name, "parent": parent, "aliases": _loads(aliases, []),
                    "roles": sorted((roles or "").split(",")) if roles else [], "articles": articles,
                    "batches": batch_ids, "first_seen_run": first_run})
    return out


def source_health(store: Store) -> dict[str, dict[str, Any]]:
    """Per source: its status in the last run that crawled it, and when it was last healthy."""
    health: dict[str, dict[str, Any]] = {}
    for run_id, started, stats in store.db.execute(
        "SELECT id, started, stats FROM runs WHERE mode IN ('live', 'replay', 'crawl') ORDER BY id"
    ).fetchall():
        for name, s in _loads(stats, {}).items():
            entry = health.setdefault(name, {"health": "never run", "last_run": None, "last_ok": None})
            entry["health"] = s.get("status", "ok")
            entry["last_run"] = run_id
            if s.get("status", "ok") == "ok":
                entry["last_ok"] = started
    from monitor.dates import now
    from monitor.health import is_stale
    from monitor.settings import MONITOR_STALE_DAYS

    at = now()
    for entry in health.values():
        if entry["health"] == "ok" and is_stale(entry["last_ok"], MONITOR_STALE_DAYS, at):
            entry["health"] = "stale"
        elif entry["health"] != "ok" and is_stale(entry["last_ok"], MONITOR_STALE_DAYS, at):
            entry["health"] = f"{entry['health']}, stale"
    return health


# ---- Markdown ------------------------------------------------------------------------------------
def _link(ref: dict[str, Any]) -> str:
    title = ref.get("title") or ref.get("url")
    return f"[{title}]({ref['url']}) ({ref['outlet']}, {(ref.get('published') or 'undated')[:10]})"


def diff_markdown(store: Store, evs: list[dict[str, Any]]) -> str:
    """A diff a person reads in a minute: new batches first, with firms and evidence links."""
    if not evs:
        return "Nothing new.\n"
    lines: list[str] = []
    shown = [e for e in evs if worth_reading(e)]
    skipped = len(evs) - len(shown)
    for kind in EVENT_ORDER:
        group = [e for e in shown if e["kind"] == kind]
        if not group:
            continue
        lines.append(f"## {TITLES[kind]} ({len(group)})\n")
        for e in group:
            lines.extend(_event_lines(e))
        lines.append("")
    if skipped:
        lines.append(f"({skipped} new or changed articles not about this policy were stored and not shown.)\n")
    return "\n".join(lines) if lines else "Nothing new.\n"


def _event_lines(e: dict[str, Any]) -> list[str]:
    kind = e["kind"]
    if kind == "new_batch":
        b = e["batch"]
        ordinal = f"batch no. {b['ordinal']}, " if b.get("ordinal") else ""
        when = b["approved_on"] or f"(date not stated; first reported {b['reported_on'] or 'undated'})"
        out = [f"- **{b['count'] or '?'} firms approved {when}** ({ordinal}"
               f"areas: {', '.join(b['areas']) or 'not stated'}; {b['reports']} reports from "
               f"{len(b['outlets'])} outlets: {', '.join(b['outlets'])})"]
        if b["firms"]:
            named = [f"{f} ({b['parents'][f]})" if b["parents"].get(f) else f for f in b["firms"]]
            out.append(f"  - firms named: {'; '.join(named)}")
        for ev in b["evidence"]:
            out.append(f"  - {_link(ev)}")
            if ev.get("sentence"):
                out.append(f"    > {ev['sentence']}")
        return out
    refs = e.get("articles") or []
    where = f" — {_link(refs[0])}" if refs else ""
    if kind == "new_firm":
        return [f"- {e['subject']}{where}"]
    if kind == "figure_conflict":
        out = [f"- {e['reason']} ({e['unit']}, {e['as_of']}):"]
        for f in e["figures"]:
            out.append(f"  - {f['outlet']}: {f['value']:g} — {f['measure']}: \"{f['evidence']}\"")
        return out
    if kind == "implied_approvals":
        return [f"- cumulative approvals now {e['total']:g} (was {e['previous']:g}): about {e['implied_new']:g} "
                f"approvals not yet reported{where}", f"  > {e.get('evidence') or ''}"]
    if kind == "batch_corroborated":
        return [f"- batch {e['batch']}{where}"]
    if kind == "new_article":
        return [f"- {_link(refs[0])} [{e.get('event')}]" if refs else f"- {e['subject']}"]
    if kind == "changed_article":
        out = [f"- {_link(refs[0]) if refs else e['subject']}"]
        if e.get("diff"):
            out.append("  ```diff")
            out.extend(f"  {line}" for line in e["diff"].splitlines())
            out.append("  ```")
        return out
    if kind == "source_degraded":
        return [f"- {e['subject']}: {'; '.join(e.get('reasons') or [])}"]
    return [f"- {kind} {e['subject']}"]


def run_table(result: RunResult) -> str:
    if result.mode == "ingest":  # no requests or links: one row per outlet of the ingested file
        lines = ["| outlet | articles | new | updated | unchanged | dropped (no text) |", "|---|---|---|---|---|---|"]
        for name, r in result.sources.items():
            s = r.stats
            lines.append(f"| {name} | {s.get('articles', 0)} | {s.get('new', 0)} | {s.get('updated', 0)} | "
                         f"{s.get('unchanged', 0)} | {s.get('dropped', 0)} |")
        return "\n".join(lines) + "\n"
    head = "| source | status | requests | links | articles | new | updated | unchanged | errors |"
    lines = [head, "|" + "---|" * 9]
    for name, r in result.sources.items():
        s = r.stats
        lines.append(f"| {name} | {r.status} | {s.get('requests', 0)} | {s.get('discovery_links', 0)} | "
                     f"{s.get('articles', 0)} | {s.get('new', 0)} | {s.get('updated', 0)} | {s.get('unchanged', 0)} | "
                     f"{s.get('errors', 0)} |")
    return "\n".join(lines) + "\n"


def batches_markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No approval batches in the store.\n"
    lines = ["| id | approved on | count | ordinal | areas | reports | outlets | firms | first seen run |",
             "|" + "---|" * 9]
    for b in rows:
        lines.append(f"| {b['id']} | {b['approved_on'] or ''} | {b['count'] or ''} | {b['ordinal'] or ''} | "
                     f"{', '.join(b['areas'])} | {b['reports']} | {', '.join(b['outlets'])} | {'; '.join(b['firms'])} | "
                     f"{b['first_seen_run']} |")
    return "\n".join(lines) + "\n"


def firms_markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No firms in the store.\n"
    lines = ["| firm | parent | roles | articles | batches |", "|---|---|---|---|---|"]
    for f in rows:
        lines.append(f"| {f['name']} | {f['parent'] or ''} | {', '.join(f['roles'])} | {f['articles']} | "
                     f"{', '.join(map(str, f['batches']))} |")
    return "\n".join(lines) + "\n"


def sources_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| source | language | domains | discovery | health | last healthy |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['language']} | {', '.join(r['domains'])} | {r['discovery']} | "
                     f"{r['health']} | {r['last_ok'] or ''} |")
    return "\n".join(lines) + "\n"


# ---- after a run ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    result: RunResult
    events: list[dict[str, Any]]
    markdown: str
    report_paths: list[str] = field(default_factory=list)

    @property
    def new_batches(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "new_batch"]

    @property
    def nothing_to_say(self) -> bool:
        """True when cron should stay silent: nothing new worth reading and no failure."""
        return not any(worth_reading(e) for e in self.events) and self.result.status == "ok"

    def as_json(self) -> dict[str, Any]:
        return {**self.result.as_dict(), "events": self.events, "reports": self.report_paths}


def after_run(db_path: str, result: RunResult) -> Outcome:
    """Build the run's report and diff, write them to the reports folder, and send pending notifications."""
    store = Store(db_path)
    try:
        evs = events(store, run=result.run_id)
        head = f"# Monitor run {result.run_id} ({result.mode}): {result.status}\n\n"
        log = report_path(db_path, result.run_id, ".log")
        if result.status != "ok" and log.exists():
            head += f"Full log: {log}\n\n"
        markdown = head + run_table(result) + "\n" + diff_markdown(store, evs)
        outcome = Outcome(result, evs, markdown)
        folder = reports_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        md_path, json_path = report_path(db_path, result.run_id, ".md"), report_path(db_path, result.run_id, ".json")
        _write_atomic(md_path, markdown)
        _write_atomic(json_path, json.dumps(outcome.as_json(), ensure_ascii=False, indent=2))
        outcome.report_paths = [str(md_path), str(json_path)]
        notify_pending(store, db_path)
    finally:
        store.close()
    return outcome


def _write_atomic(path: Path, text: str) -> None:
    """A report is there whole or not at all (a reader never sees half a file)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def notify_pending(store: Store, db_path: str) -> int:
    """Send the notification of every run that flagged a new batch and has not been notified yet.

    A failure is logged and left pending, so the next run retries it: never lost, never fatal.
    """
    from monitor.settings import MONITOR_NOTIFY_COMMAND, MONITOR_WEBHOOK_URL

    if not (MONITOR_WEBHOOK_URL or MONITOR_NOTIFY_COMMAND):
        # Nothing to send with: such runs are not owed a message later, when a notifier is set up.
        with store.transaction():
            store.db.execute("UPDATE runs SET notified = 'no notifier' WHERE notified IS NULL AND finished IS NOT NULL")
        return 0
    pending = [r[0] for r in store.db.execute(
        """SELECT id FROM runs WHERE notified IS NULL AND finished IS NOT NULL
           AND id IN (SELECT run_id FROM events WHERE kind = 'new_batch') ORDER BY id"""
    ).fetchall()]
    sent = 0
    for run_id in pending:
        evs = [e for e in events(store, run=run_id) if e["kind"] in ("new_batch", "new_firm", "figure_conflict")]
        body = {"run": run_id, "batches": [e["batch"] for e in evs if e["kind"] == "new_batch"], "events": evs}
        md_path = report_path(db_path, run_id, ".md")
        markdown = md_path.read_text(encoding="utf-8") if md_path.exists() else diff_markdown(store, evs)
        ok = True
        if MONITOR_WEBHOOK_URL:
            ok &= _post(MONITOR_WEBHOOK_URL, body)
        if MONITOR_NOTIFY_COMMAND:
            ok &= _run_command(MONITOR_NOTIFY_COMMAND, markdown)
        if ok:
            from monitor.dates import iso, now

            with store.transaction():
                store.db["runs"].update(run_id, {"notified": iso(now())})
            sent += 1
    return sent


def _post(url: str, body: dict[str, Any]) -> bool:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - URL from settings
            if 200 <= response.status < 300:
                return True
            logger.warning("webhook %s answered %s; will retry next run", url, response.status)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        logger.warning("webhook %s failed (%s); will retry next run", url, exc)
    return False


def _run_command(command: str, markdown: str) -> bool:
    try:
        done = subprocess.run(command, shell=True, input=markdown.encode(), timeout=60, check=False,  # noqa: S602
                              capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("notify command failed (%s); will retry next run", exc)
        return False
    if done.returncode != 0:
        logger.warning("notify command exited %s; will retry next run", done.returncode)
        return False
    return True
