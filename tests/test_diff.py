"""What runs found, gathered from a real store: events with their articles and batches, since a day, batches."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from monitor import diff
from monitor.dates import BEIJING
from pipelines.batches import flag_batches
from pipelines.store import Store

TEXT = "China has approved 13 foreign-invested firms for pilot value-added telecom services."
FACTS = {"relevant": True, "event": "batch_report", "areas": [], "firms": [], "figures": [],
         "batch": {"count": 13, "ordinal": None, "approved_on": "2025-02-28", "areas": [], "scope": "national"}}


def _write(store: Store, run: int, n: int, outlet: str, text: str = TEXT) -> int:
    site = "".join(ch for ch in outlet.lower() if ch.isalnum())  # each outlet on its own site
    item = {"canonical_url": f"https://www.{site}.com/{n}", "source": "ingest", "outlet": outlet, "title": f"t{n}",
            "text": text, "published": datetime(2025, 3, 1, 9, tzinfo=BEIJING)}
    with store.transaction():
        article_id, _ = store.write_article(item, FACTS, run)
        flag_batches(store, run)
    return article_id


def test_events_of_the_last_run_carry_their_articles_and_batch(store: Store) -> None:
    run = store.start_run("ingest")
    _write(store, run, 1, "Xinhua")
    evs = diff.events(store)
    assert [e["kind"] for e in evs] == ["new_batch", "new_article"]  # what matters most first
    assert evs[0]["batch"]["count"] == 13 and evs[0]["batch"]["status"] == "confirmed"
    assert evs[1]["articles"][0]["published"] == datetime(2025, 3, 1, 9, tzinfo=BEIJING)


def test_a_run_the_store_does_not_have_is_an_error(store: Store) -> None:
    store.start_run("ingest")
    with pytest.raises(ValueError, match="no run 99"):
        diff.events(store, run=99)


def test_since_takes_every_run_started_from_then(store: Store) -> None:
    r1 = store.start_run("ingest")
    _write(store, r1, 1, "Light Reading")
    r2 = store.start_run("ingest")
    _write(store, r2, 2, "Capacity Media")
    kinds = [(e["run"], e["kind"]) for e in diff.events(store, since=datetime.now(BEIJING) - timedelta(hours=1))]
    assert (r1, "batch_candidate") in kinds and (r2, "new_batch") in kinds
    assert diff.events(store, since=datetime.now(BEIJING) + timedelta(hours=1)) == []


def test_changed_article_comes_with_its_text_diff(store: Store) -> None:
    r1 = store.start_run("live")
    _write(store, r1, 1, "Xinhua")
    r2 = store.start_run("live")
    _write(store, r2, 1, "Xinhua", TEXT + " The ministry said more would follow.")
    changed = [e for e in diff.events(store, run=r2) if e["kind"] == "changed_article"]
    assert "+China has approved 13" in changed[0]["diff"] and "more would follow" in changed[0]["diff"]


def test_candidates_are_listed_only_when_asked(store: Store) -> None:
    run = store.start_run("ingest")
    _write(store, run, 1, "Light Reading")
    assert diff.batches(store) == []
    [candidate] = diff.batches(store, include_candidates=True)
    assert candidate["status"] == "candidate" and candidate["outlets"] == ["Light Reading"]


def test_what_a_killed_run_found_is_reported_by_the_next(store: Store) -> None:
    killed = store.start_run("ingest")
    _write(store, killed, 1, "Xinhua")  # its articles and batch are stored, then the process dies
    recovered = store.mark_interrupted()
    assert recovered == [killed]
    run = store.start_run("ingest")
    kinds = {(e["run"], e["kind"]) for e in diff.events(store, run=run, also=recovered)}
    assert (killed, "new_batch") in kinds and (killed, "new_article") in kinds


def test_every_article_carries_its_address_and_stored_copy(store: Store, db_path) -> None:
    run = store.start_run("ingest")
    article = _write(store, run, 1, "Xinhua")
    evs = diff.events(store, serve_url="http://127.0.0.1:9001/")
    stored = f"http://127.0.0.1:9001/{db_path.stem}/articles/{article}"
    [evidence] = evs[0]["batch"]["evidence"]
    assert (evidence["url"], evidence["stored"]) == ("https://www.xinhua.com/1", stored)
    assert (evs[1]["articles"][0]["url"], evs[1]["articles"][0]["stored"]) == ("https://www.xinhua.com/1", stored)


def test_the_stored_copy_is_under_monitor_serve_by_default(store: Store, db_path, monkeypatch) -> None:
    monkeypatch.setattr("monitor.settings.MONITOR_SERVE_URL", "https://monitor.example.org/ds")
    run = store.start_run("ingest")
    article = _write(store, run, 1, "Xinhua")
    assert diff.events(store)[1]["articles"][0]["stored"] == \
        f"https://monitor.example.org/ds/{db_path.stem}/articles/{article}"


def test_each_figure_of_a_conflict_carries_its_article_and_stored_copy(store: Store) -> None:
    run = store.start_run("ingest")
    a, b = _write(store, run, 1, "Xinhua"), _write(store, run, 2, "Telecom Review Asia")
    figures = [{"article": a, "outlet": "Xinhua", "value": 2400, "measure": "total", "kind": "enterprises_total",
                "evidence": "2,400 in all"},
               {"article": b, "outlet": "Telecom Review Asia", "value": 2400, "measure": "new",
                "kind": "enterprises_new", "evidence": "2,400 new"}]
    with store.transaction():
        store.add_event(run, "figure_conflict", "enterprises:2025-02:2400:stock-flow", [a, b],
                        {"reason": "one outlet reports a total, another the same number as new",
                         "unit": "enterprises", "as_of": "2025-02", "figures": figures})
    [conflict] = [e for e in diff.events(store, serve_url="http://h") if e["kind"] == "figure_conflict"]
    assert [(f["url"], f["stored"]) for f in conflict["figures"]] == [
        ("https://www.xinhua.com/1", f"http://h/monitor/articles/{a}"),
        ("https://www.telecomreviewasia.com/2", f"http://h/monitor/articles/{b}")]


@pytest.mark.parametrize(("serve", "path", "stored"), [
    ("http://127.0.0.1:8001", "data/demo.db", "http://127.0.0.1:8001/demo/articles/5"),
    ("https://example.org/monitor/", "/srv/my store.v2.db", "https://example.org/monitor/my+store~2Ev2/articles/5"),
    ("http://h", "数据.db", "http://h/~E6~95~B0~E6~8D~AE/articles/5"),
])
def test_the_stored_copy_names_the_database_as_datasette_does(serve: str, path: str, stored: str) -> None:
    assert diff.stored_link(serve, path)(5) == stored


def test_the_stored_copy_is_the_articles_row_in_datasette(tmp_path) -> None:
    """The link is checked against Datasette itself (its in-process client: no server), on a store whose file
    name needs Datasette's tilde encoding."""
    datasette_app = pytest.importorskip("datasette.app", reason="Datasette is the optional extra `serve`")
    path = tmp_path / "my store.v2.db"
    with Store(path) as store:
        run = store.start_run("ingest")
        article = _write(store, run, 1, "Xinhua")
        stored = diff.events(store, serve_url="http://127.0.0.1:8001")[1]["articles"][0]["stored"]
    ds = datasette_app.Datasette([str(path)])
    response = asyncio.run(ds.client.get(stored.removeprefix("http://127.0.0.1:8001") + ".json?_shape=objects"))
    assert response.status_code == 200, stored
    [row] = response.json()["rows"]
    assert (row["id"], row["url"]) == (article, "https://www.xinhua.com/1")


def test_articles_not_about_the_policy_are_counted_not_loaded_when_asked(store: Store) -> None:
    """A backfill stores thousands of ordinary stories: reports count them (issue 11: memory flat as the archive
    grows); `monitor diff --json` still lists every event."""
    run = store.start_run("ingest")
    _write(store, run, 1, "Xinhua")
    off = {"relevant": False, "event": "unrelated", "areas": [], "firms": [], "figures": [], "batch": None}
    for n in (2, 3):
        item = {"canonical_url": f"https://www.example.com/{n}", "source": "ingest", "outlet": "Example",
                "title": f"Steel output {n}", "text": "Steel output rose in March.", "published": None}
        with store.transaction():
            store.write_article(item, off, run)
    every = diff.events(store)
    assert sorted(e["kind"] for e in every) == ["new_article", "new_article", "new_article", "new_batch"]
    shown = diff.events(store, off_topic=False)
    assert [(e["kind"], e.get("relevant")) for e in shown] == [("new_batch", None), ("new_article", True)]
    assert diff.off_topic_counts(store) == {"new_article": 2, "changed_article": 0}
    later = store.start_run("ingest")
    assert diff.off_topic_counts(store, run=later) == {"new_article": 0, "changed_article": 0}
    assert diff.off_topic_counts(store, run=run) == {"new_article": 2, "changed_article": 0}
