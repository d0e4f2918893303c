"""Tests of the public extraction API, with hypothesis properties over arbitrary text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract import extract, extract_record

BATCH = ("北京3月1日电 工業和信息化部向第二批１３家外資企業發放增值電信業務經營試點批覆,"
         "其中包括匯豐金科。截至2025年2月底,已有超過2400家外商投資電信企業。")


def test_offsets_refer_to_original_text():
    facts = extract(BATCH, published="2025-03-01", language="zh-Hant")
    for item in facts["firms"] + facts["figures"]:
        assert BATCH[item["start"]:item["end"]] == item["surface"]


def test_batch_report_in_traditional_chinese():
    facts = extract(BATCH, published="2025-03-01")
    assert (facts["event"], facts["batch"]["count"], facts["batch"]["ordinal"]) == ("batch_report", 13, 2)
    assert facts["firms"][0]["canonical"] == "HSBC Fintech Services (Shanghai) Co., Ltd."
    assert facts["firms"][0]["name"] == "匯豐金科"  # as the article writes it


def test_unrelated_article_has_no_figures():
    facts = extract("The MIIT said 5G base stations rose 12 percent to 4.2 million.")
    assert (facts["relevant"], facts["figures"], facts["batch"]) == (False, [], None)


def test_record_output_shape():
    out = extract_record({"id": "x", "text": BATCH, "published": "2025-03-01"})
    assert set(out) == {"id", "relevant", "event", "firms", "figures", "batch", "areas"}
    assert set(out["firms"][0]) == {"name", "role", "parent", "canonical"}


def test_record_with_html_only_is_an_error():
    """HTML becomes text on the monitor side (monitor.documents): extraction reads text only."""
    html = "<html><body><article><p>" + BATCH + "</p></article></body></html>"
    with pytest.raises(ValueError, match="has no text"):
        extract_record({"id": "h", "html": html, "url": "http://example.com/a.html"})


def test_record_without_text_is_an_error():
    with pytest.raises(ValueError, match="has no text"):
        extract_record({"id": "empty"})


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text):
    facts = extract(text, published="2025-03-03")
    assert facts["event"] in ("batch_report", "cumulative_status", "policy_milestone", "applicant_news", "unrelated")


_POLICY_WORDS = st.sampled_from(["13", "２４００", "十三", "seven", "家", " firms", " percent", "%", "外资企业", "批复",
                                 "approved", " foreign", " value-added telecom", " pilot", "增值电信", "试点", "超过",
                                 "(zhun)", "，", " ", "\n", "million", "CNY", "2025年2月底"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_POLICY_WORDS, st.text(max_size=4)), max_size=40).map("".join))
def test_every_figure_is_in_the_text(text):
    for fig in extract(text)["figures"]:
        if fig["start"] is not None:
            assert text[fig["start"]:fig["end"]] == fig["surface"]
            assert fig["surface"].strip()


def test_extract_record_names_a_firm_as_the_article_writes_it_and_keeps_the_canonical() -> None:
    """Regression: a Chinese article's firm came out only under its English gazetteer name."""
    text = "据报道,汇丰金科已获得工业和信息化部批复,成为首批开展增值电信业务试点的13家外资企业之一。"
    line = extract_record({"id": "x", "text": text, "published": "2025-03-01", "language": "zh"})
    firm = next(f for f in line["firms"] if f["role"] == "approved")
    assert firm["name"] == "汇丰金科"
    assert firm["canonical"].startswith("HSBC Fintech Services")


@pytest.mark.parametrize(("text", "areas"), [
    ("BEIJING, Sept. 20 (Xinhua) -- China has approved a second batch of 18 foreign-invested companies for pilot "
     "value-added telecom services, the MIIT said on Friday. They include Zephyr Data (Shanghai) Co., Ltd.", []),
    ("工业和信息化部近日向第二批18家外资企业发放增值电信业务试点批复，其中包括星河数据（上海）有限公司。", []),
    ("Shanghai on Wednesday approved four foreign-invested firms, among them Zephyr Data (Shanghai) Co., Ltd., for "
     "value-added telecom pilots.", ["Shanghai"]),
])
def test_a_place_inside_a_firm_name_is_not_a_pilot_area(text: str, areas: list[str]) -> None:
    """Regression: "Zephyr Data (Shanghai) Co., Ltd." made a national batch's areas say Shanghai."""
    facts = extract(text, published="2025-09-20")
    assert facts["batch"]["areas"] == areas
    assert facts["areas"] == areas
