"""The runner: an ingest is all or nothing, and a re-extraction recomputes facts as one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pipelines.extract as extraction
from monitor import runner
from monitor.documents import to_item
from tests.conftest import ROOT, rows

TEXT = "China has approved 13 foreign-invested firms for pilot value-added telecom services, the MIIT said."


def test_a_document_that_breaks_extraction_leaves_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [to_item({"id": f"d{i}", "url": f"https://example.org/{i}", "text": f"{TEXT} Item {i}."})
             for i in range(3)]
    runner.ingest(str(db_path), items[:1])
    real = extraction.extract

    def broken(text: str, **kw):
        if "Item 2." in text:
            raise ValueError("a bug in a rule")
        return real(text, **kw)

    monkeypatch.setattr(extraction, "extract", broken)  # the runner imports it when it runs
    with pytest.raises(runner.IngestError, match="document d2"):
        runner.ingest(str(db_path), items)
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM runs") == [(1,)]


def test_reextract_is_one_run_that_keeps_the_articles(db_path: Path) -> None:
    runner.ingest(str(db_path), [to_item({"id": "a", "url": "https://example.org/a", "text": TEXT})])
    counts = runner.reextract(str(db_path))
    assert (counts["articles"], counts["relevant"]) == (1, 1)
    assert rows(db_path, "SELECT mode, status FROM runs ORDER BY id") == [("ingest", "ok"), ("reextract", "ok")]
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]


# In a process of its own: forking pytest (whose workers run threads) would copy their locks mid-use.
IN_CHILD = r'''
import json, logging, os, signal
from monitor import runner

def value(n):
    return {"pid": os.getpid(), "n": n}

def boom():
    raise ValueError("a bug in the crawl")

def unpicklable():
    return lambda: None

class TwoArgs(Exception):  # pickles, but does not unpickle (its args are one tuple, its __init__ wants two)
    def __init__(self, a, b):
        super().__init__(f"{a} {b}")

def unreadable():
    raise TwoArgs(1, 2)

def killed():
    os.kill(os.getpid(), signal.SIGKILL)

logging.basicConfig(level=logging.ERROR, format="%(message)s")
out = {"parent": os.getpid(), "value": runner.in_child("crawl", value, 3)}
try:
    runner.in_child("crawl", boom)
except ValueError as exc:
    out["raised"] = [str(exc), "\n".join(exc.__notes__)]
try:
    runner.in_child("crawl", unpicklable)
except RuntimeError as exc:
    out["unpicklable"] = str(exc)
try:
    runner.in_child("crawl", unreadable)
except runner.ChildDied as exc:
    out["unreadable"] = str(exc)
try:
    runner.in_child("crawl", killed)
except runner.ChildDied as exc:
    out["killed"] = str(exc)
print(json.dumps(out))
'''


def test_work_in_a_child_process_gives_its_value_its_exception_or_how_it_died() -> None:
    done = subprocess.run([sys.executable, "-c", IN_CHILD], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=60)
    out = json.loads(done.stdout)
    assert out["value"]["n"] == 3 and out["value"]["pid"] != out["parent"]
    message, note = out["raised"]
    assert message == "a bug in the crawl"
    assert "in boom" in note and "ValueError: a bug in the crawl" in note  # the child's traceback, for a bug report
    assert out["unpicklable"].startswith("the crawl process could not report:")
    assert out["unreadable"].startswith("the crawl process could not report:")
    assert out["killed"] == "the crawl process was killed by SIGKILL before it reported"
