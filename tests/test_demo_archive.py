"""The bundled demo archive: it holds every demo page, its articles parse, its discovery pages lead to them."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from monitor import demo, registry
from monitor.archive import ArchivedResponse, load_archive, url_key
from monitor.htmltext import decode_html

ARCHIVE = demo.DEFAULT_OUT
PAGES = demo.load_manifest()

E1 = "https://english.news.cn/20250228/8c41f0a2d7e94b6f9a1c3e5d7b2f4a60/c.html"
E2 = "https://english.news.cn/20250227/3b7e9d15c2a84f06b8e1d4c9a7f25e13/c.html"
E3 = "https://english.news.cn/20250301/f0d2a6b9e4c7431d8e5a9b1c6d3f7e28/c.html"
Z1 = "https://www.news.cn/fortune/20250228/5e8a1c3f9b2d4e7a8c6f0b4d2e9a1c75/c.html"
Z2 = "http://www.xinhuanet.com/tech/2024-04/10/c_1130108824.htm"
C1 = "http://www.china.org.cn/business/2025-03/03/content_117743215.htm"
TRA = "https://www.telecomreviewasia.com/news/industry-news/"
T1 = TRA + "4873-china-opens-value-added-telecom-pilots-to-13-foreign-invested-firms"
T2 = TRA + "4841-multinationals-line-up-for-chinas-value-added-telecom-pilot"
T3 = TRA + "4856-china-ends-2024-with-over-4-25-million-5g-base-stations"

# Article URL -> (source whose parser reads it, day of publication).
ARTICLES = {
    E1: ("xinhua_en", "2025-02-28"),
    E2: ("xinhua_en", "2025-02-27"),
    E3: ("xinhua_en", "2025-03-01"),
    Z1: ("xinhua_zh", "2025-02-28"),
    Z2: ("xinhua_zh", "2024-04-10"),
    C1: ("chinaorg", "2025-03-03"),
    T1: ("telecomreviewasia", "2025-03-03"),
    T2: ("telecomreviewasia", "2025-02-20"),
    T3: ("telecomreviewasia", "2025-02-25"),
}

# Discovery page -> (source, the article URLs it must yield).
DISCOVERY = {
    "https://english.news.cn/list/latestnews.htm": ("xinhua_en", {E1, E2, E3}),
    "https://english.news.cn/list/china-business.htm": ("xinhua_en", {E1, E2, E3}),
    "https://www.news.cn/fortune/ds_1e491dadc8944459b71b7ab13422623d.json": ("xinhua_zh", {Z1}),
    "https://www.news.cn/tech/ds_fd79514d92f34849bc8baef7ce3d5aae.json": ("xinhua_zh", {Z1}),
    "http://www.xinhuanet.com/tech/": ("xinhua_zh", {Z1, Z2}),
    "http://www.china.org.cn/business/": ("chinaorg", {C1}),
    "https://www.telecomreviewasia.com/feed/": ("telecomreviewasia", {T1, T2, T3}),
}

# The story the demo tells, phrase by phrase: who reported the batch, and how.
STORY = [
    (E1, "said on Friday"),
    (E1, "T-Systems P.R. China Ltd."),
    (E2, "four foreign-invested enterprises"),
    (E2, "Feb. 26"),
    (Z1, "首批13家外资企业"),
    (Z2, "王喆"),
    (C1, "first batch of 13 foreign-invested enterprises"),
    (T1, "2,400 new foreign-invested enterprises"),
    (T1, "planning to apply"),
    (T2, "planning to apply"),
    (T3, "5G base stations"),
]


@pytest.fixture(scope="module")
def index() -> dict[str, ArchivedResponse]:
    return load_archive(ARCHIVE)


def _response(archived: ArchivedResponse) -> Response:
    """The archived page as the replay middleware hands it to a spider."""
    headers = Headers(archived.headers)
    cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    return cls(url=archived.url, status=archived.status, headers=headers, body=archived.body)


def _parse(archived: ArchivedResponse) -> tuple[str, dict]:
    html, _ = decode_html(archived.body, dict(archived.headers).get("Content-Type"))
    source, parser = registry.parser_for(url=archived.url)
    return source, parser(html, archived.url)


@pytest.mark.parametrize("page", PAGES, ids=[p.url for p in PAGES])
def test_archive_holds_the_manifest_page_as_built_now(index: dict[str, ArchivedResponse], page: demo.DemoPage) -> None:
    archived = index[url_key(page.url)]
    assert (archived.status, archived.body) == (page.status, page.body()), "stale archive: run python -m monitor.demo"


def test_every_demo_page_is_an_article_a_discovery_page_or_robots() -> None:
    listed = {p.url for p in PAGES if not p.url.endswith("/robots.txt")}
    assert listed == set(ARTICLES) | set(DISCOVERY)


@pytest.mark.parametrize("host", sorted({url_key(p.url).split("/")[0] for p in PAGES}))
def test_every_host_has_robots_txt(index: dict[str, ArchivedResponse], host: str) -> None:
    assert index[f"{host}/robots.txt"].status == 200


@pytest.mark.parametrize("source", sorted({s for s, _ in DISCOVERY.values()}))
def test_every_start_url_of_the_source_is_archived(index: dict[str, ArchivedResponse], source: str) -> None:
    missing = [u for u in registry.spiders()[source].start_urls if url_key(u) not in index]
    assert not missing


@pytest.mark.parametrize(("url", "expected"), ARTICLES.items(), ids=list(ARTICLES))
def test_article_parses_with_its_source_parser(
    index: dict[str, ArchivedResponse], url: str, expected: tuple[str, str]
) -> None:
    source, fields = _parse(index[url_key(url)])
    assert source == expected[0]
    assert fields["title"]
    assert fields["published"] is not None and fields["published"].date().isoformat() == expected[1]
    assert fields["text"]


@pytest.mark.parametrize(("url", "phrase"), STORY, ids=[f"{u.rsplit('/', 2)[-2]}:{p}" for u, p in STORY])
def test_article_text_tells_the_story(index: dict[str, ArchivedResponse], url: str, phrase: str) -> None:
    _, fields = _parse(index[url_key(url)])
    assert phrase in fields["text"]


@pytest.mark.parametrize(("url", "expected"), DISCOVERY.items(), ids=list(DISCOVERY))
def test_discovery_page_yields_the_articles(
    index: dict[str, ArchivedResponse], url: str, expected: tuple[str, set[str]]
) -> None:
    source, articles = expected
    spider = registry.spiders()[source]()
    found = set(spider.discover(_response(index[url_key(url)])))
    assert articles <= found


def test_gbk_page_has_no_charset_in_its_header(index: dict[str, ArchivedResponse]) -> None:
    archived = index[url_key(Z2)]
    assert dict(archived.headers)["Content-Type"] == "text/html"
    assert b'charset=gb2312' in archived.body
    with pytest.raises(UnicodeDecodeError):
        archived.body.decode("utf-8")


def test_gbk_page_decodes_without_replacement(index: dict[str, ArchivedResponse]) -> None:
    archived = index[url_key(Z2)]
    text, _ = decode_html(archived.body, "text/html")
    assert "\ufffd" not in text
    # 喆 is in GBK but not in GB2312: the declared charset alone would lose it.
    assert "（记者王喆）工业和信息化部10日对外发布通告" in text


def test_builder_writes_every_manifest_page(tmp_path: Path) -> None:
    out = tmp_path / "demo.warc.gz"
    assert demo.main(["--out", str(out)]) == 0
    assert len(load_archive(out)) == len(PAGES)


def test_builder_refuses_a_folder_without_manifest(tmp_path: Path) -> None:
    assert demo.main(["--site", str(tmp_path), "--out", str(tmp_path / "x.warc.gz")]) == 2
    assert not (tmp_path / "x.warc.gz").exists()
