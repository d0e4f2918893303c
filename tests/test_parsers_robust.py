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
