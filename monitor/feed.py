"""The Atom feed of confirmed batches and figure conflicts, built with feedgen: `monitor feed` prints it, and
each run writes it beside its reports. Entry ids are the store's own (a batch keeps its id for good, a
conflict its subject), so a feed reader never shows the same batch twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from monitor import diff
from monitor.runs import plural
from pipelines.store import Store

FEED_ID = "urn:telecom-opening-monitor:feed"
# Characters XML 1.0 does not allow (stored text from before sanitizing, or from elsewhere, may hold them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def atom(store: Store) -> bytes:
    """The feed as Atom XML: one entry per confirmed batch, one per figure conflict, newest first."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title("Foreign-invested firms approved for value-added telecom services in China")
    fg.subtitle("Approval batches confirmed by an official outlet or two independent ones, and figure conflicts")
    fg.link(href="https://github.com/telecom-opening-monitor", rel="alternate")
    fg.language("en")
    updated = datetime(2000, 1, 1, tzinfo=UTC)
    for batch in diff.batches(store):
        view = store.batch_view(batch["id"])
        if view is None:
            continue
        when = _entry_time(view)
        updated = max(updated, when)
        entry = fg.add_entry()
        entry.id(f"urn:telecom-opening-monitor:batch:{view['id']}")
        day = view["approved_on"].isoformat() if view["approved_on"] else "date not stated"
        entry.title(_x(f"{plural(view['count'], 'firm') if view['count'] else 'Firms'} approved ({day})"))
        entry.updated(when)
        entry.published(when)
        entry.content(_x(_batch_text(view)), type="text")
        for ev in view["evidence"]:
            if ev["url"].startswith(("http://", "https://")):
                entry.link(href=_x(ev["url"]), rel="related", title=_x(f"{ev['outlet']}: {ev['title'] or ev['url']}"))
    for event in store.events_of_kind("figure_conflict"):
        when = event["started"] or updated
        updated = max(updated, when)
        entry = fg.add_entry()
        entry.id(f"urn:telecom-opening-monitor:conflict:{event['subject']}")
        details = event["details"]
        entry.title(_x(f"Figure conflict: {details.get('reason', '')} ({details.get('as_of', '')})"))
        entry.updated(when)
        entry.content(_x("\n".join(f"{f['outlet']}: {f['value']:g}, {f['measure']}: {f['evidence']}"
                                   for f in details.get("figures", []))), type="text")
    fg.updated(updated)
    return fg.atom_str(pretty=True)


def _entry_time(view: dict[str, Any]) -> datetime:
    day = view["approved_on"] or view["reported_on"]
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else datetime(2000, 1, 1, tzinfo=UTC)


def _batch_text(view: dict[str, Any]) -> str:
    lines = [f"Areas: {', '.join(view['areas']) or 'not stated'}. Reports: {view['reports']} from "
             f"{', '.join(view['outlets'])}."]
    named = [f"{f} ({view['parents'][f]})" if view["parents"].get(f) else f for f in view["firms"]]
    named += [f"a unit of {owner} (not named)" for owner in view.get("units_of") or []]
    if named:
        lines.append("Firms named: " + "; ".join(named) + ".")
    lines += [f"{ev['outlet']}: {ev['sentence']}" for ev in view["evidence"] if ev.get("sentence")]
    return "\n".join(lines)

