"""The store: upserts by canonical URL keep history, FTS finds Chinese and English, bad files fail clearly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from pipelines.store import Store, StoreError


def _item(text: str = "MIIT approved 13 foreign-invested firms.", url: str = "https://english.news.cn/a") -> dict:
    return {"canonical_url": url, "url": url, "source": "xinhua_en", "title": "Approvals", "text": text,
            "published": "2025-03-01T10:00:00+08:00", "language": "en"}


def _save(store: Store, item: dict, run: int) -> tuple[int, str]:
    with store.transaction():
        return store.save_article(item, run)


def test_new_article_then_unchanged_changes_only_last_seen(store: Store) -> None:
    r1, r2 = store.start_run("replay"), store.start_run("replay")
    assert _save(store, _item(), r1)[1] == "new"
    assert _save(store, _item(), r2)[1] == "unchanged"
    row = store.db.execute("SELECT first_seen_run, last_seen_run, changed_run FROM articles").fetchone()
    assert row == (r1, r2, None)
    assert store.db["articles"].count == 1


def test_changed_text_keeps_the_previous_version(store: Store) -> None:
    r1, r2 = store.start_run("live"), store.start_run("live")
    article_id, _ = _save(store, _item("First version of the story, long enough."), r1)
    assert _save(store, _item("Second version of the story, long enough."), r2)[1] == "updated"
    versions = store.db.execute("SELECT run_id, text FROM article_versions WHERE article_id = ? ORDER BY run_id",
                                [article_id]).fetchall()
    assert versions == [(r1, "First version of the story, long enough."),
                        (r2, "Second version of the story, long enough.")]
    assert store.db.execute("SELECT changed_run FROM articles").fetchone()[0] == r2


def test_rolled_back_transaction_writes_nothing(store: Store) -> None:
    run = store.start_run("ingest")
    with pytest.raises(RuntimeError), store.transaction():
        store.save_article(_item(), run)
        raise RuntimeError("crash in the middle")
    assert store.db["articles"].count == 0


def test_store_uses_wal(store: Store) -> None:
    assert store.db.journal_mode == "wal"


@pytest.mark.parametrize(("phrase", "expected"), [
    ('"外资企业"', 1),  # a Chinese word inside a run of characters (n-grams of the run)
    ('外资', 1),
    ('"value-added telecom"', 1),
    ('"biotech pilot"', 0),
])
def test_full_text_search_matches_chinese_and_english(store: Store, phrase: str, expected: int) -> None:
    run = store.start_run("replay")
    _save(store, _item("工业和信息化部批准首批13家外资企业开展增值电信业务试点。", "https://www.news.cn/a"), run)
    _save(store, _item("China opened value-added telecom services to foreign firms.", "https://english.news.cn/b"), run)
    hits = store.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [phrase]).fetchone()[0]
    assert hits == expected


def test_read_only_open_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable store"):
        Store(path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_someone_elses_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not a monitor store"):
        Store(path)


def test_read_only_store_refuses_writes(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path, readonly=True) as ro, pytest.raises(sqlite3.DatabaseError, match="readonly|not authorized"):
        ro.db.execute("DELETE FROM articles")


def _pages(store: Store) -> int:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.db.execute("PRAGMA page_count").fetchone()[0]


def test_rewriting_facts_and_last_seen_does_not_grow_the_store(store: Store) -> None:
    """Regression: every UPDATE of an article re-indexed its title and text, so re-extraction grew the file."""
    run = store.start_run("ingest")
    with store.transaction():
        for i in range(50):
            store.save_article(_item(f"MIIT approved foreign firms, story {i}. " * 40, f"https://english.news.cn/{i}"), run)
    before = _pages(store)
    facts = {"relevant": True, "event": "batch_report", "firms": [], "figures": [], "areas": [], "batch": None}
    for _ in range(3):
        with store.transaction():
            for article_id in range(1, 51):
                store.replace_facts(article_id, facts, run)
                store.db["articles"].update(article_id, {"last_seen_run": run})
    assert _pages(store) <= before * 1.05


def test_a_changed_text_is_found_by_its_new_words_only(store: Store) -> None:
    r1, r2 = store.start_run("live"), store.start_run("live")
    _save(store, _item("The first text speaks of zebras at length."), r1)
    _save(store, _item("The second text speaks of giraffes at length."), r2)
    found = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ['"giraffes"']).fetchall()
    gone = store.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ['"zebras"']).fetchall()
    assert (len(found), len(gone)) == (1, 0)


@pytest.mark.parametrize(("terms", "found"), [
    (["外资"], ["https://www.news.cn/a"]),  # two characters (most Chinese words)
    (["外"], ["https://www.news.cn/a"]),  # one character
    (["外資"], ["https://www.news.cn/a"]),  # Traditional finds Simplified (typed raw, it would not)
    (["工业和信息化部"], []),  # longer than an n-gram: all its 4-grams (工信部 is not 工业和信息化部)
    (["增值电信业务试点"], ["https://www.news.cn/a"]),
    (["外资企业", "试点"], ["https://www.news.cn/a"]),
    (["5g"], ["https://english.news.cn/b"]),  # a short Latin token, any case
    (["value-added", "13"], ["https://english.news.cn/b"]),
    (["外资", "5G"], []),
])
def test_search_finds_short_chinese_words_and_latin_tokens(store: Store, terms: list[str], found: list[str]) -> None:
    run = store.start_run("ingest")
    _save(store, _item("工信部批复13家外资企业开展增值电信业务试点。", "https://www.news.cn/a"), run)
    _save(store, _item("China approved 13 firms for value-added telecom and 5G services.", "https://english.news.cn/b"),
          run)
    assert [a["url"] for a in store.search(terms)] == found


@pytest.mark.parametrize(("query", "found"), [
    ("外资", ["https://www.news.cn/a", "https://www.news.cn/t"]),  # two characters, Simplified finds Traditional
    ("电信", ["https://www.news.cn/a", "https://www.news.cn/t"]),
    ("批", ["https://www.news.cn/a", "https://www.news.cn/t"]),  # one character
    ("外资企业", ["https://www.news.cn/a", "https://www.news.cn/t"]),
    ("资企", ["https://www.news.cn/a", "https://www.news.cn/t"]),  # inside a word: substrings of a run match
    ("5G", ["https://english.news.cn/b"]),
    ('"value-added telecom"', ["https://english.news.cn/b"]),  # FTS5's own syntax: a phrase in quotes
    ("外资 试点", ["https://www.news.cn/a"]),
    ("biotech", []),
])
def test_sqlite_utils_search_finds_what_people_type_in_the_store_as_it_is(store: Store, query: str,
                                                                          found: list[str]) -> None:
    """`sqlite-utils search` (and any raw FTS5 MATCH) on the store, with no rewriting of the query."""
    run = store.start_run("ingest")
    _save(store, _item("工信部批复13家外资企业开展增值电信业务试点。", "https://www.news.cn/a"), run)
    _save(store, _item("工信部批覆外資企業經營增值電信業務。", "https://www.news.cn/t"), run)
    _save(store, _item("China approved 13 firms for value-added telecom and 5G services.", "https://english.news.cn/b"),
          run)
    rows = store.db["articles"].search(query, columns=["url"])
    assert sorted(r["url"] for r in rows) == found


def test_an_older_trigram_index_is_replaced_and_every_article_indexed_again(db_path: Path) -> None:
    """A version-2 store (trigram index kept by sqlite-utils' triggers) is re-indexed on its first writable open."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            INSERT INTO meta VALUES ('schema_version', '2');
            CREATE TABLE runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, mode TEXT NOT NULL,
                sources TEXT, archive TEXT, stats TEXT, status TEXT, notified TEXT);
            CREATE TABLE articles (id INTEGER PRIMARY KEY, canonical_url TEXT UNIQUE, url TEXT, source TEXT,
                outlet TEXT, title TEXT, published TEXT, text TEXT, content_hash TEXT);
            INSERT INTO articles (canonical_url, url, source, title, text) VALUES
                ('https://www.news.cn/a', 'https://www.news.cn/a', 'xinhua_zh', '外资', '首批外资企业获批');
            CREATE VIRTUAL TABLE articles_fts USING FTS5 (title, text, content=[articles], tokenize='trigram');
            CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
              INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
            INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
        """)
    with Store(db_path) as store:
        triggers = store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        assert (triggers, [a["url"] for a in store.search(["外资"])]) == ([], ["https://www.news.cn/a"])
        assert "trigram" not in store.db["articles_fts"].schema
        assert not store.reextract_needed()  # only the index changed: the facts stand
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_sqlite_utils_command_searches_the_store(store: Store) -> None:
    """As a person would type it: `sqlite-utils search STORE articles 外资`."""
    run = store.start_run("ingest")
    _save(store, _item("工信部批复13家外资企业开展增值电信业务试点。", "https://www.news.cn/a"), run)
    _save(store, _item("China approved 13 firms for value-added telecom.", "https://english.news.cn/b"), run)
    tool = Path(sys.executable).with_name("sqlite-utils")
    done = subprocess.run([str(tool), "search", str(store.path), "articles", "外资", "-c", "url", "--csv"],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.split()) == (0, ["url", "https://www.news.cn/a"]), done.stderr
