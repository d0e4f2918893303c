"""Batch flagging over the whole store: match batch reports to known batches, flag new ones once, find conflicts.

A batch is an event in the world (MIIT approving N foreign-invested firms on a day), not an article. Many
articles report one batch with different dates (approval, announcement, publication) and sometimes only a
regional subset; a recap months later corroborates. Only a report that matches no known batch creates one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from pipelines.store import Store

logger = logging.getLogger(__name__)

# Reports of one batch give approval dates this far apart (Shanghai licensed 26 Feb, MIIT announced 28 Feb).
DATE_WINDOW_DAYS = 7
# Without a stated approval date, a report published this long after a batch can still be about it (a recap).
RECAP_WINDOW_DAYS = 400


@dataclass
class Report:
    article_id: int
    source: str
    published: date | None
    count: int | None
    ordinal: int | None
    approved_on: date | None
    areas: list[str]
    scope: str

    @property
    def national(self) -> bool:
        return self.scope in ("", "national")


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _pending_reports(store: Store) -> list[Report]:
    """Batch-report articles not yet linked to a batch, in publication order (undated last)."""
    rows = store.db.execute(
        """SELECT a.id, coalesce(a.outlet, a.source), a.published, a.batch_json FROM articles a
           WHERE a.relevant = 1 AND a.event = 'batch_report' AND a.batch_json IS NOT NULL
             AND a.id NOT IN (SELECT article_id FROM batch_reports)
           ORDER BY a.published IS NULL, a.published, a.id"""
    ).fetchall()
    reports = []
    for article_id, source, published, batch_json in rows:
        b = json.loads(batch_json)
        reports.append(Report(
            article_id, source, _day(published), b.get("count"), b.get("ordinal"), _day(b.get("approved_on")),
            list(b.get("areas") or []), b.get("scope") or "national",
        ))
    return reports


def _batches(store: Store) -> list[dict[str, Any]]:
    """The batches still reported by some article (a batch whose every report was withdrawn is not matched)."""
    rows = store.db.execute(
        "SELECT id, approved_on, reported_on, count, ordinal, areas FROM batches WHERE status != 'withdrawn' "
        "ORDER BY id").fetchall()
    out = []
    for r in rows:
        national = store.db.execute(
            "SELECT 1 FROM batch_reports WHERE batch_id = ? AND (scope IS NULL OR scope = 'national')", [r[0]]
        ).fetchone()
        out.append({"id": r[0], "approved_on": _day(r[1]), "reported_on": _day(r[2]), "count": r[3],
                    "ordinal": r[4], "areas": json.loads(r[5] or "[]"), "national": bool(national)})
    return out


def match(report: Report, batches: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The known batch a report is about, or None when it reports a new one.

    A batch's `approved_on` is only ever a date some report stated; `reported_on` is the first publication
    day of its reports, which is all that is known of a batch first seen in a recap that gave no date.

    >>> b = [{"id": 1, "approved_on": date(2025, 2, 28), "reported_on": date(2025, 2, 28), "count": 13,
    ...       "ordinal": 1, "areas": [], "national": True}]
    >>> match(Report(9, "x", date(2025, 3, 3), 4, None, date(2025, 2, 26), ["Shanghai"], "Shanghai"), b)["id"]
    1
    >>> match(Report(9, "x", date(2025, 9, 1), 20, 2, date(2025, 8, 30), [], "national"), b) is None
    True
    """
    candidates = []
    for b in batches:
        # A stated ordinal that differs from the batch's is a different batch ("second batch" after a first).
        if report.ordinal and b["ordinal"] and report.ordinal != b["ordinal"]:
            continue
        if report.ordinal and b["ordinal"] == report.ordinal:
            candidates.append((0, b))
            continue
        same_count = report.count is not None and report.count == b["count"]
        counts_agree = (
            report.count is None or b["count"] is None or report.count == b["count"]
            or (not report.national and report.count < b["count"])
            or (report.national and b["count"] is not None and report.count > b["count"] and not b.get("national"))
        )
        if report.approved_on and b["approved_on"]:
            gap = abs((report.approved_on - b["approved_on"]).days)
            if gap <= DATE_WINDOW_DAYS and counts_agree:
                candidates.append((gap, b))
            continue
        if report.approved_on and b["reported_on"]:
            # The batch is known only from an undated recap: a stated approval before that recap, with the
            # same count, is the batch the recap was about.
            lead = (b["reported_on"] - report.approved_on).days
            if -DATE_WINDOW_DAYS <= lead <= RECAP_WINDOW_DAYS and same_count:
                candidates.append((DATE_WINDOW_DAYS + lead, b))
            continue
        when = report.published
        anchor = b["approved_on"] or b["reported_on"]
        if when is None or anchor is None:
            # Undated, or a batch known only from undated pages: the same count is that batch.
            if same_count:
                candidates.append((DATE_WINDOW_DAYS + RECAP_WINDOW_DAYS, b))
            continue
        # No approval date: a report published after the batch (or near its first report) is a recap.
        lead = (when - anchor).days
        if -DATE_WINDOW_DAYS <= lead <= RECAP_WINDOW_DAYS and report.count is not None and counts_agree:
            candidates.append((DATE_WINDOW_DAYS + abs(lead), b))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def flag_batches(store: Store, run_id: int) -> list[int]:
    """Link every pending batch report to its batch, creating and flagging new ones; returns new batch ids.

    Runs inside the caller's transaction. Events: new_batch (once per batch, in the run that first saw a
    report of it), batch_corroborated (a report of a known batch in a later run). A batch left with no
    report (its articles changed or were re-extracted into something else) is withdrawn.
    """
    batches = _batches(store)
    created: list[int] = []
    for report in _pending_reports(store):
        if report.count is None and report.approved_on is None and report.ordinal is None:
            continue  # nothing to identify a batch by
        batch = match(report, batches)
        if batch is None:
            batch_id = store.insert("batches", {
                "approved_on": report.approved_on.isoformat() if report.approved_on else None,
                "reported_on": report.published.isoformat() if report.published else None,
                "count": report.count, "ordinal": report.ordinal,
                "areas": json.dumps(sorted(report.areas), ensure_ascii=False),
                "first_seen_run": run_id, "status": "reported",
            })
            batch = {"id": batch_id, "approved_on": report.approved_on, "reported_on": report.published,
                     "count": report.count, "ordinal": report.ordinal, "areas": sorted(report.areas),
                     "national": report.national}
            batches.append(batch)
            created.append(batch["id"])
            store.add_event(run_id, "new_batch", str(batch["id"]), [report.article_id], {"first_report": {
                "count": report.count, "approved_on": report.approved_on and report.approved_on.isoformat(),
                "ordinal": report.ordinal, "areas": sorted(report.areas), "scope": report.scope}})
        else:
            _merge(store, batch, report)
            if batch["id"] not in created:
                first_run = store.db.execute("SELECT first_seen_run FROM batches WHERE id = ?", [batch["id"]]).fetchone()[0]
                if first_run != run_id:
                    store.add_event(run_id, "batch_corroborated", f"{batch['id']}:{report.article_id}",
                                    [report.article_id], {"batch": batch["id"], "outlet": report.source})
        store.db["batch_reports"].insert({
            "batch_id": batch["id"], "article_id": report.article_id, "count": report.count,
            "approved_on": report.approved_on.isoformat() if report.approved_on else None,
            "scope": report.scope, "run_id": run_id,
        }, ignore=True)
    store.db.execute("UPDATE batches SET status = 'withdrawn' WHERE status != 'withdrawn' "
                     "AND id NOT IN (SELECT batch_id FROM batch_reports)")
    return created


def _merge(store: Store, batch: dict[str, Any], report: Report) -> None:
    """Fold a national report's facts into a batch first known from a subset or a vaguer report."""
    update: dict[str, Any] = {}
    if report.national:
        if report.count and (batch["count"] is None or (not batch.get("national") and report.count > batch["count"])):
            update["count"] = batch["count"] = report.count
        if report.areas and set(report.areas) - set(batch["areas"]):
            batch["areas"] = sorted(set(batch["areas"]) | set(report.areas))
            update["areas"] = json.dumps(batch["areas"], ensure_ascii=False)
        stated = store.db.execute(
            "SELECT 1 FROM batch_reports WHERE batch_id = ? AND approved_on IS NOT NULL AND scope = 'national'",
            [batch["id"]]).fetchone()
        if report.approved_on and not stated:
            # The national announcement's stated date is the batch's date: not a regional licence's,
            # nor a publication day standing in for a date no earlier report stated.
            update["approved_on"] = report.approved_on.isoformat()
            batch["approved_on"] = report.approved_on
        batch["national"] = True
    if report.approved_on and batch["approved_on"] is None:
        update["approved_on"] = report.approved_on.isoformat()
        batch["approved_on"] = report.approved_on
    if report.published and (batch["reported_on"] is None or report.published < batch["reported_on"]):
        update["reported_on"] = report.published.isoformat()
        batch["reported_on"] = report.published
    if report.ordinal and not batch["ordinal"]:
        update["ordinal"] = batch["ordinal"] = report.ordinal
    if update:
        store.db["batches"].update(batch["id"], update)


def _is_flow(measure: str | None) -> bool:
    """A figure that counts additions ("2,400 new enterprises"), as opposed to a stock (a total)."""
    m = (measure or "").lower()
    return any(w in m for w in ("new ", "newly", "added", "established", "新增", "新设"))


def figure_conflicts(store: Store, run_id: int) -> int:
    """Flag figures of one quantity and month that outlets give differently; all are kept. Returns the count.

    The quantity is the number of foreign-invested telecom enterprises (unit `enterprises`), read either as
    a stock (a total) or a flow (new ones). Two kinds of conflict: one value read as a stock by some outlets
    and as a flow by others (a total of 2,400 vs "2,400 new"), or different values of the same reading and
    as-of day.
    One event per conflict, naming every figure in it; a later run adds an event only for a new conflict.
    """
    rows = store.db.execute(
        """SELECT f.article_id, coalesce(a.outlet, a.source), f.value, f.unit, f.measure, f.as_of, f.evidence
           FROM figures f JOIN articles a ON a.id = f.article_id
           WHERE a.relevant = 1 AND f.as_of IS NOT NULL AND f.unit = 'enterprises'
           ORDER BY f.article_id, f.seq"""
    ).fetchall()
    groups: dict[str, tuple[str, list[tuple[Any, ...]]]] = {}
    by_month: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in rows:
        by_month.setdefault((row[3], row[5][:7]), []).append(row)
    for (unit, month), group in by_month.items():
        for value in sorted({r[2] for r in group}):
            same = [r for r in group if r[2] == value]
            if {_is_flow(r[4]) for r in same} == {True, False} and len({r[1] for r in same}) > 1:
                groups[f"{unit}:{month}:{value:g}:stock-flow"] = (
                    "one outlet reports a total, another the same number as new", same)
        for flow in (False, True):
            for day in sorted({r[5] for r in group}):
                same = [r for r in group if _is_flow(r[4]) == flow and r[5] == day]
                if len({r[2] for r in same}) > 1 and len({r[1] for r in same}) > 1:
                    groups[f"{unit}:{day}:{'flow' if flow else 'stock'}:values"] = (
                        "different values for the same measure and date", same)
    found = 0
    for subject, (reason, figures) in groups.items():
        if store.db.execute("SELECT 1 FROM events WHERE kind = 'figure_conflict' AND subject = ?", [subject]).fetchone():
            continue
        unit, month = subject.split(":")[:2]
        store.add_event(run_id, "figure_conflict", subject, [r[0] for r in figures], {
            "reason": reason, "unit": unit, "as_of": month,
            "figures": [{"article": r[0], "outlet": r[1], "value": r[2], "measure": r[4], "evidence": r[6]}
                        for r in figures],
        })
        found += 1
    return found


def implied_approvals(store: Store, run_id: int) -> int:
    """A rise in the official cumulative count of approved firms implies approvals no report has named.

    Each cumulative figure (unit firms, a running total) above the highest earlier one records an
    `implied_approvals` event with the difference and its evidence. Returns how many were recorded.
    """
    rows = store.db.execute(
        """SELECT f.article_id, coalesce(a.outlet, a.source), f.value, f.measure,
                  coalesce(f.as_of, substr(a.published, 1, 10)), f.evidence
           FROM figures f JOIN articles a ON a.id = f.article_id
           WHERE a.relevant = 1 AND f.unit = 'firms'
             AND (lower(f.measure) LIKE '%cumulative%' OR lower(f.measure) LIKE '%total%' OR f.measure LIKE '%累计%')
           ORDER BY 5, f.value"""
    ).fetchall()
    known = store.db.execute(
        "SELECT coalesce(sum(count), 0) FROM batches WHERE count IS NOT NULL AND status != 'withdrawn'").fetchone()[0]
    recorded = 0
    level = known
    for article_id, source, value, _measure, as_of, evidence in rows:
        if value is None or value <= level:
            continue
        subject = f"approved-total:{int(value)}"
        if not store.db.execute("SELECT 1 FROM events WHERE kind = 'implied_approvals' AND subject = ?",
                                [subject]).fetchone():
            store.add_event(run_id, "implied_approvals", subject, [article_id], {
                "total": value, "previous": level, "implied_new": value - level, "as_of": as_of,
                "outlet": source, "evidence": evidence,
            })
            recorded += 1
        level = value
    return recorded


def after_run(store: Store, run_id: int) -> dict[str, int]:
    """Everything judged over the whole store after a run's articles are in. Inside the caller's transaction."""
    created = flag_batches(store, run_id)
    return {"new_batches": len(created), "figure_conflicts": figure_conflicts(store, run_id),
            "implied_approvals": implied_approvals(store, run_id)}
