"""The store browsed in a real browser: `monitor serve` over the demo store, opened in headless Chromium (Debian's,
installed by the set-up in tests/browser_setup.py), and the Atom feed read by a feed parser.

`TEST_BROWSE_SCREENSHOT=docs/browse.png pytest tests/test_browser.py` also saves the batches page there (the
README's picture); without it the tests write only into their temporary folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import browser_setup
from tests.conftest import DEMO_ARCHIVE, ROOT, run_monitor

pytestmark = pytest.mark.server  # starts Datasette on 127.0.0.1
pytest.importorskip("datasette", reason="Datasette is the optional extra `serve` (make installs it)")
pytest.importorskip("playwright", reason="Playwright is in the extra `test` (make installs it)")
feedparser = pytest.importorskip("feedparser", reason="feedparser is in the extra `test` (make installs it)")

FEED_BATCH = "urn:telecom-opening-monitor:batch:"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; installed here when missing (as root, through apt-get), else the tests skip saying why."""
    try:
        return browser_setup.chromium()
    except browser_setup.Unavailable as exc:
        pytest.skip(f"no Chromium to test in: {exc}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    done = run_monitor("run", "--replay", str(DEMO_ARCHIVE), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def site(demo: Path) -> str:
    """The demo store's address in `monitor serve`, e.g. http://127.0.0.1:PORT/demo."""
    with browser_setup.served(demo, demo.parent / "serve.log") as base:
        yield base


@pytest.fixture
def page(chromium: Path, tmp_path: Path):
    with browser_setup.browser(chromium, tmp_path / "profile") as opened:
        yield opened


def _json(*args: str) -> dict | list:
    done = run_monitor(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _confirmed(db: Path) -> list[dict]:
    return [b for b in _json("batches", "--json", "--db", str(db))["batches"] if b["status"] == "confirmed"]


def test_the_batches_page_shows_the_batch_and_its_firms(demo: Path, site: str, page, tmp_path: Path) -> None:
    [batch] = _confirmed(demo)  # the demo's one batch: 13 firms approved on 2025-02-28, three of them named
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
    shot = tmp_path / "batches.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("TEST_BROWSE_SCREENSHOT"):  # the README's picture, only when asked for: the page's width
        # (the one-line SQL runs off to the right), down to the bottom of what the page holds
        height = page.evaluate("Math.ceil(Math.max(...[...document.body.children].map("
                               "e => e.getBoundingClientRect().bottom)))")
        page.screenshot(path=str(ROOT / os.environ["TEST_BROWSE_SCREENSHOT"]), full_page=True,
                        clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})


def test_searching_articles_for_a_two_character_chinese_word_finds_the_chinese_articles(
        demo: Path, site: str, page, tmp_path: Path) -> None:
    chinese = {r["title"] for r in _json("query", "--db", str(demo), "--json",
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
    assert (tmp_path / "search.png").stat().st_size > 0


def test_the_feed_has_one_entry_per_confirmed_batch_with_its_firms_and_reports(demo: Path) -> None:
    written = feedparser.parse((demo.parent / "reports" / f"{demo.stem}-feed.xml").read_text(encoding="utf-8"))
    assert not written.bozo, written.bozo_exception
    printed = feedparser.parse(run_monitor("feed", "--db", str(demo)).stdout)
    assert [e.id for e in printed.entries] == [e.id for e in written.entries]  # the same ids, run or command
    entries = {e.id: e for e in written.entries if e.id.startswith(FEED_BATCH)}
    batches = _confirmed(demo)
    assert sorted(entries) == sorted(f"{FEED_BATCH}{b['id']}" for b in batches)
    for batch in batches:
        entry = entries[f"{FEED_BATCH}{batch['id']}"]
        assert entry.title == f"{batch['count']} firms approved ({batch['approved_on']})"
        assert [firm for firm in batch["firms"] if firm not in entry.summary] == []
        reports = _json("query", "--db", str(demo), "--json",
                        f"select a.url from batch_reports br join articles a on a.id = br.article_id "
                        f"where br.batch_id = {int(batch['id'])}")
        assert sorted(link.href for link in entry.links) == sorted(r["url"] for r in reports)
        assert len(reports) == batch["reports"]
