"""Tests of date phrases in article text resolved against the publication day."""

from datetime import date

import pytest

from monitor.dates import find_dates, iso, parse_published, resolve_relative

MONDAY = date(2025, 3, 3)


@pytest.mark.parametrize(("phrase", "want"), [
    ("on Friday", "2025-02-28"),
    ("last October", "2024-10-01"),
    ("Feb. 28", "2025-02-28"),
    ("February 28, 2025", "2025-02-28"),
    ("by the end of February 2025", "2025-02-28"),
    ("2月28日", "2025-02-28"),
    ("截至2025年2月底", "2025-02-28"),
    ("yesterday", "2025-03-02"),
    ("去年10月", "2024-10-01"),
])
def test_resolve_relative(phrase, want):
    assert resolve_relative(phrase, MONDAY).iso() == want


@pytest.mark.parametrize("phrase", ["近日", "截至目前", "to date"])
def test_vague_phrases_are_approximate(phrase):
    assert resolve_relative(phrase, MONDAY).approximate


def test_relative_phrase_without_base_is_none():
    assert resolve_relative("on Friday", None) is None


def test_find_dates_gives_spans():
    text = "the MIIT said on Friday"
    (s, e, found), = find_dates(text, MONDAY)
    assert (text[s:e], found.iso()) == ("Friday", "2025-02-28")


def test_parse_published_still_reads_beijing_time():
    assert iso(parse_published("2025-03-03 10:01")) == "2025-03-03T10:01:00+08:00"


@pytest.mark.parametrize(("phrase", "base", "want"), [
    ("工信部12日批复", date(2025, 9, 14), "2025-09-12"),
    ("工信部28日批复", date(2025, 3, 3), "2025-02-28"),  # a day ahead of the base is last month's
    ("上周五", date(2025, 9, 15), "2025-09-12"),
    ("周五", date(2025, 9, 13), "2025-09-12"),
])
def test_chinese_day_only_and_weekdays(phrase, base, want):
    assert resolve_relative(phrase, base, "zh").iso() == want


def test_dispatch_day_with_dian_is_not_a_day_only_date():
    assert [d.iso() for _s, _e, d in find_dates("北京13日电", date(2025, 9, 14), "zh")] == []


@pytest.mark.parametrize(("text", "want"), [
    ("记者获悉,9月19日,北京9家企业获批", ["2025-09-19"]),  # a date right after a comma (normalised text)
    ("exceeded 2,400 firms and 3.5 percent", []),  # the digits of 2,400 and 3.5 never start a date
])
def test_dates_after_commas(text, want):
    assert [d.iso() for _s, _e, d in find_dates(text, date(2025, 9, 20), "zh")] == want


@pytest.mark.parametrize(("text", "want"), [
    ("approved on 2025-09-19", "2025-09-19"),
    ("approved on 19 September 2025", "2025-09-19"),
    ("2025年9月19日批复", "2025-09-19"),
    ("13家企业19日获批", "2025-09-19"),
])
def test_dates_starting_with_digits_after_counts(text, want):
    assert [d.iso() for _s, _e, d in find_dates(text, date(2025, 9, 20), "zh")] == [want]


def test_feb_29_without_a_year_is_the_latest_leap_day_before_the_article() -> None:
    """Regression: with a plain rule in place of dateparser, "Feb 29" in a 2025 article gave no date."""
    [(_, _, found)] = find_dates("The firms were approved on Feb 29.", date(2025, 3, 3))
    assert found.day == date(2024, 2, 29)
