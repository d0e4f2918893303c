"""Tests of relevance and event type (texts written for these tests)."""

import pytest

from pipelines.relevance import classify, sentences

CASES = [
    ("The ministry approved 9 foreign-invested firms for pilot value-added telecom services in Beijing and Hainan.",
     "batch_report"),
    ("工业和信息化部向第二批9家外资企业发放增值电信业务经营试点批复。", "batch_report"),
    ("To date, 21 foreign enterprises have been approved to offer value-added telecom services under the pilot.",
     "cumulative_status"),
    ("截至目前,已有52家外资企业获得增值电信业务试点批复。", "cumulative_status"),
    ("The ministry issued a circular to remove foreign ownership caps on value-added telecom services in pilot areas.",
     "policy_milestone"),
    ("A free trade zone accepted applications from five foreign companies for value-added telecom pilot licences.",
     "applicant_news"),
]


@pytest.mark.parametrize(("text", "event"), CASES)
def test_event_type(text, event):
    assert classify(text) == (True, event)


@pytest.mark.parametrize("text", [
    "The MIIT said 5G base stations grew 12 percent year on year and telecom revenue rose.",
    "Foreign hospitals may open in Beijing and Shanghai under a pilot approved by the ministry.",
    "Carmaker Tesla was approved by the industry ministry to build vehicles in Shanghai.",
])
def test_near_misses_are_unrelated(text):
    assert classify(text) == (False, "unrelated")


def test_text_about_years_before_the_policy_is_unrelated():
    text = "截至2018年底,获得批准的外商投资电信企业共99家,增值电信业务试点开放。"
    assert classify(text)[0] is False


def test_sentences_do_not_split_at_company_suffix():
    text = "Among them is Foo Data (Shanghai) Co., Ltd. and Bar Ltd. of Hainan. Another sentence."
    assert len(sentences(text)) == 2


@pytest.mark.parametrize(("text", "want"), [
    # a new batch told with the running total in the same sentence
    ("工信部上周五再向18家外资企业发出增值电信业务试点批复,连同此前26家,获批企业累计达44家。", "batch_report"),
    # a breakdown of a running total is not a batch
    ("截至5月底,累计已有30家外资企业获得增值电信业务试点批复,其中海南4家,深圳9家。", "cumulative_status"),
    # an earlier batch told as background to an applicant's news
    ("首批9家外资企业获批开展增值电信业务试点后,某外资云服务商表示已提交申请,仍在等待审批。", "applicant_news"),
    # a recap with nothing new corroborates the earlier batch
    ("Five months after the MIIT approved the first batch of 9 foreign firms for value-added telecom services, "
     "they report steady business.", "batch_report"),
    ("The regulator has admitted more foreign-invested firms to the value-added telecom pilot since the first "
     "batch of 9, with the number approved so far standing at 30.", "cumulative_status"),
    ("同意你公司在海南自由贸易港开展增值电信业务试点。", "batch_report"),
])
def test_event_of_counts_by_clause(text, want):
    assert classify(text, published_year=2025) == (True, want)


@pytest.mark.parametrize("text", [
    # licence words without a foreign investor in the same sentence are not the opening
    "The FCC moved to revoke authorisations that let two carriers provide internet access in the US, citing "
    "foreign-adversary control. The carriers had been licensed to offer telecom services for decades.",
    # "value-added services" outside telecoms
    "Three foreign-invested biotech firms were approved for a pilot and may offer value-added services to hospitals.",
])
def test_near_miss_is_unrelated(text):
    assert classify(text, published_year=2025) == (False, "unrelated")


@pytest.mark.parametrize("text", [
    "Norwegian cloud provider Fjellnett plans to apply for a value-added telecom licence under the pilot.",
    "关于同意某某数据(上海)有限公司开展增值电信业务试点的批复",
])
def test_relevant_without_the_word_foreign(text):
    assert classify(text, published_year=2025)[0] is True
