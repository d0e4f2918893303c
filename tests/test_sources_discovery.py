"""Discovery of the state-media, government and trade-press sources: saved listing/feed/API pages -> article URLs."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from monitor.registry import spiders
from monitor.spiders.capacitymedia import CapacitymediaSpider
from monitor.spiders.cgtn import CgtnSpider
from monitor.spiders.chinadaily_en import ChinadailyEnSpider
from monitor.spiders.chinadaily_zh import ChinadailyZhSpider
from monitor.spiders.datacenterdynamics import DatacenterdynamicsSpider
from monitor.spiders.developingtelecoms import DevelopingtelecomsSpider
from monitor.spiders.globaltimes import GlobaltimesSpider
from monitor.spiders.govcn_en import GovcnEnSpider
from monitor.spiders.govcn_zh import GovcnZhSpider
from monitor.spiders.lightreading import LightreadingSpider
from monitor.spiders.miit import COLUMNS, MiitSpider, list_api_url, list_items
from monitor.spiders.mobileworldlive import MobileworldliveSpider
from monitor.spiders.telegeography import TelegeographySpider
from tests.conftest import FIXTURES

RESPONSE_CLASS = {".htm": HtmlResponse, ".xml": XmlResponse, ".json": TextResponse}


def response_for(path: Path, url: str) -> TextResponse:
    cls = RESPONSE_CLASS[path.suffix]
    return cls(url=url, body=path.read_bytes(), encoding="utf-8")


# (spider, saved discovery page, the URL it was served at, the article URLs discover() must yield, in order)
CASES = [
    (ChinadailyEnSpider, "chinadaily_en/business-tech.listing.htm", "https://www.chinadaily.com.cn/business/tech", [
        "https://www.chinadaily.com.cn/a/202503/04/WS67c6a1b2a310c24044a1d7e3.html",
        "https://www.chinadaily.com.cn/a/202503/03/WS67c5e2aaa310c24044a1c8f0.html",
    ]),
    (ChinadailyZhSpider, "chinadaily_zh/shizheng.listing.htm",
     "https://china.chinadaily.com.cn/5bd5639ca3101a87ca8ff636", [
         "https://china.chinadaily.com.cn/a/202503/04/WS67c6b3c4a310c24044a1d9f0.html",
         "https://china.chinadaily.com.cn/a/202503/03/WS67c59911a310c24044a1c001.html",
     ]),
    (GlobaltimesSpider, "globaltimes/china.listing.htm", "https://www.globaltimes.cn/china/index.html", [
        "https://www.globaltimes.cn/page/202503/1329520.shtml",
        "https://www.globaltimes.cn/page/202503/1329498.shtml",
    ]),
    (CgtnSpider, "cgtn/business.xml", "https://www.cgtn.com/subscribe/rss/section/business.xml", [
        "https://news.cgtn.com/news/2025-03-03/China-clears-first-foreign-firms-for-telecom-pilots-1BhQ2xYzAbC/p.html",
        "https://news.cgtn.com/news/2025-03-02/Foreign-trade-holds-steady-1BgAbCdEfGh/p.html",
    ]),
    (GovcnEnSpider, "govcn_en/news.listing.htm", "https://english.www.gov.cn/news/", [
        "https://english.www.gov.cn/news/202404/11/content_WS6616a0f3c6d0868f4e8e6a10.html",
        "https://english.www.gov.cn/policies/latestreleases/202404/09/content_WS6615ff22c6d0868f4e8e5c22.html",
    ]),
    (GovcnZhSpider, "govcn_zh/zhengce.listing.htm", "https://www.gov.cn/zhengce/", [
        "https://www.gov.cn/zhengce/content/202404/content_6944123.htm",
        "https://www.gov.cn/zhengce/202404/content_6943900.htm",
    ]),
    (MiitSpider, "miit/gxdt.api.json", list_api_url(COLUMNS["工信动态"]), [
        "https://www.miit.gov.cn/xwdt/gxdt/sjdt/art/2025/art_5a1f0c2e9b7d4e3f8a6b1c2d3e4f5a6b.html",
        "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f.htm",
    ]),
    (DevelopingtelecomsSpider, "developingtelecoms/feed.xml", "https://developingtelecoms.com/?format=feed&type=rss", [
        "https://developingtelecoms.com/telecom-business/operators/18102-china-widens-foreign-access-to-value-added-services.html",
        "https://developingtelecoms.com/telecom-technology/wireless-networks/18100-chinese-vendors-court-gulf-operators.html",
    ]),
    (DatacenterdynamicsSpider, "datacenterdynamics/rss.xml", "https://www.datacenterdynamics.com/en/rss/", [
        "https://www.datacenterdynamics.com/en/news/foreign-firms-cleared-to-run-data-centers-in-china-pilot-zones/",
        "https://www.datacenterdynamics.com/en/news/shanghai-operator-opens-liquid-cooled-facility/",
    ]),
    (MobileworldliveSpider, "mobileworldlive/feed.xml", "https://www.mobileworldlive.com/feed/", [
        "https://www.mobileworldlive.com/regulation/china-names-first-foreign-firms-in-telecom-services-pilot/",
        "https://www.mobileworldlive.com/devices/chinese-handset-shipments-rebound/",
    ]),
    (TelegeographySpider, "telegeography/rss.xml", "https://www.commsupdate.com/rss", [
        "https://www.commsupdate.com/articles/2025/03/04/china-approves-13-foreign-backed-firms-for-vas-pilot/",
        "https://www.telegeography.com/products/commsupdate/articles/2025/03/03/beijing-operator-switches-on-10g-broadband/",
    ]),
    (LightreadingSpider, "lightreading/rss.xml", "https://www.lightreading.com/rss.xml", [
        "https://www.lightreading.com/regulatory-politics/china-lets-foreign-firms-into-data-center-and-cdn-markets",
        "https://www.lightreading.com/5g/chinese-operators-report-5g-subscriber-gains",
    ]),
    (CapacitymediaSpider, "capacitymedia/feed.xml", "https://www.capacitymedia.com/feed/", [
        "https://www.capacitymedia.com/article/china-approves-first-foreign-vas-pilot-firms",
        "https://www.capacitymedia.com/article/china-mobile-international-expands-pops-in-europe",
    ]),
]


@pytest.mark.parametrize(("spider_cls", "page", "url", "expected"), CASES, ids=[c[0].name for c in CASES])
def test_discover_yields_the_on_topic_article_urls(spider_cls, page, url, expected):
    response = response_for(FIXTURES / page, url)
    assert list(spider_cls().discover(response)) == expected


# Titles on the saved pages that discovery must leave out (off topic for this monitor).
OFF_TOPIC = [
    (ChinadailyEnSpider, "chinadaily_en/business-tech.listing.htm", "Robot makers line up for spring trade fair"),
    (ChinadailyZhSpider, "chinadaily_zh/shizheng.listing.htm", "全国春季植树活动陆续展开"),
    (GlobaltimesSpider, "globaltimes/china.listing.htm", "Panda cubs make public debut in Chengdu"),
    (CgtnSpider, "cgtn/business.xml", "Gold prices hit fresh high as dollar weakens"),
    (GovcnZhSpider, "govcn_zh/zhengce.listing.htm", "国务院办公厅关于加强春季森林防火工作的通知"),
    (MiitSpider, "miit/gxdt.api.json", "全国工业和信息化系统安全生产工作会议召开"),
    (LightreadingSpider, "lightreading/rss.xml", "Open RAN vendors regroup after spending slump"),
]


@pytest.mark.parametrize(("spider_cls", "page", "title"), OFF_TOPIC, ids=[c[0].name for c in OFF_TOPIC])
def test_off_topic_title_is_on_the_page_and_filtered_out(spider_cls, page, title):
    assert title in (FIXTURES / page).read_text(encoding="utf-8")
    assert not spider_cls().on_topic(title)


def test_miit_list_api_url_carries_the_confirmed_params():
    query = parse_qs(urlsplit(list_api_url("42cd38164cb6441a84bdfa441909e15e", page_no=2)).query)
    assert {k: v[0] for k, v in query.items()} == {
        "parseType": "buildstatic", "webId": "8d828e408d90447786ddbe128d495e9e",
        "tplSetId": "209741b2109044b5b7695700b2bec37e", "pageType": "column", "tagId": "右侧内容",
        "editType": "null", "pageId": "42cd38164cb6441a84bdfa441909e15e",
        "paramJson": '{"pageNo":2,"pageSize":"24"}',
    }


def test_miit_list_items_reads_title_and_date_from_the_fragment():
    payload = (FIXTURES / "miit/gxdt.api.json").read_text(encoding="utf-8")
    items = list(list_items(payload, "https://www.miit.gov.cn/api-gateway/x"))
    assert items[0] == (
        "https://www.miit.gov.cn/xwdt/gxdt/sjdt/art/2025/art_5a1f0c2e9b7d4e3f8a6b1c2d3e4f5a6b.html",
        "增值电信业务扩大对外开放试点首批外资企业获得批复", "2025-03-03",
    )


@pytest.mark.parametrize("payload", ["not json", json.dumps({"success": False, "data": None}), "[]"])
def test_miit_list_items_yields_nothing_on_a_bad_answer(payload):
    assert list(list_items(payload, "https://www.miit.gov.cn/")) == []


ARTICLE_URLS = [
    (ChinadailyEnSpider, "https://www.chinadaily.com.cn/a/202405/13/WS664167f4a31082fc043c6af7.html", True),
    (ChinadailyEnSpider, "https://global.chinadaily.com.cn/a/202411/05/WS6729b0c4a310f1265a1d2e77.html", True),
    (ChinadailyEnSpider, "https://www.chinadaily.com.cn/business/tech", False),
    (ChinadailyEnSpider, "https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html", False),
    (ChinadailyZhSpider, "https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html", True),
    (ChinadailyZhSpider, "https://china.chinadaily.com.cn/5bd5639ca3101a87ca8ff636/page_2.html", False),
    (GlobaltimesSpider, "https://www.globaltimes.cn/page/202503/1330499.shtml", True),
    (GlobaltimesSpider, "https://www.globaltimes.cn/opinion/index.html", False),
    (CgtnSpider, "https://news.cgtn.com/news/2020-06-24/China-issues-2020-negative-list-RAePhGXeKY/index.html", True),
    (CgtnSpider, "https://newseu.cgtn.com/news/2020-06-25/Global-Business-Daily-RAMkwEERxK/index.html", True),
    (CgtnSpider, "https://www.cgtn.com/news/3d3d514d3259544d32457a6333566d54/index.html", True),
    (CgtnSpider, "https://www.cgtn.com/business", False),
    (GovcnEnSpider, "https://english.www.gov.cn/policies/latestreleases/202404/09/content_WS6615ff22c6d0868f4e8e5c22.html", True),
    (GovcnEnSpider, "https://english.www.gov.cn/news/", False),
    (GovcnZhSpider, "https://www.gov.cn/zhengce/content/202609/content_7082492.htm", True),
    (GovcnZhSpider, "https://www.gov.cn/zhengce/zuixin/", False),
    (GovcnZhSpider, "https://english.www.gov.cn/news/202404/11/content_WS6616a0f3c6d0868f4e8e6a10.html", False),
    (MiitSpider, "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f.html", True),
    (MiitSpider, "https://www.miit.gov.cn/zwgk/zcwj/wjfb/index.html", False),
    (DevelopingtelecomsSpider, "https://developingtelecoms.com/telecom-business/operators/18000-x-y.html", True),
    (DevelopingtelecomsSpider, "https://developingtelecoms.com/telecom-business.html", False),
    (DatacenterdynamicsSpider, "https://www.datacenterdynamics.com/en/news/some-story/", True),
    (DatacenterdynamicsSpider, "https://www.datacenterdynamics.com/en/news/", False),
    (MobileworldliveSpider, "https://www.mobileworldlive.com/google/google-to-pull-pixel-production-from-china/", True),
    (MobileworldliveSpider, "https://www.mobileworldlive.com/category/regulation/", False),
    (TelegeographySpider, "https://www.commsupdate.com/articles/2025/03/04/some-story/", True),
    (TelegeographySpider, "https://www.commsupdate.com/rss", False),
    (LightreadingSpider, "https://www.lightreading.com/regulatory-politics/some-story", True),
    (LightreadingSpider, "https://www.lightreading.com/author/jane-doe", False),
    (CapacitymediaSpider, "https://www.capacitymedia.com/article/29ouvl4bmkhr3fkoefvs3/news/some-story", True),
    (CapacitymediaSpider, "https://www.capacitymedia.com/news", False),
]


@pytest.mark.parametrize(("spider_cls", "url", "accepted"), ARTICLE_URLS,
                         ids=[f"{c[0].name}-{'yes' if c[2] else 'no'}-{i}" for i, c in enumerate(ARTICLE_URLS)])
def test_is_article_url(spider_cls, url, accepted):
    assert spider_cls.is_article_url(url) is accepted


@pytest.mark.parametrize(
    "url", [url for _, url, accepted in ARTICLE_URLS if accepted] + [url for *_, urls in CASES for url in urls]
)
def test_exactly_one_source_claims_an_article_url(url):
    claimants = [name for name, cls in spiders().items() if cls.handles(url)]
    assert len(claimants) == 1, claimants
