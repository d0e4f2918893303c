"""Properties of extraction on generated text that does hold firms, counts, totals and dates: no exception
escapes, every firm and figure is a span of its input, and the generated examples really carry figures."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract import extract

FIRMS = ["Siemens (Shanghai) Co., Ltd.", "T-Systems P.R. China Ltd.", "Example Cloud (Beijing) Co., Ltd.",
         "HSBC Fintech Services (Shanghai) Co., Ltd.", "特斯拉(上海)有限公司", "Acme Data Ltd."]
PLACES = ["Beijing", "Shanghai", "Hainan", "Shenzhen", "北京", "上海"]
NOUNS = ["foreign-invested companies", "foreign firms", "foreign-funded enterprises", "家外资企业"]
DATES = ["on Friday", "on Feb 28", "on March 3, 2025", "last October", "2025年2月28日", ""]
FILLER = ["", " The ministry said more would follow.", "\n\n", " 据悉，", " (Xinhua) -- ", "\x00", " \u3000 "]

count = st.integers(min_value=1, max_value=99_999).map(lambda n: f"{n:,}")
sentence = st.one_of(
    st.builds(lambda n, noun, place, when: f"China has approved {n} {noun} for value-added telecom services in "
                                           f"{place} {when}.", count, st.sampled_from(NOUNS),
              st.sampled_from(PLACES), st.sampled_from(DATES)),
    st.builds(lambda n, when: f"The number of foreign-invested telecom enterprises exceeded {n} {when}.", count,
              st.sampled_from(DATES)),
    st.builds(lambda firm, parent: f"Among the approved companies is {firm}, a subsidiary of {parent}.",
              st.sampled_from(FIRMS), st.sampled_from(["Siemens", "Deutsche Telekom", "HSBC"])),
    st.builds(lambda n, place: f"工业和信息化部批复同意{n}家外商投资企业在{place}开展增值电信业务试点。",
              st.integers(min_value=1, max_value=99), st.sampled_from(PLACES)),
    st.builds(lambda pct: f"The number rose {pct} percent year on year.", st.integers(min_value=1, max_value=300)),
    st.sampled_from(FILLER),
)


def _check_spans(text: str, facts: dict) -> None:
    for firm in facts["firms"]:
        if firm.get("start") is not None:
            assert text[firm["start"]:firm["end"]] == firm["surface"], firm
    for fig in facts["figures"]:
        if fig.get("start") is not None:
            assert text[fig["start"]:fig["end"]] == fig["surface"], fig
        for mention in fig.get("mentions") or []:
            if mention.get("start") is not None:
                assert text[mention["start"]:mention["end"]] == mention["surface"], mention


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence, min_size=1, max_size=8).map(" ".join))
def test_extraction_never_raises_and_every_fact_is_a_span_of_its_input(text: str) -> None:
    facts = extract(text, published="2025-03-03T10:00:00+08:00")
    _check_spans(text, facts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count, st.sampled_from(NOUNS[:3]), st.sampled_from(PLACES[:4]))
def test_a_stated_count_of_approved_firms_is_a_figure_with_its_evidence(n: str, noun: str, place: str) -> None:
    """The generator must really produce figures: a batch sentence gives its count, as a span of the text."""
    text = f"China has approved {n} {noun} for pilot value-added telecom services in {place}, the MIIT said."
    facts = extract(text, published="2025-03-03T10:00:00+08:00")
    values = [f["value"] for f in facts["figures"]]
    assert float(n.replace(",", "")) in values, (text, facts["figures"])
    _check_spans(text, facts)
