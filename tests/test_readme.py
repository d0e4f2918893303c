"""The README is part of the product: it must name every source, command, exit code and table."""

from __future__ import annotations

import re

import pytest

from monitor import exitcodes, generic, registry
from monitor.cli import build_parser
from pipelines.store import SCHEMA
from tests.conftest import ROOT, need_shared
from tests.test_parsers import expected_jsons, structure_basis
from tests.test_real_pages import url_of

README = (ROOT / "README.md").read_text(encoding="utf-8")
REAL_PAGE_CELL = re.compile(r"yes \((\d+) pages?\)|no: (site|generic) parser, (.+)")


def _sources_table() -> dict[str, list[str]]:
    """source -> the cells of its row in the README's "## Sources" table."""
    section = README.split("\n## Sources\n", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| source |")]
    return {cells[0]: cells for cells in rows}


def _real_page_cell(source: str) -> str:
    """The "parser checked on real pages" cell of a source's row (the table's last column)."""
    row = _sources_table().get(source)
    assert row, f"README's sources table has no row for {source}"
    assert len(row) == 5, f"README's row for {source} has {len(row)} cells, not 5"
    return row[-1]


def _real_pages_of(source: str) -> int:
    """How many real saved article pages tests/test_real_pages.py runs through this source's parser."""
    real = need_shared("fixtures", "real")
    return sum(1 for page in real.glob("*/*.html")
               if "listing" not in page.name and registry.parser_for(url=url_of(page))[0] == source)


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_every_source_has_a_row(source: str) -> None:
    assert re.search(rf"^\| {source} \|", README, re.M), f"README has no row for source {source}"


def test_every_row_of_the_sources_table_is_a_source() -> None:
    assert sorted(set(_sources_table()) - set(registry.spiders())) == []


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_real_page_column_is_yes_with_a_count_or_no_with_a_reason(source: str) -> None:
    assert REAL_PAGE_CELL.fullmatch(_real_page_cell(source)), _real_page_cell(source)


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_real_page_column_agrees_with_the_fixtures(source: str) -> None:
    """"yes" when a fixture page of the source follows a real saved page; else the parser and what the pages rest on."""
    bases = {structure_basis(e.get("structure", "")) for e in expected_jsons(source)}
    cell = _real_page_cell(source)
    if "real pages" in bases:
        assert cell.startswith("yes ("), f"a fixture of {source} follows a real page, README says {cell!r}"
    else:
        kind = "generic" if registry.spiders()[source].parser is generic.parse_article else "site"
        assert len(bases) == 1, f"the fixtures of {source} rest on different things: {bases}"
        assert cell == f"no: {kind} parser, {bases.pop()}"


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_real_page_column_counts_the_real_pages(source: str) -> None:
    count = _real_pages_of(source)
    cell = _real_page_cell(source)
    if count:
        assert cell == f"yes ({count} page{'s' if count > 1 else ''})"
    else:
        assert cell.startswith("no: "), f"no real page runs through the {source} parser, README says {cell!r}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_an_example(command: str) -> None:
    assert re.search(rf"\| `monitor {command}[ `].*\| `monitor {command}\b", README), f"no example of {command}"


@pytest.mark.parametrize("code", sorted(exitcodes.DESCRIPTIONS))
def test_every_exit_code_is_documented(code: int) -> None:
    assert re.search(rf"^\| {code} \|", README, re.M)


@pytest.mark.parametrize("table", [t for t in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA) if t != "meta"])
def test_every_table_is_documented(table: str) -> None:
    assert re.search(rf"^\| {table} \|", README, re.M), f"README does not document table {table}"


def test_quick_start_and_crontab() -> None:
    assert "    make demo\n    make test\n" in README
    assert re.search(r"^\s+[\d*/,]+ [\d*/,]+ .*monitor run --quiet", README, re.M)
