"""Tests of batch facts: count, ordinal, approval date, areas and scope."""

from datetime import date

import pytest

from pipelines.batchfacts import batch_facts, find_areas, ordinal
from pipelines.extract import extract
from pipelines.figures import extract_figures
from pipelines.relevance import sentences


def facts(text, base=None):
    spans = sentences(text)
    return batch_facts(text, spans, extract_figures(text, spans, base), base)


def test_count_and_date_from_relative_day():
    got = facts("China has approved 9 foreign-invested firms for pilot value-added telecom services in Beijing "
                "and Hainan, the MIIT said on Friday.", date(2025, 9, 8))
    assert (got["count"], got["approved_on"], got["scope"]) == (9, "2025-09-05", "national")


def test_regional_subset_scope():
    got = facts("上海4家外资企业近日获得增值电信业务试点批复。")
    assert (got["count"], got["scope"], got["areas"]) == (4, "Shanghai", ["Shanghai"])


@pytest.mark.parametrize(("text", "want"), [("the second batch of 20 firms", 2), ("首批13家", 1), ("第三批", 3),
                                            ("13 firms", None)])
def test_ordinal(text, want):
    assert ordinal(text) == want


def test_find_areas_is_canonical_english():
    assert find_areas("北京、海南 and Shenzhen") == ["Beijing", "Hainan", "Shenzhen"]


@pytest.mark.parametrize(("text", "published", "approved_on", "areas"), [
    # A Chinese dispatch's dateline (filed 1 March in Beijing) is neither the approval day nor an area.
    ("人民网北京3月2日电/据新华社报导,2月28日,记者从工信部获悉,工信部已向首批13家外资企业发放增值电信业务试点批复。"
     "这批试点企业分别位于北京、上海、海南、深圳。", "2025-03-02", "2025-02-28",
     ["Beijing", "Shanghai", "Hainan", "Shenzhen"]),
    # A stored "date ..." prefix is not the approval day; "said on Friday" is.
    ("date 2025-03-01 Foreign firms approved\n\nBEIJING, Feb. 28 (Xinhua) -- China has approved 13 foreign-invested "
     "firms for value-added telecom services in Shanghai and Hainan, the MIIT said on Friday.", "2025-03-01",
     "2025-02-28", ["Shanghai", "Hainan"]),
    # With no date in the story, the English wire's dateline day is the fallback.
    ("SHANGHAI, Feb. 26 (Xinhua) -- Shanghai has approved four foreign-invested firms to run value-added telecom "
     "services in its pilot zone.", "2025-02-27", "2025-02-26", ["Shanghai"]),
])
def test_datelines_are_not_approval_facts(text: str, published: str, approved_on: str, areas: list[str]) -> None:
    batch = extract(text, published=published)["batch"]
    assert batch["approved_on"] == approved_on
    assert batch["areas"] == areas


@pytest.mark.parametrize(("text", "base", "want"), [
    # the reporting day (17日) is not the approval day (1月16日)
    ("记者17日从工业和信息化部获悉,工业和信息化部1月16日批复第三批12家外资企业开展增值电信业务试点。",
     date(2026, 1, 17), "2026-01-16"),
    # the dateline's day is not the approval day told in the text
    ("BEIJING, Sept. 13 (Xinhua) -- The MIIT on Friday gave the green light to a second batch of 20 "
     "foreign-invested enterprises to run value-added telecom businesses on a trial basis.",
     date(2025, 9, 13), "2025-09-12"),
    # a ministry's reply is dated on its own line under the signature
    ("某某云(上海)有限公司:\n\n经研究,同意你公司开展增值电信业务试点。\n\n工业和信息化部\n2025年9月12日",
     date(2025, 9, 19), "2025-09-12"),
])
def test_approval_day(text, base, want):
    assert facts(text, base)["approved_on"] == want


def test_count_is_the_new_batch_not_the_running_total():
    text = "The MIIT approved eleven foreign-invested operators in its third round of the value-added telecom pilot, " \
           "bringing the number of approved firms to 40."
    assert facts(text)["count"] == 11


def test_firm_registered_place_is_not_the_scope():
    text = "Kite Cloud (Shanghai) Co., Ltd. was among 20 foreign-invested companies the MIIT approved for the " \
           "value-added telecom pilot."
    assert facts(text)["scope"] == "national"


def test_background_ordinal_is_not_the_batch_ordinal():
    assert ordinal("It cleared twenty more firms, seven months after it admitted the first group.") is None


@pytest.mark.parametrize(("text", "base", "want"), [
    # the day officials told the news is not the approval day told in the next sentence
    ("Three foreign-funded companies in Hainan have received value-added telecom pilot approval, officials said "
     "on Sunday. The approvals, issued on Friday, went to cloud and gaming firms.", date(2025, 9, 21), "2025-09-19"),
    # the day of the telling is kept when no other day is told
    ("Three foreign-funded companies in Hainan have received value-added telecom pilot approval, officials said "
     "on Sunday.", date(2025, 9, 21), "2025-09-21"),
    # a dateline without an agency name is still a dateline
    ("HAIKOU, Sept. 21 -- Three foreign-funded companies have received value-added telecom pilot approval. "
     "The approvals were issued on Friday.", date(2025, 9, 21), "2025-09-19"),
    # a day-only date after the reporting office's day
    ("上海市通信管理局6日介绍,在工业和信息化部5日发放的第二批增值电信业务试点批复中,上海共有6家外资企业获批。",
     date(2025, 6, 6), "2025-06-05"),
])
def test_approval_day_not_the_telling_day(text, base, want):
    assert facts(text, base)["approved_on"] == want



def test_day_of_a_green_light_beside_the_approval_title():
    text = ("Ministry clears 4 foreign-funded firms for telecom pilot\n\nFour foreign-funded companies in Shenzhen "
            "got the green light from regulators on Monday to run data centre services.")
    assert facts(text, date(2025, 11, 5))["approved_on"] == "2025-11-03"


@pytest.mark.parametrize(("text", "langs", "want"), [
    ("El ministerio aprobó el 28 de febrero el primer lote de 13 empresas.", ("es",), 1),
    ("Le ministère a autorisé le deuxième groupe de 9 entreprises.", ("fr",), 2),
    ("Das Ministerium genehmigte die zweite Gruppe von 9 Unternehmen.", ("de",), 2),
    ("El ministerio aprobó 13 empresas.", ("es",), None),
])
def test_ordinal_in_other_languages(text, langs, want):
    assert ordinal(text, langs=langs) == want


@pytest.mark.parametrize(("text", "langs", "want"), [
    ("El ministerio aprobó el 28 de febrero a 13 empresas para el programa piloto.", ("es",), "2025-02-28"),
    ("Das Ministerium hat am 28. Februar 13 Unternehmen für das Pilotprogramm genehmigt.", ("de",), "2025-02-28"),
    ("Il ministero ha approvato il 28 febbraio 13 aziende per il programma pilota.", ("it",), "2025-02-28"),
])
def test_approval_day_in_other_languages(text, langs, want):
    from pipelines.batchfacts import other_dates

    assert [d.iso() for _s, _e, d in other_dates(text, date(2025, 3, 3), langs)] == [want]


# Generalisation audit: paraphrases of areas:capital_as_government and of datelines (own sentences).

@pytest.mark.parametrize(("text", "want"), [
    ("Beijing has now opened value-added telecom services to foreign firms in Hainan.", ["Hainan"]),
    ("Beijing wants foreign capital in Shenzhen's data centres.", ["Shenzhen"]),
    ("Beijing hopes the pilot in Shanghai will draw foreign cloud providers.", ["Shanghai"]),
    ("Pékin veut attirer des capitaux étrangers à Shanghai.", ["Shanghai"]),
    # near misses: the capital as a place
    ("Beijing's Chaoyang district and Shanghai host most of the approved firms.", ["Beijing", "Shanghai"]),
    ("The pilot in Beijing has drawn more foreign firms than the one in Shanghai.", ["Beijing", "Shanghai"]),
    ("Firms based in Beijing were approved alongside others in Hainan.", ["Beijing", "Hainan"]),
])
def test_paraphrase_capital_as_government(text, want):
    assert find_areas(text) == want


@pytest.mark.parametrize("text", [
    "BEIJING, July 4 (Reuters) - China approved nine foreign-invested firms for its value-added telecom pilot in Hainan.",
    "BEIJING, 4 July (Xinhua) -- China approved nine foreign-invested firms for its value-added telecom pilot in Hainan.",
    "北京7月4日电 工业和信息化部向9家外资企业发放海南增值电信业务试点批复。",
])
def test_paraphrase_dateline_city_is_no_area(text):
    got = extract(text, published="2025-07-04")
    assert got["areas"] == ["Hainan"]
