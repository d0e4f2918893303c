"""The examples in the code's docstrings are run, so that none of them goes stale unnoticed."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import monitor
import pipelines

MODULES = sorted(info.name for package in (monitor, pipelines)
                 for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0, f"{failed} docstring example(s) of {name} failed (printed above)"


def test_every_module_is_found() -> None:
    assert {"monitor.htmltext", "monitor.spiders.xinhua_en", "pipelines.store", "pipelines.extract"} <= set(MODULES)
