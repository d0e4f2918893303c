"""The generic parser (monitor.generic.parse_article) on small pages written here: metadata, language, text."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from monitor.generic import parse_article

URL = "https://news.example/2025/03/05/story"
BEIJING = ZoneInfo("Asia/Shanghai")

PARAGRAPHS_EN = [
    "Regulators in Beijing have approved the first foreign-invested firms to run value-added telecom "
    "services in four pilot areas, the industry ministry said on Wednesday.",
    "The thirteen companies may now operate internet data centres, content delivery networks and online "
    "data processing businesses in Beijing, Shanghai, Hainan and Shenzhen.",
    "Analysts said more approvals were likely once the first firms had shown how the licensing works in "
    "practice, and that the pilot areas could widen next year.",
]
PARAGRAPHS_ZH = [
    "工业和信息化部日前批复了首批外商投资企业在北京、上海、海南和深圳开展增值电信业务，涉及企业共计十三家。",
    "业内分析认为，获批企业多集中在数据中心和内容分发领域，显示外资对中国数字基础设施市场保持较高兴趣。",
    "有关部门表示，后续将按照成熟一批、批准一批的原则，持续推进试点工作，同时强化事中事后监管。",
]
TEXT_EN = "\n\n".join(PARAGRAPHS_EN)
TEXT_ZH = "\n\n".join(PARAGRAPHS_ZH)


def page(head: str = "", paragraphs: list[str] = PARAGRAPHS_EN, lang: str | None = None, before: str = "") -> str:
    """A minimal news page: `head` markup, then an <article> holding `before` and one <p> per paragraph."""
    lang_attr = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8">{head}</head><body>'
            f'<nav><a href="/">Home</a> <a href="/regulation/">Regulation</a></nav>'
            f"<article>{before}{body}</article><footer>Copyright News Example</footer></body></html>")


def json_ld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def og(prop: str, content: str) -> str:
    return f'<meta property="{prop}" content="{content}">'


# ---- a page with JSON-LD -------------------------------------------------------------------------------

JSON_LD_PAGE = page(
    "<title>Page title | News Example</title>"
    + og("og:title", "OpenGraph title")
    + json_ld(headline="Foreign firms cleared for telecom pilots", datePublished="2025-03-05T07:15:00+00:00",
              author=[{"@type": "Person", "name": "Sam Writer"}, {"@type": "Person", "name": "Alex Editor"}],
              inLanguage="en-GB")
)


def test_json_ld_headline_is_the_title() -> None:
    assert parse_article(JSON_LD_PAGE, URL)["title"] == "Foreign firms cleared for telecom pilots"


def test_json_ld_date_published_is_an_aware_datetime() -> None:
    assert parse_article(JSON_LD_PAGE, URL)["published"] == datetime(2025, 3, 5, 7, 15, tzinfo=UTC)


def test_json_ld_authors_are_joined() -> None:
    assert parse_article(JSON_LD_PAGE, URL)["author"] == "Sam Writer, Alex Editor"


def test_json_ld_page_language_and_text() -> None:
    got = parse_article(JSON_LD_PAGE, URL)
    assert (got["language"], got["text"]) == ("en", TEXT_EN)


@pytest.mark.parametrize(
    "ld",
    [
        {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": "News Example"},
            {"@type": "NewsArticle", "headline": "In a graph", "datePublished": "2025-03-07"}]},
        [{"@type": "Organization", "name": "News Example"},
         {"@type": ["NewsArticle"], "headline": "In a graph", "datePublished": "2025-03-07"}],
    ],
    ids=["@graph", "top-level list"],
)
def test_json_ld_article_is_found_among_other_objects(ld: object) -> None:
    html = page(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    got = parse_article(html, URL)
    assert (got["title"], got["published"]) == ("In a graph", datetime(2025, 3, 7, tzinfo=BEIJING))


def test_json_ld_article_body_is_the_text_when_the_page_shows_none() -> None:
    html = ('<html><head>' + json_ld(headline="Body only in JSON-LD", articleBody="First line.\nSecond line.")
            + "</head><body></body></html>")
    assert parse_article(html, URL)["text"] == "First line.\n\nSecond line."


# ---- a page with OpenGraph tags only --------------------------------------------------------------------

OG_PAGE = page(og("og:title", "China names first foreign telecom pilot firms")
               + og("article:published_time", "2025-03-04T11:20:00+08:00") + og("og:locale", "en_GB"))


def test_og_title_is_the_title() -> None:
    assert parse_article(OG_PAGE, URL)["title"] == "China names first foreign telecom pilot firms"


def test_article_published_time_is_the_date() -> None:
    assert parse_article(OG_PAGE, URL)["published"] == datetime(2025, 3, 4, 11, 20, tzinfo=timezone(timedelta(hours=8)))


def test_og_page_language_and_text() -> None:
    got = parse_article(OG_PAGE, URL)
    assert (got["author"], got["language"], got["text"]) == (None, "en", TEXT_EN)


# ---- a page with no metadata at all ---------------------------------------------------------------------

BARE_PAGE = page("<title>Thirteen firms approved - News Example</title>")


def test_bare_page_title_is_the_title_tag_without_the_site_name() -> None:
    assert parse_article(BARE_PAGE, URL)["title"] == "Thirteen firms approved"


def test_bare_page_has_no_date_and_no_author() -> None:
    got = parse_article(BARE_PAGE, URL)
    assert (got["published"], got["author"]) == (None, None)


def test_bare_page_language_and_text() -> None:
    got = parse_article(BARE_PAGE, URL)
    assert (got["language"], got["text"]) == ("en", TEXT_EN)


def test_h1_is_the_title_before_the_title_tag() -> None:
    html = page("<title>Site name only</title>", before="<h1>Heading of the story</h1>")
    assert parse_article(html, URL)["title"] == "Heading of the story"


# ---- where the date comes from --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "before", "published"),
    [
        (json_ld(headline="H", datePublished="2025-03-05T07:15:00Z"), "", datetime(2025, 3, 5, 7, 15, tzinfo=UTC)),
        ('<meta name="publishdate" content="2025-03-06">', "", datetime(2025, 3, 6, tzinfo=BEIJING)),
        ('<meta name="pubdate" content="2025-03-06 09:05">', "", datetime(2025, 3, 6, 9, 5, tzinfo=BEIJING)),
        ("", '<time datetime="2025-03-08T09:00:00+00:00">8 March</time>', datetime(2025, 3, 8, 9, 0, tzinfo=UTC)),
        ("", "", None),
    ],
    ids=["json-ld", "publishdate meta", "pubdate meta (naive: Beijing)", "time element", "none"],
)
def test_published(head: str, before: str, published: datetime | None) -> None:
    assert parse_article(page(head, before=before), URL)["published"] == published


def test_published_is_always_aware() -> None:
    got = parse_article(page('<meta name="publishdate" content="2025-03-06">'), URL)["published"]
    assert got is not None and got.utcoffset() == timedelta(hours=8)


# ---- a page whose title repeats as its first paragraph ---------------------------------------------------

def test_title_repeated_as_the_first_paragraph_is_not_text() -> None:
    title = "Foreign firms cleared for telecom pilots"
    html = page(og("og:title", title), paragraphs=[title, *PARAGRAPHS_EN])
    got = parse_article(html, URL)
    assert (got["title"], got["text"]) == (title, TEXT_EN)


def test_a_first_paragraph_that_only_starts_like_the_title_is_text() -> None:
    title = "Foreign firms cleared"
    first = "Foreign firms cleared for telecom pilots in four areas of the country, officials confirmed."
    html = page(og("og:title", title), paragraphs=[first, *PARAGRAPHS_EN])
    assert parse_article(html, URL)["text"] == "\n\n".join([first, *PARAGRAPHS_EN])


# ---- a Chinese page -------------------------------------------------------------------------------------

ZH_PAGE = page("<title>四地试点首批外资电信企业获批_示例财经网</title>"
               + '<meta name="publishdate" content="2025-03-06 09:05">', paragraphs=PARAGRAPHS_ZH)


def test_chinese_page_title_is_the_title_tag_without_the_site_name() -> None:
    assert parse_article(ZH_PAGE, URL)["title"] == "四地试点首批外资电信企业获批"


def test_chinese_page_date_is_beijing_time() -> None:
    assert parse_article(ZH_PAGE, URL)["published"] == datetime(2025, 3, 6, 9, 5, tzinfo=BEIJING)


def test_chinese_page_language_and_text() -> None:
    got = parse_article(ZH_PAGE, URL)
    assert (got["language"], got["text"]) == ("zh", TEXT_ZH)


# ---- the language -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("html", "language"),
    [
        (page(lang="en"), "en"),
        (page(lang="zh-CN", paragraphs=PARAGRAPHS_ZH), "zh"),
        (page(json_ld(headline="H", inLanguage="zh-Hans"), paragraphs=PARAGRAPHS_EN), "zh"),
        (page(og("og:locale", "zh_CN"), paragraphs=PARAGRAPHS_EN), "zh"),
        (page(paragraphs=PARAGRAPHS_ZH), "zh"),
        (page(), "en"),
    ],
    ids=["declared en", "declared zh-CN", "json-ld inLanguage wins over the text", "og:locale",
         "undeclared Chinese text", "undeclared English text"],
)
def test_language(html: str, language: str) -> None:
    assert parse_article(html, URL)["language"] == language


# ---- broken JSON-LD -------------------------------------------------------------------------------------

BROKEN_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken", </script>'


def test_broken_json_ld_falls_back_to_the_meta_tags() -> None:
    html = page(BROKEN_LD + og("og:title", "Title from OpenGraph") + og("article:published_time", "2025-03-06"))
    got = parse_article(html, URL)
    assert (got["title"], got["published"], got["text"]) == (
        "Title from OpenGraph", datetime(2025, 3, 6, tzinfo=BEIJING), TEXT_EN)


def test_broken_json_ld_block_does_not_hide_a_later_good_one() -> None:
    html = page(BROKEN_LD + json_ld(headline="From the second block", datePublished="2025-03-07"))
    got = parse_article(html, URL)
    assert (got["title"], got["published"]) == ("From the second block", datetime(2025, 3, 7, tzinfo=BEIJING))


# ---- authors --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "author"),
    [
        (json_ld(headline="H", author="By Priya Raman"), "Priya Raman"),
        (json_ld(headline="H", author={"@type": "Person", "name": "Priya Raman"}), "Priya Raman"),
        ('<meta name="author" content="3187">', None),
        ('<meta name="author" content="https://news.example/staff/priya">', None),
    ],
    ids=["'By' dropped", "Person", "numeric id is not a name", "URL is not a name"],
)
def test_author(head: str, author: str | None) -> None:
    assert parse_article(page(head), URL)["author"] == author


# ---- pages with nothing to read -------------------------------------------------------------------------

def test_a_page_without_text_gives_empty_text_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="monitor.generic"):
        got = parse_article("<html><head><title>Empty</title></head><body></body></html>", URL)
    assert (got["title"], got["published"], got["text"]) == ("Empty", None, "")
    assert "no main text" in caplog.text


# ---- known bug ------------------------------------------------------------------------------------------

@pytest.mark.xfail(strict=True, reason="strip_title_suffix takes an unspaced hyphen inside a <title> for the "
                   "separator before a site name, and drops the rest when it merely contains 'news' or '网'")
@pytest.mark.parametrize("title", ["Sino-foreign newsroom opens in Beijing", "5G-互联网融合发展提速"])
def test_title_tag_keeps_a_hyphenated_word(title: str) -> None:
    html = page(f"<title>{title}</title>", paragraphs=PARAGRAPHS_EN if title.isascii() else PARAGRAPHS_ZH)
    assert parse_article(html, URL)["title"] == title


def test_article_body_given_as_markup_in_json_ld_becomes_text() -> None:
    """Regression: an articleBody carrying <p> tags was kept with its tags when trafilatura found nothing."""
    from monitor.generic import ld_text

    assert ld_text("<p>First paragraph.</p><p>Second &amp; last.</p>").split("\n") == ["First paragraph.",
                                                                                    "Second & last."]
    assert ld_text("Plain text stays as it is.") == "Plain text stays as it is."
