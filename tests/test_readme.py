"""The README is part of the product: it must name every source, command, exit code and table."""

from __future__ import annotations

import re

import pytest

from monitor import exitcodes, registry
from monitor.cli import build_parser
from pipelines.store import SCHEMA
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("source", sorted(registry.spiders()))
def test_every_source_has_a_row(source: str) -> None:
    assert re.search(rf"^\| {source} \|", README, re.M), f"README has no row for source {source}"


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
