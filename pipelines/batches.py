"""Batch matching over the whole store after a run: link reports to batches, confirm, flag once, find conflicts.

A batch is an event in the world (MIIT approving N foreign-invested firms on a day), not an article. Many
articles report one batch with different dates (approval, announcement, publication) and sometimes only a
regional subset; a recap months later corroborates. Only a report that matches no known batch creates one,
and it is a *candidate* until an official outlet (MIIT, gov.cn, Xinhua: data/outlets.json) reports it or two
independent outlets do. Only then is it flagged (`new_batch`) and notified: a false alert costs more than a
late one. Every read and write goes through the store's named methods.
"""

from __future__ import annotations

import logging
from datetime import date  # noqa: F401 - the doctests build dates
from urllib.parse import urlsplit

from pipelines.kinds import FigureKind
from pipelines.knowledge import load
from pipelines.store import BatchRow, PendingReport, Store

logger = logging.getLogger(__name__)

# Reports of one batch give approval dates this far apart (Shanghai licensed 26 Feb, MIIT announced 28 Feb).
DATE_WINDOW_DAYS = 7
# Without a stated approval date, a report published this long after a batch can still be about it (a recap).
RECAP_WINDOW_DAYS = 400


def is_official(outlet: str | None, url: str | None) -> bool:
    """Whether an outlet's report confirms a batch on its own (MIIT, gov.cn, Xinhua and their republications).

    >>> is_official("Xinhua", None), is_official("Telecom Review Asia", "https://www.telecomreviewasia.com/a")
    (True, False)
    >>> is_official("ingest", "https://www.miit.gov.cn/xxgk/a.html")
    True
    """
    known = load("outlets.json")
    name = (outlet or "").lower()
    if any(n in name for n in known["names"]):
        return True
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return False
    return any(host == d or host.endswith(f".{d}") for d in known["domains"])


# Second-level suffixes under which the registrable name is one label further left ("scmp.com.hk").
_SECOND_LEVEL = {"com", "co", "org", "net", "gov", "edu", "ac", "or", "ne", "go"}


def outlet_key(outlet: str | None, url: str | None) -> str | None:
    """Who published a report, for counting independent outlets: the site's name from its address (the
    registrable label: "www.scmp.com" is "scmp"), else the outlet's name reduced to letters and digits
    ("SCMP" is "scmp"); None when neither is known (such a report never counts as a second outlet).

    >>> outlet_key(None, "https://www.scmp.com/x/1"), outlet_key("SCMP", None), outlet_key("unknown", "urn:x:1")
    ('scmp', 'scmp', None)
    >>> outlet_key("Telecom Review Asia", None), outlet_key(None, "https://news.sina.com.cn/a")
    ('telecomreviewasia', 'sina')
    """
    try:
        parts = urlsplit(url or "")
        host = (parts.hostname or "").lower() if parts.scheme in ("http", "https") else ""
    except ValueError:
        host = ""
    labels = [label for label in host.split(".") if label]
    if len(labels) >= 2:
        labels = labels[:-1]  # the top-level domain
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
        return labels[-1]
    name = "".join(ch for ch in (outlet or "").lower() if ch.isalnum())
    return name if name and name not in ("ingest", "unknown") else None


def confirmed(reports: list[tuple[str, str]]) -> bool:
    """A batch is confirmed by one official report, or by reports from two independent outlets.

    >>> confirmed([("Telecom Review Asia", "u1")]), confirmed([("Telecom Review Asia", "u1"), ("CGTN", "u2")])
    (False, True)
    """
    if any(is_official(outlet, url) for outlet, url in reports):
        return True
    return len({key for key in (outlet_key(outlet, url) for outlet, url in reports) if key}) >= 2


def match(report: PendingReport, batches: list[BatchRow]) -> BatchRow | None:
    """The known batch a report is about, or None when it reports a new one.

    A batch's `approved_on` is only ever a date some report stated; `reported_on` is the first publication
    day of its reports, which is all that is known of a batch first seen in a recap that gave no date.

    >>> b = [BatchRow(1, date(2025, 2, 28), date(2025, 2, 28), 13, 1, [], "confirmed", national=True)]
    >>> match(PendingReport(9, "x", "u", date(2025, 3, 3), 4, None, date(2025, 2, 26), ["Shanghai"], "Shanghai"), b).id
    1
    >>> match(PendingReport(9, "x", "u", date(2025, 9, 1), 20, 2, date(2025, 8, 30), [], "national"), b) is None
    True
    """
    national = report.scope in ("", "national")
    candidates: list[tuple[int, BatchRow]] = []
    for b in batches:
        # A stated ordinal that differs from the batch's is a different batch ("second batch" after a first).
        if report.ordinal and b.ordinal and report.ordinal != b.ordinal:
            continue
        if report.ordinal and b.ordinal == report.ordinal:
            candidates.append((0, b))
            continue
        same_count = report.count is not None and report.count == b.count
        counts_agree = (
            report.count is None or b.count is None or report.count == b.count
            or (not national and report.count < b.count)
            or (national and b.count is not None and report.count > b.count and not b.national)
        )
        if report.approved_on and b.approved_on:
            gap = abs((report.approved_on - b.approved_on).days)
            if gap <= DATE_WINDOW_DAYS and counts_agree:
                candidates.append((gap, b))
            continue
        if report.approved_on and b.reported_on:
            # The batch is known only from an undated recap: a stated approval before that recap, with the
            # same count, is the batch the recap was about.
            lead = (b.reported_on - report.approved_on).days
            if -DATE_WINDOW_DAYS <= lead <= RECAP_WINDOW_DAYS and same_count:
                candidates.append((DATE_WINDOW_DAYS + lead, b))
            continue
        when = report.published
        anchor = b.approved_on or b.reported_on
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
    """Link every pending batch report to its batch, creating candidates, confirming and flagging them;
    returns the ids of the batches flagged (confirmed) in this run.

    Runs inside the caller's transaction. Events: batch_candidate (a batch first seen, not yet confirmed),
    new_batch (once per batch, in the run that confirmed it), batch_corroborated (a later report of a batch
    already flagged). A batch left with no report is withdrawn.
    """
    batches = store.known_batches()
    created: set[int] = set()
    for report in store.pending_reports():
        if report.count is None and report.approved_on is None and report.ordinal is None:
            continue  # nothing to identify a batch by
        batch = match(report, batches)
        if batch is None:
            batch = BatchRow(store.create_batch(report, run_id), report.approved_on, report.published, report.count,
                             report.ordinal, sorted(report.areas), "candidate",
                             national=report.scope in ("", "national"), first_seen_run=run_id)
            batches.append(batch)
            created.add(batch.id)
        else:
            if batch.status == "withdrawn":  # reported again: the same event, never a new alert
                batch.status = "confirmed" if batch.confirmed_run else "candidate"
                store.update_batch(batch.id, {"status": batch.status})
            _merge(store, batch, report)
            if batch.status == "confirmed" and batch.first_seen_run != run_id:
                store.add_event(run_id, "batch_corroborated", f"{batch.id}:{report.article_id}",
                                [report.article_id], {"batch": batch.id, "outlet": report.outlet})
        store.link_report(batch.id, report, run_id)
        batch.reports.append((report.outlet, report.url))
    flagged = []
    for batch in batches:
        if batch.status == "candidate" and confirmed(batch.reports):
            batch.status, batch.confirmed_run = "confirmed", run_id
            store.update_batch(batch.id, {"status": "confirmed", "confirmed_run": run_id})
            store.add_event(run_id, "new_batch", str(batch.id), [], {
                "count": batch.count, "approved_on": batch.approved_on, "ordinal": batch.ordinal,
                "areas": batch.areas, "outlets": sorted({o for o, _ in batch.reports})})
            flagged.append(batch.id)
        elif batch.status == "candidate" and batch.id in created:
            store.add_event(run_id, "batch_candidate", str(batch.id), [], {
                "count": batch.count, "approved_on": batch.approved_on, "ordinal": batch.ordinal,
                "areas": batch.areas, "outlets": sorted({o for o, _ in batch.reports})})
    store.withdraw_unreported_batches()
    return flagged


def _merge(store: Store, batch: BatchRow, report: PendingReport) -> None:
    """Fold a national report's facts into a batch first known from a subset or a vaguer report."""
    update: dict[str, object] = {}
    if report.scope in ("", "national"):
        if report.count and (batch.count is None or (not batch.national and report.count > batch.count)):
            update["count"] = batch.count = report.count
        if report.areas and set(report.areas) - set(batch.areas):
            update["areas"] = batch.areas = sorted(set(batch.areas) | set(report.areas))
        if report.approved_on and not store.national_date_stated(batch.id):
            # The national announcement's stated date is the batch's date: not a regional licence's,
            # nor a publication day standing in for a date no earlier report stated.
            update["approved_on"] = batch.approved_on = report.approved_on
        batch.national = True
    if report.approved_on and batch.approved_on is None:
        update["approved_on"] = batch.approved_on = report.approved_on
    if report.published and (batch.reported_on is None or report.published < batch.reported_on):
        update["reported_on"] = batch.reported_on = report.published
    if report.ordinal and not batch.ordinal:
        update["ordinal"] = batch.ordinal = report.ordinal
    store.update_batch(batch.id, update)


def figure_conflicts(store: Store, run_id: int) -> int:
    """Flag figures of foreign-invested telecom enterprises that outlets give differently; all are kept.

    Two kinds of conflict: one value given as a total by some outlets and as new enterprises by others (a
    total of 2,400 vs "2,400 new"), or different values of the same kind and as-of day. One event per
    conflict, naming every figure in it; a later run adds an event only for a new conflict. Returns the count.
    """
    figures = store.enterprise_figures()
    groups: dict[str, tuple[str, list[dict]]] = {}
    by_month: dict[tuple[str, int, int], list[dict]] = {}
    for f in figures:
        by_month.setdefault((f["unit"], f["as_of"].year, f["as_of"].month), []).append(f)
    for (unit, year, month), group in by_month.items():
        for value in sorted({f["value"] for f in group}):
            same = [f for f in group if f["value"] == value]
            if {f["kind"] for f in same} == {FigureKind.ENTERPRISES_TOTAL, FigureKind.ENTERPRISES_NEW} \
                    and len({f["outlet"] for f in same}) > 1:
                groups[f"{unit}:{year:04d}-{month:02d}:{value:g}:stock-flow"] = (
                    "one outlet reports a total, another the same number as new", same)
        for kind in (FigureKind.ENTERPRISES_TOTAL, FigureKind.ENTERPRISES_NEW):
            for day in sorted({f["as_of"] for f in group}):
                same = [f for f in group if f["kind"] == kind and f["as_of"] == day]
                if len({f["value"] for f in same}) > 1 and len({f["outlet"] for f in same}) > 1:
                    flow = "flow" if kind == FigureKind.ENTERPRISES_NEW else "stock"
                    groups[f"{unit}:{day.isoformat()}:{flow}:values"] = (
                        "different values for the same measure and date", same)
    found = 0
    for subject, (reason, same) in groups.items():
        if store.has_event("figure_conflict", subject):
            continue
        first = same[0]
        store.add_event(run_id, "figure_conflict", subject, [f["article"] for f in same], {
            "reason": reason, "unit": first["unit"], "as_of": f"{first['as_of']:%Y-%m}",
            "figures": [{k: f[k] for k in ("article", "outlet", "value", "measure", "kind", "evidence")} for f in same],
        })
        found += 1
    return found


def implied_approvals(store: Store, run_id: int) -> int:
    """A rise in the official cumulative count of approved firms implies approvals no report has named.

    Each cumulative figure above the highest earlier one (and above what the confirmed batches add up to)
    records an `implied_approvals` event with the difference and its evidence. Returns how many were recorded.
    """
    recorded = 0
    level = store.confirmed_batch_total()
    for f in store.pilot_approval_totals():
        if f["value"] is None or f["value"] <= level:
            continue
        subject = f"approved-total:{int(f['value'])}"
        if not store.has_event("implied_approvals", subject):
            store.add_event(run_id, "implied_approvals", subject, [f["article"]], {
                "total": f["value"], "previous": level, "implied_new": f["value"] - level, "as_of": f["as_of"],
                "outlet": f["outlet"], "evidence": f["evidence"],
            })
            recorded += 1
        level = f["value"]
    return recorded


def match_batches(store: Store, run_id: int) -> dict[str, int]:
    """Everything judged over the whole store after a run's articles are in. Inside the caller's transaction."""
    flagged = flag_batches(store, run_id)
    return {"new_batches": len(flagged), "figure_conflicts": figure_conflicts(store, run_id),
            "implied_approvals": implied_approvals(store, run_id)}

