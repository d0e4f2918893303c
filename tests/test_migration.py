"""A store made by version 1 of the monitor: migrated under a command that writes, refused by one that reads."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.conftest import rows, run_monitor

# The schema of version 1 (pipelines/store.py before the one-way-flow change), as such stores hold it.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    mode TEXT NOT NULL,            -- live, replay, ingest, crawl, reextract
    sources TEXT,                  -- JSON list of source names
    archive TEXT,                  -- the replayed archive or ingested file
    stats TEXT,                    -- JSON: per-source counts and health
    status TEXT NOT NULL DEFAULT 'running',  -- running, ok, degraded, failed
    notified TEXT                  -- when its notification went out (NULL: pending or none needed)
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    outlet TEXT,                   -- the outlet's name ("Xinhua"), shared by its sources
    title TEXT,
    published TEXT,
    author TEXT,
    language TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at TEXT,
    first_seen_run INTEGER NOT NULL REFERENCES runs(id),
    last_seen_run INTEGER NOT NULL REFERENCES runs(id),
    changed_run INTEGER REFERENCES runs(id),
    relevant INTEGER,
    event TEXT,
    batch_json TEXT,               -- the batch facts extraction gave (JSON) or NULL
    areas TEXT                     -- JSON list
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS article_versions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    run_id INTEGER NOT NULL REFERENCES runs(id),
    content_hash TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, content_hash)
);
CREATE TABLE IF NOT EXISTS firms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    parent TEXT,
    aliases TEXT,                  -- JSON list, English and Chinese
    first_seen_run INTEGER REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    firm_id INTEGER NOT NULL REFERENCES firms(id),
    role TEXT NOT NULL,            -- approved, applicant, parent, mentioned
    surface TEXT,
    evidence TEXT,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (article_id, firm_id, role)
);
CREATE TABLE IF NOT EXISTS figures (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    measure TEXT,
    qualifier TEXT,
    as_of TEXT,
    surface TEXT,
    evidence TEXT,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (article_id, seq)
);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    approved_on TEXT,              -- as some report stated it; NULL while none has
    reported_on TEXT,              -- the first publication day of its reports
    count INTEGER,
    ordinal INTEGER,
    areas TEXT,                    -- JSON list
    first_seen_run INTEGER REFERENCES runs(id),
    status TEXT NOT NULL DEFAULT 'reported'  -- reported, withdrawn (no article reports it any more)
);
CREATE TABLE IF NOT EXISTS batch_reports (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    count INTEGER,
    approved_on TEXT,
    scope TEXT,
    run_id INTEGER REFERENCES runs(id),
    PRIMARY KEY (batch_id, article_id)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT NOT NULL,            -- new_article, changed_article, new_batch, batch_corroborated, new_firm,
                                   -- figure_conflict, implied_approvals, source_degraded
    subject TEXT NOT NULL,         -- natural key of what it is about (URL, batch id, firm name, ...)
    articles TEXT,                 -- JSON list of article ids that are its evidence
    details TEXT,                  -- JSON
    UNIQUE (kind, subject, run_id)
);
CREATE INDEX IF NOT EXISTS events_run ON events(run_id);
CREATE TABLE IF NOT EXISTS fetches (
    url TEXT PRIMARY KEY,          -- a discovery or article URL as requested
    kind TEXT,                     -- discovery, article
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    first_fetched TEXT,
    last_fetched TEXT
);
"""


TEXT = ("BEIJING, Feb. 28 (Xinhua) -- China has approved 13 foreign-invested companies for pilot value-added "
        "telecom services in Beijing, Shanghai, Hainan and Shenzhen, the ministry said on Friday. They include "
        "Example Cloud (Shanghai) Co., Ltd., a subsidiary of Example Group.")


def _v1_store(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(V1_SCHEMA)
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute("INSERT INTO runs (id, started, finished, mode, status) VALUES "
                     "(1, '2025-03-01T10:00:00+08:00', '2025-03-01T10:01:00+08:00', 'ingest', 'ok')")
        conn.execute("INSERT INTO articles (id, canonical_url, url, source, title, published, text, content_hash, "
                     "first_seen_run, last_seen_run, relevant, event, batch_json) VALUES (1, 'https://english.news.cn/a', "
                     "'https://english.news.cn/a', 'xinhua_en', 'Approvals', '2025-02-28T20:00:00+08:00', ?, 'h', 1, 1, "
                     "1, 'batch_report', ?)", [TEXT, json.dumps({"count": 13, "approved_on": "2025-02-28"})])
        conn.execute("INSERT INTO firms (id, name, parent, aliases, first_seen_run) VALUES "
                     "(1, 'Example Cloud (Shanghai) Co., Ltd.', 'Example Group', '[]', 1)")
        conn.execute("INSERT INTO mentions VALUES (1, 1, 'approved', 'Example Cloud (Shanghai) Co., Ltd.', 'e', 10, 20)")
        conn.execute("INSERT INTO figures (article_id, seq, value, unit, measure) VALUES (1, 0, 13, 'firms', 'batch')")
        conn.execute("INSERT INTO batches (id, approved_on, count, first_seen_run, status) VALUES "
                     "(1, '2025-02-28', 13, 1, 'reported')")
        conn.execute("INSERT INTO batch_reports (batch_id, article_id, count, run_id) VALUES (1, 1, 13, 1)")
        conn.execute("INSERT INTO events (run_id, kind, subject, articles, details) VALUES (1, 'new_batch', '1', '[1]', '{}')")


def test_reading_a_version_1_store_first_is_refused_with_the_way_out(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _v1_store(db)
    done = run_monitor("batches", "--db", str(db))
    assert done.returncode == 2 and "earlier version" in done.stderr and "monitor reextract" in done.stderr


def test_a_version_1_store_is_brought_up_to_date_and_keeps_its_history(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _v1_store(db)
    done = run_monitor("reextract", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert rows(db, "SELECT id, status, confirmed_run FROM batches") == [(1, "confirmed", 1)]  # flagged back then
    assert rows(db, "SELECT count(*) FROM events WHERE kind = 'new_batch'") == [(1,)]  # not flagged again
    assert rows(db, "SELECT kind FROM figures WHERE value = 13") == [("batch_count",)]  # facts recomputed
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]
    assert rows(db, "PRAGMA foreign_key_check") == [] and rows(db, "PRAGMA integrity_check") == [("ok",)]
    batches = json.loads(run_monitor("batches", "--db", str(db), "--json").stdout)["batches"]
    assert [b["count"] for b in batches] == [13]


def test_a_run_on_a_version_1_store_recomputes_its_facts_first(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _v1_store(db)
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "x", "text": "Rain is expected in the north this weekend, forecasters said."})
                    + "\n", encoding="utf-8")
    assert run_monitor("ingest", str(docs), "--db", str(db)).returncode == 0
    assert rows(db, "SELECT mode FROM runs ORDER BY id") == [("ingest",), ("reextract",), ("ingest",)]
    assert rows(db, "SELECT count(*) FROM meta WHERE key = 'reextract_needed'") == [(0,)]


def test_a_scrapy_crawl_on_a_version_1_store_recomputes_its_facts_first(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import DEMO_ARCHIVE, ROOT

    db = tmp_path / "old.db"
    _v1_store(db)
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "chinaorg", "-s", f"MONITOR_REPLAY={DEMO_ARCHIVE}",
                           "-s", f"MONITOR_DB={db}", "-s", "LOG_LEVEL=ERROR"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert rows(db, "SELECT mode FROM runs ORDER BY id") == [("ingest",), ("reextract",), ("replay",)]
    assert rows(db, "SELECT count(*) FROM meta WHERE key = 'reextract_needed'") == [(0,)]
