"""The store: one SQLite file (WAL, transactions, natural keys, upserts); every query and write of the project.

sqlite-utils' `Database` and `Table` are the only place SQL is written (STYLE rule 13): the pipelines, the
after-run step and the reports call named methods here and get plain values back (dates as `date` and
`datetime`, JSON columns decoded), so nobody else parses what the store keeps.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.dates import iso, now
from pipelines.fulltext import fts_query, index_text

if TYPE_CHECKING:
    import sqlite_utils

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3  # bump with a migration in `_migrate` when a table changes shape

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
    status TEXT NOT NULL DEFAULT 'running',  -- running, ok, degraded, failed, interrupted
    notified TEXT                  -- when its notification went out (NULL: pending or none needed)
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    outlet TEXT,                   -- the outlet's name ("Xinhua"), shared by its sources
    title TEXT,
    published TEXT,                -- ISO 8601 with offset
    author TEXT,
    language TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at TEXT,
    first_seen_run INTEGER NOT NULL REFERENCES runs(id),
    last_seen_run INTEGER NOT NULL REFERENCES runs(id),
    changed_run INTEGER REFERENCES runs(id),
    relevant INTEGER,
    event TEXT,                    -- pipelines.kinds.Event
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
    name TEXT NOT NULL UNIQUE,     -- the canonical name (the gazetteer's, or as first written)
    parent TEXT,
    aliases TEXT,                  -- JSON list, English and Chinese
    first_seen_run INTEGER REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    firm_id INTEGER REFERENCES firms(id),  -- NULL: a unit named only by its owner ("a subsidiary of Siemens")
    role TEXT NOT NULL,            -- pipelines.kinds.Role
    name TEXT,                     -- the firm as the article writes it (NULL for a unit named by its owner)
    parent TEXT,
    surface TEXT,
    evidence TEXT,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (article_id, seq)
);
CREATE TABLE IF NOT EXISTS figures (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    measure TEXT,
    kind TEXT,                     -- pipelines.kinds.FigureKind
    qualifier TEXT,
    as_of TEXT,
    surface TEXT,
    evidence TEXT,
    start INTEGER,
    "end" INTEGER,
    mentions TEXT,                 -- JSON list: every mention of this figure in the article (surface, evidence, offsets)
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
    status TEXT NOT NULL DEFAULT 'candidate',  -- candidate, confirmed, withdrawn (no article reports it any more)
    confirmed_run INTEGER REFERENCES runs(id)  -- the run in which it was confirmed (and flagged)
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
    kind TEXT NOT NULL,            -- new_article, changed_article, new_batch, batch_candidate, batch_corroborated,
                                   -- new_firm, figure_conflict, implied_approvals, source_degraded
    subject TEXT NOT NULL,         -- natural key of what it is about (URL, batch id, firm name, ...)
    articles TEXT,                 -- JSON list of article ids that are its evidence
    details TEXT,                  -- JSON
    UNIQUE (kind, subject, run_id)
);
CREATE INDEX IF NOT EXISTS events_run ON events(run_id);
CREATE TABLE IF NOT EXISTS deliveries (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    channel TEXT NOT NULL,         -- webhook, command: a channel that got the run's notification
    delivered TEXT NOT NULL,
    PRIMARY KEY (run_id, channel)
);
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

# Full-text index over title and text. External content (the articles table), so `sqlite-utils search` and
# Datasette's search box find it and show articles; but what it indexes is the rewritten text of
# pipelines/fulltext.py (n-grams of Chinese, words of the rest), written by the store: no triggers.
FTS_SCHEMA = """CREATE VIRTUAL TABLE [articles_fts] USING FTS5 ([title], [text], content=[articles],
    tokenize='unicode61 remove_diacritics 2')"""


# A new or changed article that is not about the policy: stored, counted in reports, not listed in them.
_ARTICLE_EVENTS = ("new_article", "changed_article")
_OFF_TOPIC = (f"kind IN {_ARTICLE_EVENTS!r} AND coalesce(json_extract(details, '$.relevant'), 0) = 0")


# The rows of the charts: the run's PNG (monitor/charts.py) and the dashboard of `monitor serve` draw from the
# same SQL. One row per figure kind, as-of day, value and qualifier in relevant articles (outlets that disagree
# give a row each, never a day no article states); one per dated batch that is not withdrawn.
FIGURE_CHART_SQL = """
    select f.kind, substr(f.as_of, 1, 10) as as_of, f.value, f.qualifier,
           (select group_concat(outlet, ', ') from (
               select distinct coalesce(a2.outlet, a2.source) as outlet
               from figures f2 join articles a2 on a2.id = f2.article_id
               where a2.relevant = 1 and f2.kind = f.kind and substr(f2.as_of, 1, 10) = substr(f.as_of, 1, 10)
                 and f2.value = f.value and f2.qualifier is f.qualifier order by 1)) as outlets,
           count(distinct f.article_id) as reports
    from figures f join articles a on a.id = f.article_id
    where a.relevant = 1 and f.as_of is not null and f.kind in ({kinds})
    group by f.kind, substr(f.as_of, 1, 10), f.value, f.qualifier
    order by 2, f.kind, f.value, coalesce(f.qualifier, '')"""
CHARTED_BATCHES = "b.status in ('confirmed', 'candidate')"  # a withdrawn batch is no longer reported by any article
BATCH_CHART_SQL = f"""
    select b.id, b.ordinal, b.count, b.status, substr(coalesce(b.approved_on, b.reported_on), 1, 10) as day,
           case when b.approved_on is not null then 'approved' else 'reported' end as dated,
           coalesce((select group_concat(value, ', ') from json_each(b.areas)), '') as areas
    from batches b
    where {CHARTED_BATCHES} and coalesce(b.approved_on, b.reported_on) is not null
    order by day, b.id"""


def figure_chart_sql(kinds: Iterable[str]) -> str:
    """The rows of a chart of these figure kinds, on one line, the kinds written into it (Datasette's dashboard
    runs it as it is).

    >>> figure_chart_sql(["batch_count"]).endswith("f.value, coalesce(f.qualifier, '')")
    True
    """
    quoted = ", ".join("'" + k.replace("'", "''") + "'" for k in kinds)
    return " ".join(FIGURE_CHART_SQL.format(kinds=quoted or "NULL").split())


def batch_chart_sql() -> str:
    """The rows of the chart of batches, on one line."""
    return " ".join(BATCH_CHART_SQL.split())


def has_monitor_index(conn: sqlite3.Connection) -> bool:
    """Whether a database (opened by anyone: Datasette, say) carries this full-text index."""
    try:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return bool(row) and " ".join(row[0].split()) == " ".join(FTS_SCHEMA.split())


def _read_only_authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None) -> int:
    """Deny what a read-only connection would still let through: ATTACH/DETACH, and PRAGMAs that set a value."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class ReadConnection:
    """The little a read-only store asks of its database: statements and table names, on plain sqlite3.

    Read commands open the store this way so that they start without importing sqlite-utils (about 60 ms of
    imports, most of a read command's start-up); a store that writes uses `sqlite_utils.Database`.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)  # a sequence or a mapping, as sqlite3 takes them

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()


class StoreError(Exception):
    """The store cannot be used: missing, corrupt, or not this project's database."""


class StoreOutdated(StoreError):
    """A store made by an earlier version: a command that writes brings it up to date; reading it first is refused."""


class QueryTimeout(Exception):
    """A person's query ran past its time bound and was interrupted."""


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=_stamp)


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def _stamp(value: datetime | date | str | None) -> str | None:
    """A date or datetime as the store keeps it: ISO 8601 (with its offset)."""
    return value.isoformat() if isinstance(value, date) else value


def _when(value: str | None) -> datetime | None:
    """A stored timestamp back as an aware datetime (what `_stamp` wrote)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(value: str | None) -> date | None:
    """A stored day (or timestamp) as a date."""
    when = _when(value)
    return when.date() if when else None


def _twin(url: str) -> str:
    """The same address with the other scheme: sites link both http:// and https:// of one page."""
    return re.sub(r"^http(s?)://", lambda m: "http://" if m[1] else "https://", url)


@dataclass
class PendingReport:
    """A batch-report article not yet linked to a batch, with its facts typed."""

    article_id: int
    outlet: str
    url: str
    published: date | None
    count: int | None
    ordinal: int | None
    approved_on: date | None
    areas: list[str]
    scope: str


@dataclass
class BatchRow:
    """A batch as matching sees it; `national` when some national report (not a regional subset) is linked."""

    id: int
    approved_on: date | None
    reported_on: date | None
    count: int | None
    ordinal: int | None
    areas: list[str]
    status: str
    national: bool = False
    first_seen_run: int | None = None
    confirmed_run: int | None = None
    reports: list[tuple[str, str]] = field(default_factory=list)  # (outlet, url) of each linked report


class Store:
    """The SQLite store. `create=False` (read commands) refuses a missing file instead of creating one;
    `check=True` (a run opening it) refuses a damaged one."""

    def __init__(self, path: str | Path, create: bool = True, readonly: bool = False, check: bool = False) -> None:
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
            if readonly:
                self.db: sqlite_utils.Database | ReadConnection = ReadConnection(conn)
            else:
                import sqlite_utils  # noqa: PLC0415 - only a store that writes needs it (see ReadConnection)

                self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if check:
                self._check_integrity()
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

    def _check_integrity(self) -> None:
        """SQLite's quick check (pages, records, indexes): a damaged store is refused before a run writes to it."""
        problems = [r[0] for r in self.db.execute("PRAGMA quick_check(3)").fetchall()]
        if problems != ["ok"]:
            found = " ".join(" ".join(problems).replace("*** in database main ***", "").split())
            raise StoreError(f"{self.path} is damaged ({found[:200]}); restore it from a backup, or move it "
                             "aside and run again to start a new store")

    # ---- schema ----------------------------------------------------------------------------------
    def _check_schema(self) -> None:
        if not self.db.table_names():  # a run killed as it created the file: a command that writes sets it up
            raise StoreOutdated(f"{self.path} is an empty store (run `monitor run` or `monitor ingest`)")
        if "articles" not in self.db.table_names() or "runs" not in self.db.table_names():
            raise StoreError(f"{self.path} is not a monitor store (no runs/articles tables)")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            if "meta" in self.db.table_names() else None
        needed = self.db.execute("SELECT 1 FROM meta WHERE key = 'reextract_needed' AND value = '1'").fetchone()
        if row is None or int(row[0]) < SCHEMA_VERSION or needed:
            raise StoreOutdated(f"{self.path} was made by an earlier version of the monitor; run `monitor reextract "
                                f"--db {self.path}` once to bring it up to date")

    def _ensure_schema(self) -> None:
        tables = self.db.table_names()
        if tables and not {"meta", "runs", "articles"} <= set(tables):
            raise StoreError(f"{self.path} is not a monitor store (it has other tables: {', '.join(tables[:5])})")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        with self.db.atomic():
            self._migrate()
        # executescript runs as its own transaction; every statement is IF NOT EXISTS, so this is idempotent.
        self.db.conn.executescript("BEGIN;" + SCHEMA + "COMMIT;")
        version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != str(SCHEMA_VERSION):  # opening an up-to-date store writes nothing
            with self.db.atomic():
                self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
        if not self.db["articles_fts"].exists():
            with self.db.atomic():
                self.db.execute(FTS_SCHEMA)
                self.reindex()

    def reindex(self) -> int:
        """Index every article again (the full-text rows are written by the store, not by triggers: see
        pipelines/fulltext.py); returns how many. Inside the caller's transaction when there is one."""
        self.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
        count = 0
        # Row by row from the cursor (the index's shadow tables are written meanwhile, not `articles`): a large
        # store's texts are never all in memory at once.
        for article_id, title, text in self.db.conn.execute("SELECT id, title, text FROM articles"):
            self._index(article_id, title, text)
            count += 1
        self.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        return count

    def _index(self, article_id: int, title: str | None, text: str, old: tuple[str | None, str] | None = None
               ) -> None:
        if old is not None:  # an external-content index forgets a row by being given what it indexed
            self.db.conn.execute("INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                                 [article_id, index_text(old[0]), index_text(old[1])])
        self.db.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                             [article_id, index_text(title), index_text(text)])

    def _migrate(self) -> None:
        """Bring a store made by an earlier version up to this schema, in the caller's transaction."""
        if "articles" not in self.db.table_names():
            return  # a new store: the schema creates everything
        version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            if "meta" in self.db.table_names() else None
        if version is None or int(version[0]) < 2:
            # Facts extracted by an earlier version (no figure kinds, no firm names as written): the first
            # command that writes recomputes them (monitor.runner.upgrade) before anything is judged on them.
            self.db["meta"].upsert({"key": "reextract_needed", "value": "1"}, pk="key")
        if "outlet" not in self.db["articles"].columns_dict:
            self.db.execute("ALTER TABLE articles ADD COLUMN outlet TEXT")
            self.db.execute("UPDATE articles SET outlet = source")
        batches = self.db["batches"]
        if batches.exists():
            if "reported_on" not in batches.columns_dict:
                self.db.execute("ALTER TABLE batches ADD COLUMN reported_on TEXT")
            if "confirmed_run" not in batches.columns_dict:
                # Version 1 flagged every batch at once: those were confirmed in the run that first saw them.
                self.db.execute("ALTER TABLE batches ADD COLUMN confirmed_run INTEGER REFERENCES runs(id)")
                self.db.execute("UPDATE batches SET status = 'confirmed', confirmed_run = first_seen_run "
                                "WHERE status = 'reported'")
        if "trigram" in (self.db["articles_fts"].schema if self.db["articles_fts"].exists() else ""):
            # Version 2 indexed trigrams through triggers, which cannot match two-character Chinese words:
            # the index is made again (in _ensure_schema) from the store's rewritten text.
            for trigger in ("articles_ai", "articles_ad", "articles_au"):
                self.db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
            self.db.execute("DROP TABLE articles_fts")
        figures = self.db["figures"]
        if figures.exists() and "kind" not in figures.columns_dict:
            for column in ("kind", "mentions"):
                self.db.execute(f"ALTER TABLE figures ADD COLUMN {column} TEXT")
        mentions = self.db["mentions"]
        if mentions.exists() and "seq" not in mentions.columns_dict:
            # Version 1 keyed a mention by its firm, which a unit named only by its owner does not have.
            self.db.execute("ALTER TABLE mentions RENAME TO mentions_v1")
            self.db.execute(SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS mentions"):
                                   SCHEMA.index("CREATE TABLE IF NOT EXISTS figures")])
            self.db.execute(
                """INSERT INTO mentions (article_id, seq, firm_id, role, name, parent, surface, evidence, start, "end")
                   SELECT m.article_id, row_number() OVER (PARTITION BY m.article_id ORDER BY m.start, m.rowid) - 1,
                          m.firm_id, m.role, m.surface, f.parent, m.surface, m.evidence, m.start, m."end"
                   FROM mentions_v1 m LEFT JOIN firms f ON f.id = m.firm_id""")
            self.db.execute("DROP TABLE mentions_v1")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _insert(self, table: str, row: dict[str, Any], ignore: bool = False) -> int:
        """Insert a row and return its integer primary key (one prepared statement per shape of row: the hot
        path of a crawl, where sqlite-utils' table methods would read the table's columns each time)."""
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        return int(self.db.conn.execute(
            f"{verb} INTO [{table}] ({', '.join(f'[{k}]' for k in row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        ).lastrowid)

    def _update(self, table: str, row_id: int, changes: dict[str, Any]) -> None:
        self.db.conn.execute(f"UPDATE [{table}] SET {', '.join(f'[{k}] = ?' for k in changes)} WHERE id = ?",
                             [*changes.values(), row_id])

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all (nested: a savepoint)."""
        with self.db.atomic():
            yield self

    # ---- runs ------------------------------------------------------------------------------------
    def start_run(self, mode: str, sources: Iterable[str] = (), archive: str | None = None) -> int:
        with self.db.atomic():
            return self._insert("runs", {"started": iso(now()), "mode": mode, "sources": _json(list(sources)),
                                         "archive": archive, "status": "running"})

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any] | None = None) -> None:
        with self.db.atomic():
            self.db["runs"].update(run_id, {"finished": iso(now()), "status": status, "stats": _json(stats)})

    def mark_interrupted(self) -> list[int]:
        """Runs left `running` by a killed process become `interrupted`; returns their ids (what they found is
        reported by the next run). Call only while holding the run lock."""
        with self.db.atomic():
            ids = [r[0] for r in self.db.execute("SELECT id FROM runs WHERE status = 'running' ORDER BY id")]
            self.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        return ids

    def last_run_id(self) -> int | None:
        row = self.db.execute("SELECT max(id) FROM runs").fetchone()
        return row[0] if row else None

    def run_started(self, run_id: int) -> datetime | None:
        row = self.db.execute("SELECT started FROM runs WHERE id = ?", [run_id]).fetchone()
        return _when(row[0]) if row else None

    def has_run(self, run_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM runs WHERE id = ?", [run_id]).fetchone() is not None

    def runs_started_since(self, when: datetime) -> list[int]:
        """Ids of the runs started at or after `when` (compared in the zone the runs were stamped in)."""
        stamps = self.db.execute("SELECT id, started FROM runs ORDER BY id").fetchall()
        return [run_id for run_id, started in stamps if (_when(started) or when) >= when]

    def crawl_run_stats(self) -> list[tuple[int, datetime | None, dict[str, Any]]]:
        """(run id, started, per-source stats) of every crawl run (live, replay, crawl), oldest first."""
        rows = self.db.execute("SELECT id, started, stats FROM runs WHERE mode IN ('live', 'replay', 'crawl') "
                               "ORDER BY id").fetchall()
        return [(run_id, _when(started), _loads(stats, {})) for run_id, started, stats in rows]

    def source_history(self, source: str, before_run: int, limit: int) -> list[dict[str, Any]]:
        """The source's stats in its most recent earlier crawl runs, newest first."""
        rows = self.db.execute(
            "SELECT stats FROM runs WHERE id < ? AND mode IN ('live', 'replay', 'crawl') AND stats IS NOT NULL "
            "ORDER BY id DESC", [before_run]).fetchall()
        out = []
        for (stats,) in rows:
            if s := _loads(stats, {}).get(source):
                out.append(s)
            if len(out) >= limit:
                break
        return out

    # ---- notifications ---------------------------------------------------------------------------
    def runs_awaiting_notification(self) -> list[int]:
        """Finished runs that flagged a new batch and whose notification has not gone out."""
        return [r[0] for r in self.db.execute(
            """SELECT id FROM runs WHERE notified IS NULL AND finished IS NOT NULL
               AND id IN (SELECT run_id FROM events WHERE kind = 'new_batch') ORDER BY id""").fetchall()]

    def mark_notified(self, run_id: int, when: datetime) -> None:
        with self.db.atomic():
            self.db["runs"].update(run_id, {"notified": iso(when)})

    def delivered_channels(self, run_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT channel FROM deliveries WHERE run_id = ?", [run_id])}

    def mark_delivered(self, run_id: int, channel: str, when: datetime) -> None:
        """One channel got the run's notification: it is not sent there again while another is retried."""
        with self.db.atomic():
            self._insert("deliveries", {"run_id": run_id, "channel": channel, "delivered": iso(when)}, ignore=True)

    def waive_notifications(self) -> None:
        """No notifier is set up: finished runs are owed no message later, when one is."""
        with self.db.atomic():
            self.db.execute("UPDATE runs SET notified = 'no notifier' WHERE notified IS NULL AND finished IS NOT NULL")

    # ---- articles --------------------------------------------------------------------------------
    def content_hash_of(self, canonical_url: str) -> str | None:
        """The stored content hash of an article (either scheme of its address), or None when it is new."""
        row = self.db.execute("SELECT content_hash FROM articles WHERE canonical_url IN (?, ?) ORDER BY id LIMIT 1",
                              [canonical_url, _twin(canonical_url)]).fetchone()
        return row[0] if row else None

    def save_article(self, item: dict[str, Any], run_id: int) -> tuple[int, str]:
        """Upsert an article by canonical URL; returns (article id, "new" | "updated" | "unchanged").

        Call inside `transaction()`. An unchanged article only gets its last-seen run moved; a changed one
        keeps its previous text in article_versions and records the run that changed it.
        """
        canon = item["canonical_url"]
        digest = content_hash(item.get("title"), item["text"])
        row = self.db.execute(
            "SELECT id, content_hash FROM articles WHERE canonical_url IN (?, ?) ORDER BY id LIMIT 1",
            [canon, _twin(canon)],
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
            article_id = self._insert(
                "articles", {"canonical_url": canon, **fields, "first_seen_run": run_id, "last_seen_run": run_id}
            )
            self._index(article_id, fields["title"], fields["text"])
            self._keep_version(article_id, run_id, digest, item.get("title"), item["text"])
            return article_id, "new"
        article_id, old_hash = row
        if old_hash == digest:
            self._update("articles", article_id, {"last_seen_run": run_id})
            return article_id, "unchanged"
        self._keep_version(article_id, run_id, digest, item.get("title"), item["text"])
        old = self.db.execute("SELECT title, text FROM articles WHERE id = ?", [article_id]).fetchone()
        self._update("articles", article_id, {**fields, "last_seen_run": run_id, "changed_run": run_id})
        self._index(article_id, fields["title"], fields["text"], old=(old[0], old[1]))
        return article_id, "updated"

    def _keep_version(self, article_id: int, run_id: int, digest: str, title: str | None, text: str) -> None:
        self._insert("article_versions", {"article_id": article_id, "run_id": run_id, "content_hash": digest,
                                          "title": title, "text": text}, ignore=True)

    def mark_seen(self, url: str, run_id: int) -> None:
        """An article answered 304: unchanged, and seen in this run."""
        with self.db.atomic():
            self.db.execute("UPDATE articles SET last_seen_run = ? WHERE url = ? OR canonical_url = ?",
                            [run_id, url, url])

    def write_article(self, item: dict[str, Any], facts: dict[str, Any] | None, run_id: int) -> tuple[int, str]:
        """Save one crawled or ingested article and, when it is new or changed, its facts and events.

        Inside a transaction. Returns (article id, "new" | "updated" | "unchanged").
        """
        article_id, state = self.save_article(item, run_id)
        if state == "unchanged":
            return article_id, state
        source, canon = item["source"], item["canonical_url"]
        new_firms = self.replace_facts(article_id, facts, run_id) if facts is not None else []
        relevant = bool(facts and facts.get("relevant"))
        if state == "new":
            details = {"source": source, "title": item.get("title"), "relevant": relevant,
                       "event": facts.get("event") if facts else None}
            if item.get("ingest_id"):
                details["ingest_id"] = item["ingest_id"]  # the id the ingested line gave it
            self.add_event(run_id, "new_article", canon, [article_id], details)
        else:
            self.add_event(run_id, "changed_article", canon, [article_id],
                           {"source": source, "title": item.get("title"), "relevant": relevant})
        for name in new_firms:
            self.add_event(run_id, "new_firm", name, [article_id], {"source": source})
        return article_id, state

    def articles_to_reextract(self) -> Iterator[tuple[int, str | None, str, datetime | None, str | None]]:
        """(id, title, text, published, language) of every stored article, in id order."""
        for article_id, title, text, published, language in self.db.execute(
                "SELECT id, title, text, published, language FROM articles ORDER BY id").fetchall():
            yield article_id, title, text, _when(published), language

    def reextract_needed(self) -> bool:
        """Whether the facts were extracted by an earlier version that this store was migrated from."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'reextract_needed' AND value = '1'").fetchone() \
            is not None

    def reextract_done(self) -> None:
        self.db.execute("DELETE FROM meta WHERE key = 'reextract_needed'")

    def fact_counts(self) -> dict[str, int]:
        return {"mentions": self.db["mentions"].count, "figures": self.db["figures"].count}

    # ---- facts -----------------------------------------------------------------------------------
    def firm_id(self, name: str, parent: str | None, aliases: list[str], run_id: int | None) -> tuple[int, bool]:
        """The firm's id, creating it when first seen; returns (id, created)."""
        row = self.db.execute("SELECT id, parent, aliases FROM firms WHERE name = ?", [name]).fetchone()
        if row is None:
            firm_id = self._insert(
                "firms", {"name": name, "parent": parent, "aliases": _json(sorted(set(aliases))), "first_seen_run": run_id}
            )
            return firm_id, True
        firm_id, old_parent, old_aliases = row
        merged = sorted(set(_loads(old_aliases, [])) | set(aliases))
        update: dict[str, Any] = {}
        if parent and not old_parent:
            update["parent"] = parent
        if merged != _loads(old_aliases, []):
            update["aliases"] = _json(merged)
        if update:
            self.db["firms"].update(firm_id, update)
        return int(firm_id), False

    def replace_facts(self, article_id: int, facts: dict[str, Any], run_id: int | None) -> list[str]:
        """Replace an article's extracted facts (relevance, event, mentions, figures); returns new firm names.

        A firm is stored under its canonical name (with the name the article wrote kept as an alias); a unit
        named only by its owner is a mention with no firm, its owner as parent. Call inside `transaction()`.
        """
        before = self.db.execute("SELECT event, batch_json FROM articles WHERE id = ?", [article_id]).fetchone()
        if before and (before[0], before[1]) != (facts.get("event"), _json(facts.get("batch"))):
            # What the article says of a batch changed: it is matched again after the run (pipelines.batches).
            self.db.execute("DELETE FROM batch_reports WHERE article_id = ?", [article_id])
        self._update("articles", article_id, {
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
        for seq, firm in enumerate(facts.get("firms") or []):
            written = firm.get("name")
            canonical = firm.get("canonical") or written
            fid = None
            if canonical:
                aliases = sorted({a for a in (written, firm.get("surface")) if a and a != canonical})
                fid, created = self.firm_id(canonical, firm.get("parent"), aliases, run_id)
                if created:
                    new_firms.append(canonical)
            self._insert("mentions",
                {"article_id": article_id, "seq": seq, "firm_id": fid, "role": firm["role"], "name": written,
                 "parent": firm.get("parent"), "surface": firm.get("surface"), "evidence": firm.get("evidence"),
                 "start": firm.get("start"), "end": firm.get("end")})
        for seq, fig in enumerate(facts.get("figures") or []):
            self._insert("figures",
                {"article_id": article_id, "seq": seq, "value": fig["value"], "unit": fig.get("unit"),
                 "measure": fig.get("measure"), "kind": fig.get("kind"), "qualifier": fig.get("qualifier"),
                 "as_of": _stamp(fig.get("as_of")), "surface": fig.get("surface"), "evidence": fig.get("evidence"),
                 "start": fig.get("start"), "end": fig.get("end"), "mentions": _json(fig.get("mentions"))}
            )
        return new_firms

    # ---- batches ---------------------------------------------------------------------------------
    def pending_reports(self) -> list[PendingReport]:
        """Batch-report articles not yet linked to a batch, in publication order (undated last)."""
        rows = self.db.execute(
            """SELECT a.id, coalesce(a.outlet, a.source), a.url, a.published, a.batch_json FROM articles a
               WHERE a.relevant = 1 AND a.event = 'batch_report' AND a.batch_json IS NOT NULL
                 AND a.id NOT IN (SELECT article_id FROM batch_reports)
               ORDER BY a.published IS NULL, a.published, a.id"""
        ).fetchall()
        out = []
        for article_id, outlet, url, published, batch_json in rows:
            b = _loads(batch_json, {})
            when = _when(published)
            out.append(PendingReport(
                article_id, outlet, url, when.date() if when else None, b.get("count"), b.get("ordinal"),
                _day(b.get("approved_on")), list(b.get("areas") or []), b.get("scope") or "national"))
        return out

    def known_batches(self) -> list[BatchRow]:
        """Every batch, withdrawn ones too (a report of one revives it: the same event is never new twice),
        with its linked reports' outlets."""
        rows = self.db.execute(
            "SELECT id, approved_on, reported_on, count, ordinal, areas, status, first_seen_run, confirmed_run "
            "FROM batches ORDER BY id").fetchall()
        out = []
        for r in rows:
            reports = self.db.execute(
                """SELECT coalesce(a.outlet, a.source), a.url, br.scope FROM batch_reports br
                   JOIN articles a ON a.id = br.article_id WHERE br.batch_id = ? ORDER BY a.id""", [r[0]]).fetchall()
            out.append(BatchRow(r[0], _day(r[1]), _day(r[2]), r[3], r[4], _loads(r[5], []), r[6],
                                national=any(scope in (None, "national") for _, _, scope in reports),
                                first_seen_run=r[7], confirmed_run=r[8], reports=[(o, u) for o, u, _ in reports]))
        return out

    def create_batch(self, report: PendingReport, run_id: int) -> int:
        return self._insert("batches", {
            "approved_on": _stamp(report.approved_on), "reported_on": _stamp(report.published),
            "count": report.count, "ordinal": report.ordinal, "areas": _json(sorted(report.areas)),
            "first_seen_run": run_id, "status": "candidate",
        })

    def update_batch(self, batch_id: int, changes: dict[str, Any]) -> None:
        row = {k: (_json(v) if k == "areas" else _stamp(v)) for k, v in changes.items()}
        if row:
            self.db["batches"].update(batch_id, row)

    def link_report(self, batch_id: int, report: PendingReport, run_id: int) -> None:
        self.db["batch_reports"].insert({
            "batch_id": batch_id, "article_id": report.article_id, "count": report.count,
            "approved_on": _stamp(report.approved_on), "scope": report.scope, "run_id": run_id,
        }, ignore=True)

    def national_date_stated(self, batch_id: int) -> bool:
        """Whether a national report linked to the batch stated its approval date."""
        return self.db.execute(
            "SELECT 1 FROM batch_reports WHERE batch_id = ? AND approved_on IS NOT NULL AND scope = 'national'",
            [batch_id]).fetchone() is not None

    def withdraw_unreported_batches(self) -> None:
        """A batch that no article reports any more (its articles changed or were re-extracted) is withdrawn."""
        self.db.execute("UPDATE batches SET status = 'withdrawn' WHERE status != 'withdrawn' "
                        "AND id NOT IN (SELECT batch_id FROM batch_reports)")

    def enterprise_figures(self) -> list[dict[str, Any]]:
        """Every dated figure of foreign-invested telecom enterprises (a total, or read as new ones)."""
        rows = self.db.execute(
            """SELECT f.article_id, coalesce(a.outlet, a.source), f.value, f.unit, f.measure, f.kind, f.as_of,
                      f.evidence
               FROM figures f JOIN articles a ON a.id = f.article_id
               WHERE a.relevant = 1 AND f.as_of IS NOT NULL AND f.kind IN ('enterprises_total', 'enterprises_new')
               ORDER BY f.article_id, f.seq""").fetchall()
        return [{"article": r[0], "outlet": r[1], "value": r[2], "unit": r[3], "measure": r[4], "kind": r[5],
                 "as_of": _day(r[6]), "evidence": r[7]} for r in rows]

    def pilot_approval_totals(self) -> list[dict[str, Any]]:
        """Every official cumulative count of firms approved for the pilot, oldest first, smaller first."""
        rows = self.db.execute(
            """SELECT f.article_id, coalesce(a.outlet, a.source), f.value, f.as_of, a.published, f.evidence
               FROM figures f JOIN articles a ON a.id = f.article_id
               WHERE a.relevant = 1 AND f.kind = 'pilot_approvals_total'""").fetchall()
        out = [{"article": r[0], "outlet": r[1], "value": r[2], "as_of": _day(r[3]) or _day(r[4]), "evidence": r[5]}
               for r in rows]
        return sorted(out, key=lambda f: (f["as_of"] is None, f["as_of"] or date.min, f["value"]))

    def confirmed_batch_total(self) -> int:
        """How many firms the confirmed batches approved, together."""
        return int(self.db.execute("SELECT coalesce(sum(count), 0) FROM batches WHERE count IS NOT NULL "
                                   "AND status = 'confirmed'").fetchone()[0])

    # ---- events ----------------------------------------------------------------------------------
    def add_event(
        self, run_id: int, kind: str, subject: str, articles: Iterable[int] = (), details: dict[str, Any] | None = None
    ) -> None:
        self._insert("events", {"run_id": run_id, "kind": kind, "subject": subject,
                                "articles": _json(sorted(set(articles))), "details": _json(details or {})}, ignore=True)

    def events_of_kind(self, kind: str) -> list[dict[str, Any]]:
        """Every event of a kind, newest first, with the time its run started."""
        rows = self.db.execute(
            """SELECT e.subject, e.details, r.started FROM events e JOIN runs r ON r.id = e.run_id
               WHERE e.kind = ? ORDER BY e.run_id DESC, e.id DESC""", [kind]).fetchall()
        return [{"subject": r[0], "details": _loads(r[1], {}), "started": _when(r[2])} for r in rows]

    def has_event(self, kind: str, subject: str) -> bool:
        """Whether any run recorded this event already (one figure conflict is reported once, ever)."""
        return self.db.execute("SELECT 1 FROM events WHERE kind = ? AND subject = ?", [kind, subject]).fetchone() \
            is not None

    def last_announced(self, kind: str, subject: str) -> datetime | None:
        """When the latest run that announced this event (details.announced not false) started, or None."""
        row = self.db.execute(
            """SELECT r.started FROM events e JOIN runs r ON r.id = e.run_id
               WHERE e.kind = ? AND e.subject = ? AND coalesce(json_extract(e.details, '$.announced'), 1) = 1
               ORDER BY e.run_id DESC LIMIT 1""", [kind, subject]).fetchone()
        return _when(row[0]) if row else None

    def events(self, run_ids: list[int], off_topic: bool = True) -> list[dict[str, Any]]:
        """The events of these runs, in the order they were recorded, JSON columns decoded; `off_topic=False`
        leaves out new and changed articles that are not about the policy (see off_topic_counts)."""
        if not run_ids:
            return []
        marks = ",".join("?" * len(run_ids))
        rows = self.db.execute(
            f"""SELECT id, run_id, kind, subject, articles, details FROM events WHERE run_id IN ({marks})
                {"" if off_topic else f"AND NOT ({_OFF_TOPIC})"} ORDER BY id""", run_ids).fetchall()
        return [{"id": r[0], "run": r[1], "kind": r[2], "subject": r[3], "article_ids": _loads(r[4], []),
                 "details": _loads(r[5], {})} for r in rows]

    def off_topic_counts(self, run_ids: list[int]) -> dict[str, int]:
        """How many new and changed articles not about the policy these runs stored, by event kind."""
        counts = dict.fromkeys(_ARTICLE_EVENTS, 0)
        if run_ids:
            marks = ",".join("?" * len(run_ids))
            counts.update(self.db.execute(
                f"SELECT kind, count(*) FROM events WHERE run_id IN ({marks}) AND {_OFF_TOPIC} GROUP BY kind",
                run_ids).fetchall())
        return counts

    # ---- what people read ------------------------------------------------------------------------
    def article_refs(self, ids: list[int]) -> list[dict[str, Any]]:
        """id, url, source, outlet, title and published (a datetime) of each article, in the order given."""
        refs = []
        for article_id in ids:
            row = self.db.execute("SELECT url, source, coalesce(outlet, source), title, published FROM articles "
                                  "WHERE id = ?", [article_id]).fetchone()
            if row:
                refs.append({"id": article_id, "url": row[0], "source": row[1], "outlet": row[2], "title": row[3],
                             "published": _when(row[4])})
        return refs

    def article_versions(self, article_id: int) -> list[tuple[int, str]]:
        """(run id, text) of every version of an article, oldest first."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT run_id, text FROM article_versions WHERE article_id = ? ORDER BY run_id, rowid", [article_id]
        ).fetchall()]

    def batch_view(self, batch_id: int) -> dict[str, Any] | None:
        """A batch with its approved firms (as resolved), their parents and each report with its evidence."""
        row = self.db.execute(
            "SELECT id, approved_on, count, ordinal, areas, first_seen_run, reported_on, status, confirmed_run "
            "FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            return None
        named = self.db.execute(
            """SELECT DISTINCT f.name, coalesce(f.parent, m.parent) FROM batch_reports br
               JOIN mentions m ON m.article_id = br.article_id JOIN firms f ON f.id = m.firm_id
               WHERE br.batch_id = ? AND m.role = 'approved' ORDER BY f.name""", [batch_id]).fetchall()
        unnamed = self.db.execute(
            """SELECT DISTINCT m.parent FROM batch_reports br JOIN mentions m ON m.article_id = br.article_id
               WHERE br.batch_id = ? AND m.role = 'approved' AND m.firm_id IS NULL AND m.parent IS NOT NULL
               ORDER BY m.parent""", [batch_id]).fetchall()
        reports = self.db.execute(
            """SELECT a.id, coalesce(a.outlet, a.source), a.url, a.title, a.published FROM batch_reports br
               JOIN articles a ON a.id = br.article_id
               WHERE br.batch_id = ? ORDER BY a.published IS NULL, a.published, a.id""", [batch_id]).fetchall()
        evidence = []
        for article_id, outlet, url, title, published in reports:
            sentence = self.db.execute(
                "SELECT evidence FROM figures WHERE article_id = ? AND kind = 'batch_count' ORDER BY seq LIMIT 1",
                [article_id]).fetchone() or self.db.execute(
                "SELECT evidence FROM figures WHERE article_id = ? AND unit = 'firms' ORDER BY seq LIMIT 1",
                [article_id]).fetchone()
            evidence.append({"article": article_id, "outlet": outlet, "url": url, "title": title,
                             "published": _when(published), "sentence": sentence[0] if sentence else None})
        return {
            "id": row[0], "approved_on": _day(row[1]), "count": row[2], "ordinal": row[3], "areas": _loads(row[4], []),
            "firms": [name for name, _ in named], "parents": {name: parent for name, parent in named if parent},
            "units_of": [p for (p,) in unnamed], "reports": len(reports),
            "outlets": sorted({r[1] for r in reports}), "first_seen_run": row[5], "reported_on": _day(row[6]),
            "status": row[7], "confirmed_run": row[8], "evidence": evidence,
        }

    def batch_ids(self, include_candidates: bool = False) -> list[int]:
        """Ids of the confirmed batches (and the candidates, when asked), in date order."""
        statuses = ("confirmed", "candidate") if include_candidates else ("confirmed",)
        marks = ",".join("?" * len(statuses))
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM batches WHERE status IN ({marks}) ORDER BY coalesce(approved_on, reported_on), id",
            list(statuses)).fetchall()]

    def firm_rows(self) -> list[dict[str, Any]]:
        """Every firm with its roles, how many articles mention it, and the batches it was approved in."""
        rows = self.db.execute(
            """SELECT f.id, f.name, f.parent, f.aliases, f.first_seen_run,
                      group_concat(DISTINCT m.role), count(DISTINCT m.article_id)
               FROM firms f LEFT JOIN mentions m ON m.firm_id = f.id GROUP BY f.id ORDER BY f.name"""
        ).fetchall()
        out = []
        for firm_id, name, parent, aliases, first_run, roles, articles in rows:
            batch_ids = [r[0] for r in self.db.execute(
                """SELECT DISTINCT br.batch_id FROM mentions m JOIN batch_reports br ON br.article_id = m.article_id
                   JOIN batches b ON b.id = br.batch_id
                   WHERE m.firm_id = ? AND m.role = 'approved' AND b.status != 'withdrawn' ORDER BY 1""",
                [firm_id]).fetchall()]
            out.append({"name": name, "parent": parent, "aliases": _loads(aliases, []),
                        "roles": sorted(roles.split(",")) if roles else [], "articles": articles,
                        "batches": batch_ids, "first_seen_run": first_run})
        return out

    def search(self, terms: list[str], limit: int = 20) -> list[dict[str, Any]]:
        """Articles holding every term, best first (bm25): id, url, outlet, title, published (a datetime), snippet.

        Through the full-text index (pipelines/fulltext.py): Chinese words of any length, Traditional or
        Simplified, and Latin words, any case.
        """
        match = fts_query(terms)
        if not match:
            return []
        rows = self.db.execute(
            """SELECT a.id, a.url, coalesce(a.outlet, a.source), a.title, a.published, a.text, bm25(articles_fts) AS score
               FROM articles a JOIN articles_fts ON articles_fts.rowid = a.id WHERE articles_fts MATCH ?
               ORDER BY score, a.published DESC LIMIT ?""", [match, limit]).fetchall()
        out = []
        for article_id, url, outlet, title, published, text, _ in rows:
            at = min((i for i in (text.lower().find(t.lower()) for t in terms) if i >= 0), default=0)
            snippet = " ".join(text[max(0, at - 60):at + 120].split())
            out.append({"id": article_id, "url": url, "outlet": outlet, "title": title, "published": _when(published),
                        "snippet": snippet})
        return out

    def query(self, sql: str, seconds: float = 30.0) -> tuple[list[str], list[tuple[Any, ...]]]:
        """(column names, rows) of a person's own SQL; on a read-only store, writes raise sqlite3 errors.

        A query still running after `seconds` (an endless recursive CTE) is interrupted: QueryTimeout.
        """
        deadline = time.monotonic() + seconds
        self.db.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            cursor = self.db.execute(sql)
            return [d[0] for d in cursor.description or []], cursor.fetchall()
        except sqlite3.OperationalError as exc:
            if time.monotonic() > deadline:
                raise QueryTimeout(f"query stopped after {seconds:g} s") from exc
            raise
        finally:
            self.db.conn.set_progress_handler(None, 0)

    # ---- incremental crawling --------------------------------------------------------------------
    def fetch_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """(ETag, Last-Modified) of a URL's last 200, or None when it was never fetched."""
        row = self.db.execute("SELECT etag, last_modified FROM fetches WHERE url = ?", [url]).fetchone()
        return (row[0], row[1]) if row else None

    def remember_fetch(self, url: str, kind: str, etag: str | None, modified: str | None) -> None:
        stamp = iso(now())
        self.db.execute(
            """INSERT INTO fetches (url, kind, etag, last_modified, status, first_fetched, last_fetched)
               VALUES (?, ?, ?, ?, 200, ?, ?)
               ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                 status = excluded.status, last_fetched = excluded.last_fetched""",
            [url, kind, etag, modified, stamp, stamp],
        )

    def chart_rows(self, sql: str) -> list[dict[str, Any]]:
        """The rows of a chart's SQL (figure_chart_sql, batch_chart_sql), as dicts by column."""
        cursor = self.db.execute(sql)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def undated_chart_figures(self, kinds: Iterable[str]) -> int:
        """How many figures of these kinds in relevant articles have no as-of day (a chart never places them)."""
        kinds = list(kinds)
        return self.db.execute(
            f"""SELECT count(*) FROM figures f JOIN articles a ON a.id = f.article_id
                WHERE a.relevant = 1 AND f.as_of IS NULL AND f.kind IN ({",".join("?" * len(kinds))})""",
            kinds).fetchone()[0]

    def undated_chart_batches(self) -> int:
        """How many batches a chart would show have neither an approval nor a report day."""
        return self.db.execute(f"SELECT count(*) FROM batches b WHERE {CHARTED_BATCHES} "
                               "AND coalesce(b.approved_on, b.reported_on) IS NULL").fetchone()[0]

    def article_seen_at(self, url: str) -> tuple[datetime, datetime] | None:
        """When the runs that first and last stored or saw (a 304) the article at `url` (either scheme) started,
        or None if never: incremental crawling re-checks an article by its age and the time since its last check."""
        twin = _twin(url)
        row = self.db.execute(
            """SELECT f.started, l.started FROM articles a JOIN runs f ON f.id = a.first_seen_run
               JOIN runs l ON l.id = a.last_seen_run
               WHERE a.url IN (?, ?) OR a.canonical_url IN (?, ?) LIMIT 1""", [url, twin, url, twin]).fetchone()
        first, last = (_when(row[0]), _when(row[1])) if row else (None, None)
        return (first, last or first) if first else None



# What a bug in extraction or a bad item can raise while it is stored; the item is dropped, the run goes on.
STORE_ITEM_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, sqlite3.IntegrityError)


def run_id_of(crawler: Any) -> int | None:
    """The run a crawl writes into: the runner's (MONITOR_RUN_ID), or the one the run extension opened."""
    return crawler.settings.getint("MONITOR_RUN_ID") or crawler.stats.get_value("monitor/run_id") or None


class StorePipeline:
    """Last pipeline: write articles and the facts the extract pipeline put on them, one transaction per batch
    of items. It only writes: the run is opened and judged outside (the runner, or monitor.extensions)."""

    FLUSH_EVERY = 25

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("MONITOR_DB")
        self.buffer: list[dict[str, Any]] = []
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        from scrapy.exceptions import NotConfigured

        if crawler.settings.getbool("MONITOR_NODE"):
            raise NotConfigured  # a scrapyd node has no store: its items go to the feed (pipelines.feed)
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.buffer.append(dict(item))
        if len(self.buffer) >= self.FLUSH_EVERY:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the buffered items in one transaction, each in a savepoint of its own: an item that fails is
        dropped with its reason counted (`dropped/store_error`), and the others are kept."""
        run_id = run_id_of(self.crawler)
        if not self.buffer or run_id is None:
            return
        items, self.buffer = self.buffer, []
        states: list[tuple[str, str]] = []
        try:
            if self.store is None:  # opened with the first items: a crawl that yields none (scrapy fetch) opens none
                self.store = Store(self.db_path)
            with self.store.transaction():
                for item in items:
                    try:
                        with self.store.transaction():
                            states.append((item["source"], self.store.write_article(item, item.get("facts"), run_id)[1]))
                    except STORE_ITEM_ERRORS as exc:
                        logger.error("%s: could not store %s: %r", item.get("source"), item.get("url"), exc)
                        states.append((item.get("source") or "unknown", "store_error"))
        except (sqlite3.Error, StoreError) as exc:
            # The store itself failed (a full disk, a damaged file): nothing of this batch was kept. The run is
            # judged failed, and the articles are fetched again next run (they are not known to the store).
            logger.error("could not write %d articles to the store: %s", len(items), exc)
            states = [(item.get("source") or "unknown", "store_failed") for item in items]
        for source, state in states:  # counted once committed, so the stats never claim a rolled-back row
            key = f"dropped/{state}" if state in ("store_error", "store_failed") else f"articles_{state}"
            self.stats.inc_value(f"monitor/{source}/{key}")
            if state == "store_failed":
                self.stats.inc_value("monitor/store_failed")

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.store is not None:
                self.store.close()
