"""Charts: the official figures over time and the batches on a timeline, one PNG beside each run report, drawn
again only when what it shows changed; the same specs and rows as the dashboard of `monitor serve`."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from monitor import afterrun, charts, serve
from monitor.runs import RunResult, SourceResult
from pipelines.store import Store

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _figure(kind: str, value: float, as_of: str | None, qualifier: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": "enterprises" if kind.startswith("enterprises") else "firms",
            "measure": kind.replace("_", " "), "kind": kind, "qualifier": qualifier, "as_of": as_of,
            "evidence": f"{qualifier or ''} {value:g} ({kind}, {as_of})"}


def _batch(count: int, approved_on: str, ordinal: int | None = None) -> dict[str, Any]:
    return {"count": count, "ordinal": ordinal, "approved_on": approved_on, "areas": ["Beijing", "Shanghai"],
            "scope": "national"}


# The demo story's official figures, as its outlets told them (Telecom Review Asia gave the total as new ones),
# and one constructed disagreement.
STORY: list[tuple[str, str, str, list[dict[str, Any]], dict[str, Any] | None]] = [
    # (outlet, published, url slug, figures, batch)
    ("Xinhua", "2024-10-21T10:00:00+08:00", "q3", [_figure("enterprises_total", 2220, "2024-09-30")], None),
    ("Xinhua", "2025-01-20T10:00:00+08:00", "y24", [_figure("enterprises_total", 2343, "2024-12-31")], None),
    ("China Daily", "2025-01-21T10:00:00+08:00", "y24cd", [_figure("enterprises_total", 2343, "2024-12-31")], None),
    # An outlet that disagrees on the same day (constructed): two points that day, neither dropped.
    ("Global Times", "2025-01-22T10:00:00+08:00", "y24gt", [_figure("enterprises_total", 2300, "2024-12-31", "about")],
     None),
    ("Xinhua", "2025-02-28T20:00:00+08:00", "b1", [_figure("enterprises_total", 2400, "2025-02-28", "over"),
                                                  _figure("batch_count", 13, None),
                                                  _figure("pilot_approvals_total", 13, "2025-02-28")],
     _batch(13, "2025-02-28", 1)),
    ("Telecom Review Asia", "2025-03-03T09:00:00+04:00", "b1tra",
     [_figure("enterprises_new", 2400, "2025-02-28"), _figure("enterprises_total", 2400, None, "over")],
     _batch(13, "2025-02-28")),
    ("Telecom Review Asia", "2025-06-20T09:00:00+04:00", "b2tra", [_figure("batch_count", 21, None)],
     _batch(21, "2025-06-18")),
]


def _write_story(store: Store, story=STORY) -> RunResult:
    """The story's articles as one ingest run, with the after-run's batch matching (one transaction)."""
    run = store.start_run("ingest")
    with store.transaction():
        for outlet, published, slug, figures, batch in story:
            item = {"canonical_url": f"https://example.org/{slug}", "url": f"https://example.org/{slug}",
                    "source": "ingest", "outlet": outlet, "title": slug, "published": published,
                    "text": f"Figures on foreign-invested telecom enterprises ({slug})."}
            facts = {"relevant": True, "event": "batch_report" if batch else "cumulative_status", "areas": [],
                     "firms": [], "figures": figures, "batch": batch}
            store.write_article(item, facts, run)
        result = RunResult(run, "ingest", {"ingest": SourceResult("ingest", {"articles": len(story)})}, "ok")
        afterrun.close_run(store, result)
    return result


@pytest.fixture
def story_store(store: Store) -> Store:
    _write_story(store)
    return store


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_one_point_per_figure_day_and_value_with_disagreement_kept(story_store: Store) -> None:
    rows, undated = charts.figure_rows(story_store, "enterprises")
    assert [(r["as_of"], r["kind"], r["value"], r["qualifier"], r["reports"]) for r in rows] == [
        ("2024-09-30", "enterprises_total", 2220, None, 1),
        ("2024-12-31", "enterprises_total", 2300, "about", 1),  # outlets that disagree: a point each
        ("2024-12-31", "enterprises_total", 2343, None, 2),  # two outlets, one point
        ("2025-02-28", "enterprises_new", 2400, None, 1),  # the same number given as new ones: its own point
        ("2025-02-28", "enterprises_total", 2400, "over", 1),
    ]
    assert rows[2]["outlets"] == "China Daily, Xinhua"
    assert undated == 1  # a figure without an as-of day is never placed on a day of our choosing


def test_pilot_approvals_and_the_batch_timeline(story_store: Store) -> None:
    assert [(r["as_of"], r["value"]) for r in charts.figure_rows(story_store, "pilot_approvals")[0]] == [
        ("2025-02-28", 13)]
    batches, undated = charts.batch_rows(story_store)
    assert [(r["day"], r["count"], r["status"], r["dated"]) for r in batches] == [
        ("2025-02-28", 13, "confirmed", "approved"), ("2025-06-18", 21, "candidate", "approved")]
    assert undated == 0


def test_the_png_is_a_readable_image_of_the_story(story_store: Store, tmp_path: Path) -> None:
    drawn = charts.write_for_run(story_store, tmp_path, "monitor", 1)
    assert drawn.rendered and drawn.path == tmp_path / "monitor-run-00001-figures.png"
    data = drawn.path.read_bytes()
    width, height = _png_size(data)
    assert 1000 <= width <= 2400 and 800 <= height <= 3000, (width, height)
    assert 20_000 < len(data) < 2_000_000
    spec = charts.spec(charts.chart_rows(story_store))
    assert [p["title"]["text"] for p in spec["vconcat"]] == [c["title"] for c in charts.charts().values()]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_store_with_no_figures_says_so_and_draws_nothing_in_a_run(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    drawn = charts.write_for_run(store, folder, "monitor", 1)
    assert drawn.path is None and "nothing to chart" in drawn.note
    assert not list(folder.iterdir())
    spec = charts.spec(charts.chart_rows(store))  # drawn on purpose, each chart says it is empty
    texts = [p["data"]["values"][0]["text"] for p in spec["vconcat"]]
    assert texts == [c["empty"] for c in charts.charts().values()]
    assert _png_size(charts.render(spec))[0] > 0


def test_an_unchanged_chart_is_not_drawn_again_but_every_run_has_it(story_store: Store, tmp_path: Path) -> None:
    first = charts.write_for_run(story_store, tmp_path, "monitor", 1)
    second = charts.write_for_run(story_store, tmp_path, "monitor", 2)
    assert first.rendered and not second.rendered
    assert second.path.read_bytes() == first.path.read_bytes()
    _write_story(story_store, [("Xinhua", "2025-07-01T10:00:00+08:00", "h1",
                                [_figure("enterprises_total", 2500, "2025-06-30", "over")], None)])
    third = charts.write_for_run(story_store, tmp_path, "monitor", 3)
    assert third.rendered and third.path.read_bytes() != first.path.read_bytes()
    state = json.loads(charts.state_path(tmp_path, "monitor").read_text(encoding="utf-8"))
    assert state["png"] == "monitor-run-00003-figures.png"


def test_every_field_a_chart_draws_is_a_column_of_its_sql(story_store: Store) -> None:
    """The PNG and the dashboard draw each spec of data/charts.json from its SQL's rows (pipelines/store.py): a
    field the spec names and the rows lack would draw nothing, in both."""
    def fields(node: Any) -> set[str]:
        if isinstance(node, dict):
            return ({node["field"]} if isinstance(node.get("field"), str) else set()) | {
                f for value in node.values() for f in fields(value)}
        return {f for value in node for f in fields(value)} if isinstance(node, list) else set()

    def made(node: Any) -> set[str]:  # what the spec's transforms compute ("as")
        if isinstance(node, dict):
            named = node.get("as")
            own = {named} if isinstance(named, str) else set(named) if isinstance(named, list) else set()
            return own | {f for value in node.values() for f in made(value)}
        return {f for value in node for f in made(value)} if isinstance(node, list) else set()

    for name, chart in charts.charts().items():
        columns, rows = story_store.query(serve.chart_sql(name))
        assert rows, name
        assert fields(chart["spec"]) - made(chart["spec"]) <= set(columns), name


def test_the_dashboard_uses_the_specs_of_data() -> None:
    meta = serve.metadata("monitor")
    board = meta["plugins"]["datasette-dashboards"]["figures"]
    for name, chart in charts.charts().items():
        assert board["charts"][name]["display"] == chart["spec"]
        assert board["charts"][name]["db"] == "monitor" and board["charts"][name]["library"] == "vega-lite"
    placed = {c for row in board["layout"] for c in row}
    assert placed == set(board["charts"])


def test_a_spec_vega_lite_cannot_draw_is_one_line_from_the_renderer() -> None:
    with pytest.raises(charts.ChartError) as caught:
        charts.render({"mark": "line", "encoding": {"x": {"field": "a", "type": "no-such-type"}}})
    assert "\n" not in str(caught.value) and str(caught.value)

