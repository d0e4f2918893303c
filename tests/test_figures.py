"""Tests of figures: numbers bound to units, qualifiers, stocks versus flows, and what is not a figure."""

from datetime import date

import pytest

from pipelines.figures import extract_figures, merge_mentions, parse_number, zh_number
from pipelines.relevance import sentences


def figures(text, base=None):
    return [(f.value, f.unit, f.qualifier) for f in extract_figures(text, sentences(text), base)]


@pytest.mark.parametrize(("text", "want"), [
    ("The ministry approved 13 foreign-invested companies.", [(13, "firms", None)]),
    ("Seven foreign companies applied.", [(7, "firms", None)]),
    ("工信部向十三家外资企业发放批复。", [(13, "firms", None)]),
    ("已有超过2400家外商投资电信企业。", [(2400, "enterprises", "over")]),
    ("已有40余家外资企业获得批复。", [(40, "firms", "over")]),
    ("It rose more than 32 percent.", [(32, "percent", "over")]),
    ("The market reached CNY602 billion (USD84.4 billion).", [(602, "billion yuan", None)]),
    ("共有1.2万家外商投资电信企业。", [(12000, "enterprises", None)]),
])
def test_figures_found(text, want):
    assert figures(text) == want


@pytest.mark.parametrize("text", [
    "On Oct. 23, 2024 the ministry spoke at 13:43.",
    "Registration Number: 130349 and licence 0108263.",
    "Call 010-68208866 or see page 2025.",
    "in those four cities",
])
def test_not_figures(text):
    assert figures(text) == []


def test_stock_is_not_read_as_flow():
    text = ("At the end of February 2025 the total number of foreign-invested telecom enterprises "
            "grew 30 percent year on year to exceed 2,400.")
    found = {f.value: f for f in extract_figures(text, sentences(text), date(2025, 3, 3))}
    assert found[2400].measure == "foreign-invested telecom enterprises, total"
    assert found[2400].as_of == "2025-02-28"
    assert found[30].measure == "year-on-year growth"


@pytest.mark.parametrize(("num", "scale", "want"), [("2,400", None, 2400), ("forty", None, 40),
                                                    ("4.76", "million", 4760000), ("十三", None, 13)])
def test_parse_number(num, scale, want):
    assert parse_number(num, scale) == want


def test_zh_number_rejects_other_characters():
    assert zh_number("十家") is None


@pytest.mark.parametrize(("text", "want"), [
    ("市政府对符合条件的项目给予最高500万元支持。", [(5000000, "yuan", "up to")]),
    ("南星集团计划投资约5亿元建设数据中心。", [(500000000, "yuan", "about")]),
    ("The list was trimmed to 27 special administrative measures from 29.",
     [(27, "measures", None), (29, "measures", None)]),
    ("Admissions have grown since the first batch of 9 in March.", [(9, "firms", None)]),
    ("The platform signed up over 200 industrial clients.", [(200, "clients", "over")]),
])
def test_more_figure_forms(text, want):
    assert figures(text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a subject that counts itself: "enterprises ... numbered over 2,600"
    ("Foreign-invested telecom enterprises in China numbered over 2,600 by August.", [(2600, "enterprises", "over")]),
    # a running total told as "bringing the total to"
    ("It cleared 9 foreign-invested firms for the pilot, bringing the total to 44.",
     [(9, "firms", None), (44, "firms", None)]),
    # a count told without its noun in a list after a counted one
    ("Its fourth batch came after 12 firms in March and 17 in July.", [(12, "firms", None), (17, "firms", None)]),
    # a hyphenated percentage
    ("The rule drops the 50-percent cap on foreign equity.", [(50, "percent", None)]),
    # tenths in Chinese: 三成 is 30 percent
    ("新批企业中,日本企业约占三成。", [(30, "percent", None)]),
    ("The unit has about 350 employees.", [(350, "employees", "about")]),
    ("通信管理局应在15个工作日内完成审查。", [(15, "working days", None)]),
])
def test_figures_in_looser_wording(text, want):
    assert figures(text) == want


@pytest.mark.parametrize("text", [
    "It approved 13 firms in Beijing and 2026 will bring more.",  # a year after "and" is no count
    "It approved 13 firms and 4 cities joined.",  # a number with another noun is not a firm count
    "这一成为新的起点。",  # 一成为 is not ten percent
])
def test_no_false_figure_from_loose_rules(text):
    assert all(v == 13 for v, _u, _q in figures(text))


def test_chinese_count_right_after_a_comma():
    assert figures("近日,11家外资企业获批,占比约30%。") == [(11, "firms", None), (30, "percent", "about")]


def test_thousands_comma_still_binds_one_number():
    assert figures("It now counts 2,400 firms.") == [(2400, "firms", None)]



@pytest.mark.parametrize("text", [
    "Two people familiar with the talks said the pilot would widen.",
    "Four people with direct knowledge of the plan said approvals were near.",
])
def test_people_who_are_sources_are_no_figure(text):
    assert figures(text) == []


def test_count_of_engineers_is_a_figure():
    assert figures("The unit will hire about 150 engineers.") == [(150, "engineers", "about")]


def test_running_total_named_by_its_owner():
    text = "Regulators approved six more firms for the pilot, taking the programme's tally to 19."
    assert (19, "firms", None) in figures(text)


def test_a_figure_stated_twice_is_one_figure_with_two_mentions():
    text = ("The ministry on Friday approved 13 foreign-invested firms for the pilot. "
            "The 13 firms were approved after a review.")
    found = merge_mentions(extract_figures(text, sentences(text)))
    assert [(f.value, f.kind, len(f.mentions)) for f in found] == [(13, "batch_count", 2)]


@pytest.mark.parametrize(("text", "kind"), [
    ("The ministry on Friday approved 13 foreign-invested firms for the pilot.", "batch_count"),
    ("Foreign-invested telecom enterprises numbered over 2,600 by August.", "enterprises_total"),
    ("The country registered 2,400 new foreign-invested telecom enterprises.", "enterprises_new"),
    ("The market grew 12 percent year on year.", "growth"),
    ("The firm will invest CNY300 million.", "money"),
    ("The unit has about 350 employees.", "other"),
])
def test_every_figure_has_a_kind(text, kind):
    assert [f.kind for f in extract_figures(text, sentences(text))] == [kind]


def test_the_day_of_a_date_is_no_figure():
    """Regression (issue 9): "on Feb 26 officially granted licenses" gave 26 licences."""
    text = "Shanghai on Feb 26 officially granted licenses to four foreign-invested firms."
    assert figures(text, date(2025, 2, 27)) == [(4, "firms", None)]


@pytest.mark.parametrize("text", [
    "今年的重点工作主要有四项。",  # the items of a list
    "试点开放了信息服务中的两项业务。",
])
def test_list_counts_are_no_figures(text):
    assert figures(text) == []


def test_counted_measures_are_figures():
    assert figures("该市提出12项具体措施。") == [(12, "items", None)]


def test_history_is_no_figure_of_the_pilot():
    text = "In 1997, 69 members holding 90 percent of the world's telecom revenue signed the agreement."
    assert figures(text) == []


def test_thousand_is_multiplied_out():
    assert figures("In total, 2.2 thousand companies with foreign capital held licences.") == [(2200, "firms", None)]


@pytest.mark.parametrize(("text", "langs", "want"), [
    ("China autorizó a 13 empresas extranjeras. Las empresas de telecomunicaciones con inversión extranjera "
     "superó las 2.400, un 30 por ciento interanual.", ("es",), [13, 2400, 30]),
    ("Il totale delle imprese di telecomunicazioni a partecipazione straniera ha superato quota 2.400, con un "
     "incremento del 26,5% su base annua.", ("it",), [2400, 26.5]),
    ("중국 내 외상 투자 통신기업은 2천400개를 넘어섰다. 이는 30% 증가한 규모다.", ("ko",), [2400, 30]),
    ("外資系企業13社が認可された。", ("ja",), [13]),
])
def test_figures_as_other_languages_write_them(text, langs, want):
    assert [f.value for f in extract_figures(text, sentences(text), langs=langs)] == want


# Generalisation audit: paraphrases of figures:counter_after_noun and figures:history (own sentences).

def _other(text, langs, base=date(2025, 7, 1)):
    return [(f.value, f.unit) for f in extract_figures(text, sentences(text), base, "en", langs=langs)]


@pytest.mark.parametrize(("text", "want"), [
    ("중국 내 외자 통신기업 수는 2천600개에 달했다.", (2600, "enterprises")),
    ("시범 사업 승인을 받은 외국인 투자 기업은 모두 9개다.", (9, "firms")),
    ("이번에 승인을 받은 외자 기업 15곳이 서비스를 시작한다.", (15, "firms")),
])
def test_paraphrase_korean_counter_after_firm_noun(text, want):
    assert want in _other(text, ("ko",))


def test_paraphrase_korean_counter_of_another_noun_is_no_firm_count():
    got = _other("승인을 받은 기업들은 5개 분야의 서비스를 운영할 수 있다.", ("ko",))
    assert all(unit not in ("firms", "enterprises") for _v, unit in got)


@pytest.mark.parametrize("text", [
    "1998年,共有70个成员签署了基础电信协议,覆盖全球95%的电信收入。",
    "When China joined the WTO in 2001, 142 members had agreed to cap foreign stakes in telecom firms at 49 percent.",
    "In 2014 the Shanghai free trade zone opened seven value-added services, five of them to 100% foreign ownership.",
])
def test_paraphrase_history_is_no_figure(text):
    assert figures(text, date(2025, 3, 1)) == []


@pytest.mark.parametrize(("text", "value"), [
    ("China had 2,500 foreign-invested telecom enterprises this year, against a handful in 2001.", 2500),
    ("By June 2025 the number of foreign-invested telecom enterprises had risen to 2,600, from 900 in 2015.", 2600),
])
def test_paraphrase_present_figure_beside_history_is_kept(text, value):
    assert value in [v for v, _u, _q in figures(text, date(2025, 7, 1))]


@pytest.mark.parametrize(("text", "absent"), [
    ("工信部通信函〔2024〕107号对试点作出部署,12家外资企业获批。", 107),
    ("The notice, No. 107 of 2024, was issued on April 8 and nine foreign firms were approved.", 8),
    ("The ministry approved 13 foreign firms on February 28, 2025.", 28),
])
def test_paraphrase_document_numbers_and_days_are_no_figures(text, absent):
    assert absent not in [v for v, _u, _q in figures(text, date(2025, 3, 1))]


@pytest.mark.parametrize(("text", "langs"), [
    # the national stock of foreign-invested telecom enterprises, in other words than the development records'
    ("Hay más de 2.600 empresas de telecomunicaciones con capital extranjero en China.", ("es",)),
    ("A China conta com mais de 2.600 empresas de telecomunicações de capital estrangeiro.", ("pt",)),
    ("La Chine compte plus de 2 600 entreprises de télécommunications étrangères.", ("fr",)),
    ("In China gibt es mehr als 2.600 ausländisch investierte Telekommunikationsunternehmen.", ("de",)),
    ("In Cina operano oltre 2.600 imprese di telecomunicazioni a capitale estero.", ("it",)),
    ("В Китае работают более 2600 телекоммуникационных компаний с иностранным капиталом.", ("ru",)),
])
def test_paraphrase_stock_in_other_languages(text, langs):
    assert (2600, "enterprises") in _other(text, langs)
