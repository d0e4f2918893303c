"""The store: one SQLite file (WAL, transactions, natural keys, upserts) and the pipeline that writes it."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from scrapy.crawler import Crawler

from monitor.dates import iso, now

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1  # bump with a migration when a table changes shape

SCHEMA = """
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


def _read_only_authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None) -> int:
    """Deny what a read-only connection would still let through: ATTACH/DETACH, and PRAGMAs that set a value."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class StoreError(Exception):
    """The store cannot be used: missing, corrupt, or not this project's database."""


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _stamp(value: datetime | str | None) -> str | None:
    """A datetime as the store keeps it: ISO 8601 with its offset."""
    return value.isoformat() if isinstance(value, datetime) else value


class Store:
    """The SQLite store. `create=False` (read commands) refuses a missing file instead of creating one."""

    def __init__(self, path: str | Path, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        if not self.path.exists():
            if not create or readonly:
                raise StoreError(f"no store at {self.path} (run `monitor run` or `monitor ingest` first)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn: sqlite3.Connection | None = None
        try:
            if readonly:
                # A URI from the resolved path (a '#' or '?' in a file name stays part of it), opened read-only,
                # with writes refused at the statement level too (ATTACH would create a file, PRAGMA x=y change one).
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                conn.execute("PRAGMA query_only = ON")
            else:
                conn = sqlite3.connect(str(self.path), timeout=30)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if readonly:
                self._check_schema()
                conn.set_authorizer(_read_only_authorizer)
            else:
                self._ensure_schema()
        except (sqlite3.DatabaseError, StoreError) as exc:
            if conn is not None:  # not left open behind a refusal
                conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path} is not a usable store: {exc}") from exc

    # ---- schema ----------------------------------------------------------------------------------
    def _check_schema(self) -> None:
        if "articles" not in self.db.table_names() or "runs" not in self.db.table_names():
            raise StoreError(f"{self.path} is not a monitor store (no runs/articles tables)")

    def _ensure_schema(self) -> None:
        tables = self.db.table_names()
        if tables and not {"meta", "runs", "articles"} <= set(tables):
            raise StoreError(f"{self.path} is not a monitor store (it has other tables: {', '.join(tables[:5])})")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        # executescript runs as its own transaction; every statement is IF NOT EXISTS, so this is idempotent.
        self.db.conn.executescript("BEGIN;" + SCHEMA + "COMMIT;")
        with self.db.atomic():
            self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
        self._migrate()
        if not self.db["articles_fts"].exists():
            # Trigram tokenizer: Chinese has no spaces, so phrases must match inside runs of characters.
            self.db["articles"].enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)

    def _migrate(self) -> None:
        """Bring a store made by an earlier version up to this schema (columns are only ever added)."""
        if "outlet" not in self.db["articles"].columns_dict:
            with self.db.atomic():
                self.db.execute("ALTER TABLE articles ADD COLUMN outlet TEXT")
                self.db.execute("UPDATE articles SET outlet = source")
        if "reported_on" not in self.db["batches"].columns_dict:
            with self.db.atomic():
                self.db.execute("ALTER TABLE batches ADD COLUMN reported_on TEXT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row and return its integer primary key."""
        return int(self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{k}]' for k in row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        ).lastrowid)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all."""
        with self.db.atomic():
            yield self

    # ---- runs ------------------------------------------------------------------------------------
    def start_run(self, mode: str, sources: Iterable[str] = (), archive: str | None = None) -> int:
        with self.db.atomic():
            return self.insert("runs", {"started": iso(now()), "mode": mode, "sources": _json(list(sources)),
                                         "archive": archive, "status": "running"})

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any] | None = None) -> None:
        with self.db.atomic():
            self.db["runs"].update(run_id, {"finished": iso(now()), "status": status, "stats": _json(stats)})

    def mark_interrupted(self) -> int:
        """Runs left `running` by a killed process become `interrupted`. Call only while holding the run lock."""
        with self.db.atomic():
            return self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").rowcount

    def last_run_id(self) -> int | None:
        row = self.db.execute("SELECT max(id) FROM runs").fetchone()
        return row[0] if row else None

    # ---- articles --------------------------------------------------------------------------------
    def save_article(self, item: dict[str, Any], run_id: int) -> tuple[int, str]:
        """Upsert an article by canonical URL; returns (article id, "new" | "updated" | "unchanged").

        Call inside `transaction()`. An unchanged article only gets its last-seen run moved; a changed one
        keeps its previous text in article_versions and records the run that changed it.
        """
        canon = item["canonical_url"]
        digest = content_hash(item.get("title"), item["text"])
        # http:// and https:// of one page are one article (sites link both).
        twin = re.sub(r"^http(s?)://", lambda m: "http://" if m[1] else "https://", canon)
        row = self.db.execute(
            "SELECT id, content_hash FROM articles WHERE canonical_url IN (?, ?) ORDER BY id LIMIT 1", [canon, twin]
        ).fetchone()
        fields = {
            "url": item.get("url") or canon,
            "source": item["source"],
            "outlet": item.get("outlet") or item["source"],
            "title": item.get("title"),
            "published": _stamp(item.get("published")),
            "author": item.get("author"),
            "language": item.get("language"),
            "text": item["text"],
            "content_hash": digest,
            "fetched_at": _stamp(item.get("fetched_at")),
        }
        if row is None:
            article_id = self.insert(
                "articles", {"canonical_url": canon, **fields, "first_seen_run": run_id, "last_seen_run": run_id}
            )
            self._keep_version(article_id, run_id, digest, item.get("title"), item["text"])
            return article_id, "new"
        article_id, old_hash = row
        if old_hash == digest:
            self.db["articles"].update(article_id, {"last_seen_run": run_id})
            return article_id, "unchanged"
        self._keep_version(article_id, run_id, digest, item.get("title"), item["text"])
        self.db["articles"].update(article_id, {**fields, "last_seen_run": run_id, "changed_run": run_id})
        return article_id, "updated"

    def _keep_version(self, article_id: int, run_id: int, digest: str, title: str | None, text: str) -> None:
        self.db["article_versions"].insert(
            {"article_id": article_id, "run_id": run_id, "content_hash": digest, "title": title, "text": text},
            ignore=True,
        )

    # ---- facts -----------------------------------------------------------------------------------
    def firm_id(self, name: str, parent: str | None, aliases: list[str], run_id: int | None) -> tuple[int, bool]:
        """The firm's id, creating it when first seen; returns (id, created)."""
        row = self.db.execute("SELECT id, parent, aliases FROM firms WHERE name = ?", [name]).fetchone()
        if row is None:
            firm_id = self.insert(
                "firms", {"name": name, "parent": parent, "aliases": _json(sorted(set(aliases))), "first_seen_run": run_id}
            )
            return firm_id, True
        firm_id, old_parent, old_aliases = row
        merged = sorted(set(json.loads(old_aliases or "[]")) | set(aliases))
        update: dict[str, Any] = {}
        if parent and not old_parent:
            update["parent"] = parent
        if merged != json.loads(old_aliases or "[]"):
            update["aliases"] = _json(merged)
        if update:
            self.db["firms"].update(firm_id, update)
        return int(firm_id), False

    def replace_facts(self, article_id: int, facts: dict[str, Any], run_id: int | None) -> list[str]:
        """Replace an article's extracted facts (relevance, event, mentions, figures); returns new firm names.

        Call inside `transaction()`.
        """
        from pipelines.gazetteer import load as load_gazetteer

        gazetteer = load_gazetteer()
        before = self.db.execute("SELECT event, batch_json FROM articles WHERE id = ?", [article_id]).fetchone()
        if before and (before[0], before[1]) != (facts.get("event"), _json(facts.get("batch"))):
            # What the article says of a batch changed: it is matched again after the run (pipelines.batches).
            self.db.execute("DELETE FROM batch_reports WHERE article_id = ?", [article_id])
        self.db["articles"].update(article_id, {
            "relevant": int(bool(facts.get("relevant"))),
            "event": facts.get("event"),
            "batch_json": _json(facts.get("batch")),
            "areas": _json(facts.get("areas") or []),
        })
        self.db.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM figures WHERE article_id = ?", [article_id])
        new_firms: list[str] = []
        if not facts.get("relevant"):
            return new_firms
        for firm in facts.get("firms") or []:
            known = gazetteer.lookup(firm["name"]) or {}
            aliases = list(known.get("aliases") or [])
            if firm.get("surface") and firm["surface"] != firm["name"]:
                aliases.append(firm["surface"])
            fid, created = self.firm_id(firm["name"], firm.get("parent") or known.get("parent"), aliases, run_id)
            if created:
                new_firms.append(firm["name"])
            self.db["mentions"].insert(
                {"article_id": article_id, "firm_id": fid, "role": firm["role"], "surface": firm.get("surface"),
                 "evidence": firm.get("evidence"), "start": firm.get("start"), "end": firm.get("end")},
                ignore=True,
            )
        for seq, fig in enumerate(facts.get("figures") or []):
            self.db["figures"].insert(
                {"article_id": article_id, "seq": seq, "value": fig["value"], "unit": fig.get("unit"),
                 "measure": fig.get("measure"), "qualifier": fig.get("qualifier"), "as_of": fig.get("as_of"),
                 "surface": fig.get("surface"), "evidence": fig.get("evidence"), "start": fig.get("start"),
                 "end": fig.get("end")}
            )
        return new_firms

    # ---- events ----------------------------------------------------------------------------------
    def add_event(
        self, run_id: int, kind: str, subject: str, articles: Iterable[int] = (), details: dict[str, Any] | None = None
    ) -> None:
        self.db["events"].insert(
            {"run_id": run_id, "kind": kind, "subject": subject, "articles": _json(sorted(set(articles))),
             "details": _json(details or {})},
            ignore=True,
        )


# What a bug in extraction or a bad item can raise while it is stored; the item is dropped, the run goes on.
STORE_ITEM_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, sqlite3.IntegrityError)


class StorePipeline:
    """Last pipeline: extract facts and write articles, in one transaction per batch of items.

    Without a run id in the settings (a plain `scrapy crawl`), it opens and closes a run of its own.
    """

    FLUSH_EVERY = 25

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = settings.get("MONITOR_DB")
        self.run_id: int | None = settings.getint("MONITOR_RUN_ID") or None
        self.own_run = self.run_id is None
        self.buffer: list[dict[str, Any]] = []
        self.store: Store | None = None
        self.lock: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.own_run:
            # A plain `scrapy crawl` is a run like any other: it takes the store's lock (held to close_spider).
            from monitor.runner import run_lock

            lock = run_lock(self.db_path)
            lock.__enter__()  # raises StoreLocked, and the crawl stops, when another run holds the store
            self.lock = lock
        self.store = Store(self.db_path)
        if self.own_run:
            self.store.mark_interrupted()
            mode = "replay" if self.crawler.settings.get("MONITOR_REPLAY") else "crawl"
            self.run_id = self.store.start_run(mode, [self.crawler.spider.name])

    def process_item(self, item: Any) -> Any:
        self.buffer.append(dict(item))
        if len(self.buffer) >= self.FLUSH_EVERY:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the buffered items in one transaction, each in a savepoint of its own: an item that fails is
        dropped with its reason counted (`dropped/store_error`), and the others are kept."""
        if not self.buffer or self.store is None or self.run_id is None:
            return
        items, self.buffer = self.buffer, []
        states: list[tuple[str, str]] = []
        with self.store.transaction():
            for item in items:
                try:
                    with self.store.transaction():
                        states.append((item["source"], ingest_article(self.store, item, self.run_id)[1]))
                except STORE_ITEM_ERRORS as exc:
                    logger.error("%s: could not store %s: %r", item.get("source"), item.get("url"), exc)
                    states.append((item.get("source") or "unknown", "store_error"))
        for source, state in states:  # counted once committed, so the stats never claim a rolled-back row
            key = "dropped/store_error" if state == "store_error" else f"articles_{state}"
            self.stats.inc_value(f"monitor/{source}/{key}")

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.store is not None:
                if self.own_run and self.run_id is not None:
                    from pipelines.batches import after_run

                    name = self.crawler.spider.name
                    with self.store.transaction():
                        after_run(self.store, self.run_id)
                        self.store.finish_run(self.run_id, "ok", {name: source_stats(self.stats.get_stats(), name)})
                self.store.close()
            if self.lock is not None:
                self.lock.__exit__(None, None, None)


def ingest_article(store: Store, item: dict[str, Any], run_id: int) -> tuple[int, str]:
    """Save one article and, when it is new or changed, its extracted facts and events. Inside a transaction."""
    from pipelines.extract import extract

    article_id, state = store.save_article(item, run_id)
    source = item["source"]
    if state == "unchanged":
        return article_id, state
    facts = item.get("facts") or extract(
        item["text"], title=item.get("title"), published=item.get("published"), language=item.get("language")
    )
    new_firms = store.replace_facts(article_id, facts, run_id)
    canon = item["canonical_url"]
    if state == "new":
        details = {"source": source, "title": item.get("title"), "relevant": bool(facts.get("relevant")),
                   "event": facts.get("event")}
        if item.get("ingest_id"):
            details["ingest_id"] = item["ingest_id"]  # the id the ingested line gave it
        store.add_event(run_id, "new_article", canon, [article_id], details)
    else:
        store.add_event(run_id, "changed_article", canon, [article_id],
                        {"source": source, "title": item.get("title"), "relevant": bool(facts.get("relevant"))})
    for name in new_firms:
        store.add_event(run_id, "new_firm", name, [article_id], {"source": source})
    return article_id, state


def source_stats(stats: dict[str, Any], source: str) -> dict[str, int]:
    """The per-source counters of a crawl's stats (monitor/<source>/... keys), flattened."""
    prefix = f"monitor/{source}/"
    return {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}
