"""After a run: batches matched and the run closed in one transaction; reports written whole; silence judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import afterrun
from monitor.runs import RunResult, SourceResult
from pipelines.store import Store

FACTS = {"relevant": True, "event": "batch_report", "areas": [], "firms": [], "figures": [],
         "batch": {"count": 13, "ordinal": None, "approved_on": "2025-02-28", "areas": [], "scope": "national"}}


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "reports"
    monkeypatch.setattr(afterrun.settings, "MONITOR_REPORTS_DIR", str(folder))
    monkeypatch.setattr(afterrun.settings, "MONITOR_WEBHOOK_URL", None)
    monkeypatch.setattr(afterrun.settings, "MONITOR_NOTIFY_COMMAND", None)
    monkeypatch.setattr(afterrun.settings, "MONITOR_CHARTS", True)  # the tests here look at it
    return folder


def _run(store: Store, outlet: str, status: str = "ok") -> RunResult:
    run = store.start_run("ingest")
    item = {"canonical_url": f"https://example.org/{run}", "source": "ingest", "outlet": outlet, "title": "t",
            "text": "China has approved 13 foreign-invested firms for pilot value-added telecom services."}
    result = RunResult(run, "ingest", {outlet: SourceResult(outlet, {"articles": 1, "new": 1}, status,
                                                            ["no links"] if status != "ok" else [])}, status)
    with store.transaction():
        store.write_article(item, FACTS, run)
        afterrun.close_run(store, result)
    return result


def test_close_run_flags_the_batch_and_finishes_the_run(db_path: Path, reports: Path) -> None:
    with Store(db_path) as store:
        result = _run(store, "Xinhua")
        assert store.db.execute("SELECT status, stats IS NOT NULL FROM runs").fetchone() == ("ok", 1)
    outcome = afterrun.publish(str(db_path), result)
    assert [e["kind"] for e in outcome.new_batches] == ["new_batch"]
    assert not outcome.nothing_to_say
    md, js, png = (Path(p) for p in outcome.report_paths)
    assert md.name == "monitor-run-00001.md" and md.read_text(encoding="utf-8") == outcome.markdown
    assert json.loads(js.read_text(encoding="utf-8"))["events"][0]["kind"] == "new_batch"
    assert json.loads(js.read_text(encoding="utf-8"))["reports"] == outcome.report_paths
    assert png.name == "monitor-run-00001-figures.png" and png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"]({png.name})" in md.read_text(encoding="utf-8")  # the report shows the chart beside it
    assert not list(reports.glob(".*.tmp"))  # written whole, through a temporary file


def test_a_source_turning_degraded_is_an_event_and_never_silent(db_path: Path, reports: Path) -> None:
    with Store(db_path) as store:
        result = _crawl_run(store, degraded=True)
    outcome = afterrun.publish(str(db_path), result)
    assert "source_degraded" in [e["kind"] for e in outcome.events]
    assert not outcome.nothing_to_say


def test_a_rerun_with_nothing_new_is_silent(db_path: Path, reports: Path) -> None:
    with Store(db_path) as store:
        _run(store, "Xinhua")
        run = store.start_run("ingest")
        result = RunResult(run, "ingest", {}, "ok")
        with store.transaction():
            afterrun.close_run(store, result)
    assert afterrun.publish(str(db_path), result).nothing_to_say


def _crawl_run(store: Store, degraded: bool) -> RunResult:
    run = store.start_run("live")
    source = SourceResult("xinhua_en", {"discovery_pages": 1}, "degraded" if degraded else "ok",
                          ["discovery pages gave no article links"] if degraded else [])
    result = RunResult(run, "live", {"xinhua_en": source}, "degraded" if degraded else "ok")
    with store.transaction():
        afterrun.close_run(store, result)
    return result


def _said(store: Store, run: int) -> list[tuple[str, bool]]:
    return [(e["kind"], e["details"].get("announced", True)) for e in store.events([run])
            if e["kind"].startswith("source_")]


def test_a_source_that_stays_degraded_is_said_once_a_day_and_its_recovery_once(store: Store) -> None:
    first = _crawl_run(store, degraded=True)
    second = _crawl_run(store, degraded=True)
    assert _said(store, first.run_id) == [("source_degraded", True)]
    assert _said(store, second.run_id) == [("source_degraded", False)]  # recorded, not said again
    store.db["runs"].update(first.run_id, {"started": "2020-01-01T00:00:00+08:00"})  # a day and more ago
    third = _crawl_run(store, degraded=True)
    assert _said(store, third.run_id) == [("source_degraded", True)]
    fourth = _crawl_run(store, degraded=False)
    assert _said(store, fourth.run_id) == [("source_recovered", True)]


def test_text_no_feed_can_hold_never_holds_back_the_alert(db_path: Path, reports: Path, monkeypatch) -> None:
    """Regression: a U+FFFE in a stored sentence made the Atom feed raise before notifying: no alert, and every
    later run failed the same way."""
    sent = reports.parent / "sent.md"
    monkeypatch.setattr(afterrun.settings, "MONITOR_NOTIFY_COMMAND", f"cat > {sent}")
    with Store(db_path) as store:
        run = store.start_run("ingest")
        item = {"canonical_url": "https://english.news.cn/a", "source": "ingest", "outlet": "Xinhua", "title": "t\ufffe",
                "text": "China has approved 13 foreign-invested firms\ufffe for pilot value-added telecom services."}
        result = RunResult(run, "ingest", {"Xinhua": SourceResult("Xinhua", {"articles": 1})}, "ok")
        with store.transaction():
            store.write_article(item, {**FACTS, "figures": [{"value": 13, "unit": "firms", "kind": "batch_count",
                                                            "evidence": "13 firms\ufffe"}]}, run)
            afterrun.close_run(store, result)
    outcome = afterrun.publish(str(db_path), result)
    assert outcome.undelivered == [] and sent.exists()
    assert (reports / "monitor-feed.xml").exists()


def test_a_chart_that_cannot_be_drawn_never_holds_back_the_alert(db_path: Path, reports: Path, monkeypatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """The chart is drawn after the alert went out; when it fails, one line in the log and the report says why,
    and the run's outcome is otherwise the same."""
    from monitor import charts

    sent = reports.parent / "sent.md"
    monkeypatch.setattr(afterrun.settings, "MONITOR_NOTIFY_COMMAND", f"cat > {sent}")

    def broken(_spec: dict) -> bytes:
        raise charts.ChartError("Vega-Lite to PNG conversion failed: TypeError: broken on purpose")

    monkeypatch.setattr(charts, "render", broken)
    with Store(db_path) as store:
        result = _run(store, "Xinhua")
    outcome = afterrun.publish(str(db_path), result)
    assert [e["kind"] for e in outcome.new_batches] == ["new_batch"] and outcome.undelivered == []
    assert sent.exists() and "13" in sent.read_text(encoding="utf-8")  # the alert went out
    assert not list(reports.glob("*.png")) and len(outcome.report_paths) == 2
    said = [line for line in outcome.markdown.splitlines() if "chart" in line]
    assert len(said) == 1 and "broken on purpose" in said[0]
    assert (reports / "monitor-run-00001.md").read_text(encoding="utf-8") == outcome.markdown
    assert [r for r in caplog.records if r.levelname == "WARNING" and "broken on purpose" in r.getMessage()]


def test_a_run_that_changes_nothing_charted_is_not_drawn_again(db_path: Path, reports: Path, monkeypatch) -> None:
    from monitor import charts

    drawn: list[int] = []
    render = charts.render
    monkeypatch.setattr(charts, "render", lambda spec: drawn.append(1) or render(spec))
    with Store(db_path) as store:
        first = _run(store, "Xinhua")
    afterrun.publish(str(db_path), first)
    with Store(db_path) as store:
        run = store.start_run("ingest")
        second = RunResult(run, "ingest", {}, "ok")
        with store.transaction():
            afterrun.close_run(store, second)
    outcome = afterrun.publish(str(db_path), second)
    assert len(drawn) == 1  # the second run's chart is the first one's, under its own name
    png = Path(outcome.report_paths[-1])
    assert png.name == "monitor-run-00002-figures.png"
    assert png.read_bytes() == (reports / "monitor-run-00001-figures.png").read_bytes()


def test_a_store_with_nothing_to_chart_gets_no_png_and_no_complaint(db_path: Path, reports: Path) -> None:
    with Store(db_path) as store:
        result = _crawl_run(store, degraded=False)
    outcome = afterrun.publish(str(db_path), result)
    assert not list(reports.glob("*.png")) and len(outcome.report_paths) == 2
    assert "chart" not in outcome.markdown


def test_charts_can_be_turned_off(db_path: Path, reports: Path, monkeypatch) -> None:
    monkeypatch.setattr(afterrun.settings, "MONITOR_CHARTS", False)
    with Store(db_path) as store:
        result = _run(store, "Xinhua")
    outcome = afterrun.publish(str(db_path), result)
    assert len(outcome.report_paths) == 2 and not list(reports.glob("*.png"))
