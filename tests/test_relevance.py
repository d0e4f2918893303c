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
