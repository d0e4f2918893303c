"""Ingest is all or nothing: a document the pipelines cannot process leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipelines.extract
from pipelines.ingest import IngestError, ingest_items, record_to_item
from tests.conftest import rows

TEXT = "China has approved 13 foreign-invested firms for pilot value-added telecom services, the MIIT said."


def test_a_document_that_breaks_extraction_leaves_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [record_to_item({"id": f"d{i}", "url": f"https://example.org/{i}", "text": f"{TEXT} Item {i}."})
             for i in range(3)]
    ingest_items(str(db_path), items[:1])
    real = pipelines.extract.extract

    def broken(text: str, **kw):
        if "Item 2." in text:
            raise ValueError("a bug in a rule")
        return real(text, **kw)

    monkeypatch.setattr(pipelines.extract, "extract", broken)
    with pytest.raises(IngestError, match="document d2"):
        ingest_items(str(db_path), items)
    assert rows(db_path, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM runs") == [(1,)]
