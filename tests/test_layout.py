"""The one-way flow, checked on the code itself: spider -> item -> clean -> extract -> store -> after-run -> CLI.

Nothing under pipelines/ knows a site or the command line; SQL is written only in the store; reports only
render; the item pipelines run clean, extract, store in that order.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from monitor import settings
from tests.conftest import ROOT

FORBIDDEN_IN_PIPELINES = ("monitor.registry", "monitor.spiders", "monitor.runner", "monitor.cli", "monitor.afterrun",
                          "monitor.report", "monitor.diff", "monitor.notify", "monitor.generic", "monitor.extensions")
# A statement, not prose: a keyword followed by what such a statement needs next.
SQL = re.compile(r"\b(?:SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX))")


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


@pytest.mark.parametrize("path", _modules("pipelines"), ids=lambda p: p.name)
def test_pipelines_never_import_a_site_or_the_command_line(path: Path) -> None:
    bad = sorted(i for i in _imports(path) if i.startswith(FORBIDDEN_IN_PIPELINES))
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", [p for p in _modules("monitor") + _modules("pipelines")
                                  if p.name != "store.py"], ids=lambda p: p.name)
def test_sql_is_written_only_in_the_store(path: Path) -> None:
    strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if SQL.search(s)], f"{path.name} writes SQL"


def test_reports_only_render() -> None:
    imports = _imports(ROOT / "monitor" / "report.py")
    assert not [i for i in imports if i.startswith(("pipelines.store", "sqlite3", "urllib", "subprocess", "os"))]


def test_item_pipelines_run_clean_then_extract_then_store() -> None:
    """(On a scrapyd node, extract and store stand down and the feed pipeline writes document lines instead.)"""
    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert [name.rsplit(".", 1)[1] for name in order] == ["CleanPipeline", "ExtractPipeline", "StorePipeline",
                                                           "FeedPipeline"]


def test_knowledge_is_read_from_data_in_one_place() -> None:
    readers = [p.name for p in _modules("pipelines") if p.name != "knowledge.py"
               and re.search(r"\bDATA\s*/|\.json[\"']\)\.read_text", p.read_text(encoding="utf-8"))]
    assert not readers, f"{readers} read data/ themselves (use pipelines.knowledge.load)"


def test_no_spider_callback_is_a_generator_that_returns_a_value() -> None:
    """Scrapy's own check (off in settings: it re-read each callback's source on every response), made once here
    on every generator of every spider: a `return value` in a generator would silently drop that value."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from monitor import registry
    from monitor.spiders.base import ArticleSpider

    checked = []
    for spider in {ArticleSpider, *registry.spiders().values()}:
        for name, member in inspect.getmembers(spider, inspect.isfunction):
            if inspect.isgeneratorfunction(member):
                checked.append(f"{spider.__name__}.{name}")
                assert not is_generator_with_return_value(member), f"{spider.__name__}.{name} returns a value"
    assert any(name.endswith(".parse_article_page") for name in checked)
