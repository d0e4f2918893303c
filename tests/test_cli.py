"""The command line's contract: bad input gets one line on stderr, exit 2, and changes nothing."""

from __future__ import annotations

import argparse
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from monitor import exitcodes
from monitor.runner import run_lock
from tests.conftest import run_monitor


def _one_line_error(done, code: int = exitcodes.BAD_INPUT) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def _ingest_line(n: int, text: str = "MIIT approved 13 foreign-invested firms for value-added telecom services.") -> str:
    return json.dumps({"id": f"d{n}", "text": text, "url": f"https://example.org/{n}", "published": "2025-03-03"})


@pytest.mark.parametrize("args", [
    ["parse", "no/such/page.html", "--json"],
    ["parse", "README.md", "--source", "nosuchsource", "--json"],
    ["run", "--sources", "nosuchsource", "--db", "{tmp}/x.db"],
    ["run", "--replay", "{tmp}/no-archive", "--db", "{tmp}/x.db"],
    ["run", "--replay", "README.md", "--db", "{tmp}/x.db"],
    ["extract", "--input", "no/such/file.jsonl"],
    ["ingest", "no/such/file.jsonl", "--db", "{tmp}/x.db"],
    ["crawl", "nosuchsource", "--db", "{tmp}/x.db"],
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], tmp_path: Path) -> None:
    done = run_monitor(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    _one_line_error(done)
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("command", [["diff"], ["batches"], ["firms"], ["query", "select 1"], ["reextract"]])
def test_read_commands_never_create_a_store(command: list[str], tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    line = _one_line_error(run_monitor(*command, "--db", str(db)))
    assert "no store" in line
    assert not db.exists()


def test_corrupt_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"garbage" * 1000)
    _one_line_error(run_monitor("batches", "--db", str(db)))
    docs = tmp_path / "docs.jsonl"
    docs.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    assert "not a usable store" in _one_line_error(run_monitor("ingest", str(docs), "--db", str(db)))
    assert db.read_bytes() == b"garbage" * 1000


def test_extract_names_the_malformed_line_and_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_ingest_line(1) + "\n{not json\n" + _ingest_line(3) + "\n", encoding="utf-8")
    done = run_monitor("extract", "--input", str(path))
    assert "line 2" in _one_line_error(done)
    assert done.stdout == ""


def test_extract_line_without_text_or_html_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "only a title"}) + "\n", encoding="utf-8")
    assert "line 1" in _one_line_error(run_monitor("extract", "--input", str(path)))


def test_ingest_with_a_malformed_line_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    good = tmp_path / "good.jsonl"
    good.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    assert run_monitor("ingest", str(good), "--db", str(db)).returncode == 0
    before = db.read_bytes() if not Path(f"{db}-wal").exists() else None
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_ingest_line(2) + "\n" + _ingest_line(3)[:-5] + "\n", encoding="utf-8")
    assert "line 2" in _one_line_error(run_monitor("ingest", str(bad), "--db", str(db)))
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 1
        assert conn.execute("select count(*) from runs").fetchone()[0] == 1
    if before is not None:
        assert db.read_bytes() == before


def test_ingesting_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(_ingest_line(n) for n in range(3)) + "\n", encoding="utf-8")
    assert run_monitor("ingest", str(path), "--db", str(db)).returncode == 0
    again = run_monitor("ingest", str(path), "--db", str(db), "--json")
    assert again.returncode == 0
    report = json.loads(again.stdout)
    assert [e["kind"] for e in report["events"]] == []
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 3


def test_query_refuses_writes_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    run_monitor("ingest", str(path), "--db", str(db))
    line = _one_line_error(run_monitor("query", "delete from articles", "--db", str(db)))
    assert "read-only" in line
    rows = json.loads(run_monitor("query", "select count(*) as n from articles", "--db", str(db), "--json").stdout)
    assert rows == [{"n": 1}]


def test_query_csv(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    run_monitor("ingest", str(path), "--db", str(db))
    done = run_monitor("query", "select canonical_url from articles", "--db", str(db), "--csv")
    assert done.stdout.splitlines() == ["canonical_url", "https://example.org/1"]


def test_second_concurrent_run_is_turned_away(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    with run_lock(db):
        line = _one_line_error(run_monitor("ingest", str(path), "--db", str(db)), exitcodes.LOCKED)
    assert "another run" in line
    assert run_monitor("ingest", str(path), "--db", str(db)).returncode == 0  # released


def test_parse_prints_the_fields_as_json(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>A title</title></head><body><article><h1>A title</h1>"
                    "<p>" + "Body text of a generic news page. " * 10 + "</p></article></body></html>",
                    encoding="utf-8")
    done = run_monitor("parse", str(page), "--url", "https://example.org/news/1.html", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"source", "url", "title", "published", "author", "language", "text"}
    assert out["source"] == "generic" and "Body text" in out["text"]


def test_parse_without_url_uses_the_pages_own_address(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><head><meta property='og:url' content='https://www.telecomreviewasia.com/news/"
                    "industry-news/1234-china-opens-telecom'><title>China opens telecom</title></head><body>"
                    "<article><h1>China opens telecom</h1><p>" + "Foreign firms get access to services. " * 8 +
                    "</p></article></body></html>", encoding="utf-8")
    out = json.loads(run_monitor("parse", str(page), "--json").stdout)
    assert out["source"] == "telecomreviewasia"
    assert out["url"].endswith("1234-china-opens-telecom")


def test_unwritable_reports_folder_is_one_line_and_exit_1_and_keeps_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    done = run_monitor("ingest", str(path), "--db", str(db), env={"MONITOR_REPORTS_DIR": str(blocker / "reports")})
    assert "failed" in _one_line_error(done, exitcodes.FAILURE)
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 1


@pytest.mark.parametrize("sql", ['attach database "{tmp}/x.db" as x', "pragma journal_mode = delete",
                                 "create table t (a)", "update runs set status = 'ok'"])
def test_query_refuses_every_kind_of_write(sql: str, tmp_path: Path) -> None:
    """Regression: ATTACH created a file and a PRAGMA changed the journal through the read-only connection."""
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    run_monitor("ingest", str(path), "--db", str(db))
    assert "read-only" in _one_line_error(run_monitor("query", sql.replace("{tmp}", str(tmp_path)), "--db", str(db)))
    assert not (tmp_path / "x.db").exists()
    assert json.loads(run_monitor("query", "pragma journal_mode", "--db", str(db), "--json").stdout) == [
        {"journal_mode": "wal"}]


def test_another_programs_database_with_a_runs_table_is_left_alone(tmp_path: Path) -> None:
    """Regression: a foreign database that happened to have a `runs` table got our tables added."""
    db = tmp_path / "other.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE runs (id INTEGER, name TEXT)")
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n", encoding="utf-8")
    assert "not a monitor store" in _one_line_error(run_monitor("ingest", str(path), "--db", str(db)))
    with closing(sqlite3.connect(db)) as conn, conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    assert tables == ["runs"]


@pytest.mark.parametrize(("line", "message"), [
    ({"id": "a", "text": "x", "url": 123}, "url must be a string"),
    ({"id": "a", "text": "x", "title": ["t"]}, "title must be a string"),
    ({"id": "a", "text": "x", "published": 20250228}, "published must be a string"),
    ({"id": "a", "text": "x", "url": "http://[bad"}, "not an http(s) address"),
    ({"id": ["a"], "text": "x"}, "no id"),
])
def test_ingest_line_with_a_wrong_field_type_is_named_and_nothing_is_created(line: dict, message: str,
                                                                             tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    err = _one_line_error(run_monitor("ingest", str(path), "--db", str(tmp_path / "m.db")))
    assert "line 2" in err and message in err
    assert list(tmp_path.iterdir()) == [path]  # no store, no lock file


def test_ingest_drops_a_line_without_main_text_as_a_crawl_would(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    path.write_text(_ingest_line(1) + "\n" + _ingest_line(2, "Too short.") + "\n", encoding="utf-8")
    report = json.loads(run_monitor("ingest", str(path), "--db", str(db), "--json").stdout)
    assert report["sources"]["example.org"]["dropped"] == 1
    new = [e for e in report["events"] if e["kind"] == "new_article"]
    assert [e["ingest_id"] for e in new] == ["d1"]


def _subparsers() -> dict:
    from monitor.cli import build_parser

    parser = build_parser()
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


@pytest.mark.parametrize("name", sorted(_subparsers()))
def test_every_command_has_a_description_an_example_exit_codes_and_help_for_every_option(name: str) -> None:
    sub = _subparsers()[name]
    text = sub.format_help()
    assert sub.description and "example:\n  monitor " + name in text and "exit codes:\n  0  success" in text
    undocumented = [a.dest for a in sub._actions if not a.help and not isinstance(a, argparse._HelpAction)]
    assert not undocumented, f"{name}: options without help: {undocumented}"


def test_version() -> None:
    done = run_monitor("--version")
    assert done.returncode == 0 and done.stdout.startswith("monitor ")


def test_extract_of_html_without_main_text_is_named_and_prints_nothing(tmp_path: Path) -> None:
    """Regression: an html line whose page had no main text gave a traceback and exit 1."""
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1, "html": "<html><body></body></html>",
                                "url": "https://english.news.cn/20250303/abc/c.html"}) + "\n", encoding="utf-8")
    done = run_monitor("extract", "--input", str(path))
    assert "document 1: its html has no main text" in _one_line_error(done) and done.stdout == ""


def test_a_scrapyd_node_setting_refuses_a_run_here(tmp_path: Path) -> None:
    done = run_monitor("run", "--replay", "data/archive/demo", "--db", str(tmp_path / "m.db"),
                       env={"MONITOR_NODE": "1"})
    assert "MONITOR_NODE is set" in _one_line_error(done)
    assert not (tmp_path / "m.db").exists()


def test_notify_test_sends_through_the_command_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "message.md"
    done = run_monitor("notify", "--test", env={"MONITOR_NOTIFY_COMMAND": f"cat > {out}"})
    assert done.returncode == 0 and "delivered" in done.stdout
    assert "test notification" in out.read_text(encoding="utf-8")


def test_notify_test_without_a_channel_is_bad_usage() -> None:
    done = run_monitor("notify", "--test", env={"MONITOR_NOTIFY_COMMAND": "", "MONITOR_WEBHOOK_URL": ""})
    assert "no notifier is set up" in _one_line_error(done)


# What a read command may not import: the crawl's libraries, and sqlite-utils (a read-only store is plain sqlite3).
# Their imports were most of a read command's start-up (issue 11; bench/throughput.py measures the time).
_HEAVY = ("scrapy", "trafilatura", "dateparser", "lxml.html", "sqlite_utils", "opencc", "tabulate")
_IMPORTS = """
import sys
sys.argv = ["monitor", *sys.argv[1:]]
from monitor.cli import main
code = None
try:
    code = main()
except SystemExit as exc:
    code = exc.code
print("IMPORTED", code, *sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(("command", "allowed"), [
    (["query", "select count(*) from articles"], ()), (["diff"], ()), (["search", "telecom"], ()),
    (["batches"], ("tabulate",)), (["firms"], ("tabulate",)), (["sources"], ("tabulate",)),
])
def test_read_commands_start_without_the_heavy_libraries(command: list[str], allowed: tuple[str, ...],
                                                          tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    assert run_monitor("ingest", "-", "--db", str(db), stdin=_ingest_line(1) + "\n").returncode == 0
    code, imported = _imported(*command, "--db", str(db))
    assert code in ("0", "None")
    assert set(imported) <= set(allowed), f"monitor {command[0]} imported {imported}"


def _imported(*args: str) -> tuple[str, list[str]]:
    """`monitor ARGS` in a process of its own: its exit code and which of the heavy libraries it imported."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _IMPORTS.format(heavy=_HEAVY), *args],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], check=False)
    line = next((x for x in done.stderr.splitlines() if x.startswith("IMPORTED")), None)
    assert line, done.stderr
    code, *imported = line.split()[1:]
    return code, imported


def test_a_runs_report_counts_articles_not_about_the_policy_and_diff_json_lists_them(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    path = tmp_path / "docs.jsonl"
    ordinary = "Steel output in Hebei rose 4 percent in March, the provincial statistics bureau said on Monday."
    path.write_text("\n".join([_ingest_line(1), _ingest_line(2, ordinary), _ingest_line(3, ordinary + " Again.")])
                    + "\n", encoding="utf-8")
    report = json.loads(run_monitor("ingest", str(path), "--db", str(db), "--json").stdout)
    assert [e["ingest_id"] for e in report["events"] if e["kind"] == "new_article"] == ["d1"]
    assert report["off_topic"] == {"new_article": 2, "changed_article": 0}
    markdown = Path(next(p for p in report["reports"] if p.endswith(".md"))).read_text(encoding="utf-8")
    assert "(2 new or changed articles not about this policy were stored and not shown.)" in markdown
    listed = json.loads(run_monitor("diff", "--json", "--db", str(db)).stdout)["events"]
    assert sorted(e["ingest_id"] for e in listed if e["kind"] == "new_article") == ["d1", "d2", "d3"]
    assert "(2 new or changed articles" in run_monitor("diff", "--db", str(db)).stdout


def test_a_run_crawls_in_a_process_of_its_own(tmp_path: Path) -> None:
    """The crawl's libraries are imported in the crawl process only, which ends before the run's after-run draws
    its chart: the run itself never holds their memory (bench/throughput.py measures it)."""
    code, imported = _imported("run", "--replay", "data/archive/demo", "--db", str(tmp_path / "m.db"))
    assert code == "0"
    assert set(imported) <= {"sqlite_utils", "tabulate"}, f"monitor run imported {imported}"
