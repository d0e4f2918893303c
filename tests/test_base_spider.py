"""The spider base: discovery survives bad links, and a declared canonical address is trusted only when sound."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse

from monitor.spiders.globaltimes import GlobaltimesSpider
from monitor.spiders.xinhua_en import XinhuaEnSpider
from tests.conftest import FIXTURES

ARTICLE = "https://english.news.cn/20250228/0123456789abcdef0123456789abcdef/c.html"


def test_a_malformed_link_costs_that_link_not_the_listing() -> None:
    """Regression: one href like http://[bad made urljoin raise and lost the whole listing."""
    body = (f"<html><body><a href='http://[bad/x'>broken</a><a href='{ARTICLE}'>China approves foreign firms</a>"
            "</body></html>").encode()
    response = HtmlResponse("https://english.news.cn/list/latestnews.htm", body=body)
    assert list(XinhuaEnSpider().discover(response)) == [ARTICLE]


@pytest.mark.parametrize(("declared", "expected"), [
    ("/page/202503/1329811.shtml", "https://www.globaltimes.cn/page/202503/1329811.shtml"),  # relative: absolute
    ("https://www.globaltimes.cn/china/index.html", "https://www.globaltimes.cn/page/202503/1329811.shtml?x=1"),
    ("https://elsewhere.example/page/202503/1329811.shtml", "https://www.globaltimes.cn/page/202503/1329811.shtml?x=1"),
    (None, "https://www.globaltimes.cn/page/202503/1329811.shtml?x=1"),
])
def test_canonical_is_trusted_only_when_it_is_one_of_the_sources_articles(declared: str | None, expected: str) -> None:
    """Regression: a relative canonical became the store key, and a template's section og:url would merge pages."""
    url = "https://www.globaltimes.cn/page/202503/1329811.shtml?x=1"
    assert GlobaltimesSpider().canonical(declared, url) == expected


def test_json_list_titles_given_as_markup_are_read_as_text() -> None:
    """A ds_*.json row whose title carries highlight markup still passes the topic filter on its words."""
    from scrapy.http import TextResponse

    from monitor.spiders.xinhua_zh import XinhuaZhSpider

    body = ('{"datasource": [{"title": "<font color=\\"red\\">外资</font>增值电信试点", '
            '"publishUrl": "https://www.news.cn/tech/20250301/0123456789abcdef0123456789abcdef/c.html"}]}')
    response = TextResponse("https://www.news.cn/tech/ds_1.json", body=body.encode(), encoding="utf-8")
    items = list(XinhuaZhSpider().links_from_json(response))
    assert items == [("https://www.news.cn/tech/20250301/0123456789abcdef0123456789abcdef/c.html", "外资 增值电信试点")]


def test_a_discovery_page_yields_at_most_the_bound_of_links_and_counts_the_rest() -> None:
    """A listing of 20,000 links (broken or hostile) must not queue them all."""
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(XinhuaEnSpider, {"MONITOR_MAX_LINKS_PER_PAGE": 50})
    spider = XinhuaEnSpider.from_crawler(crawler)
    hrefs = "".join(f"<a href='https://english.news.cn/20250228/{n:032x}/c.html'>China opens telecom {n}</a>"
                    for n in range(20_000))
    response = HtmlResponse("https://english.news.cn/list/latestnews.htm", body=f"<html><body>{hrefs}</body></html>"
                            .encode())
    requests = list(spider.parse(response))
    assert len(requests) == 50
    assert crawler.stats.get_value("monitor/xinhua_en/discovery_links_dropped") == 19_950


@pytest.mark.parametrize(("settings", "with_entries"), [
    ({}, True), ({"MONITOR_REPLAY": "archive.warc.gz"}, False), ({"MONITOR_INCREMENTAL": False}, False),
    ({"MONITOR_NODE": True}, False),
])
def test_listing_entries_go_with_the_requests_only_when_crawling_incrementally(settings: dict,
                                                                               with_entries: bool) -> None:
    """Only incremental crawling reads them: a replay or a scrapyd node does not parse the listing twice."""
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(XinhuaEnSpider, {"MONITOR_INCREMENTAL": True, **settings})
    spider = XinhuaEnSpider.from_crawler(crawler)
    body = f"<html><body><ul><li><a href='{_article(1)}'>China approves 13 firms</a></li></ul></body></html>"
    response = HtmlResponse("https://english.news.cn/list/latestnews.htm", body=body.encode())
    (request,) = spider.parse(response)
    assert ("monitor_entries" in request.meta) is with_entries


# ---- listing entries: what incremental crawling compares between runs ----------------------------------------

def _article(n: int) -> str:
    return f"https://english.news.cn/20250228/{n:032x}/c.html"


def test_an_html_entry_is_the_block_that_holds_its_link_alone() -> None:
    """Each `li` (title, date, summary) is an entry; the `ul` holding them all is no one's, and neither is the nav."""
    body = ("<html><body><nav><a href='/list/china-business.htm'>Business</a> updated 10:01</nav><ul>"
            f"<li><a href='{_article(1)}'>China approves 13 firms</a><span>2025-02-28</span><p>Telecom opening.</p></li>"
            f"<li><div><a href='{_article(2)}'><img src='x.jpg'></a></div><a href='{_article(2)}' title='Full title'>"
            "Data centre</a> 2025-02-27</li></ul></body></html>")
    response = HtmlResponse("https://english.news.cn/list/latestnews.htm", body=body.encode())
    entries = XinhuaEnSpider().listing_entries(response, [_article(1), _article(2)])
    assert entries == {_article(1): "China approves 13 firms2025-02-28Telecom opening.",
                       _article(2): "Data centre 2025-02-27 Full title"}


def test_a_flat_listing_gives_each_link_its_own_anchor_text() -> None:
    """Links side by side in one block: the block is shared, so an entry is the link itself (never the whole list,
    which would make one new link change every entry)."""
    body = f"<div><a href='{_article(1)}'>First story</a> | <a href='{_article(2)}'>Second story</a></div>"
    response = HtmlResponse("https://english.news.cn/list/latestnews.htm", body=body.encode())
    entries = XinhuaEnSpider().listing_entries(response, [_article(1), _article(2)])
    assert entries == {_article(1): "First story", _article(2): "Second story"}


def test_a_feed_entry_is_its_title_dates_and_summary() -> None:
    from scrapy.http import XmlResponse

    body = (f"<?xml version='1.0'?><rss><channel><item><title>China approves 13 firms</title><link>{_article(1)}</link>"
            "<pubDate>Fri, 28 Feb 2025 10:00:00 +0800</pubDate><description>Telecom opening.</description>"
            "<comments>12</comments></item></channel></rss>")
    response = XmlResponse("https://english.news.cn/rss/business.xml", body=body.encode())
    assert XinhuaEnSpider().listing_entries(response, [_article(1)]) == {
        _article(1): "China approves 13 firms Fri, 28 Feb 2025 10:00:00 +0800 Telecom opening."}


def test_a_json_row_entry_is_its_title_time_and_summary_fields_not_its_counters() -> None:
    from scrapy.http import TextResponse

    from monitor.spiders.xinhua_zh import XinhuaZhSpider

    url = "https://www.news.cn/tech/20250301/0123456789abcdef0123456789abcdef/c.html"
    body = json.dumps({"datasource": [{"title": "外资增值电信试点", "publishUrl": url, "publishTime": "2025-03-01 10:00:00",
                                       "summary": "首批", "readCount": 1234}]}, ensure_ascii=False)
    response = TextResponse("https://www.news.cn/tech/ds_1.json", body=body.encode(), encoding="utf-8")
    assert XinhuaZhSpider().listing_entries(response, [url]) == {url: "外资增值电信试点 2025-03-01 10:00:00 首批"}


def test_a_listing_the_reader_does_not_know_falls_back_to_link_titles() -> None:
    """MIIT's API wraps its list in JSON as an HTML fragment: the entry is the link's title."""
    from scrapy.http import TextResponse

    from monitor.spiders.miit import MiitSpider

    page = FIXTURES / "miit" / "gxdt.api.json"
    response = TextResponse("https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?x=1",
                            body=page.read_bytes(), encoding="utf-8")
    spider = MiitSpider()
    links = list(spider.discover(response))
    entries = spider.listing_entries(response, links)
    assert links and list(entries) == links and all(entries.values())
