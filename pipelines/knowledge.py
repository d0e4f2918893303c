"""The hand-kept knowledge in data/ (topic words, cue vocabulary, gazetteer, areas), read in one place.

data/ is installed as the package `telecom_monitor_data` (pyproject's package-dir), so the same files are
read from a checkout, an editable install, a wheel or a scrapyd egg, through importlib.resources.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

DATA = files("telecom_monitor_data")


@cache
def load(name: str) -> Any:
    """The parsed JSON file `data/<name>`, read once per process.

    >>> "areas" in load("areas.json")
    True
    """
    return json.loads((DATA / name).read_text(encoding="utf-8"))
