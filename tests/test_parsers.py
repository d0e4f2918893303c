"""Site parsers on saved pages (expected JSON beside each), the registry, article URLs and discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from monitor import registry
from monitor.dates import iso
from monitor.htmltext import decode_html
from tests.conftest import FIXTURES

FIELDS = ("title", "published", "author", "language", "text")
# Keys of an expected JSON that say how its page was made, not what the parser gives: never compared.
MADE_KEYS = ("constructed", "structure")
# How a constructed page's "structure" note starts -> what the page rests on (the README's words).
STRUCTURE_BASES = {
    "a real saved page of ": "real pages",
    "selectors used in public code": "selectors from public code",
    "inferred: ": "inferred structure",
    "site HTML unknown: ": "site HTML unknown",
    "no site: ": "no site",
}


def structure_basis(structure: str) -> str | None:
    """What a fixture's "structure" note says its page follows (a value of STRUCTURE_BASES), or None."""
    return next((basis for lead, basis in STRUCTURE_BASES.items() if structure.startswith(lead)), None)


def expected_jsons(source: str | None = None) -> list[dict]:
    """The expected JSON of every saved article page (of one source folder when given)."""
    return [json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))
            for p in _pages() if source is None or p.parent.name == source]


def _pages() -> list[Path]:
    # Saved article pages only: discovery pages live in <source>/discovery/ or carry a ".listing." suffix.
    return sorted(p for p in FIXTURES.glob("*/*.html") if ".listing." not in p.name)


@pytest.fixture(scope="module", params=_pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def parsed(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    page: Path = request.param
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    html, _ = decode_html(page.read_bytes(), None)
    _, parse = registry.parser_for(source=page.parent.name)
    return parse(html, expected["url"]), expected


@pytest.mark.parametrize("field", FIELDS)
def test_parser_output_matches_expected_json(parsed: tuple[dict, dict], field: str) -> None:
    got, expected = parsed
    if field not in expected:
        pytest.skip(f"the expected JSON gives no {field}")
    value = iso(got[field]) if field == "published" else got[field]  # parsers give datetimes, JSON keeps ISO text
    assert value == expected[field], f"field {field!r} differs"  # only FIELDS: MADE_KEYS are never compared


@pytest.mark.parametrize("page", _pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expected_json_has_only_known_keys(page: Path) -> None:
    keys = set(json.loads(page.with_suffix(".json").read_text(encoding="utf-8")))
    assert keys <= {"url", "source", *FIELDS, *MADE_KEYS}, keys - {"url", "source", *FIELDS, *MADE_KEYS}


@pytest.mark.parametrize("page", _pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expected_json_says_the_page_was_written_and_what_it_follows(page: Path) -> None:
    # Real pages may not be copied in (they stay in ../shared), so every fixture page was written here.
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert expected.get("constructed") is True
    assert structure_basis(expected.get("structure", "")), f"structure must start with one of {list(STRUCTURE_BASES)}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_only_generic_pages_follow_no_site(page: Path) -> None:
    basis = structure_basis(json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["structure"])
    assert (basis == "no site") is (page.parent.name == "generic")


def test_gbk_fixture_is_not_utf8_and_declares_no_charset() -> None:
    body = (FIXTURES / "xinhua_zh" / "2012-05-21_regional-broadband_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert b"charset" not in body.lower()
    assert decode_html(body, None)[1] == "gb18030"


def test_every_fixture_page_has_its_expected_json() -> None:
    missing = [str(p) for p in _pages() if not p.with_suffix(".json").exists()]
    assert not missing


def test_fixture_json_names_its_folder_as_source() -> None:
    wrong = [str(p) for p in _pages() if json.loads(p.with_suffix(".json").read_text())["source"] != p.parent.name]
    assert not wrong


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_every_registered_source_has_a_fixture_page(source: str) -> None:
    folder = FIXTURES / source
    pages = [p for p in folder.glob("*.html") if ".listing." not in p.name and p.with_suffix(".json").exists()]
    assert pages, f"tests/fixtures/{source}/ has no saved page with its expected JSON"


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://english.news.cn/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html", "xinhua_en"),
        ("http://www.news.cn/english/2025-03/03/c_1310000001.htm", "xinhua_en"),
        ("http://www.xinhuanet.com/english/2019-08/05/c_138285412.htm", "xinhua_en"),
        ("http://english.xinhuanet.com/2019-08/05/c_138285412.htm", "xinhua_en"),
        ("http://www.news.cn/fortune/20250304/7b2d9e4f10a34c6b8e1f2a3b4c5d6e7f/c.html", "xinhua_zh"),
        ("http://www.he.news.cn/20240515/d59c39d4160a4fe4b3084c3e4abfb450/c.html", "xinhua_zh"),
        ("http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm", "xinhua_zh"),
        ("http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm", "xinhua_zh"),
        ("http://www.china.org.cn/business/2025-03/05/content_117830001.htm", "chinaorg"),
        ("https://www.telecomreviewasia.com/news/industry-news/5123-china-approves", "telecomreviewasia"),
        ("https://spanish.news.cn/20250303/0123456789abcdef0123456789abcdef/c.html", "generic"),
        ("https://telecomweekly.example/regulation/2025/03/05/story", "generic"),
    ],
)
def test_parser_for_url_picks_the_source(url: str, source: str) -> None:
    assert registry.parser_for(url=url)[0] == source


@pytest.mark.parametrize(
    "url",
    [
        "https://english.news.cn/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html",
        "http://www.news.cn/english/2025-03/03/c_1310000001.htm",
        "http://www.news.cn/fortune/20250304/7b2d9e4f10a34c6b8e1f2a3b4c5d6e7f/c.html",
        "http://www.china.org.cn/business/2025-03/05/content_117830001.htm",
        "https://www.telecomreviewasia.com/news/featured-articles/5101-open-ran-momentum",
    ],
)
def test_no_two_sources_claim_one_url(url: str) -> None:
    claims = [name for name, cls in registry.spiders().items() if cls.handles(url)]
    assert len(claims) == 1, claims


@pytest.mark.parametrize(
    ("source", "url", "accepted"),
    [
        ("xinhua_en", "https://english.news.cn/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html", True),
        ("xinhua_en", "http://www.xinhuanet.com/english/2019-08/05/c_138285412.htm", True),
        ("xinhua_en", "https://english.news.cn/list/latestnews.htm", False),
        ("xinhua_en", "https://www.news.cn/fortune/20250304/7b2d9e4f10a34c6b8e1f2a3b4c5d6e7f/c.html", False),
        ("xinhua_en", "https://example.com/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html", False),
        ("xinhua_zh", "http://www.news.cn/fortune/20250304/7b2d9e4f10a34c6b8e1f2a3b4c5d6e7f/c.html", True),
        ("xinhua_zh", "http://www.xinhuanet.com/tech/2020-06/08/c_1126086612.htm", True),
        ("xinhua_zh", "http://www.he.xinhuanet.com/news/2012-05/21/content_25200000.htm", True),
        ("xinhua_zh", "https://www.news.cn/fortune/ds_1e491dadc8944459b71b7ab13422623d.json", False),
        ("xinhua_zh", "http://www.xinhuanet.com/tech/", False),
        ("xinhua_zh", "https://english.news.cn/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html", False),
        ("chinaorg", "http://www.china.org.cn/business/2025-03/05/content_117830001.htm", True),
        ("chinaorg", "http://www.china.org.cn/business/2021-07/01/content_77600001.html", True),
        ("chinaorg", "http://www.china.org.cn/business/", False),
        ("chinaorg", "http://www.china.org.cn/business/node_7233421.htm", False),
        ("chinaorg", "http://german.china.org.cn/business/2025-03/04/content_117829999.htm", False),
        ("telecomreviewasia", "https://www.telecomreviewasia.com/news/industry-news/5123-china-approves-first", True),
        ("telecomreviewasia", "https://www.telecomreviewasia.com/feed/", False),
        ("telecomreviewasia", "https://www.telecomreviewasia.com/events/summit-2025", False),
        ("telecomreviewasia", "https://www.example.com/news/industry-news/5123-china-approves-first", False),
    ],
)
def test_is_article_url(source: str, url: str, accepted: bool) -> None:
    assert registry.spiders()[source].is_article_url(url) is accepted


def _response(path: Path, url: str) -> TextResponse:
    body = path.read_bytes()
    if path.suffix == ".xml":
        return XmlResponse(url=url, body=body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    if path.suffix == ".json":
        return TextResponse(url=url, body=body, headers={"Content-Type": "application/json; charset=utf-8"})
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"})


@pytest.mark.parametrize(
    ("source", "file", "url", "expected"),
    [
        ("xinhua_en", "latestnews.listing.html", "https://english.news.cn/list/latestnews.htm", [
            "https://english.news.cn/20250303/c41e7a90d2b84f1a9e55b0c3d7a2f6e1/c.html",
            "https://english.news.cn/20250303/5d6e7f8091a2b3c4d5e6f708192a3b4c/c.html",
            "https://english.news.cn/20250302/0f1e2d3c4b5a69788796a5b4c3d2e1f0/c.html",
        ]),
        ("xinhua_zh", "ds_fortune.json", "https://www.news.cn/fortune/ds_1e491dadc8944459b71b7ab13422623d.json", [
            "https://www.news.cn/fortune/20250304/7b2d9e4f10a34c6b8e1f2a3b4c5d6e7f/c.html",
            "https://www.news.cn/fortune/20250303/99887766554433221100ffeeddccbbaa/c.html",
            "https://www.news.cn/fortune/20250302/00112233445566778899aabbccddeeff/c.html",
        ]),
        ("xinhua_zh", "tech.listing.html", "http://www.xinhuanet.com/tech/", [
            "http://www.xinhuanet.com/tech/20250303/11223344556677889900aabbccddeeff/c.html",
            "http://www.xinhuanet.com/tech/2020-06/08/c_1126086612.htm",
        ]),
        ("chinaorg", "business.listing.html", "http://www.china.org.cn/business/", [
            "http://www.china.org.cn/business/2025-03/05/content_117830001.htm",
            "http://www.china.org.cn/business/2025-03/04/content_117829876.html",
        ]),
        ("telecomreviewasia", "feed.xml", "https://www.telecomreviewasia.com/feed/", [
            "https://www.telecomreviewasia.com/news/industry-news/5123-china-approves-first-foreign-firms-under-telecom-opening-pilot",
            "https://www.telecomreviewasia.com/news/featured-articles/5101-open-ran-momentum",
        ]),
    ],
)
def test_discovery_yields_the_article_urls(source: str, file: str, url: str, expected: list[str]) -> None:
    spider = registry.spiders()[source]()
    response = _response(FIXTURES / source / "discovery" / file, url)
    assert list(dict.fromkeys(spider.discover(response))) == expected


@pytest.mark.parametrize("source", ["xinhua_en", "xinhua_zh", "chinaorg", "telecomreviewasia"])
def test_start_urls_are_not_taken_for_articles(source: str) -> None:
    cls = registry.spiders()[source]
    assert cls.start_urls and not any(cls.is_article_url(u) for u in cls.start_urls)


def test_the_sources_manifest_says_what_the_spiders_say() -> None:
    """`monitor sources` reads data/sources.json (no Scrapy to import); after changing a spider, write it
    again with `python -m monitor.registry`."""
    from pipelines.knowledge import load

    assert load(registry.MANIFEST) == registry.describe(), "run: python -m monitor.registry"
