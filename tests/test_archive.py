"""The WARC archive: what is written is read back, and bad archives fail clearly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from monitor.archive import ArchivedResponse, ArchiveError, load_archive, url_key, warc_files, write_warc


def _page(url: str, body: bytes = b"<html>x</html>", status: int = 200) -> ArchivedResponse:
    return ArchivedResponse(url, status, [("Content-Type", "text/html; charset=utf-8")], body)


def test_written_responses_are_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_warc(path, [_page("https://english.news.cn/a.htm", b"one"), _page("https://english.news.cn/b.htm", b"two")])
    index = load_archive(path)
    assert index[url_key("https://english.news.cn/b.htm")].body == b"two"
    assert index[url_key("https://english.news.cn/a.htm")].status == 200


def test_later_capture_of_a_url_wins(tmp_path: Path) -> None:
    write_warc(tmp_path / "1.warc.gz", [_page("http://x.cn/a", b"old")])
    write_warc(tmp_path / "2.warc.gz", [_page("http://x.cn/a", b"new")])
    assert load_archive(tmp_path)[url_key("http://x.cn/a")].body == b"new"


@pytest.mark.parametrize(("a", "b"), [
    ("http://www.news.cn/a?y=1&x=2", "https://www.news.cn/a?x=2&y=1"),
    ("http://www.news.cn/a#top", "http://www.news.cn/a"),
])
def test_url_key_ignores_scheme_query_order_and_fragment(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


def test_missing_archive_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="not found"):
        warc_files(tmp_path / "nope")


def test_folder_without_warc_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(ArchiveError, match="no .warc"):
        warc_files(tmp_path)


def test_corrupt_archive_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(gzip.compress(b"this is not a WARC record at all\r\n\r\n"))
    with pytest.raises(ArchiveError):
        load_archive(path)
