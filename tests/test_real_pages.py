"""Site parsers on the real saved pages of ../shared/fixtures/real, against the gold given beside them."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from monitor import registry
from monitor.htmltext import decode_html
from monitor.textmetrics import bigram_f1
from tests.conftest import SHARED

REAL = SHARED / "fixtures" / "real"
MIN_F1 = 0.90
_CJK = re.compile(r"[\u4e00-\u9fff]")


def unwrap_wayback(url: str) -> str:
    """The original URL of a web.archive.org copy (https://web.archive.org/web/<ts>/<url>)."""
    m = re.match(r"^https?://web\.archive\.org/web/[^/]+/(.+)$", url)
    return m.group(1) if m else url


@cache
def provenance() -> dict[str, tuple[str | None, str | None]]:
    """file name -> (original URL, date) from the PROVENANCE tables (date only when a plain YYYY-MM-DD)."""
    table: dict[str, tuple[str | None, str | None]] = {}
    path = REAL / "PROVENANCE.md"
    if not path.exists():
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not cells[0].startswith("`"):
            continue
        name = cells[0].split("`")[1].split("/")[-1]
        url_match = re.search(r"(?:https?://)?[\w.-]+\.(?:cn|com|org)/\S*", cells[2])
        url = url_match.group(0) if url_match else None
        if url and not url.startswith("http"):
            url = "http://" + url
        date = cells[3] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[3]) else None
        table[name] = (url, date)
    return table


def gold_of(page: Path) -> dict:
    path = page.with_name(page.name[: -len(".html")] + ".expected.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def url_of(page: Path) -> str:
    gold = gold_of(page)
    if gold.get("url"):
        return unwrap_wayback(gold["url"])
    url, _ = provenance().get(page.name, (None, None))
    if url:
        return unwrap_wayback(url)
    # "he-xinhuanet-com_2012-…" -> http://he.xinhuanet.com/
    return "http://" + page.name.split("_")[0].replace("-", ".") + "/"


def _params() -> list:
    if not REAL.exists():
        return [pytest.param(None, id="shared-absent",
                             marks=pytest.mark.skip(reason=f"{REAL} is absent: ../shared is not beside the checkout"))]
    return [pytest.param(p, id=p.name[:-5]) for p in sorted(REAL.glob("*/*.html"))]


@cache
def parsed(page: Path) -> tuple[str, str, dict]:
    """(source, decoded html, parser output) for an article page with a site parser; skips the rest."""
    if "listing" in page.name:
        pytest.skip("a listing page, not an article")
    url = url_of(page)
    source, parse = registry.parser_for(url=url)
    if source == "generic":
        pytest.skip(f"no site parser for {url}")
    html, _ = decode_html(page.read_bytes(), None)
    return source, html, parse(html, url)


def _skip_unless_page(page: Path | None) -> Path:
    if page is None:
        pytest.skip("no real pages")
    return page


@pytest.mark.parametrize("page", _params())
def test_title_equals_gold(page: Path | None) -> None:
    page = _skip_unless_page(page)
    _, _, out = parsed(page)
    title = (gold_of(page).get("title") or "").strip()
    if not title:
        pytest.skip("the gold gives no title")
    assert out["title"] == title


@pytest.mark.parametrize("page", _params())
def test_date_equals_gold(page: Path | None) -> None:
    page = _skip_unless_page(page)
    _, _, out = parsed(page)
    gold = gold_of(page)
    date = (gold.get("date") or gold.get("publish_date") or "")[:10]
    if not date:
        # PROVENANCE's date: a full page carries it; a fragment (the main container only) may only have
        # it in its URL, which a parser should read when the page does not say.
        date = provenance().get(page.name, (None, None))[1]
    if not date or not date[:4].isdigit():
        pytest.skip("no gold date")
    if "FRAGMENT" in page.name and out["published"] is None:
        pytest.skip("a fragment with no date in its text or URL")
    assert out["published"] is not None and out["published"].date().isoformat() == date[:10]


@pytest.mark.parametrize("page", _params())
def test_main_text_matches_gold(page: Path | None) -> None:
    page = _skip_unless_page(page)
    _, _, out = parsed(page)
    gold = gold_of(page)
    reference = gold.get("content") or (gold.get("text") if "publish_date" in gold else None)
    if reference:
        assert bigram_f1(out["text"], reference) >= MIN_F1
    elif gold.get("with") or gold.get("without"):
        assert [s for s in gold.get("with", []) if s not in out["text"]] == []
        assert [s for s in gold.get("without", []) if s in out["text"]] == []
    else:
        pytest.skip("the gold gives no main text")


@pytest.mark.parametrize("page", _params())
def test_chinese_pages_decode_to_chinese(page: Path | None) -> None:
    page = _skip_unless_page(page)
    source, html, out = parsed(page)
    if not (source.endswith("_zh") or re.search(r"(?:^|[-_])zh(?:[-_.]|$)", page.name)):
        pytest.skip("not a Chinese page")
    assert "\ufffd" not in html
    gold = gold_of(page)
    known = [w for w in [gold.get("title", "").strip(), *gold.get("with", [])] if _CJK.search(w)]
    for word in known:
        assert word in out["text"] or word == out["title"], word
    assert len(_CJK.findall(out["text"])) >= 50


def _listing_params() -> list:
    if not REAL.exists():
        return [pytest.param(None, id="shared-absent",
                             marks=pytest.mark.skip(reason=f"{REAL} is absent: ../shared is not beside the checkout"))]
    return [pytest.param(p, id=p.name[:-5]) for p in sorted(REAL.glob("*/*listing*.html"))]


@pytest.mark.parametrize("page", _listing_params())
def test_real_listing_gives_article_links_to_its_spider(page: Path | None) -> None:
    """Discovery on the real listing pages: the source's own link rules find its articles there."""
    from scrapy.http import HtmlResponse

    page = _skip_unless_page(page)
    url = url_of(page)
    spider_cls = next((cls for cls in registry.spiders().values() if cls.handles(url)), None)
    if spider_cls is None:
        pytest.skip(f"no source for {url}")
    spider = spider_cls()
    spider.topic_words = ()  # these saved listings are not about the policy: keep every article link
    links = list(spider.discover(HtmlResponse(url, body=page.read_bytes())))
    assert links, f"{spider_cls.name} found no article link on {page.name}"
    assert all(spider_cls.is_article_url(link) for link in links)
