"""What runs found, gathered from the store for people to read: events with their articles, batches, firms,
each article with its two pieces of evidence: its address and its stored copy as `monitor serve` shows it."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from monitor import settings
from pipelines.store import Store

# The order a person reads a diff in: what matters most first.
EVENT_ORDER = ["new_batch", "implied_approvals", "new_firm", "figure_conflict", "batch_candidate",
               "batch_corroborated", "new_article", "changed_article", "source_degraded", "source_recovered"]


def runs(store: Store, run: int | None = None, since: datetime | None = None,
         also: list[int] | None = None) -> list[int]:
    """The runs a diff covers: one run (default: the last), or every run started at or after `since`; `also`
    adds the runs a killed process left (their findings are reported by the run after them).
    Raises ValueError for a run the store does not have."""
    if since is not None:
        return store.runs_started_since(since)
    if run is None:
        run = store.last_run_id()
    elif not store.has_run(run):
        raise ValueError(f"no run {run} in the store")
    return [*(also or []), run] if run is not None else []


def events(store: Store, run: int | None = None, since: datetime | None = None,
           also: list[int] | None = None, serve_url: str | None = None, off_topic: bool = True) -> list[dict[str, Any]]:
    """The events of the runs `runs` picks; `off_topic=False` leaves out new and changed articles that are not
    about the policy (a backfill stores thousands; reports count them: off_topic_counts).

    Every article an event names (its `articles`, a batch's `evidence`, a conflict's `figures`) carries its
    `url` and `stored`, the address of its row under `monitor serve` at `serve_url` (default MONITOR_SERVE_URL).
    Raises ValueError for a run the store does not have.
    """
    stored = stored_link(serve_url or settings.MONITOR_SERVE_URL, store.path)
    out = []
    for e in store.events(runs(store, run, since, also), off_topic=off_topic):
        refs = [{**ref, "stored": stored(ref["id"])} for ref in store.article_refs(e["article_ids"])]
        event = {"kind": e["kind"], "run": e["run"], "subject": e["subject"], "articles": refs, **e["details"],
                 "id": e["id"]}
        if e["kind"] in ("new_batch", "batch_candidate"):
            event["batch"] = store.batch_view(int(e["subject"]))
            for ev in (event["batch"] or {}).get("evidence", []):
                ev["stored"] = stored(ev["article"])
        if e["kind"] == "figure_conflict":
            urls = {ref["id"]: ref["url"] for ref in refs}
            event["figures"] = [{**f, "url": urls.get(f.get("article")),
                                 "stored": stored(f["article"]) if f.get("article") is not None else None}
                                for f in event.get("figures", [])]
        if e["kind"] == "changed_article" and event["articles"]:
            event["diff"] = text_diff(store.article_versions(event["articles"][0]["id"]), e["run"])
        out.append(event)
    out.sort(key=lambda e: (EVENT_ORDER.index(e["kind"]) if e["kind"] in EVENT_ORDER else 99, e["id"]))
    return out


def off_topic_counts(store: Store, run: int | None = None, since: datetime | None = None,
                     also: list[int] | None = None) -> dict[str, int]:
    """How many new and changed articles not about the policy the same runs stored, by event kind."""
    return store.off_topic_counts(runs(store, run, since, also))


def stored_link(serve_url: str, db_path: str | Path) -> Callable[[int], str]:
    """The address of an article's row in Datasette (`monitor serve`), whose database is named by the store
    file's stem and written in Datasette's tilde encoding.

    >>> stored_link("http://127.0.0.1:8001", "data/demo.db")(5)
    'http://127.0.0.1:8001/demo/articles/5'
    >>> stored_link("https://example.org/monitor/", "/srv/my store.v2.db")(7)
    'https://example.org/monitor/my+store~2Ev2/articles/7'
    """
    base = f"{serve_url.rstrip('/')}/{_tilde(Path(db_path).stem)}/articles/"
    return lambda article_id: f"{base}{int(article_id)}"


def _tilde(name: str) -> str:
    """Datasette's tilde encoding of a name in a path: letters, digits, _ and - as they are, a space as +,
    any other byte as ~XX."""
    return "".join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_-") else
                   "+" if b == 0x20 else f"~{b:02X}" for b in name.encode("utf-8"))


def worth_reading(event: dict[str, Any]) -> bool:
    """Everything but new or changed articles that are not about the policy (they are stored, not shown), and
    a source still degraded that was announced less than a day ago."""
    if event["kind"] == "source_degraded":
        return event.get("announced", True)
    return not (event["kind"] in ("new_article", "changed_article") and not event.get("relevant"))


def text_diff(versions: list[tuple[int, str]], run_id: int) -> str:
    """The change run `run_id` made to an article's text: its version then against the one before it.

    >>> print(text_diff([(1, "a\\nb"), (2, "a\\nc")], 2))
    --- before
    +++ after
    @@ -1,2 +1,2 @@
     a
    -b
    +c
    """
    at = [i for i, (run, _) in enumerate(versions) if run == run_id]
    if not at or at[-1] == 0:
        return ""
    before, after = versions[at[-1] - 1][1], versions[at[-1]][1]
    return "\n".join(difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=1))


def batches(store: Store, include_candidates: bool = False) -> list[dict[str, Any]]:
    """The batches as `monitor batches --json` gives them: confirmed ones, and candidates when asked."""
    out = []
    for batch_id in store.batch_ids(include_candidates):
        b = store.batch_view(batch_id)
        if b is None:
            continue
        out.append({k: b[k] for k in ("id", "approved_on", "count", "ordinal", "areas", "firms", "reports",
                                      "outlets", "first_seen_run", "status")})
    return out
