"""Every parser survives pages it was not made for: empty, broken, another site's, or random markup."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import registry
from monitor.htmltext import decode_html
from tests.conftest import FIXTURES

KEYS = {"title", "published", "author", "language", "text", "canonical_url"}
PARSERS = {name: cls.parser for name, cls in registry.spiders().items()} | {"generic": registry.parser_for()[1]}
OTHER_PAGES = sorted(FIXTURES.glob("*/*.html"))[:6]
BROKEN = ["", "<html>", "<<<>>>", "<html><body><div id='detailContent'></div></body></html>",
          "<!--enpproperty <date>not a date</date>/enpproperty--><div id='container_txt'>x</div>",
          "<script type='application/ld+json'>{broken json</script>", "\x00\x01 binary \ufffd"]


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("html", BROKEN + [p.name for p in OTHER_PAGES])
def test_parser_never_raises(name: str, html: str) -> None:
    page = next((p for p in OTHER_PAGES if p.name == html), None)
    text = decode_html(page.read_bytes())[0] if page else html
    out = PARSERS[name](text, "https://example.org/a/b.html")
    assert KEYS <= set(out)
    assert isinstance(out["text"], str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div id='Content'>", "</div>", "<h1>", "</h1>", "<br>",
                                 "<meta name='publishdate' content='2025-13-45'>", "Beijing", "批复", "\n", "<a href='x'>",
                                 "<span class='time'>", "2025-03-03 10:00:00", "</span>"]), max_size=40))
def test_parsers_survive_random_markup(parts: list[str]) -> None:
    html = "".join(parts)
    for parse in PARSERS.values():
        assert isinstance(parse(html, "https://example.org/x.html")["text"], str)


HOSTILE_TITLE = "Approvals\x01\x07\x1b[31m in red\u202e" + "x" * 100_000


@pytest.mark.parametrize("name", sorted(registry.spiders()) + ["generic"])
def test_every_parser_gives_no_control_characters_and_bounded_fields(name: str) -> None:
    """Regression: a title with \\x1b[31m was stored and printed as is (it rewrites a terminal), 100 KB whole."""
    html = (f"<html><head><title>{HOSTILE_TITLE}</title><meta property='og:title' content='{HOSTILE_TITLE}'>"
            f"</head><body><h1>{HOSTILE_TITLE}</h1><div id='detailContent'><p>Body\x1b[2J text of the page.</p>"
            "</div></body></html>")
    _, parse = registry.parser_for(source=name)
    out = parse(html, "https://example.org/a/b.html")
    for key in ("title", "author", "language", "text"):
        value = out.get(key) or ""
        assert not [c for c in value if ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f], key
        assert "\u202e" not in value
    assert len(out.get("title") or "") <= 1_000
