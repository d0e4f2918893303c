"""Run health: each source judged after a run against its own recent runs (a run judged after it ends)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pipelines.store import Store

FIELDS = ("title", "published", "text")
HISTORY_RUNS = 5
COVERAGE_DROP = 0.5  # a field found on 50 points fewer of the articles than it used to be


def history(store: Store, source: str, before_run: int, limit: int = HISTORY_RUNS) -> list[dict[str, Any]]:
    """The source's stats in its most recent earlier crawl runs (live, replay or crawl), newest first."""
    rows = store.db.execute(
        "SELECT stats FROM runs WHERE id < ? AND mode IN ('live', 'replay', 'crawl') AND stats IS NOT NULL "
        "ORDER BY id DESC", [before_run]).fetchall()
    out = []
    for (stats,) in rows:
        s = json.loads(stats).get(source)
        if s:
            out.append(s)
        if len(out) >= limit:
            break
    return out


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
        reasons.append("no discovery page could be read")
    elif pages and links == 0:
        reasons.append("discovery pages gave no article links (did the listing layout change?)")
    to_fetch = links - stats.get("skipped_known", 0) - stats.get("not_modified", 0) - stats.get("replay_missing", 0)
    if to_fetch > 0 and articles == 0:
        before = [p.get("articles", 0) for p in past]
        if not past or any(before):
            reasons.append(f"{to_fetch} article pages gave no article")
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
    if stats.get("store_errors", 0):
        reasons.append(f"{stats['store_errors']} articles could not be stored (see the run log)")
    requests, errors = stats.get("requests", 0), stats.get("errors", 0)
    if requests and errors * 2 > requests:
        reasons.append(f"{errors} of {requests} requests failed")
    return reasons


def is_stale(last_ok: str | None, stale_days: float, at: datetime) -> bool:
    """A source not seen healthy for `stale_days` (or never) is stale."""
    if last_ok is None:
        return True
    return at - datetime.fromisoformat(last_ok) > timedelta(days=stale_days)
