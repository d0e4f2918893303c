"""The generic parser (monitor.generic.parse_article) on small pages written here: metadata, language, text."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from monitor.generic import parse_article

# An unknown host whose URL carries no day: a time it prints without a zone keeps only its day (00:00 UTC).
URL = "https://news.example/regulation/foreign-firms-cleared"
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
    assert (got["title"], got["published"]) == ("In a graph", datetime(2025, 3, 7, tzinfo=UTC))


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
        ('<meta name="publishdate" content="2025-03-06">', "", datetime(2025, 3, 6, tzinfo=UTC)),
        ('<meta name="pubdate" content="2025-03-06 09:05">', "", datetime(2025, 3, 6, tzinfo=UTC)),
        ("", '<time datetime="2025-03-08T09:00:00+00:00">8 March</time>', datetime(2025, 3, 8, 9, 0, tzinfo=UTC)),
        ("", "", None),
    ],
    ids=["json-ld", "publishdate meta", "pubdate meta (naive, unknown host: the day only)", "time element", "none"],
)
def test_published(head: str, before: str, published: datetime | None) -> None:
    assert parse_article(page(head, before=before), URL)["published"] == published


def test_published_is_always_aware() -> None:
    got = parse_article(page('<meta name="publishdate" content="2025-03-06 09:05">'), URL)["published"]
    assert got is not None and got.utcoffset() is not None


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
        "Title from OpenGraph", datetime(2025, 3, 6, tzinfo=UTC), TEXT_EN)


def test_broken_json_ld_block_does_not_hide_a_later_good_one() -> None:
    html = page(BROKEN_LD + json_ld(headline="From the second block", datePublished="2025-03-07"))
    got = parse_article(html, URL)
    assert (got["title"], got["published"]) == ("From the second block", datetime(2025, 3, 7, tzinfo=UTC))


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


# ---- titles taken from <title> alone ---------------------------------------------------------------------

@pytest.mark.parametrize("title", ["Sino-foreign newsroom opens in Beijing", "5G-互联网融合发展提速"])
def test_title_tag_keeps_a_hyphenated_word(title: str) -> None:
    """Regression: an unspaced hyphen was taken for the separator before a site name ("Sino")."""
    html = page(f"<title>{title}</title>", paragraphs=PARAGRAPHS_EN if title.isascii() else PARAGRAPHS_ZH)
    assert parse_article(html, URL)["title"] == title


def test_article_body_given_as_markup_in_json_ld_becomes_text() -> None:
    """Regression: an articleBody carrying <p> tags was kept with its tags when trafilatura found nothing."""
    from monitor.generic import ld_text

    assert ld_text("<p>First paragraph.</p><p>Second &amp; last.</p>").split("\n") == ["First paragraph.",
                                                                                    "Second & last."]
    assert ld_text("Plain text stays as it is.") == "Plain text stays as it is."


# ---- dates: placeholders, article types, the zone of a time printed without one ------------------------

@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31"])
def test_a_placeholder_date_is_refused_and_the_next_source_is_read(placeholder: str) -> None:
    """Regression: 0001-01-01T00:00:00Z was stored as 0001-01-01T08:06:00+08:06."""
    html = page(json_ld(headline="H", datePublished=placeholder) + og("article:published_time", "2025-03-05T09:30:00Z"))
    assert parse_article(html, URL)["published"] == datetime(2025, 3, 5, 9, 30, tzinfo=UTC)


def test_a_placeholder_date_alone_gives_no_date() -> None:
    assert parse_article(page(json_ld(headline="H", datePublished="0001-01-01T00:00:00Z")), URL)["published"] is None


@pytest.mark.parametrize("kind", ["ReportageNewsArticle", "AnalysisNewsArticle", "Article", "BlogPosting"])
def test_news_article_subtypes_are_articles(kind: str) -> None:
    ld = {"@type": kind, "headline": "Typed story", "datePublished": "2025-03-05T07:15:00Z"}
    got = parse_article(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'), URL)
    assert (got["title"], got["published"]) == ("Typed story", datetime(2025, 3, 5, 7, 15, tzinfo=UTC))


def test_a_news_article_is_preferred_to_the_web_page_before_it() -> None:
    ld = {"@graph": [{"@type": "WebPage", "headline": "Page", "datePublished": "2025-03-01T00:00:00Z"},
                     {"@type": "NewsArticle", "headline": "Story", "datePublished": "2025-03-05T07:15:00Z"}]}
    got = parse_article(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'), URL)
    assert (got["title"], got["published"]) == ("Story", datetime(2025, 3, 5, 7, 15, tzinfo=UTC))


LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("url", "tz", "head", "published"),
    [
        ("https://news.example/a", "Europe/London",
         json_ld(headline="H", datePublished="2025-07-05T10:00:00", dateModified="2025-07-05T12:00:00-04:00"),
         datetime(2025, 7, 5, 10, tzinfo=timezone(timedelta(hours=-4)))),
        ("https://news.example/a", "Europe/London", og("article:published_time", "2025-07-05 10:00"),
         datetime(2025, 7, 5, 10, tzinfo=LONDON)),
        ("https://news.example/a", "Europe/London", og("article:published_time", "2025-07-05"),
         datetime(2025, 7, 5, tzinfo=LONDON)),
        ("https://www.lightreading.com/regulatory-politics/china-approves-foreign-firms", None,
         og("article:published_time", "2025-07-05 10:00"), datetime(2025, 7, 5, 10, tzinfo=NEW_YORK)),
        ("https://www.example.com.cn/a", None, og("article:published_time", "2025-07-05 10:00"),
         datetime(2025, 7, 5, 10, tzinfo=BEIJING)),
        ("https://english.news.cn/20250705/abc/c.html", None, og("article:published_time", "2025-07-05 10:00"),
         datetime(2025, 7, 5, 10, tzinfo=BEIJING)),
        ("https://www.paper.co.uk/a", None, og("article:published_time", "2025-07-05 10:00"),
         datetime(2025, 7, 5, 10, tzinfo=LONDON)),
        ("https://news.example/a", None, og("article:published_time", "2025-07-05 23:30"),
         datetime(2025, 7, 5, tzinfo=UTC)),
    ],
    ids=["the page's own offset wins", "the source's zone", "a day alone, in the source's zone",
         "a source's host without tz (monitor parse)", "Chinese host", "news.cn", "a one-zone country's host",
         "unknown host: the printed day only"],
)
def test_zone_of_a_time_printed_without_one(url: str, tz: str | None, head: str, published: datetime) -> None:
    got = parse_article(page(head), url, tz=tz)["published"]
    assert (got, got.utcoffset() if got else None) == (published, published.utcoffset())


@pytest.mark.parametrize(
    ("url", "published"),
    [("https://news.example/a", datetime(2025, 3, 5, tzinfo=UTC)),
     ("https://www.paper.in/a", datetime(2025, 3, 5, 10, 5, tzinfo=ZoneInfo("Asia/Kolkata")))],
    ids=["unknown host: the day only", "Indian host: India's zone"],
)
def test_an_ambiguous_zone_abbreviation_is_no_zone(url: str, published: datetime) -> None:
    """IST is India's, Israel's or Ireland's; dateparser reads it as Israel's."""
    assert parse_article(page(og("article:published_time", "March 5, 2025 10:05 AM IST")), url)["published"] == published


def test_a_later_source_on_the_same_day_gives_the_time() -> None:
    html = page(json_ld(headline="H", datePublished="2025-03-05") + og("article:published_time", "2025-03-05T09:30:00Z"))
    assert parse_article(html, URL)["published"] == datetime(2025, 3, 5, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    ["https://news.example/2025/03/05/foreign-firms-cleared", "https://news.example/news/2025-03-05/story.html",
     "https://news.example/local/2025-03/05/c_1130.htm", "https://news.example/2025/20250305-foreign-firms"],
    ids=["/2025/03/05/", "/2025-03-05/", "/2025-03/05/", "/20250305-"],
)
def test_the_day_in_the_url_is_the_last_source(url: str) -> None:
    assert parse_article(page(), url)["published"] == datetime(2025, 3, 5, tzinfo=UTC)


def test_a_time_element_far_from_the_day_in_the_url_is_not_the_date() -> None:
    """A <time> of a comment or a teaser is not the article's."""
    html = page(before='<time datetime="2009-04-11T18:06:36+02:00">11 April 2009</time>')
    got = parse_article(html, "https://news.example/2025/03/05/foreign-firms-cleared")["published"]
    assert got == datetime(2025, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "zone"),
    [("capacitymedia", "Europe/London"), ("datacenterdynamics", "Europe/London"),
     ("developingtelecoms", "Europe/London"), ("mobileworldlive", "Europe/London"),
     ("lightreading", "America/New_York"), ("telegeography", "America/New_York"),
     ("telecomreviewasia", "Asia/Dubai"), ("globaltimes", "Asia/Shanghai"), ("govcn_en", "Asia/Shanghai"),
     ("miit", "Asia/Shanghai")],
)
def test_each_source_names_its_home_zone(source: str, zone: str) -> None:
    from monitor import registry

    assert registry.spiders()[source].timezone == zone


# ---- choosing the main text ------------------------------------------------------------------------------

OTHER_PAGES = [f"Another page of the site, number {i}, with a list of links and nothing else to read." for i in range(30)]
NOTICE = "This article first appeared in the print edition. Reprinted with permission; all rights belong to the author."


@pytest.mark.parametrize(
    ("precise", "default", "chosen"),
    [
        ([NOTICE], [NOTICE, *PARAGRAPHS_EN], [NOTICE, *PARAGRAPHS_EN]),
        (PARAGRAPHS_EN, [*PARAGRAPHS_EN, "Most read: ten other stories"], PARAGRAPHS_EN),
        ([], PARAGRAPHS_EN, PARAGRAPHS_EN),
        (["March 5, 2025"], PARAGRAPHS_EN, PARAGRAPHS_EN),
        (PARAGRAPHS_EN * 2, OTHER_PAGES, PARAGRAPHS_EN * 2),
        ([NOTICE], [NOTICE, "2025-03-05T07:15:00+01:00", NOTICE, "2025-03-05T07:15:00+01:00", NOTICE], [NOTICE]),
    ],
    ids=["a tiny precise result inside a much longer default one", "the precise result when close in length",
         "the default when the precise one is empty", "a tiny precise result not in the default one",
         "not a longer default result that does not hold a precise story",
         "not a default result that repeats itself"],
)
def test_choose_body_between_trafilatura_passes(monkeypatch: pytest.MonkeyPatch, precise: list[str],
                                                default: list[str], chosen: list[str]) -> None:
    """Regression: a 260-character reprint notice was taken for the story."""
    from monitor import generic

    monkeypatch.setattr(generic, "trafilatura_paragraphs",
                        lambda html, url, precision=True: precise if precision else default)
    assert generic.choose_body("<html></html>", URL, Selector(text="<html></html>").root, {}) == chosen


def test_json_ld_article_body_wins_over_a_visible_fragment() -> None:
    html = page(json_ld(headline="H", articleBody="\n".join(PARAGRAPHS_EN + PARAGRAPHS_EN[::-1])),
                paragraphs=[PARAGRAPHS_EN[0]])
    assert parse_article(html, URL)["text"] == "\n\n".join(PARAGRAPHS_EN + PARAGRAPHS_EN[::-1])


def test_a_body_split_by_an_ad_row_is_joined() -> None:
    from monitor.generic import join_parts

    html = (f'<html><body><article><div class="story-part"><p>{PARAGRAPHS_EN[0]}</p><p>{PARAGRAPHS_EN[1]}</p></div>'
            '<div class="ad-row"><a href="/ad">Advertisement</a></div>'
            f'<div class="story-part"><p>{PARAGRAPHS_EN[2]}</p></div></article></body></html>')
    assert join_parts(Selector(text=html).root, PARAGRAPHS_EN[:2]) == PARAGRAPHS_EN


def test_a_teaser_list_dressed_like_the_body_is_not_joined() -> None:
    from monitor.generic import join_parts

    teasers = "".join(f'<a href="/s{i}">Another story about telecom licences number {i}</a>' for i in range(4))
    html = (f'<html><body><div class="text"><p>{PARAGRAPHS_EN[0]}</p><p>{PARAGRAPHS_EN[1]}</p></div>'
            f'<div class="text"><p>{teasers}</p></div></body></html>')
    assert join_parts(Selector(text=html).root, PARAGRAPHS_EN[:2]) == PARAGRAPHS_EN[:2]


# ---- JSON-LD read leniently -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw",
    [
        '{"@type": "NewsArticle", "headline": "Lenient\tread", "articleBody": "Line one.\nLine two."}',
        '{"@type": "NewsArticle", "headline": "Lenient\tread", "author": [{"name": "A"},],}',
        '<!--\n{"@type": "NewsArticle", "headline": "Lenient\tread"}\n-->',
    ],
    ids=["raw control characters in strings", "trailing commas", "an HTML comment around it"],
)
def test_json_ld_is_read_leniently(raw: str) -> None:
    html = page(f'<script type="application/ld+json">{raw}</script>')
    assert parse_article(html, URL)["title"] == "Lenient read"


# ---- tables --------------------------------------------------------------------------------------------------

def test_a_table_that_is_the_article_is_kept() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>Team {c}</td><td>{30 - i}</td></tr>" for i, c in enumerate("ABCDEF", 1))
    html = page("<title>League table after round 12</title>",
                before=f"<table><tr><th>Pos</th><th>Club</th><th>Points</th></tr>{rows}</table>",
                paragraphs=PARAGRAPHS_EN[:1])
    text = parse_article(html, URL)["text"]
    assert ("| 1 | Team A | 29 |" in text, "| 6 | Team F | 24 |" in text, "---" in text) == (True, True, False)


# ---- the headline left as the first paragraph ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "first"),
    [
        (og("og:title", "China’s ministry clears 13 foreign firms"), "China's ministry clears 13 foreign firms"),
        ("<title>China's ministry clears 13 foreign firms | News Example</title>",
         "China's ministry clears 13 foreign firms"),
        (og("og:title", "China's ministry clears 13 foreign firms - News Example"),
         "China’s Ministry Clears 13 Foreign Firms"),
    ],
    ids=["curly and straight quotes", "a site suffix on the <title>", "a site suffix and title case"],
)
def test_the_headline_as_first_paragraph_is_not_text(head: str, first: str) -> None:
    assert parse_article(page(head, paragraphs=[first, *PARAGRAPHS_EN]), URL)["text"] == TEXT_EN


def test_a_byline_under_the_headline_is_not_text() -> None:
    title = "Foreign firms cleared for telecom pilots"
    html = page(og("og:title", title), paragraphs=[title, "By Sam Writer", *PARAGRAPHS_EN])
    assert parse_article(html, URL)["text"] == TEXT_EN


# ---- chrome after the story ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "tail",
    [
        ["Related: Ten more stories about licences"],
        ["Read more: MIIT names the pilot areas"],
        ["Tags: telecom, China, licences"],
        ["© 2025 News Example. All rights reserved."],
        ["3 comments", "Great article, thanks for writing it!", "I disagree with the analysts quoted here."],
        ["You may also like", "Another story about data centres in Hainan"],
        ["Sign up for our daily newsletter to get the latest telecom news in your inbox."],
    ],
    ids=["related teaser", "read more teaser", "tag list", "copyright line", "comment section",
         "you may also like", "newsletter invitation"],
)
def test_chrome_after_the_story_is_not_text(tail: list[str]) -> None:
    assert parse_article(page(paragraphs=[*PARAGRAPHS_EN, *tail]), URL)["text"] == TEXT_EN


@pytest.mark.parametrize(
    "last",
    [
        "Comments on the draft rules are welcome until the end of the month, the ministry said.",
        "The ministry will publish the list of firms in its newsletter.",
        "Copyright holders welcomed the decision.",
        "Follow-up talks are planned for next week.",
        "Tags on the licences show the pilot area each firm may serve.",
    ],
    ids=["comments", "newsletter", "copyright", "follow-up", "tags"],
)
def test_a_last_paragraph_that_only_mentions_chrome_words_is_text(last: str) -> None:
    html = page(paragraphs=[*PARAGRAPHS_EN, last])
    assert parse_article(html, URL)["text"] == "\n\n".join([*PARAGRAPHS_EN, last])


def test_a_spider_passes_its_home_zone_to_the_generic_parser() -> None:
    """The page is on a host nobody knows: only the zone the spider passes makes 10:00 London time."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from monitor.spiders.capacitymedia import CapacitymediaSpider

    crawler = get_crawler(CapacitymediaSpider)
    crawler.stats.open_spider()
    spider = CapacitymediaSpider.from_crawler(crawler)
    html = page(og("article:published_time", "2025-07-05 10:00"))
    response = HtmlResponse("https://mirror.example/article/foreign-firms-cleared", body=html.encode(), encoding="utf-8")
    (item,) = spider.parse_article_page(response)
    assert item["published"] == datetime(2025, 7, 5, 10, tzinfo=LONDON)
