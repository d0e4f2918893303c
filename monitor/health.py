"""Run health: each source judged after a run against its own recent runs (a run judged after it ends)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from monitor.runs import FIELDS, RunResult, SourceResult, plural, summarise
from pipelines.store import Store

HISTORY_RUNS = 5
COVERAGE_DROP = 0.5  # a field found on 50 points fewer of the articles than it used to be


def coverage(stats: dict[str, Any], field: str) -> float | None:
    n = stats.get("articles", 0)
    return stats.get(f"field_{field}", 0) / n if n else None


def judge(stats: dict[str, Any], past: list[dict[str, Any]]) -> list[str]:
    """Why a source is degraded in this run (an empty list: healthy).

    >>> judge({"discovery_pages": 1, "discovery_links": 0, "requests": 1, "errors": 0}, [])
    ['discovery pages gave no article links (did the listing layout change?)']
    """
    reasons = []
    pages, not_modified = stats.get("discovery_pages", 0), stats.get("discovery_not_modified", 0)
    links, articles = stats.get("discovery_links", 0), stats.get("articles", 0)
    if pages == 0 and not_modified == 0:
        reasons.append(f"no discovery page could be read{_causes(stats)}")
    elif pages and links == 0:
        reasons.append("discovery pages gave no article links (did the listing layout change?)")
    to_fetch = links - stats.get("skipped_known", 0) - stats.get("not_modified", 0) - stats.get("replay_missing", 0)
    if to_fetch > 0 and articles == 0:
        before = [p.get("articles", 0) for p in past]
        if not past or any(before):
            reasons.append(f"{plural(to_fetch, 'article page')} gave no article")
    if articles >= 2:
        for field in FIELDS:
            now_cov = coverage(stats, field)
            earlier = [c for c in (coverage(p, field) for p in past) if c is not None]
            if now_cov is not None and earlier:
                usual = sum(earlier) / len(earlier)
                if usual - now_cov >= COVERAGE_DROP:
                    reasons.append(f"{field} found on {now_cov:.0%} of articles (usually {usual:.0%})")
            elif now_cov is not None and now_cov < 0.5:
                reasons.append(f"{field} found on only {now_cov:.0%} of articles")
    if stats.get("store_failed", 0):
        n = stats["store_failed"]
        reasons.append(f"{plural(n, 'article')} {'was' if n == 1 else 'were'} fetched but the store could not keep "
                       f"{'it' if n == 1 else 'them'} (disk full? see the run log); fetched again next run")
    if stats.get("store_errors", 0):
        reasons.append(f"{plural(stats['store_errors'], 'article')} could not be stored (see the run log)")
    requests, errors = stats.get("requests", 0), stats.get("errors", 0)
    if requests and errors * 2 > requests:
        reasons.append(f"{errors} of {plural(requests, 'request')} failed")
    return reasons


def _causes(stats: dict[str, Any]) -> str:
    """What the failed requests were, in words: " (9 DNS lookups failed, 2 HTTP errors)", or ""."""
    words = {"dns_errors": ("DNS lookup failed", "DNS lookups failed"), "timeouts": ("timed out", "timed out"),
             "refused": ("connection refused or lost", "connections refused or lost"),
             "http_errors": ("HTTP error (4xx/5xx)", "HTTP errors (4xx/5xx)")}
    found = [f"{stats[k]} {one if stats[k] == 1 else many}" for k, (one, many) in words.items() if stats.get(k)]
    return f" ({', '.join(found)})" if found else ""


def is_stale(last_ok: datetime | None, stale_days: float, at: datetime) -> bool:
    """A source not seen healthy for `stale_days` (or never) is stale."""
    if last_ok is None:
        return True
    return at - last_ok > timedelta(days=stale_days)


def judge_run(store: Store, run_id: int, mode: str, crawls: dict[str, dict[str, Any]]) -> RunResult:
    """Each source of a run judged from its crawler's Scrapy stats against its own recent runs.

    The run failed when not one source could read a discovery page (the network, the archive or the machine
    is at fault) or when the store could not keep what was fetched; it is degraded when some source is, and
    ok otherwise.
    """
    results = {}
    for name, raw in crawls.items():
        result = SourceResult(name, summarise(name, raw))
        result.reasons = judge(result.stats, store.source_history(name, run_id, HISTORY_RUNS))
        result.status = "degraded" if result.reasons else "ok"
        results[name] = result
    if results and all(r.stats["discovery_pages"] + r.stats["discovery_not_modified"] == 0 for r in results.values()):
        status = "failed"
    elif any(r.stats.get("store_failed") for r in results.values()):
        status = "failed"  # fetched but not kept: never ok, whatever the other sources did
    elif any(r.status != "ok" for r in results.values()):
        status = "degraded"
    else:
        status = "ok"
    return RunResult(run_id, mode, results, status)


def source_health(store: Store, stale_days: float, at: datetime) -> dict[str, dict[str, Any]]:
    """Per source: its status in the last run that crawled it, when it was last healthy, and whether stale."""
    health: dict[str, dict[str, Any]] = {}
    for run_id, started, stats in store.crawl_run_stats():
        for name, s in stats.items():
            entry = health.setdefault(name, {"health": "never run", "last_run": None, "last_ok": None})
            entry["health"] = s.get("status", "ok")
            entry["last_run"] = run_id
            if s.get("status", "ok") == "ok":
                entry["last_ok"] = started
    for entry in health.values():
        if is_stale(entry["last_ok"], stale_days, at):
            entry["health"] = "stale" if entry["health"] == "ok" else f"{entry['health']}, stale"
    return health
