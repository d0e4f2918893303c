"""Documents from elsewhere: every line validated before any is used; HTML made text by the parser its URL calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import documents
from monitor.dates import BEIJING

PAGE = ("<html><head><title>China approves foreign firms</title>"
        '<meta property="article:published_time" content="2025-03-03T10:00:00+08:00"></head>'
        "<body><article><p>China has approved 13 foreign-invested firms for pilot value-added telecom services in "
        "Beijing, Shanghai, Hainan and Shenzhen, the ministry said on Friday, in a further opening of the sector."
        "</p></article></body></html>")


def _file(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "line 1: not valid JSON"),
    ("[1, 2]", "line 1: expected a JSON object"),
    ('{"text": "x"}', "line 1: no id"),
    ('{"id": 1, "text": 5}', "line 1: text must be a string or null"),
    ('{"id": 1, "url": "ftp://x/y", "text": "x"}', r"line 1: url is not an http\(s\) address"),
    ('{"id": 1, "title": "no body"}', "line 1: needs text or html"),
])
def test_a_bad_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(documents.BadDocument, match=message):
        documents.read_jsonl(_file(tmp_path, line))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(documents.BadDocument, match="cannot read"):
        documents.read_jsonl(str(tmp_path / "nothing.jsonl"))


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    assert [r["id"] for r in documents.read_jsonl(_file(tmp_path, '{"id": 1, "text": "a"}', "",
                                                        '{"id": 2, "text": "b"}'))] == [1, 2]


def test_html_becomes_text_title_and_time_through_a_parser() -> None:
    fields = documents.document_fields({"id": "h", "html": PAGE, "url": "https://news.example/a.html"})
    assert fields["title"] == "China approves foreign firms"
    assert fields["text"].startswith("China has approved 13 foreign-invested firms")
    assert fields["published"].isoformat() == "2025-03-03T10:00:00+08:00"


def test_the_lines_own_fields_win_and_dates_are_parsed_once() -> None:
    fields = documents.document_fields({"id": "h", "html": PAGE, "title": "Given", "published": "2025-03-04"})
    assert fields["title"] == "Given"
    assert fields["published"].tzinfo is not None and fields["published"].astimezone(BEIJING).day == 4


def test_an_item_keeps_the_line_id_and_outlet() -> None:
    item = documents.to_item(json.loads('{"id": 7, "text": "Some text here.", "url": "https://www.example.org/a"}'))
    assert (item["source"], item["outlet"], item["ingest_id"], item["canonical_url"]) == (
        "ingest", "www.example.org", "7", "https://www.example.org/a")


def test_the_lines_own_author_is_kept() -> None:
    """Regression: an ingested line's author (a scrapyd feed carries the byline) was dropped."""
    assert documents.to_item({"id": 1, "text": "Some text here.", "author": "Zhang San"})["author"] == "Zhang San"
