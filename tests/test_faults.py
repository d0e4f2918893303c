"""The fault suite: hostile input, damaged files and a failing machine, each met with one clear line, a documented
exit code and no data lost or written half. `FAULTS` is the README's table of faults (a test keeps them equal;
`python -m tests.test_faults` prints it).
"""

from __future__ import annotations

import gzip
import json
import resource
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from pipelines.lock import run_lock
from pipelines.store import Store
from tests.conftest import DEMO_ARCHIVE, ROOT, rows, run_monitor

DEMO_WARC = DEMO_ARCHIVE / "demo.warc.gz"
DOC = json.dumps({"id": "d1", "url": "https://example.org/1", "published": "2025-03-03",
                  "text": "MIIT approved 13 foreign-invested firms for value-added telecom services on Friday."})

# (fault, cases tried by this suite and the tests it names, what the monitor does)
FAULTS = [
    ("a discovery page redirecting off its domains or to an internal or metadata address", "4 (test_guard)",
     "the request is refused and counted (`guard/offsite`, `guard/private_address`); nothing is fetched or archived"),
    ("a gzip bomb (50 MB of zeros in 50 KB) and an XML entity bomb as discovery pages", "2",
     "the bomb is cut off at `MONITOR_MAX_RESPONSE_BYTES` or its entities are never expanded; the source is "
     "judged degraded, the run goes on"),
    ("a discovery page with 20,000 links", "1 (test_base_spider)",
     "the first `MONITOR_MAX_LINKS_PER_PAGE` (500) are followed, the rest counted (`discovery_links_dropped`)"),
    ("a disk that fills during a run", "2",
     "the run is `failed`, exit 1 with one line; nothing claims ok; the articles are fetched again next run"),
    ("a damaged store (`quick_check` fails)", "3",
     "run, ingest and reextract refuse it: one line, exit 2, the file untouched"),
    ("a damaged archive: a flipped bit, a cut-off gzip, a record longer than its file", "3",
     "one line naming the file and the byte, exit 2, no store created; never a partial replay"),
    ("a second run while an ingest holds the store", "1", "exit 4 at once, nothing done"),
    ("bad JSON lines: nested 100,000 deep, a lone surrogate in text or html, an id that is `true` or 1,000 "
     "characters, a line over 8 MiB, an empty file", "7", "one line naming the line, exit 2, nothing written"),
    ("an impossible run number (`diff --run 9223372036854775808`)", "1", "one line, exit 2"),
    ("control characters and a 100 KB title in a page", "19 parsers (test_parsers_robust)",
     "removed before the store and every report; titles bounded to 1,000 characters"),
    ("an endless query (`WITH RECURSIVE` without end)", "1", "stopped after `MONITOR_QUERY_SECONDS` (30 s): exit 2"),
    ("kill -9 during an ingest or a crawl", "2 (test_crash; more with `make crash`)",
     "the rerun finds the store sound: nothing doubled, nothing half-written; the killed run is `interrupted`; "
     "its crawl process is gone with it"),
    ("SIGTERM during a crawl", "1 (test_crash)",
     "nothing more is asked for; what was fetched is stored; the run is judged and closed"),
    ("the crawl process killed alone (out of memory)", "1 (test_crash)",
     "the run is `failed`, each source's first reason saying how the crawl ended; what it stored is kept"),
]


def faults_table() -> str:
    lines = ["| fault | cases | what the monitor does |", "|---|---|---|"]
    lines += [f"| {fault} | {cases} | {does} |" for fault, cases, does in FAULTS]
    return "\n".join(lines) + "\n"


def test_the_readme_table_of_faults_is_this_suite() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert faults_table() in readme, "regenerate it: .venv/bin/python -m tests.test_faults"


def _one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stderr[-2000:])
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


# ---- a full disk ----------------------------------------------------------------------------------
def _file_size_limit(limit: int):
    def apply() -> None:
        # Files of the run may not grow past `limit` bytes: SQLite meets "database or disk is full", as on a
        # full disk (Python ignores SIGXFSZ, so the write fails instead of killing the process).
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_disk_that_fills_during_a_replay_fails_the_run(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    done = subprocess.run([sys.executable, "-m", "monitor.cli", "run", "--replay", str(DEMO_ARCHIVE), "--db", str(db),
                           "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          preexec_fn=_file_size_limit(db.stat().st_size + 20_000),
                          env={"PATH": "/usr/bin:/bin", "MONITOR_REPORTS_DIR": str(tmp_path / "reports")})
    line = _one_line(done, 1)
    assert "could not be stored" in line
    assert rows(db, "SELECT status FROM runs") in ([("failed",)], [("running",)])  # never ok
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.server
def test_articles_a_full_disk_lost_are_fetched_again_next_run(local_server, tmp_path: Path) -> None:
    from tests.localsite import LOCALSITE
    from tests.test_http import ARTICLE_A, ARTICLE_B, FAST, conditional, listing

    local_server.expect_request("/robots.txt").respond_with_data("User-agent: *\n")
    local_server.expect_request("/listing.html").respond_with_handler(
        conditional(listing("/articles/a.html", "/articles/b.html"), '"L1"'))
    local_server.expect_request("/articles/a.html").respond_with_data(ARTICLE_A, content_type="text/html")
    local_server.expect_request("/articles/b.html").respond_with_data(ARTICLE_B, content_type="text/html")
    db = tmp_path / "m.db"
    Store(db).close()

    def crawl(limit: int | None) -> dict:
        done = subprocess.run([sys.executable, str(LOCALSITE), str(db), local_server.url_for("/listing.html"),
                               json.dumps({**FAST, "MONITOR_RECORD": False})], capture_output=True, text=True,
                              timeout=120, preexec_fn=_file_size_limit(limit) if limit else None)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    # 40 KB: the run can begin (its row fits in the write-ahead log), the articles cannot be kept.
    assert crawl(40_000)["status"] == "failed"
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]
    again = crawl(None)
    assert again["status"] == "ok" and again["sources"]["localsite"]["new"] == 2  # the listing was not cached


# ---- bombs ----------------------------------------------------------------------------------------
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                            for i in range(1, 10))
                  + ']><rss><channel><item><title>&lol9;</title><link>http://127.0.0.1/articles/a.html</link>'
                  "</item></channel></rss>")


@pytest.mark.server
@pytest.mark.parametrize("bomb", ["gzip", "xml"])
def test_a_bomb_for_a_discovery_page_is_contained(bomb: str, local_server, tmp_path: Path) -> None:
    from tests.test_http import crawl

    local_server.expect_request("/robots.txt").respond_with_data("User-agent: *\n")
    if bomb == "gzip":
        local_server.expect_request("/listing.html").respond_with_data(
            gzip.compress(b"\0" * 50_000_000), headers={"Content-Encoding": "gzip"}, content_type="text/html")
    else:
        local_server.expect_request("/listing.html").respond_with_data(BILLION_LAUGHS, content_type="application/xml")
    result = crawl(tmp_path / "m.db", local_server)  # its timeout is a hang guard only
    assert result["sources"]["localsite"]["status"] == "degraded"
    assert result["sources"]["localsite"]["articles"] == 0


# ---- a damaged store ------------------------------------------------------------------------------
@pytest.fixture
def damaged_store(tmp_path: Path) -> Path:
    db = tmp_path / "m.db"
    with Store(db) as store, store.transaction():
        run = store.start_run("ingest")
        for i in range(300):
            store.save_article({"canonical_url": f"https://example.org/{i}", "source": "ingest", "title": f"t{i}",
                                "text": "word " * 200}, run)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for page in range(20, 40):  # b-tree page headers scrambled: the file opens, its pages do not
        for k in range(8):
            data[4096 * page + k] ^= 0x5A
    db.write_bytes(bytes(data))
    return db


@pytest.mark.parametrize("command", [["run", "--replay", str(DEMO_ARCHIVE)], ["ingest", "{docs}"], ["reextract"]])
def test_a_damaged_store_is_refused_and_left_alone(damaged_store: Path, command: list[str]) -> None:
    docs = damaged_store.with_name("docs.jsonl")
    docs.write_text(DOC + "\n", encoding="utf-8")
    before = damaged_store.read_bytes()
    line = _one_line(run_monitor(*[c.replace("{docs}", str(docs)) for c in command], "--db", str(damaged_store)), 2)
    assert "is damaged" in line
    assert damaged_store.read_bytes() == before


# ---- damaged archives -----------------------------------------------------------------------------
def _flipped(tmp_path: Path) -> Path:
    data = bytearray(DEMO_WARC.read_bytes())
    for i in range(5000, 5010):
        data[i] ^= 0xFF
    path = tmp_path / "flipped.warc.gz"
    path.write_bytes(bytes(data))
    return path


def _cut(tmp_path: Path) -> Path:
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(DEMO_WARC.read_bytes()[:-3000])
    return path


def _long_record(tmp_path: Path) -> Path:
    raw = gzip.decompress(DEMO_WARC.read_bytes())
    at = raw.index(b"Content-Length: ", raw.index(b"WARC-Type: response"))
    end = raw.index(b"\r\n", at)
    path = tmp_path / "long.warc"
    path.write_bytes(raw[:at] + b"Content-Length: 99999999" + raw[end:])
    return path


@pytest.mark.parametrize("sources", [[], ["--sources", "xinhua_en"]], ids=["all", "named"])
@pytest.mark.parametrize("damage", [_flipped, _cut, _long_record], ids=lambda f: f.__name__.strip("_"))
def test_a_damaged_archive_names_the_file_and_the_byte(damage, sources: list[str], tmp_path: Path) -> None:
    """(Regression, named sources: the archive was read only in the crawl: tracebacks, exit 1, a new store.)"""
    archive = damage(tmp_path)
    db = tmp_path / "m.db"
    line = _one_line(run_monitor("run", "--replay", str(archive), *sources, "--db", str(db)), 2)
    assert str(archive) in line and "byte" in line
    assert not db.exists()


# ---- a second run ---------------------------------------------------------------------------------
def test_a_second_run_while_an_ingest_writes_is_turned_away_at_once(tmp_path: Path) -> None:
    """Regression: the store was opened for writing before the lock was taken: 'database is locked', exit 2."""
    db = tmp_path / "m.db"
    Store(db).close()
    docs = tmp_path / "docs.jsonl"
    docs.write_text(DOC + "\n", encoding="utf-8")
    with run_lock(db), closing(sqlite3.connect(db)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # the ingest in the middle of its transaction
        line = _one_line(run_monitor("ingest", str(docs), "--db", str(db)), 4)
        writer.rollback()
    assert "another run holds" in line  # met at the lock, not at the store's busy timeout (exit 2)


# ---- bad lines ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("line", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ('{"id": "a", "text": "China \\ud800 approves"}', "text is not valid Unicode"),
    ('{"id": "a", "html": "<p>\\ud800</p>"}', "html is not valid Unicode"),
    ('{"id": true, "text": "MIIT approved 13 firms."}', "no id"),
    (json.dumps({"id": "x" * 1000, "text": "MIIT approved 13 firms."}), "no id"),
    (json.dumps({"id": "big", "text": "x" * (9 * 1024 * 1024)}), "longer than 8 MiB"),
    ("", "no documents"),
], ids=["deep", "surrogate-text", "surrogate-html", "id-true", "id-long", "huge", "empty"])
def test_a_bad_line_is_named_and_nothing_is_written(line: str, message: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(line + "\n" if line else "", encoding="utf-8")
    db = tmp_path / "m.db"
    assert message in _one_line(run_monitor("ingest", str(docs), "--db", str(db)), 2)
    assert message in _one_line(run_monitor("extract", "--input", str(docs)), 2)
    assert not db.exists()


def test_an_impossible_run_number_is_bad_usage(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    done = run_monitor("diff", "--run", "9223372036854775808", "--db", str(db))
    assert done.returncode == 2 and "run numbers start at 1" in done.stderr


# ---- unbounded work -------------------------------------------------------------------------------
def test_an_endless_query_is_stopped(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    line = _one_line(run_monitor("query", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                 "SELECT count(*) FROM c", "--db", str(db), env={"MONITOR_QUERY_SECONDS": "1"}), 2)
    assert "stopped after 1 s" in line


if __name__ == "__main__":
    sys.stdout.write(faults_table())


def test_a_store_left_empty_by_a_kill_as_it_began_is_set_up_by_the_next_run(tmp_path: Path) -> None:
    """Regression (found by the kill -9 loop): a run killed right after creating the file left an empty
    database, which the next run refused as 'not a monitor store'."""
    db = tmp_path / "m.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")  # the file exists, with no table in it
    docs = tmp_path / "docs.jsonl"
    docs.write_text(DOC + "\n", encoding="utf-8")
    assert run_monitor("batches", "--db", str(db)).returncode == 2  # reading it says so
    done = run_monitor("ingest", str(docs), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
