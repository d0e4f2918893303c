"""The runner: an ingest is all or nothing, and a re-extraction recomputes facts as one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import runner
from monitor.documents import to_item
from tests.conftest import rows

TEXT = "China has approved 13 foreign-invested firms for pilot value-added telecom services, the MIIT said."


def test_a_document_that_breaks_extraction_leaves_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [to_item({"id": f"d{i}", "url": f"https://example.org/{i}", "text": f"{TEXT} Item {i}."})
             for i in range(3)]
    runner.ingest(str(db_path), items[:1])
    real = runner.extract

    def broken(text: str, **kw):
        if "Item 2." in text:
            raise ValueError("a bug in a rule")
        return real(text, **kw)

    monkeypatch.setattr(runner, "extract", broken)
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
