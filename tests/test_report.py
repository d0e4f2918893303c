"""Rendering only: the run report, the diff and the tables from plain values, with no store and no files."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from monitor import report
from monitor.runs import RunResult, SourceResult

BEIJING = ZoneInfo("Asia/Shanghai")
REF = {"id": 1, "url": "https://english.news.cn/a", "source": "xinhua_en", "outlet": "Xinhua",
       "title": "China approves 13 foreign firms", "published": datetime(2025, 3, 1, 9, 0, tzinfo=BEIJING)}
BATCH = {"id": 1, "approved_on": date(2025, 2, 28), "reported_on": date(2025, 3, 1), "count": 13, "ordinal": 1,
         "areas": ["Beijing", "Shanghai"], "firms": ["T-Systems P.R. China Ltd."],
         "parents": {"T-Systems P.R. China Ltd.": "Deutsche Telekom"}, "units_of": ["Siemens"], "reports": 1,
         "outlets": ["Xinhua"], "first_seen_run": 1, "status": "confirmed", "confirmed_run": 1,
         "evidence": [{**REF, "article": 1, "sentence": "China has approved 13 foreign-invested companies."}]}


def test_new_batch_shows_count_date_firms_parents_and_evidence() -> None:
    text = report.diff_markdown([{"kind": "new_batch", "id": 1, "run": 1, "subject": "1", "articles": [],
                                  "batch": BATCH}])
    assert "## New approval batches (1)" in text
    assert "**13 firms approved 2025-02-28** (batch no. 1, areas: Beijing, Shanghai; 1 report from 1 outlet:" in text
    assert "T-Systems P.R. China Ltd. (Deutsche Telekom); a unit of Siemens (not named)" in text
    assert "[China approves 13 foreign firms](https://english.news.cn/a) (Xinhua, 2025-03-01)" in text
    assert "> China has approved 13 foreign-invested companies." in text


def test_candidate_is_shown_as_unconfirmed() -> None:
    text = report.diff_markdown([{"kind": "batch_candidate", "id": 2, "run": 1, "subject": "1", "articles": [],
                                  "batch": {**BATCH, "status": "candidate"}}])
    assert text.startswith("## Unconfirmed batch candidates")


def test_articles_off_the_policy_are_counted_not_listed() -> None:
    evs = [{"kind": "new_article", "id": 1, "run": 1, "subject": "u", "articles": [REF], "relevant": False},
           {"kind": "new_article", "id": 2, "run": 1, "subject": "v", "articles": [REF], "relevant": True,
            "event": "batch_report"}]
    text = report.diff_markdown(evs)
    assert "## New relevant articles (1)" in text
    assert "(1 new or changed article not about this policy was stored and not shown.)" in text


def test_nothing_new() -> None:
    assert report.diff_markdown([]) == "Nothing new.\n"


def test_undated_article_says_so() -> None:
    line = report.diff_markdown([{"kind": "new_firm", "id": 1, "run": 1, "subject": "Example Cloud",
                                  "articles": [{**REF, "published": None}]}])
    assert "(Xinhua, undated)" in line


def test_run_report_has_a_row_per_source_and_names_the_log_when_not_ok() -> None:
    result = RunResult(3, "replay", {"xinhua_en": SourceResult("xinhua_en", {"requests": 4, "discovery_links": 2,
                                                                                "articles": 2, "new": 2})},
                       "degraded")
    text = report.run_markdown(result, [], "/tmp/monitor-run-00003.log")
    assert text.startswith("# Monitor run 3 (replay): degraded\n\nFull log: /tmp/monitor-run-00003.log\n")
    header, rule, row = text.split("\n")[4:7]
    assert [c.strip() for c in header.strip("|").split("|")][:5] == ["source", "status", "requests", "links",
                                                                      "articles"]
    assert [c.strip() for c in row.strip("|").split("|")][:5] == ["xinhua_en", "ok", "4", "2", "2"]


def test_ingest_report_counts_per_outlet() -> None:
    result = RunResult(1, "ingest", {"Xinhua": SourceResult("Xinhua", {"articles": 3, "new": 3, "dropped": 1})}, "ok")
    assert "| outlet " in report.run_table(result)
    assert "| Xinhua " in report.run_table(result)


def test_json_gives_dates_as_iso_text() -> None:
    line = report.to_json({"published": REF["published"], "approved_on": date(2025, 2, 28)})
    assert json.loads(line) == {"published": "2025-03-01T09:00:00+08:00", "approved_on": "2025-02-28"}


def test_batches_table_has_status_and_empty_store_says_so() -> None:
    row = {k: BATCH[k] for k in ("id", "approved_on", "count", "ordinal", "areas", "firms", "reports", "outlets",
                                 "first_seen_run", "status")}
    assert "| confirmed " in report.batches_markdown([row])
    assert report.batches_markdown([]) == "No approval batches in the store.\n"


def test_titles_are_shown_as_written_not_as_markup() -> None:
    """Regression: a title `*third*` became italics in the report."""
    line = report.diff_markdown([{"kind": "new_firm", "id": 1, "run": 1, "subject": "Example_Cloud",
                                  "articles": [{**REF, "title": "The *third* batch [draft]"}]}])
    assert r"[The \*third\* batch \[draft\]](https://english.news.cn/a)" in line
    assert r"Example\_Cloud" in line


def test_the_report_is_dated() -> None:
    result = RunResult(2, "live", {}, "ok")
    assert report.run_markdown(result, [], started=datetime(2025, 3, 1, 9, 30, tzinfo=BEIJING)).startswith(
        "# Monitor run 2 (live, 2025-03-01 09:30 +0800): ok")


def test_a_source_degraded_in_several_runs_is_listed_once_with_its_latest_reasons() -> None:
    evs = [{"kind": "source_degraded", "id": i, "run": i, "subject": "xinhua_en", "articles": [],
            "reasons": [f"reason {i}"]} for i in (1, 2, 3)]
    text = report.diff_markdown(evs)
    assert text.count("- xinhua_en:") == 1 and "reason 3" in text


STORED = "http://127.0.0.1:8001/monitor/articles/1"


def test_every_item_links_its_article_and_its_stored_copy() -> None:
    ref = {**REF, "stored": STORED}
    both = f"[China approves 13 foreign firms](https://english.news.cn/a) (Xinhua, 2025-03-01; [stored copy]({STORED}))"
    batch = {**BATCH, "evidence": [{**BATCH["evidence"][0], "stored": STORED}]}
    evs = [{"kind": "new_batch", "id": 1, "run": 1, "subject": "1", "articles": [], "batch": batch},
           {"kind": "batch_candidate", "id": 2, "run": 1, "subject": "2", "articles": [], "batch": batch},
           {"kind": "new_firm", "id": 3, "run": 1, "subject": "Example Cloud", "articles": [ref]},
           {"kind": "implied_approvals", "id": 4, "run": 1, "subject": "t", "articles": [ref], "total": 40,
            "previous": 13, "implied_new": 27, "evidence": "over 40 firms"},
           {"kind": "batch_corroborated", "id": 5, "run": 1, "subject": "1:1", "articles": [ref], "batch": 1},
           {"kind": "new_article", "id": 6, "run": 1, "subject": "u", "articles": [ref], "relevant": True,
            "event": "batch_report"},
           {"kind": "changed_article", "id": 7, "run": 1, "subject": "u", "articles": [ref], "relevant": True}]
    text = report.diff_markdown(evs)
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == 7
    for line in items:  # a batch's links are on its evidence lines, below it
        assert line.startswith("- **") or both in line, line
    assert text.count(both) == 7


def test_each_figure_of_a_conflict_links_its_article_and_stored_copy() -> None:
    figures = [{"article": 1, "outlet": "Xinhua", "value": 2400, "measure": "total", "evidence": "2,400 in all",
                "url": "https://english.news.cn/a(1)", "stored": STORED},
               {"article": 2, "outlet": "Telecom Review Asia", "value": 2400, "measure": "new",
                "evidence": "2,400 new", "url": None, "stored": None}]
    text = report.diff_markdown([{"kind": "figure_conflict", "id": 1, "run": 1, "subject": "s", "articles": [],
                                  "reason": "one outlet reports a total, another the same number as new",
                                  "unit": "enterprises", "as_of": "2025-02", "figures": figures}])
    assert f'- Xinhua: 2400 — total: "2,400 in all" ([article](https://english.news.cn/a%281%29), ' \
           f"[stored copy]({STORED}))" in text
    assert text.rstrip().endswith('- Telecom Review Asia: 2400 — new: "2,400 new"')


def test_links_keep_markdown_escaping() -> None:
    """A title with markup stays text, and a link's address cannot end the link early."""
    ref = {**REF, "title": "The *third* batch [draft]", "url": "https://x.cn/a b(c)",
           "stored": "http://h/my+store~2Ev2/articles/1"}
    line = report.diff_markdown([{"kind": "new_firm", "id": 1, "run": 1, "subject": "Example_Cloud",
                                  "articles": [ref]}])
    assert (r"[The \*third\* batch \[draft\]](https://x.cn/a%20b%28c%29) (Xinhua, 2025-03-01; "
            "[stored copy](http://h/my+store~2Ev2/articles/1))") in line


def test_the_alert_title_names_the_batch() -> None:
    assert report.alert_title([BATCH]) == "New approval batch: 13 firms approved 2025-02-28"
    assert report.alert_title([BATCH, {**BATCH, "count": None, "approved_on": None}]) == (
        "New approval batches: 13 firms approved 2025-02-28; firms approved (date not stated; first reported "
        "2025-03-01)")
    assert report.alert_title([None]) == "New approval batch"
