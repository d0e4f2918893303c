"""The examples in the code's docstrings are run, so that none of them goes stale unnoticed."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import monitor
import pipelines

NAMES = sorted(info.name for package in (monitor, pipelines)
               for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."))
# Only the modules that hold examples: a module without any would pass for nothing.
MODULES = [name for name in NAMES if any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    failed, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert tried and failed == 0, f"{failed} docstring example(s) of {name} failed (printed above)"


def test_the_modules_with_examples_are_found() -> None:
    assert {"monitor.htmltext", "monitor.incremental", "pipelines.extract", "pipelines.fulltext"} <= set(MODULES)
