"""Datasette's search box on a monitor store (the plugin monitor/datasette_search.py, found through its entry
point), through Datasette's own request handling in-process: Chinese words of one, two or many characters."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pipelines.store import Store

datasette_app = pytest.importorskip("datasette.app", reason="Datasette is the optional extra: pip install '.[serve]'")


def _store(path: Path) -> Path:
    with Store(path) as store:
        run = store.start_run("ingest")
        with store.transaction():
            for url, text in [("https://www.news.cn/a", "工业和信息化部批复13家外资企业开展增值电信业务试点。"),
                              ("https://www.news.cn/t", "工信部批覆外資企業經營增值電信業務。"),
                              ("https://english.news.cn/b", "MIIT approved 13 firms for value-added telecom and 5G.")]:
                store.save_article({"canonical_url": url, "url": url, "source": "ingest", "title": None,
                                    "text": text}, run)
    return path


def _search(db: Path, table: str, words: str) -> list[dict]:
    async def get() -> list[dict]:
        ds = datasette_app.Datasette([str(db)])
        response = await ds.client.get(f"/{db.stem}/{table}.json", params={"_search": words, "_shape": "array"})
        assert response.status_code == 200, response.text
        return response.json()
    return asyncio.run(get())


@pytest.mark.parametrize(("words", "found"), [
    ("外资", ["https://www.news.cn/a", "https://www.news.cn/t"]),
    ("外資", ["https://www.news.cn/a", "https://www.news.cn/t"]),  # Traditional, as typed
    ("外", ["https://www.news.cn/a", "https://www.news.cn/t"]),
    ("工业和信息化部", ["https://www.news.cn/a"]),  # longer than the index's n-grams
    ("试点 外资", ["https://www.news.cn/a"]),
    ("5G", ["https://english.news.cn/b"]),
    ('"value-added telecom"', ["https://english.news.cn/b"]),
    ("biotech", []),
])
def test_the_search_box_finds_chinese_words_of_any_length(tmp_path: Path, words: str, found: list[str]) -> None:
    rows = _search(_store(tmp_path / "store.db"), "articles", words)
    assert sorted(r["url"] for r in rows) == found


def test_another_database_keeps_datasettes_own_search(tmp_path: Path) -> None:
    """The plugin rewrites only for a monitor store: elsewhere the box's words are Datasette's quoted words."""
    db = tmp_path / "other.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('running foxes'), ('外资企业')")
        conn.execute("CREATE VIRTUAL TABLE notes_fts USING FTS5 (body, content=[notes], tokenize='porter')")
        conn.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
    assert [r["body"] for r in _search(db, "notes", "run")] == ["running foxes"]  # porter stems as before
    assert _search(db, "notes", "外资") == []  # no n-grams there: Datasette's query, unchanged
