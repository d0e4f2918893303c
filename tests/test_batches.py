"""Batch flagging: reports match known batches by date, count, ordinal and areas; only the unmatched create one."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipelines.batches import confirmed, figure_conflicts, flag_batches, implied_approvals, is_official, match
from pipelines.store import BatchRow, PendingReport, Store

FIRST = BatchRow(1, date(2025, 2, 28), date(2025, 2, 28), 13, 1, ["Beijing"], "confirmed", national=True)


def _report(published: date | None, count: int | None, approved: date | None, ordinal: int | None = None,
            scope: str = "national") -> PendingReport:
    return PendingReport(99, "x", "https://example.org/x", published, count, ordinal, approved, [], scope)


@pytest.mark.parametrize(("report", "matches"), [
    (_report(date(2025, 3, 3), 13, date(2025, 2, 28)), True),  # the wire a few days later
    (_report(date(2025, 3, 1), 4, date(2025, 2, 26), scope="Shanghai"), True),  # a regional subset joins
    (_report(date(2025, 3, 20), 13, None), True),  # a rewrite weeks later, no approval date: a recap
    (_report(date(2025, 10, 2), 13, None, ordinal=1), True),  # a recap naming the first batch
    (_report(date(2025, 9, 2), 20, date(2025, 8, 29), ordinal=2), False),  # a second batch is new
    (_report(date(2025, 9, 2), 9, date(2025, 8, 29)), False),  # months later, another count: new
    (_report(date(2025, 3, 3), 9, date(2025, 2, 28), ordinal=2), False),  # a stated different ordinal
    (_report(None, 13, None), True),  # an undated trade-press page with the same count
    (_report(None, 20, None), False),
])
def test_match(report: PendingReport, matches: bool) -> None:
    assert (match(report, [FIRST]) is not None) is matches


def _article(store: Store, run: int, n: int, source: str, published: str | None, batch: dict | None,
             event: str = "batch_report", outlet: str = "Xinhua", site: str = "example.cn") -> int:
    """An article of `source` on `site`; its outlet is official (it confirms on its own) unless another is given."""
    with store.transaction():
        article_id, _ = store.save_article({
            "canonical_url": f"https://{site}/{n}", "source": source, "outlet": outlet, "title": f"t{n}",
            "text": f"article {n} text", "published": published}, run)
        store.db["articles"].update(article_id, {"relevant": 1, "event": event,
                                                 "batch_json": json.dumps(batch) if batch else None})
    return article_id


def _flag(store: Store, run: int) -> list[int]:
    with store.transaction():
        return flag_batches(store, run)


def _events(store: Store, kind: str) -> list[tuple]:
    return store.db.execute("SELECT run_id, subject FROM events WHERE kind = ?", [kind]).fetchall()


def test_one_batch_flagged_once_across_runs(store: Store) -> None:
    r1 = store.start_run("ingest")
    _article(store, r1, 1, "shanghai", "2025-02-26T12:00:00+08:00",
             {"count": 4, "approved_on": "2025-02-26", "areas": ["Shanghai"], "scope": "Shanghai"})
    _article(store, r1, 2, "xinhua_en", "2025-02-28T20:00:00+08:00",
             {"count": 13, "approved_on": "2025-02-28", "areas": ["Beijing", "Shanghai", "Hainan", "Shenzhen"],
              "scope": "national"})
    assert len(_flag(store, r1)) == 1
    r2 = store.start_run("ingest")
    _article(store, r2, 3, "chinaorg", "2025-03-03T09:00:00+08:00", {"count": 13, "approved_on": None})
    assert _flag(store, r2) == []
    assert _events(store, "new_batch") == [(r1, "1")]
    assert [e[0] for e in _events(store, "batch_corroborated")] == [r2]
    count, approved, areas = store.db.execute("SELECT count, approved_on, areas FROM batches").fetchone()
    assert (count, approved) == (13, "2025-02-28")
    assert set(json.loads(areas)) == {"Beijing", "Shanghai", "Hainan", "Shenzhen"}
    assert store.db["batch_reports"].count == 3


def test_second_batch_is_new(store: Store) -> None:
    run = store.start_run("ingest")
    _article(store, run, 1, "a", "2025-03-01T00:00:00+08:00", {"count": 13, "approved_on": "2025-02-28", "ordinal": 1})
    _article(store, run, 2, "b", "2025-09-01T00:00:00+08:00", {"count": 20, "approved_on": "2025-08-29", "ordinal": 2})
    assert len(_flag(store, run)) == 2


def test_articles_that_are_not_batch_reports_never_create_a_batch(store: Store) -> None:
    run = store.start_run("ingest")
    _article(store, run, 1, "a", "2025-03-01T00:00:00+08:00", {"count": 13}, event="applicant_news")
    _article(store, run, 2, "b", "2025-03-01T00:00:00+08:00", None, event="policy_milestone")
    assert _flag(store, run) == []


def _figure(store: Store, article_id: int, value: float, unit: str, measure: str, as_of: str, kind: str) -> None:
    with store.transaction():
        seq = store.db.execute("SELECT count(*) FROM figures WHERE article_id = ?", [article_id]).fetchone()[0]
        store.db["figures"].insert({"article_id": article_id, "seq": seq, "value": value, "unit": unit,
                                    "measure": measure, "kind": kind, "as_of": as_of,
                                    "evidence": f"{value} {measure}"})


def test_total_read_as_new_by_another_outlet_is_a_conflict(store: Store) -> None:
    run = store.start_run("ingest")
    a = _article(store, run, 1, "xinhua_en", "2025-03-01T00:00:00+08:00", None, event="cumulative_status")
    b = _article(store, run, 2, "telecomreviewasia", "2025-03-05T00:00:00+08:00", None, event="cumulative_status",
                 outlet="Telecom Review Asia")
    _figure(store, a, 2400, "enterprises", "foreign-invested telecom enterprises, total", "2025-02-28",
            "enterprises_total")
    _figure(store, b, 2400, "enterprises", "new foreign-invested telecom enterprises", "2025-02-28", "enterprises_new")
    with store.transaction():
        assert figure_conflicts(store, run) == 1
        assert figure_conflicts(store, run) == 0  # recorded once
    assert store.db["figures"].count == 2  # both kept


def test_rise_in_cumulative_approvals_is_recorded_as_implied(store: Store) -> None:
    run = store.start_run("ingest")
    a = _article(store, run, 1, "a", "2025-03-01T00:00:00+08:00", {"count": 13, "approved_on": "2025-02-28"})
    b = _article(store, run, 2, "b", "2025-07-01T00:00:00+08:00", None, event="cumulative_status")
    _figure(store, a, 13, "firms", "firms approved (this batch)", "2025-02-28", "batch_count")
    _figure(store, b, 40, "firms", "cumulative firms approved", "2025-06-30", "pilot_approvals_total")
    _flag(store, run)
    with store.transaction():
        assert implied_approvals(store, run) == 1
    details = json.loads(store.db.execute("SELECT details FROM events WHERE kind = 'implied_approvals'").fetchone()[0])
    assert (details["total"], details["previous"], details["implied_new"]) == (40, 13, 27)


def test_a_stated_approval_date_replaces_a_publication_day(store: Store) -> None:
    run = store.start_run("ingest")
    _article(store, run, 1, "a", "2025-03-01T09:00:00+08:00", {"count": 13, "approved_on": None, "scope": "national"})
    _article(store, run, 2, "b", "2025-03-03T09:00:00+08:00", {"count": 13, "approved_on": "2025-02-28",
                                                                "scope": "national"})
    assert len(_flag(store, run)) == 1
    assert store.db.execute("SELECT approved_on FROM batches").fetchone()[0] == "2025-02-28"


def test_dated_report_matches_a_batch_first_seen_undated(store: Store) -> None:
    """Regression: a batch created from an undated page had no date, and a dated report made a second batch."""
    run = store.start_run("ingest")
    _article(store, run, 1, "trade", None, {"count": 13, "approved_on": None, "scope": "national"})
    _article(store, run, 2, "wire", "2025-03-01T09:00:00+08:00", {"count": 13, "approved_on": "2025-02-28"})
    assert len(_flag(store, run)) == 1
    assert store.db.execute("SELECT approved_on FROM batches").fetchone()[0] == "2025-02-28"


def test_recap_seen_first_does_not_lend_the_batch_its_publication_day(store: Store) -> None:
    """Regression: a June recap seen first made the batch 'approved' in June; the February wire made another."""
    run = store.start_run("ingest")
    _article(store, run, 1, "recap", "2025-06-15T09:00:00+08:00", {"count": 13, "approved_on": None})
    assert len(_flag(store, run)) == 1
    assert store.db.execute("SELECT approved_on, reported_on FROM batches").fetchone() == (None, "2025-06-15")
    run2 = store.start_run("ingest")
    _article(store, run2, 2, "wire", "2025-03-01T09:00:00+08:00", {"count": 13, "approved_on": "2025-02-28"})
    assert _flag(store, run2) == []
    assert store.db.execute("SELECT approved_on, reported_on FROM batches").fetchone() == ("2025-02-28", "2025-03-01")


def test_changed_article_is_matched_again_and_an_orphaned_batch_withdrawn(store: Store) -> None:
    """Regression: an article edited from the first batch to a second one stayed linked to the first."""
    run = store.start_run("live")
    article = _article(store, run, 1, "wire", "2025-03-01T09:00:00+08:00",
                       {"count": 13, "approved_on": "2025-02-28", "ordinal": None, "areas": [], "scope": "national"})
    _flag(store, run)
    run2 = store.start_run("live")
    facts = {"relevant": True, "event": "batch_report", "firms": [], "figures": [], "areas": [],
             "batch": {"count": 20, "ordinal": 2, "approved_on": "2025-09-30", "areas": [], "scope": "national"}}
    with store.transaction():
        store.replace_facts(article, facts, run2)
    assert len(_flag(store, run2)) == 1
    rows = store.db.execute("SELECT count, status FROM batches ORDER BY id").fetchall()
    assert rows == [(13, "withdrawn"), (20, "confirmed")]


@pytest.mark.parametrize(("outlet", "url", "official"), [
    ("Xinhua", "https://english.news.cn/a", True),
    ("Xinhua (republished by People's Daily Online)", "http://en.people.cn/a", True),
    ("ingest", "https://www.miit.gov.cn/xwdt/a.html", True),
    ("State Council (gov.cn)", None, True),
    ("Telecom Review Asia", "https://www.telecomreviewasia.com/a", False),
    ("ingest", "https://notgov.cn.example.com/a", False),
])
def test_official_outlets_are_named_in_data(outlet: str, url: str | None, official: bool) -> None:
    assert is_official(outlet, url) is official


def test_two_independent_outlets_confirm_and_one_outlet_twice_does_not() -> None:
    assert not confirmed([("Light Reading", "https://www.lightreading.com/a"),
                          ("Light Reading", "https://www.lightreading.com/b")])
    assert confirmed([("Light Reading", "https://www.lightreading.com/a"), ("CGTN", "https://news.cgtn.com/b")])


def test_a_single_trade_press_report_is_a_candidate_until_a_second_outlet_confirms(store: Store) -> None:
    batch = {"count": 9, "approved_on": "2025-07-30", "scope": "national"}
    r1 = store.start_run("ingest")
    _article(store, r1, 1, "lightreading", "2025-08-01T09:00:00+08:00", batch, outlet="Light Reading",
             site="www.lightreading.com")
    assert _flag(store, r1) == []
    assert _events(store, "batch_candidate") == [(r1, "1")]
    assert _events(store, "new_batch") == []
    assert store.db.execute("SELECT status FROM batches").fetchone()[0] == "candidate"
    r2 = store.start_run("ingest")
    _article(store, r2, 2, "capacitymedia", "2025-08-02T09:00:00+08:00", batch, outlet="Capacity Media",
             site="www.capacitymedia.com")
    assert _flag(store, r2) == [1]
    assert _events(store, "new_batch") == [(r2, "1")]  # flagged once, in the run that confirmed it
    assert store.db.execute("SELECT status, first_seen_run, confirmed_run FROM batches").fetchone() == (
        "confirmed", r1, r2)


def test_an_official_report_confirms_a_candidate_in_a_later_run(store: Store) -> None:
    r1 = store.start_run("ingest")
    _article(store, r1, 1, "trade", "2025-08-01T09:00:00+08:00", {"count": 9, "approved_on": "2025-07-30"},
             outlet="Developing Telecoms")
    _flag(store, r1)
    r2 = store.start_run("ingest")
    _article(store, r2, 2, "wire", "2025-08-01T20:00:00+08:00", {"count": 9, "approved_on": "2025-07-31"})
    assert _flag(store, r2) == [1]
    r3 = store.start_run("ingest")
    _article(store, r3, 3, "recap", "2025-09-01T09:00:00+08:00", {"count": 9, "approved_on": None},
             outlet="Global Times")
    assert _flag(store, r3) == []
    assert [run for run, _ in _events(store, "batch_corroborated")] == [r3]


@pytest.mark.parametrize("reports", [
    [("unknown", "urn:monitor:ingest:a"), ("unknown", "urn:monitor:ingest:b")],  # outlet unknown: never counts
    [("ingest", "https://www.scmp.com/x/1"), ("SCMP", "urn:monitor:ingest:2")],  # one outlet, named two ways
    [("Light Reading", "https://www.lightreading.com/a"), ("LightReading", "https://lightreading.com/b")],
])
def test_reports_that_are_not_independent_never_confirm(reports: list[tuple[str, str]]) -> None:
    """Regression: two copies of one unnamed document, or one site named by its host and by its name, were
    counted as two outlets, and the batch was confirmed and notified."""
    assert not confirmed(reports)


def test_a_withdrawn_batch_reported_again_is_revived_not_flagged_twice(store: Store) -> None:
    """Regression: a confirmed batch whose only report changed was withdrawn; the next report made a new batch
    and a second new_batch alert for the same event."""
    r1 = store.start_run("live")
    article = _article(store, r1, 1, "wire", "2025-03-01T09:00:00+08:00", {"count": 13, "approved_on": "2025-02-28"})
    assert _flag(store, r1) == [1]
    r2 = store.start_run("live")
    with store.transaction():
        store.replace_facts(article, {"relevant": True, "event": "policy_milestone", "firms": [], "figures": [],
                                      "areas": [], "batch": None}, r2)
    _flag(store, r2)
    assert store.db.execute("SELECT status FROM batches").fetchone()[0] == "withdrawn"
    r3 = store.start_run("live")
    _article(store, r3, 2, "govcn_en", "2025-03-02T09:00:00+08:00", {"count": 13, "approved_on": "2025-02-28"},
             outlet="State Council (gov.cn)")
    assert _flag(store, r3) == []
    assert store.db.execute("SELECT id, status FROM batches").fetchall() == [(1, "confirmed")]
    assert _events(store, "new_batch") == [(r1, "1")]
