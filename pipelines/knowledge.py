"""The hand-kept knowledge in data/ (topic words, cue vocabulary, gazetteer, areas), read in one place."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def load(name: str) -> Any:
    """The parsed JSON file `data/<name>`, read once per process.

    >>> "areas" in load("areas.json")
    True
    """
    return json.loads((DATA / name).read_text(encoding="utf-8"))
