"""The store browsed in a real browser: `monitor serve` over the demo store, opened in headless Chromium (Debian's,
installed by `make test` through tests/browser_setup.py), and the Atom feed read by a feed parser.

`TEST_BROWSE_SCREENSHOT=docs/browse.png pytest tests/test_browser.py` also saves the batches page there (the
README's picture); without it the tests write only into their temporary folders."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import browser_setup
from tests.conftest import ROOT, run_monitor, served

pytestmark = pytest.mark.server  # starts Datasette on 127.0.0.1
pytest.importorskip("datasette", reason="Datasette is the optional extra `serve` (make installs it)")
pytest.importorskip("playwright", reason="Playwright is in the extra `test` (make installs it)")
feedparser = pytest.importorskip("feedparser", reason="feedparser is in the extra `test` (make installs it)")
expect = pytest.importorskip("playwright.sync_api").expect

FEED_BATCH = "urn:telecom-opening-monitor:batch:"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium (`make test` installs it), else the tests skip saying why."""
    try:
        return browser_setup.chromium()
    except browser_setup.Unavailable as exc:
        pytest.skip(f"no Chromium to test in: {exc}")


@pytest.fixture(scope="module")
def site(demo_store: Path) -> str:
    """The demo store's address in `monitor serve`, e.g. http://127.0.0.1:PORT/demo."""
    with served(demo_store, demo_store.parent / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: Path, tmp_path_factory: pytest.TempPathFactory):
    with browser_setup.browser(chromium, tmp_path_factory.mktemp("profile")) as context:
        yield context


@pytest.fixture
def page(browser):
    """A new tab for each test."""
    opened = browser.new_page()
    yield opened
    opened.close()


def _json(*args: str) -> dict | list:
    done = run_monitor(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _confirmed(db: Path) -> list[dict]:
    return [b for b in _json("batches", "--json", "--db", str(db))["batches"] if b["status"] == "confirmed"]


def test_the_batches_page_shows_the_batch_and_its_firms(demo_store: Path, site: str, page, tmp_path: Path) -> None:
    [batch] = _confirmed(demo_store)  # the demo's one batch: 13 firms approved on 2025-02-28, three of them named
    assert (batch["count"], batch["approved_on"]) == (13, "2025-02-28") and len(batch["firms"]) == 3
    page.goto(f"{site}/batches_with_firms")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 1
    cells = {name: rows.first.locator(f"td.col-{name}") for name in ("count", "approved_on", "status", "firms")}
    assert {name: cell.inner_text().strip() for name, cell in cells.items() if name != "firms"} == {
        "count": "13", "approved_on": "2025-02-28", "status": "confirmed"}
    assert cells["firms"].is_visible()
    shown = cells["firms"].inner_text()
    assert [firm for firm in batch["firms"] if firm not in shown] == []
    page.screenshot(path=str(tmp_path / "batches.png"), full_page=True)  # kept for a person to look at
    if os.environ.get("TEST_BROWSE_SCREENSHOT"):  # the README's picture, only when asked for: the page's width
        # (the one-line SQL runs off to the right), down to the bottom of what the page holds
        height = page.evaluate("Math.ceil(Math.max(...[...document.body.children].map("
                               "e => e.getBoundingClientRect().bottom)))")
        page.screenshot(path=str(ROOT / os.environ["TEST_BROWSE_SCREENSHOT"]), full_page=True,
                        clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})


def test_searching_articles_for_a_two_character_chinese_word_finds_the_chinese_articles(
        demo_store: Path, site: str, page, tmp_path: Path) -> None:
    chinese = {r["title"] for r in _json("query", "--db", str(demo_store), "--json",
                                         "select title from articles where language = 'zh'")}
    assert len(chinese) == 2  # the demo's two Xinhua articles in Chinese, both saying 外资 (foreign-invested)
    page.goto(f"{site}/articles")
    box = page.locator("input[name=_search]")
    box.fill("外资")
    box.press("Enter")
    page.wait_for_url("**_search=*")
    titles = {t.strip() for t in page.locator("table.rows-and-columns tbody td.col-title").all_inner_texts()}
    assert titles == chinese  # both, and no English article
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)


def test_the_dashboard_linked_from_the_home_page_draws_the_figures_and_the_batch(
        demo_store: Path, site: str, page, tmp_path: Path) -> None:
    from monitor import serve

    charts = {name: chart for name, chart in serve.dashboard(demo_store.stem)[serve.DASHBOARD]["charts"].items()
              if chart["library"] != "markdown"}
    queried, errors = [], []
    page.on("response", lambda response: queried.append(response) if "sql=" in response.url else None)
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(site.rsplit("/", 1)[0] + "/")
    page.locator(f'a[href="/-/dashboards/{serve.DASHBOARD}"]').first.click()
    for name in charts:  # vega-embed has drawn every chart (its canvas or svg carries the class marks)
        expect(page.locator(f"#chart-{name} .marks")).to_be_visible()
    page.wait_for_load_state("networkidle")
    rows = {sql: response.json()["rows"] for response in queried
            for sql in parse_qs(urlsplit(response.url).query)["sql"]}
    drawn = {name: rows[chart["query"]] for name, chart in charts.items()}  # what each chart was drawn from
    [batch] = _confirmed(demo_store)
    assert [(r["id"], r["count"], r["day"], r["status"]) for r in drawn["batches"]] == [
        (batch["id"], 13, "2025-02-28", "confirmed")]
    assert {(r["kind"], r["value"]) for r in drawn["enterprises"]} == {
        ("enterprises_total", 2400), ("enterprises_new", 2400)}  # the demo's conflict, side by side
    assert errors == []
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_the_feed_linked_from_the_home_page_is_the_one_the_run_wrote(demo_store: Path, site: str, page) -> None:
    from monitor import serve

    page.goto(site.rsplit("/", 1)[0] + "/")
    link = page.locator(f'a[href="{serve.feed_url(demo_store.stem)}"]').first
    expect(link).to_be_visible()
    with page.expect_response(lambda response: response.url.endswith(serve.feed_url(demo_store.stem))) as fetched:
        link.click()
    from_server = feedparser.parse(fetched.value.body())
    written = feedparser.parse((demo_store.parent / "reports" / f"{demo_store.stem}-feed.xml").read_bytes())
    assert not from_server.bozo, from_server.bozo_exception
    assert [(e.id, e.title) for e in from_server.entries] == [(e.id, e.title) for e in written.entries]
    assert any(e.id.startswith(FEED_BATCH) for e in from_server.entries)


def test_the_feed_has_one_entry_per_confirmed_batch_with_its_firms_and_reports(demo_store: Path) -> None:
    written = feedparser.parse((demo_store.parent / "reports" / f"{demo_store.stem}-feed.xml").read_bytes())
    assert not written.bozo, written.bozo_exception
    printed = feedparser.parse(run_monitor("feed", "--db", str(demo_store)).stdout)
    assert [e.id for e in printed.entries] == [e.id for e in written.entries]  # the same ids, run or command
    entries = {e.id: e for e in written.entries if e.id.startswith(FEED_BATCH)}
    batches = _confirmed(demo_store)
    assert sorted(entries) == sorted(f"{FEED_BATCH}{b['id']}" for b in batches)
    for batch in batches:
        entry = entries[f"{FEED_BATCH}{batch['id']}"]
        assert entry.title == f"{batch['count']} firms approved ({batch['approved_on']})"
        assert [firm for firm in batch["firms"] if firm not in entry.summary] == []
        reports = _json("query", "--db", str(demo_store), "--json",
                        f"select a.url from batch_reports br join articles a on a.id = br.article_id "
                        f"where br.batch_id = {int(batch['id'])}")
        assert sorted(link.href for link in entry.links) == sorted(r["url"] for r in reports)
        assert len(reports) == batch["reports"]
