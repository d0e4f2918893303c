"""The hand-kept gazetteer (data/gazetteer.json): firms with aliases in English and Chinese, parents, non-firm names."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipelines.knowledge import load as load_data
from pipelines.normalize import latin_only, to_simplified

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def key(name: str) -> str:
    """Lookup key of a firm name: Simplified, half-width, lower case, no punctuation, no spaces."""
    return re.sub(r"[\W_]+", "", to_simplified(name).lower())


@dataclass
class Gazetteer:
    """Firms by canonical name, every alias pointing at one, and the names that are never firms."""

    firms: dict[str, dict[str, Any]]
    by_key: dict[str, str]
    not_firms: set[str] = field(default_factory=set)
    pattern: re.Pattern[str] | None = None
    latin: re.Pattern[str] | None = None  # the aliases in Latin letters only, for texts in Latin letters only

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Every alias in `text`, longest first at each place (a text in Latin letters is scanned for those only)."""
        pattern = self.latin if latin_only(text) and self.latin is not None else self.pattern
        return pattern.finditer(text) if pattern is not None else iter(())

    def lookup(self, name_or_alias: str) -> dict[str, Any] | None:
        """{"name", "parent", "aliases", "group"} of the firm a name or alias means, or None.

        >>> load().lookup("汇丰金科")["name"]
        'HSBC Fintech Services (Shanghai) Co., Ltd.'
        """
        canon = self.by_key.get(key(name_or_alias))
        return self.firms[canon] if canon else None

    def is_not_firm(self, name: str) -> bool:
        """True for media outlets and government bodies, which look like firms but are not."""
        return key(name) in self.not_firms

    def subsidiaries(self, group: str) -> list[str]:
        """Canonical names of the firms whose parent is `group`."""
        return [n for n, f in self.firms.items() if f.get("parent") == group]


def _alias_regex(aliases: list[str]) -> re.Pattern[str]:
    """One alternation of every alias, longest first; Latin aliases must stand as whole words.

    The word-boundary checks sit outside the alternations (one lookbehind per position, not one per alias).
    """
    ordered = sorted(set(aliases), key=len, reverse=True)
    latin = [re.escape(a).replace(r"\ ", r"\s+") for a in ordered if re.match(r"\w", a, re.A)]
    other = [re.escape(a) for a in ordered if not re.match(r"\w", a, re.A)]
    parts = []
    if latin:
        parts.append(r"(?<![\w-])(?:" + "|".join(latin) + r")(?![\w-])")
    if other:
        parts.append("|".join(other))
    return re.compile("|".join(parts))


@cache
def load(path: str | None = None) -> Gazetteer:
    """The gazetteer, read once per process (aliases normalised to Simplified Chinese, half-width); `path` reads
    another file of the same form instead of data/gazetteer.json."""
    raw = json.loads(Path(path).read_text(encoding="utf-8")) if path else load_data("gazetteer.json")
    firms: dict[str, dict[str, Any]] = {}
    by_key: dict[str, str] = {}
    surfaces: list[str] = []
    for entry in raw["firms"]:
        name = entry["name"]
        aliases = [to_simplified(a) for a in entry.get("aliases", [])]
        firms[name] = {"name": name, "parent": entry.get("parent"), "aliases": aliases,
                       "group": bool(entry.get("group"))}
        for alias in [name, *aliases]:
            by_key.setdefault(key(alias), name)
            surfaces.append(alias)
    not_firms = {key(n) for names in raw.get("not_firms", {}).values() for n in names}
    return Gazetteer(firms, by_key, not_firms, _alias_regex(surfaces), _alias_regex([a for a in surfaces if latin_only(a)]))
