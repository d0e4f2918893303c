"""Charts of the official figures over time and of the approval batches on a timeline, as one PNG beside each
run report: the Vega-Lite specs of data/charts.json filled with rows read through the store, stacked, and
rendered offline in-process by vl-convert. `monitor serve` hands the same specs to its dashboard
(monitor/serve.py), whose SQL gives rows of the same shape.

Rendering costs about a second (0.5 s of it starting the JavaScript engine) and about 100 MiB, so a run draws
only when what the chart shows has changed: a hash of the filled spec is kept beside the reports (`<store>-charts.json`),
and a run with the same hash gets the last drawing under its own name (a hard link, else a copy).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from monitor.afterrun import write_atomic
from monitor.runs import plural
from pipelines.kinds import FigureKind
from pipelines.knowledge import load
from pipelines.store import Store, batch_chart_sql, figure_chart_sql

logger = logging.getLogger(__name__)

WIDTH = 720  # each chart of the PNG, in CSS pixels (scaled up by SCALE)
SCALE = 1.5
PAD_DAYS = 20  # the time axis reaches this far beyond the first and the last day plotted


class ChartError(Exception):
    """The chart could not be drawn or written (one line says why); a run goes on without it."""


@dataclass
class Drawn:
    """The chart of a run: its PNG (None when there is nothing to chart yet) and whether it was drawn anew."""

    path: Path | None
    rendered: bool
    note: str = ""


def charts() -> dict[str, dict[str, Any]]:
    """The charts of data/charts.json, by name, in the order they are stacked."""
    return load("charts.json")["charts"]


def figure_kinds(name: str) -> list[str]:
    """The figure kinds a chart plots, checked against the fixed set (a typo in data/ fails loudly)."""
    return [FigureKind(k).value for k in charts()[name].get("kinds", [])]


def figure_rows(store: Store, name: str) -> tuple[list[dict[str, Any]], int]:
    """One row per kind, as-of day, value and qualifier of the chart's figures (several rows on one day when
    outlets disagree; never a day that no article states), and how many figures had no as-of day.

    Each row: kind, as_of (YYYY-MM-DD), value, qualifier, outlets (the names of the outlets giving it), reports
    (how many articles). The dashboard of `monitor serve` runs the same SQL (pipelines/store.py).
    """
    kinds = figure_kinds(name)
    return store.chart_rows(figure_chart_sql(kinds)), store.undated_chart_figures(kinds)


def batch_rows(store: Store) -> tuple[list[dict[str, Any]], int]:
    """One row per confirmed or candidate batch at its approval day (else its first report's day), and how
    many such batches have neither day.

    Each row: id, ordinal, count, status, day (YYYY-MM-DD), dated (approved or reported), areas.
    """
    return store.chart_rows(batch_chart_sql()), store.undated_chart_batches()


def chart_rows(store: Store) -> dict[str, tuple[list[dict[str, Any]], int]]:
    """Every chart's rows (and its count of what has no day), by chart name."""
    return {name: batch_rows(store) if name == "batches" else figure_rows(store, name) for name in charts()}


def spec(data: dict[str, tuple[list[dict[str, Any]], int]]) -> dict[str, Any]:
    """The PNG's spec: each chart of data/charts.json with its rows, stacked on one time axis; a chart
    without rows says so in words instead."""
    panels = []
    span = _time_span(data)
    for name, chart in charts().items():
        rows, undated = data.get(name, ([], 0))
        notes = [chart["description"]]
        if undated:
            what = plural(undated, "batch", "batches") if name == "batches" else plural(undated, "figure")
            notes.append(f"{what} without a day {'is' if undated == 1 else 'are'} not plotted.")
        title = {"text": chart["title"], "subtitle": notes, "anchor": "start", "subtitleColor": "#495057"}
        if rows:
            panel = {**copy.deepcopy(chart["spec"]), "title": title, "data": {"values": rows}, "width": WIDTH}
            if span and "x" in panel.get("encoding", {}):  # one time range for every chart, never ending on a point
                panel["encoding"]["x"].setdefault("scale", {})["domain"] = span
            panels.append(panel)
        else:
            panels.append({"title": title, "data": {"values": [{"text": chart["empty"]}]},
                           "mark": {"type": "text", "fontSize": 14, "color": "#868e96"},
                           "encoding": {"text": {"field": "text"}}, "width": WIDTH, "height": 50,
                           "view": {"stroke": "#dee2e6"}})
    return {
        "title": {"text": load("charts.json")["dashboard"]["title"], "fontSize": 16, "anchor": "start"},
        "background": "white",
        "padding": 16,
        "spacing": 36,
        "vconcat": panels,
        "resolve": {"scale": {"x": "shared", "color": "independent", "shape": "independent"}},
        "config": {"font": "Liberation Sans, DejaVu Sans, sans-serif", "title": {"subtitleFontSize": 11},
                   "axis": {"labelFontSize": 11, "titleFontSize": 11}, "legend": {"labelFontSize": 11}},
    }


def _time_span(data: dict[str, tuple[list[dict[str, Any]], int]]) -> list[dict[str, Any]] | None:
    """The days of every chart, widened by PAD_DAYS each side, as Vega-Lite UTC dates (the scale rounds it out
    to whole months)."""
    days = [date.fromisoformat(r.get("as_of") or r["day"]) for rows, _ in data.values() for r in rows]
    if not days:
        return None
    lo, hi = min(days) - timedelta(days=PAD_DAYS), max(days) + timedelta(days=PAD_DAYS)
    return [{"year": d.year, "month": d.month, "date": d.day, "utc": True} for d in (lo, hi)]


def has_rows(data: dict[str, tuple[list[dict[str, Any]], int]]) -> bool:
    return any(rows for rows, _ in data.values())


def _vl_convert() -> Any:
    try:
        import vl_convert
    except ImportError as exc:  # a core dependency: only a broken install lacks it
        raise ChartError("vl-convert-python is not installed (pip install vl-convert-python)") from exc
    return vl_convert


def _renderer_version() -> str:
    """vl-convert's version, without loading it: a run whose chart has not changed never starts its engine."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - only a run that charts

    try:
        return version("vl-convert-python")
    except PackageNotFoundError as exc:
        raise ChartError("vl-convert-python is not installed (pip install vl-convert-python)") from exc


def render(chart_spec: dict[str, Any]) -> bytes:
    """The spec as PNG bytes, offline (vl-convert runs Vega-Lite in its own JavaScript engine, in this process:
    about 100 MiB while a run draws; in a child process the run would hold its own memory beside it)."""
    try:
        return _vl_convert().vegalite_to_png(chart_spec, scale=SCALE)
    except ValueError as exc:  # what vl-convert raises for a spec Vega-Lite cannot draw
        said = [line.strip() for line in str(exc).splitlines() if line.strip() and not line.strip().startswith("at ")]
        raise ChartError(" ".join(said[:2])[:300] or "Vega-Lite could not draw it") from exc  # no JS stack


def digest(chart_spec: dict[str, Any]) -> str:
    """What the drawing depends on: the filled spec, the scale and the renderer's version."""
    text = json.dumps(chart_spec, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{_renderer_version()}\n{SCALE}\n{text}".encode()).hexdigest()


def png_path(folder: Path, stem: str, run_id: int) -> Path:
    """`<store>-run-NNNNN-figures.png`, beside the run's report.

    >>> png_path(Path("/srv/reports"), "monitor", 7).name
    'monitor-run-00007-figures.png'
    """
    return folder / f"{stem}-run-{run_id:05d}-figures.png"


def state_path(folder: Path, stem: str) -> Path:
    return folder / f"{stem}-charts.json"


def write_for_run(store: Store, folder: Path, stem: str, run_id: int) -> Drawn:
    """The run's PNG beside its report, drawn only when what it shows changed since the last drawing.

    Nothing at all to chart (no dated figure, no batch): no file, and `note` says so. Raises ChartError
    when it cannot be drawn or written; nothing is ever left half-written.
    """
    data = chart_rows(store)
    if not has_rows(data):
        return Drawn(None, False, "nothing to chart yet (no dated figure, no batch)")
    filled = spec(data)
    key = digest(filled)
    target = png_path(folder, stem, run_id)
    state = _read_state(state_path(folder, stem))
    last = folder / Path(str(state["png"])).name if state.get("hash") == key and state.get("png") else None
    try:
        if last is not None and last.is_file():
            if last != target:
                _link_atomic(last, target)
            return Drawn(target, False)
        write_atomic(target, render(filled))
        write_atomic(state_path(folder, stem), json.dumps({"hash": key, "png": target.name}).encode())
    except OSError as exc:
        raise ChartError(f"{target.name} could not be written: {exc.strerror or exc}") from exc
    return Drawn(target, True)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or damaged: draw again
        return {}
    return state if isinstance(state, dict) else {}


def _link_atomic(source: Path, path: Path) -> None:
    """The same drawing under a run's name: a hard link (no space), else a copy where links are not allowed."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
