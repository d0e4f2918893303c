"""`monitor serve`'s metadata, without a server: every table and column of the store is described, the canned
queries run on a demo store and keep their line breaks (readable on Datasette's query page)."""

from __future__ import annotations

from pathlib import Path

from monitor import serve
from pipelines.store import Store


def test_every_table_and_column_of_the_store_has_a_title_and_a_description(tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        schema = {t: [c.name for c in store.db[t].columns] for t in store.db.table_names()
                  if not t.startswith("articles_fts_")}  # FTS5's own shadow tables (Datasette hides them)
    tables = serve.metadata("store")["databases"]["store"]["tables"]
    assert sorted(tables) == sorted(schema)
    undescribed = {t: [c for c in cols if not tables[t]["columns"].get(c)] for t, cols in schema.items()}
    assert {t: cols for t, cols in undescribed.items() if cols} == {}
    assert all(tables[t]["title"] and tables[t]["description"] for t in tables)


def test_the_canned_queries_answer_on_the_demo_store(demo_store: Path) -> None:
    db = demo_store
    queries = serve.metadata("demo")["databases"]["demo"]["queries"]
    answers = {}
    with Store(db, readonly=True) as store:
        for name, query in queries.items():
            assert "\n" in query["sql"], name  # kept on several lines
            answers[name] = store.query(query["sql"].replace(":since", "'2000-01-01'"))
    columns, rows = answers["batches_with_firms"]
    batch = dict(zip(columns, rows[0], strict=True))
    assert (len(rows), batch["count"], batch["approved_on"], batch["status"]) == (1, 13, "2025-02-28", "confirmed")
    assert "Siemens" in batch["firms"]
