"""The registry of sources: every spider module in monitor.spiders, and the parser for a URL."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import monitor.spiders
from monitor import generic
from monitor.htmltext import sanitize
from monitor.spiders.base import ArticleParser, ArticleSpider


@cache
def spiders() -> dict[str, type[ArticleSpider]]:
    """Source name -> spider class, for every module of monitor.spiders but the base."""
    found: dict[str, type[ArticleSpider]] = {}
    for info in pkgutil.iter_modules(monitor.spiders.__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"monitor.spiders.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, ArticleSpider) and obj is not ArticleSpider:
                if getattr(obj, "name", None) == info.name:
                    found[obj.name] = obj
    return dict(sorted(found.items()))


class UnknownSource(KeyError):
    """A source name that no spider has."""


def parser_for(url: str | None = None, source: str | None = None) -> tuple[str, ArticleParser]:
    """(source name, parser) for a page: by name when given, else by the URL's host, else generic.

    The parser's output comes sanitized (control characters removed, fields bounded: htmltext.sanitize).
    """
    name, parser = _parser_for(url, source)
    return name, lambda html, page_url: sanitize(parser(html, page_url))


def _parser_for(url: str | None, source: str | None) -> tuple[str, ArticleParser]:
    table = spiders()
    if source:
        if source == "generic":
            return "generic", generic.parse_article
        if source not in table:
            raise UnknownSource(source)
        return source, table[source].parser
    if url:
        for name, cls in table.items():
            if cls.handles(url):
                return name, cls.parser
    return "generic", generic.parse_article


MANIFEST = "sources.json"  # in data/: what `monitor sources` lists, read without importing Scrapy


def describe() -> list[dict[str, object]]:
    """What each spider says of itself: name, language, domains, discovery and start URLs (the manifest)."""
    return [{"name": name, "language": cls.language, "domains": list(cls.allowed_domains),
             "discovery": cls.discovery, "start_urls": list(cls.start_urls)} for name, cls in spiders().items()]


if __name__ == "__main__":  # python -m monitor.registry: write data/sources.json again after changing a spider
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / MANIFEST
    path.write_text(json.dumps(describe(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
