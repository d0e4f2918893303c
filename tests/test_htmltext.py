"""Text helpers: pages decoded without mojibake, parser output made safe to store and print."""

from __future__ import annotations

import pytest

from monitor.htmltext import decode_html, sanitize


@pytest.mark.parametrize(("body", "content_type", "encoding"), [
    ("中文页面".encode("gbk"), None, "gb18030"),  # no charset anywhere: the bytes decide
    ("中文页面".encode("gbk"), "text/html; charset=utf-8", "gb18030"),  # a wrong declaration is overruled
    ('<meta charset="gb2312">中文'.encode("gbk"), None, "gb18030"),  # GB2312 read as its superset
    ("\ufeffUTF-8 with a BOM".encode(), "text/html; charset=gbk", "utf-8"),  # the BOM wins
    (b"plain ascii", None, "utf-8"),
])
def test_decode_html(body: bytes, content_type: str | None, encoding: str) -> None:
    text, used = decode_html(body, content_type)
    assert used == encoding
    assert "\ufffd" not in text


def test_undecodable_bytes_never_raise() -> None:
    text, _ = decode_html(b"\x80\x81 broken \xfa", "text/html; charset=utf-8")
    assert "broken" in text


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("title", "Red\x1b[31m title\x07", "Red[31m title"),
    ("title", "Right\u202eto left", "Rightto left"),
    ("author", "  By\x00 someone  ", "By someone"),
    ("text", "Para one.\n\nPara\x0b two.\x85", "Para one.\n\nPara two."),
    ("title", "\x01\x02", None),
])
def test_sanitize_removes_control_characters(field: str, value: str, expected: str | None) -> None:
    assert sanitize({field: value})[field] == expected


def test_sanitize_bounds_sizes_and_keeps_other_fields() -> None:
    out = sanitize({"title": "t" * 5_000, "text": "x" * 3_000_000, "published": None, "canonical_url": "u"})
    assert (len(out["title"]), len(out["text"]), out["canonical_url"]) == (1_000, 2_000_000, "u")
