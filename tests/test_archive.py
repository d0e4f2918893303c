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


def test_truncated_gzip_archive_is_an_error(tmp_path: Path) -> None:
    """Regression: a WARC cut short lost its last records silently (or crashed inside warcio)."""
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, [_page(f"http://x.cn/{i}", b"body %d" % i * 50) for i in range(20)])
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ArchiveError, match="ended before"):
        load_archive(cut)


def test_record_whose_body_does_not_match_its_digest_is_an_error(tmp_path: Path) -> None:
    from warcio.warcwriter import WARCWriter

    from monitor.archive import write_pair

    path = tmp_path / "plain.warc"
    with open(path, "wb") as fh:
        write_pair(WARCWriter(fh, gzip=False), "http://x.cn/a", "GET", [], 200, [], b"the whole page body")
    path.write_bytes(path.read_bytes().replace(b"the whole page body", b"the whole page bodX"))
    with pytest.raises(ArchiveError, match="digest failed"):
        load_archive(path)


def test_recording_writes_each_response_as_it_came(tmp_path: Path) -> None:
    from scrapy import Request, Spider
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from monitor.replay import RecordMiddleware

    crawler = get_crawler(Spider, {"MONITOR_RECORD": True, "MONITOR_ARCHIVE_DIR": str(tmp_path / "live")})
    recorder = RecordMiddleware.from_crawler(crawler)
    for i in range(3):
        url = f"https://english.news.cn/{i}.htm"
        recorder.process_response(Request(url), Response(url, status=200, headers={"Content-Type": "text/html"},
                                                         body=b"page %d" % i))
    recorder.close()
    index = load_archive(tmp_path / "live")
    assert [index[url_key(f"https://english.news.cn/{i}.htm")].body for i in range(3)] == [b"page 0", b"page 1",
                                                                                          b"page 2"]
    assert crawler.stats.get_value("archive/recorded") == 3
