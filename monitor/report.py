"""What people read, rendered: the run report and diff (Markdown, JSON), batches, firms and sources tables.

Pure functions from gathered values (monitor.diff, the run's result) to text: nothing here reads the store,
writes a file or sends anything.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from monitor.diff import EVENT_ORDER, worth_reading
from monitor.runs import RunResult, plural

TITLES = {
    "new_batch": "New approval batches",
    "implied_approvals": "Implied new approvals (the official cumulative count rose)",
    "new_firm": "New firms",
    "figure_conflict": "Figure conflicts between outlets",
    "batch_candidate": "Unconfirmed batch candidates (one non-official outlet so far; not notified)",
    "batch_corroborated": "Known batches corroborated",
    "new_article": "New relevant articles",
    "changed_article": "Changed articles",
    "source_degraded": "Degraded sources",
    "source_recovered": "Recovered sources",
}


def to_json(obj: Any, indent: int | None = None) -> str:
    """JSON (one line unless `indent`); dates and datetimes as ISO 8601."""
    return json.dumps(obj, ensure_ascii=False, indent=indent, default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _day(value: date | None) -> str:
    """The day of a date or datetime, or "undated"."""
    if value is None:
        return "undated"
    return (value.date() if hasattr(value, "date") else value).isoformat()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str | None) -> str:
    """Text shown as itself in Markdown: a title like `*third*` or [1] is not read as markup.

    >>> print(md("The *third* batch [1]"))
    The \\*third\\* batch \\[1\\]
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def _url(url: str) -> str:
    """A URL safe inside Markdown's (link) parentheses."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    from tabulate import tabulate  # noqa: PLC0415 - about 20 ms of imports: only the commands that draw tables

    return tabulate(rows, headers=headers, tablefmt="github", missingval="", disable_numparse=True) + "\n"


# ---- the diff ------------------------------------------------------------------------------------
def _link(ref: dict[str, Any]) -> str:
    """An article as its title linked to its address, with its outlet, day and its stored copy when known."""
    title = ref.get("title") or ref.get("url")
    return f"[{md(title)}]({_url(ref['url'])}) ({md(ref['outlet'])}, {_day(ref.get('published'))}{_stored(ref)})"


def _stored(ref: dict[str, Any]) -> str:
    """A link to the article's row as `monitor serve` shows it (monitor.diff gives its address), or nothing."""
    return f"; [stored copy]({_url(ref['stored'])})" if ref.get("stored") else ""


def _evidence(ref: dict[str, Any]) -> str:
    """Both links of an item whose article is named only by its outlet: its address and its stored copy."""
    links = [f"[article]({_url(ref['url'])})"] if ref.get("url") else []
    links += [f"[stored copy]({_url(ref['stored'])})"] if ref.get("stored") else []
    return f" ({', '.join(links)})" if links else ""


def diff_markdown(evs: list[dict[str, Any]], off_topic: dict[str, int] | None = None) -> str:
    """A diff a person reads in a minute: new batches first, with firms and evidence links. Articles not about
    the policy are counted, not shown: those among `evs`, and `off_topic` (by kind) when they were left out."""
    skipped = sum((off_topic or {}).values())
    if not evs and not skipped:
        return "Nothing new.\n"
    lines: list[str] = []
    shown = [e for e in evs if worth_reading(e)]
    skipped += len([e for e in evs if e["kind"] in ("new_article", "changed_article")]) - \
        len([e for e in shown if e["kind"] in ("new_article", "changed_article")])
    # Over several runs (diff --since) a source is listed once, with its latest reasons.
    latest = {e["subject"]: e for e in shown if e["kind"] == "source_degraded"}
    shown = [e for e in shown if e["kind"] != "source_degraded" or latest[e["subject"]] is e]
    for kind in EVENT_ORDER:
        group = [e for e in shown if e["kind"] == kind]
        if not group:
            continue
        lines.append(f"## {TITLES[kind]} ({len(group)})\n")
        for e in group:
            lines.extend(_event_lines(e))
        lines.append("")
    if skipped:
        lines.append(f"({plural(skipped, 'new or changed article')} not about this policy "
                     f"{'was' if skipped == 1 else 'were'} stored and not shown.)\n")
    return "\n".join(lines) if lines else "Nothing new.\n"


def _batch_lines(b: dict[str, Any]) -> list[str]:
    ordinal = f"batch no. {b['ordinal']}, " if b.get("ordinal") else ""
    when = _day(b["approved_on"]) if b["approved_on"] else \
        f"(date not stated; first reported {_day(b['reported_on'])})"
    firms = plural(b["count"], "firm") if b["count"] else "? firms"
    out = [f"- **{firms} approved {when}** ({ordinal}"
           f"areas: {', '.join(b['areas']) or 'not stated'}; {plural(b['reports'], 'report')} from "
           f"{plural(len(b['outlets']), 'outlet')}: {', '.join(md(o) for o in b['outlets'])})"]
    if b["firms"] or b.get("units_of"):
        named = [f"{md(f)} ({md(b['parents'][f])})" if b["parents"].get(f) else md(f) for f in b["firms"]]
        named += [f"a unit of {md(owner)} (not named)" for owner in b.get("units_of") or []]
        out.append(f"  - firms named: {'; '.join(named)}")
    for ev in b["evidence"]:
        out.append(f"  - {_link(ev)}")
        if ev.get("sentence"):
            out.append(f"    > {md(ev['sentence'])}")
    return out


def _event_lines(e: dict[str, Any]) -> list[str]:
    kind = e["kind"]
    if kind in ("new_batch", "batch_candidate") and e.get("batch"):
        return _batch_lines(e["batch"])
    refs = e.get("articles") or []
    where = f" — {_link(refs[0])}" if refs else ""
    if kind == "new_firm":
        return [f"- {md(e['subject'])}{where}"]
    if kind == "figure_conflict":
        out = [f"- {e['reason']} ({e['unit']}, {e['as_of']}):"]
        for f in e["figures"]:
            out.append(f"  - {md(f['outlet'])}: {f['value']:g} — {md(f['measure'])}: \"{md(f['evidence'])}\""
                       f"{_evidence(f)}")
        return out
    if kind == "implied_approvals":
        return [f"- cumulative approvals now {e['total']:g} (was {e['previous']:g}): about {e['implied_new']:g} "
                f"approvals not yet reported{where}", f"  > {md(e.get('evidence'))}"]
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
    if kind == "source_recovered":
        return [f"- {e['subject']}: healthy again"]
    return [f"- {kind} {e['subject']}"]


# ---- the run report ------------------------------------------------------------------------------
def run_table(result: RunResult) -> str:
    if result.mode == "ingest":  # no requests or links: one row per outlet of the ingested file
        return _table(["outlet", "articles", "new", "updated", "unchanged", "dropped (no text)"], [
            [name, *(r.stats.get(k, 0) for k in ("articles", "new", "updated", "unchanged", "dropped"))]
            for name, r in result.sources.items()])
    return _table(["source", "status", "requests", "links", "articles", "new", "updated", "unchanged", "errors"], [
        [name, r.status, *(r.stats.get(k, 0) for k in ("requests", "discovery_links", "articles", "new", "updated",
                                                      "unchanged", "errors"))]
        for name, r in result.sources.items()])


def run_markdown(result: RunResult, evs: list[dict[str, Any]], log_path: str | None = None,
                 started: datetime | None = None, off_topic: dict[str, int] | None = None) -> str:
    """The run report: its status and date, a table of sources (or outlets), then the diff."""
    when = f", {started:%Y-%m-%d %H:%M %z}" if started else ""
    head = f"# Monitor run {result.run_id} ({result.mode}{when}): {result.status}\n\n"
    if result.status != "ok" and log_path:
        head += f"Full log: {log_path}\n\n"
    return head + run_table(result) + "\n" + diff_markdown(evs, off_topic)


def run_json(result: RunResult, evs: list[dict[str, Any]], report_paths: list[str],
             off_topic: dict[str, int] | None = None) -> dict[str, Any]:
    """The run's JSON: its result, its events (articles not about the policy only counted, in `off_topic`,
    by kind: `monitor diff --run N --json` lists them), and its report files."""
    return {**result.as_dict(), "events": evs, "off_topic": off_topic or {}, "reports": report_paths}


def alert_title(batches: list[dict[str, Any] | None]) -> str:
    """The title of the notification of a run that confirmed new batches: each batch named, plain text.

    >>> alert_title([{"count": 13, "approved_on": date(2025, 2, 28), "reported_on": date(2025, 3, 1)}])
    'New approval batch: 13 firms approved 2025-02-28'
    >>> alert_title([{"count": 1, "approved_on": None, "reported_on": date(2025, 3, 1)},
    ...              {"count": None, "approved_on": date(2025, 9, 5), "reported_on": None}])
    'New approval batches: 1 firm approved (date not stated; first reported 2025-03-01); firms approved 2025-09-05'
    """
    named = []
    for b in batches:
        if not b:
            continue
        firms = plural(b["count"], "firm") if b.get("count") else "firms"
        when = _day(b["approved_on"]) if b.get("approved_on") else \
            f"(date not stated; first reported {_day(b.get('reported_on'))})"
        named.append(f"{firms} approved {when}")
    if not named:
        return "New approval batch"
    return f"New approval batch{'es' if len(named) > 1 else ''}: {'; '.join(named)}"


TEST_TITLE = "Monitor test notification"
TEST_MARKDOWN = ("# Monitor test notification\n\nThis is a test: the channel works. New approval batches will come "
                 "this way, with their firms and the articles that report them.\n")


def undelivered_markdown(lines: list[str]) -> str:
    return "## Undelivered notifications\n\n" + "".join(f"- {line}\n" for line in lines)


def search_markdown(terms: list[str], found: list[dict[str, Any]]) -> str:
    if not found:
        return f"No article holds {' and '.join(md(t) for t in terms)}.\n"
    lines = []
    for a in found:
        lines.append(f"- {_link(a)}\n  > {md(a['snippet'])}")
    return "\n".join(lines) + "\n"


# ---- tables --------------------------------------------------------------------------------------
def batches_markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No approval batches in the store.\n"
    return _table(["id", "approved on", "count", "ordinal", "areas", "reports", "outlets", "firms", "first seen run",
                   "status"], [
        [b["id"], b["approved_on"].isoformat() if b["approved_on"] else "", b["count"] or "", b["ordinal"] or "",
         ", ".join(b["areas"]), b["reports"], ", ".join(b["outlets"]), "; ".join(b["firms"]), b["first_seen_run"],
         b["status"]] for b in rows])


def firms_markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No firms in the store.\n"
    return _table(["firm", "parent", "roles", "articles", "batches"], [
        [f["name"], f["parent"] or "", ", ".join(f["roles"]), f["articles"], ", ".join(map(str, f["batches"]))]
        for f in rows])


def sources_markdown(rows: list[dict[str, Any]]) -> str:
    return _table(["source", "language", "domains", "discovery", "health", "last healthy"], [
        [r["name"], r["language"], ", ".join(r["domains"]), r["discovery"], r["health"],
         r["last_ok"].isoformat() if r["last_ok"] else ""] for r in rows])


def chart_markdown(name: str) -> str:
    """The run's chart, shown in the report (the PNG sits beside it)."""
    return f"\n![The official figures and the approval batches]({_url(name)})\n"


def chart_failure_markdown(why: str) -> str:
    return f"\nThe chart of figures and batches could not be drawn: {md(why)}\n"
