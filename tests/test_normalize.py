"""Tests of text normalisation and its map back to the original offsets."""

import pytest

from pipelines.normalize import normalize, to_simplified


@pytest.mark.parametrize(("raw", "want"), [
    ("增值電信業務試點批覆", "增值电信业务试点批复"),
    ("首批１３家，超過２４００家", "首批13家,超过2400家"),
    ("企业获准(zhun)经营", "企业获准经营"),
    ("網(wǎng)站", "网站"),
    ("a   b\u200bc", "a bc"),
    ("one\n\n\n\ntwo", "one\n\ntwo"),
])
def test_normalize_text(raw, want):
    assert normalize(raw).text == want


def test_bracketed_acronym_is_not_pinyin():
    assert normalize("互联网数据中心(IDC)").text == "互联网数据中心(IDC)"


def test_span_maps_back_to_original():
    raw = "獲準(zhun)  在華經營的１３家"
    norm = normalize(raw)
    start = norm.text.index("13")
    s, e = norm.span(start, start + 2)
    assert raw[s:e] == "１３"


def test_to_simplified_keeps_length():
    text = "乾隆頭髮後面"
    assert len(to_simplified(text)) == len(text)


@pytest.mark.parametrize(("text", "want"), [
    ("١٣ شركة", "13 شركة"),  # Arabic-Indic digits
    ("۲۴۰۰", "2400"),  # Eastern Arabic-Indic digits
    ("१३ कंपनियां", "13 कंपनियां"),  # Devanagari digits
    ("٣٠٪", "30%"),  # the Arabic percent sign
])
def test_digits_of_other_scripts_become_ascii_one_for_one(text, want):
    n = normalize(text)
    assert n.text == want and len(n.text) == len(text)


def test_japanese_kanji_are_kept_when_asked():
    assert normalize("外資系企業13社を認可", simplify=False).text == "外資系企業13社を認可"
