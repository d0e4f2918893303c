"""The spider base: discovery survives bad links, and a declared canonical address is trusted only when sound."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from monitor.spiders.globaltimes import GlobaltimesSpider
from monitor.spiders.xinhua_en import XinhuaEnSpider

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
