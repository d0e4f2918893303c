"""Tests of batch facts: count, ordinal, approval date, areas and scope."""

from datetime import date

import pytest

from pipelines.batchfacts import batch_facts, find_areas, ordinal
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
    got = facts("上海4家外资企业获得增值电信业务试点批复。")
    assert (got["count"], got["scope"], got["areas"]) == (4, "Shanghai", ["Shanghai"])


@pytest.mark.parametrize(("text", "want"), [("the second batch of 20 firms", 2), ("首批13家", 1), ("第三批", 3),
                                            ("13 firms", None)])
def test_ordinal(text, want):
    assert ordinal(text) == want


def test_find_areas_is_canonical_english():
    assert find_areas("北京、海南 and Shenzhen") == ["Beijing", "Hainan", "Shenzhen"]
