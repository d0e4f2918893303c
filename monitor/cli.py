"""The `monitor` command line: a thin layer over the runner, the parsers, the pipelines and the store."""

from __future__ import annotations

import argparse
import csv
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monitor import exitcodes
from monitor.settings import MONITOR_DB, MONITOR_REPLAY
from pipelines.store import StoreError

# Read commands (query, batches, firms, diff, sources) start at once: Scrapy, trafilatura, dateparser and the
# spiders are imported only by the commands that use them.

logger = logging.getLogger(__name__)


class Fail(Exception):
    """Stop the command with one line on stderr and an exit code."""

    def __init__(self, message: str, code: int = exitcodes.BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _emit(obj: Any) -> None:
    from monitor.report import to_json

    sys.stdout.write(to_json(obj) + "\n")


def _manifest() -> list[dict[str, Any]]:
    """What each source's spider says of itself (data/sources.json, which a test keeps equal to the spiders):
    names and start URLs without importing Scrapy, which only a run's crawl process needs."""
    from pipelines.knowledge import load

    return load("sources.json")


def _sources_arg(value: str | None) -> list[str]:
    known = [source["name"] for source in _manifest()]
    if not value:
        return known
    names = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise Fail(f"unknown source: {', '.join(unknown)} (see `monitor sources`)")
    return names


def _archived_sources(path: str) -> list[str]:
    """The sources whose discovery pages the archive holds (a replay without --sources crawls those)."""
    from monitor.archive import ArchiveError, load_archive, url_key

    try:
        index = load_archive(path)
    except ArchiveError as exc:
        raise Fail(str(exc)) from exc
    names = [source["name"] for source in _manifest() if any(url_key(u) in index for u in source["start_urls"])]
    if not names:
        raise Fail(f"the archive {path} holds no discovery page of any source")
    return names


def _load_archive(path: str) -> dict[str, Any]:
    """The archive's index (loaded once per process: the replay middleware gets the same one)."""
    from monitor.archive import ArchiveError, load_archive

    try:
        return load_archive(path)
    except ArchiveError as exc:
        raise Fail(str(exc)) from exc


def _check_archive(path: str) -> None:
    from monitor.archive import ArchiveError, warc_files

    try:
        files = warc_files(path)
    except ArchiveError as exc:
        raise Fail(str(exc)) from exc
    for f in files:
        with open(f, "rb") as fh:
            head = fh.read(4)
        if not (head.startswith(b"WARC") or head[:2] == b"\x1f\x8b"):
            raise Fail(f"not a WARC file: {f}")


# ---- run / crawl ---------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from monitor import afterrun, runner
    from monitor.settings import MONITOR_NODE

    if MONITOR_NODE:  # a scrapyd node writes feeds; a run here would store nothing and call itself ok
        raise Fail("MONITOR_NODE is set: this is a scrapyd node (its crawls write feeds); unset it to run here")
    if args.replay:
        _check_archive(args.replay)
        _load_archive(args.replay)  # a damaged archive is refused whole, before any store or crawl
    sources = _sources_arg(args.sources) if args.sources or not args.replay else _archived_sources(args.replay)
    _check_store(args.db)
    try:
        with runner.run_lock(args.db):
            _open_store(args.db, create=True).close()  # created, or brought up to this schema, under the lock
            runner.upgrade(args.db)
            result = runner.crawl(sources, args.db, replay=args.replay, log_level=args.log_level)
            outcome = afterrun.publish(args.db, result)
    except runner.StoreLocked as exc:
        raise Fail(str(exc), exitcodes.LOCKED) from exc
    if args.json:
        _emit(outcome.as_json())
    elif not (args.quiet and outcome.nothing_to_say):
        sys.stdout.write(outcome.markdown)
    lost = sum(s.stats.get("store_failed", 0) for s in result.sources.values())
    if lost:  # one line, even under --quiet: cron mails it
        sys.stderr.write(f"monitor {args.command}: run {result.run_id} failed: {lost} fetched articles could not "
                         "be stored (is the disk full?); they are fetched again next run\n")
    else:
        announced = {e["subject"] for e in outcome.events
                     if e["kind"] == "source_degraded" and e.get("announced", True)}
        for name, source in result.sources.items():  # one line per failing source, never a traceback
            if source.status == "degraded" and (name in announced or not args.quiet or result.status == "failed"):
                sys.stderr.write(f"monitor {args.command}: {name} degraded: {'; '.join(source.reasons)}\n")
    _say_undelivered(args, outcome)
    code = {"ok": exitcodes.OK, "degraded": exitcodes.DEGRADED, "failed": exitcodes.FAILURE}[result.status]
    if args.exit_code and outcome.new_batches and result.status != "failed":
        code = exitcodes.NEW_BATCH  # news beats a degraded source (the report names those), not a failed run
    return code


def _say_undelivered(args: argparse.Namespace, outcome: Any) -> None:
    """A notification that failed is said in one line, even under --quiet, every run until delivered."""
    for line in outcome.undelivered:
        sys.stderr.write(f"monitor {args.command}: {line}\n")


def cmd_crawl(args: argparse.Namespace) -> int:
    args.sources = ",".join(args.source)
    args.quiet = False
    args.exit_code = False
    return cmd_run(args)


# ---- parse / extract -----------------------------------------------------------------------------
def cmd_parse(args: argparse.Namespace) -> int:
    from monitor import documents, registry
    from monitor.dates import iso
    from monitor.htmltext import decode_html, page_url

    path = Path(args.file)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise Fail(f"cannot read {path}: {exc.strerror or exc}") from exc
    if args.url and not documents.valid_url(args.url):
        raise Fail(f"--url is not an http(s) address: {args.url}")
    html, _ = decode_html(body)
    url = args.url or page_url(html)  # without --url, the page's own canonical address chooses the parser
    try:
        source, parser = registry.parser_for(url=url, source=args.source)
    except registry.UnknownSource as exc:
        raise Fail(f"unknown source: {args.source} (see `monitor sources`)") from exc
    fields = parser(html, url or "")
    out = {"source": source, "url": url, "title": fields.get("title"), "published": iso(fields.get("published")),
           "author": fields.get("author"), "language": fields.get("language"), "text": fields.get("text")}
    if args.json:
        _emit(out)
    else:
        for key in ("source", "url", "title", "published", "author", "language"):
            sys.stdout.write(f"{key}: {out[key]}\n")
        sys.stdout.write("\n" + (out["text"] or "") + "\n")
    return exitcodes.OK


def read_jsonl(path: str, required_any: Sequence[str] = ("text", "html")) -> list[dict[str, Any]]:
    from monitor import documents

    try:
        return documents.read_jsonl(path, required_any)
    except documents.BadDocument as exc:
        raise Fail(str(exc)) from exc


def cmd_extract(args: argparse.Namespace) -> int:
    from monitor.documents import document_fields
    from pipelines.extract import extract_record

    records = read_jsonl(args.input)
    out = []
    for record in records:
        fields = document_fields(record)
        if not fields["text"].strip():
            raise Fail(f"{args.input}: document {record['id']!r}: its html has no main text")
        out.append(extract_record({"id": record["id"], **fields}))
    for line in out:
        _emit(line)
    return exitcodes.OK


# ---- store commands ------------------------------------------------------------------------------
def _open_store(path: str, create: bool = False, readonly: bool = False, check: bool = False):
    from pipelines.store import Store, StoreError

    try:
        return Store(path, create=create, readonly=readonly, check=check)
    except StoreError as exc:
        raise Fail(str(exc)) from exc


def _check_store(path: str) -> None:
    """Before the run lock is taken: a damaged or foreign store is refused (exit 2) without writing anything;
    reading never waits for another run, which is then met at the lock (exit 4). A store made by an earlier
    version passes: the command brings it up to date under the lock."""
    from pipelines.store import Store, StoreError, StoreOutdated

    if not Path(path).exists():
        return
    try:
        Store(path, readonly=True, check=True).close()
    except StoreOutdated:
        pass
    except StoreError as exc:
        raise Fail(str(exc)) from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    from monitor import afterrun, documents, runner

    records = read_jsonl(args.file)
    items = [documents.to_item(r) for r in records]  # every line is read before the store is touched
    _check_store(args.db)
    try:
        with runner.run_lock(args.db):
            _open_store(args.db, create=True).close()
            runner.upgrade(args.db)
            result = runner.ingest(args.db, items, label=str(args.file))
            outcome = afterrun.publish(args.db, result)
    except runner.StoreLocked as exc:
        raise Fail(str(exc), exitcodes.LOCKED) from exc
    except runner.IngestError as exc:
        raise Fail(f"{exc}; nothing was stored", exitcodes.FAILURE) from exc
    if args.json:
        _emit(outcome.as_json())
    elif not (args.quiet and outcome.nothing_to_say):
        sys.stdout.write(outcome.markdown)
    _say_undelivered(args, outcome)
    if args.exit_code and outcome.new_batches:
        return exitcodes.NEW_BATCH
    return exitcodes.OK


def cmd_reextract(args: argparse.Namespace) -> int:
    from monitor import runner

    if not Path(args.db).exists():
        raise Fail(f"no store at {args.db} (run `monitor run` or `monitor ingest` first)")
    _check_store(args.db)
    try:
        with runner.run_lock(args.db):
            counts = runner.reextract(args.db)
    except runner.StoreLocked as exc:
        raise Fail(str(exc), exitcodes.LOCKED) from exc
    if args.json:
        _emit(counts)
    else:
        sys.stdout.write(
            f"re-extracted {counts['articles']} articles in run {counts['run']}: "
            f"{counts['relevant']} relevant, {counts['mentions']} firm mentions, {counts['figures']} figures\n"
        )
    return exitcodes.OK


def cmd_query(args: argparse.Namespace) -> int:
    if not args.sql.strip():
        raise Fail("no SQL given")
    from monitor.settings import MONITOR_QUERY_SECONDS
    from pipelines.store import QueryTimeout

    store = _open_store(args.db, readonly=True)
    try:
        columns, rows = store.query(args.sql, MONITOR_QUERY_SECONDS)
    except QueryTimeout as exc:
        raise Fail(f"{exc} (MONITOR_QUERY_SECONDS bounds a query)") from exc
    except sqlite3.Error as exc:
        msg = str(exc)
        if any(w in msg for w in ("readonly", "read-only", "not authorized", "query_only")):
            msg = "query is read-only: write statements are refused"
        raise Fail(f"query failed: {msg}") from exc
    finally:
        store.close()
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif args.json:
        keys = [c if columns.index(c) == i else f"{c}_{i + 1}" for i, c in enumerate(columns)]  # no name lost
        _emit([dict(zip(keys, r, strict=True)) for r in rows])
    else:
        sys.stdout.write("\t".join(columns) + "\n")
        for r in rows:
            sys.stdout.write("\t".join("" if v is None else str(v) for v in r) + "\n")
    return exitcodes.OK


def cmd_firms(args: argparse.Namespace) -> int:
    from monitor import report

    store = _open_store(args.db, readonly=True)
    try:
        firms = store.firm_rows()
    finally:
        store.close()
    if args.json:
        _emit({"firms": firms})
    else:
        sys.stdout.write(report.firms_markdown(firms))
    return exitcodes.OK


def cmd_batches(args: argparse.Namespace) -> int:
    from monitor import diff, report

    store = _open_store(args.db, readonly=True)
    try:
        batches = diff.batches(store, include_candidates=args.all)
    finally:
        store.close()
    if args.json:
        _emit({"batches": batches})
    else:
        sys.stdout.write(report.batches_markdown(batches))
    return exitcodes.OK


def cmd_diff(args: argparse.Namespace) -> int:
    from monitor import diff, report

    since = None
    if args.since:
        since = _since(args.since)
    store = _open_store(args.db, readonly=True)
    try:
        if args.json:  # every event, those of articles not about the policy too
            _emit({"events": diff.events(store, run=args.run, since=since)})
        else:
            sys.stdout.write(report.diff_markdown(diff.events(store, run=args.run, since=since, off_topic=False),
                                                  diff.off_topic_counts(store, run=args.run, since=since)))
    except ValueError as exc:
        raise Fail(str(exc)) from exc
    finally:
        store.close()
    return exitcodes.OK


def _since(value: str) -> Any:
    """A day or time a person typed (ISO 8601; without a zone, Beijing time, as runs are stamped)."""
    from datetime import datetime

    from monitor.dates import BEIJING

    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise Fail(f"cannot read the date {value!r} (use YYYY-MM-DD)") from exc
    return when if when.tzinfo else when.replace(tzinfo=BEIJING)


def cmd_search(args: argparse.Namespace) -> int:
    from monitor import report

    terms = [t for t in args.terms if t.strip()]
    if not terms:
        raise Fail("no search terms")
    store = _open_store(args.db, readonly=True)
    try:
        found = store.search(terms, args.limit)
    finally:
        store.close()
    if args.json:
        _emit({"articles": found})
    else:
        sys.stdout.write(report.search_markdown(terms, found))
    return exitcodes.OK


def cmd_feed(args: argparse.Namespace) -> int:
    from monitor.feed import atom

    store = _open_store(args.db, readonly=True)
    try:
        xml = atom(store)
    finally:
        store.close()
    sys.stdout.write(xml.decode("utf-8"))
    return exitcodes.OK


def cmd_serve(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from monitor import serve

    _open_store(args.db, readonly=True).close()  # a missing, damaged or outdated store is refused here
    with tempfile.TemporaryDirectory(prefix="monitor-serve-") as tmp:  # nothing is written beside the store
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(serve.metadata(Path(args.db).stem), ensure_ascii=False), encoding="utf-8")
        try:
            return serve.serve(Path(args.db), args.port, meta)
        except FileNotFoundError as exc:
            raise Fail(str(exc)) from exc


def cmd_notify(args: argparse.Namespace) -> int:
    from monitor import notify
    from monitor.settings import MONITOR_NOTIFY_COMMAND, MONITOR_NOTIFY_URLS, MONITOR_WEBHOOK_URL

    sent = notify.send_test(MONITOR_WEBHOOK_URL, MONITOR_NOTIFY_COMMAND, MONITOR_NOTIFY_URLS)
    if not sent:
        raise Fail("no notifier is set up (MONITOR_WEBHOOK_URL, MONITOR_NOTIFY_COMMAND, MONITOR_NOTIFY_URLS)")
    for channel, why in sent:
        if why:
            sys.stderr.write(f"monitor notify: {channel.label}: not delivered: {why}\n")
        else:
            sys.stdout.write(f"{channel.label}: test notification delivered\n")
    if any(channel.problem for channel, _ in sent):
        return exitcodes.BAD_INPUT
    return exitcodes.FAILURE if any(why for _, why in sent) else exitcodes.OK


def cmd_sources(args: argparse.Namespace) -> int:
    from monitor import report
    from monitor.dates import now
    from monitor.health import source_health
    from monitor.settings import MONITOR_STALE_DAYS

    health: dict[str, dict[str, Any]] = {}
    if Path(args.db).exists():
        store = _open_store(args.db, readonly=True)
        try:
            health = source_health(store, MONITOR_STALE_DAYS, now())
        finally:
            store.close()
    rows = []
    for source in _manifest():
        rows.append({**source, **health.get(source["name"], {"health": "never run", "last_run": None, "last_ok": None})})
    if args.json:
        _emit({"sources": rows})
    else:
        sys.stdout.write(report.sources_markdown(rows))
    return exitcodes.OK


def _run_number(value: str) -> int:
    """A run id as SQLite can hold it (a positive 64-bit integer)."""
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a run number: {value!r}") from exc
    if not 1 <= number < 2**63:
        raise argparse.ArgumentTypeError(f"no run {value} (run numbers start at 1)")
    return number


# ---- the parser ----------------------------------------------------------------------------------
# Exit codes each command can give (monitor.exitcodes; the README's table).
RUN_CODES = (exitcodes.OK, exitcodes.FAILURE, exitcodes.BAD_INPUT, exitcodes.DEGRADED, exitcodes.LOCKED,
             exitcodes.NEW_BATCH)
READ_CODES = (exitcodes.OK, exitcodes.FAILURE, exitcodes.BAD_INPUT)

# `monitor notify --test` says more than the shared descriptions can.
NOTIFY_CODES = {
    exitcodes.OK: "success: every channel set up got the test message",
    exitcodes.FAILURE: "a channel could not be delivered (its line on stderr says why)",
    exitcodes.BAD_INPUT: "no channel is set up, or an Apprise URL in MONITOR_NOTIFY_URLS is malformed",
}

# name: (one-line help, what it does, example, exit codes)
COMMANDS: dict[str, tuple[str, str, str, tuple[int, ...]]] = {
    "run": ("crawl every source (or --sources), store, flag, report: the cron job",
            "Crawl the sources through the real Scrapy engine (or replay an archive), store and extract, match "
            "batches, write the run's report beside the store, send notifications and print the report.",
            "monitor run --quiet --exit-code", RUN_CODES),
    "crawl": ("crawl one or more sources (development)",
              "A run of the named sources only, always printing its report; `scrapy crawl SOURCE` does the same.",
              "monitor crawl xinhua_en --replay data/archive/demo --db data/demo.db", RUN_CODES[:5]),
    "parse": ("parse a saved page with the parser its URL's host calls for",
              "Read a saved HTML page and print what the parser for its URL (or --source) finds.",
              "monitor parse examples/page.html --json", READ_CODES),
    "extract": ("extract facts from JSON lines (id, text or html, ...) to JSON lines",
                "One line of facts (relevance, event, firms, figures, batch, areas) per input line; nothing is "
                "stored.", "monitor extract --input examples/articles.jsonl", READ_CODES),
    "ingest": ("documents from a JSON-lines file through the pipelines, as one run",
               "Documents from elsewhere (id, url, title, published, language, outlet, text or html) through "
               "clean, extract and store as one run: all of the file is kept, or none.",
               "monitor ingest examples/documents.jsonl --db data/monitor.db",
               (exitcodes.OK, exitcodes.FAILURE, exitcodes.BAD_INPUT, exitcodes.LOCKED, exitcodes.NEW_BATCH)),
    "diff": ("what a run found (default: the last run)",
             "The events of a run, or of every run since a day, as Markdown (or JSON): batches first.",
             "monitor diff --since 2025-03-01", READ_CODES),
    "batches": ("the confirmed approval batches known to the store",
                "Every confirmed batch with its date, count, areas, firms, reports and outlets; --all adds the "
                "candidates awaiting confirmation.", "monitor batches --all --json", READ_CODES),
    "firms": ("the firms known to the store", "Every firm with its parent, aliases, roles and batches.",
              "monitor firms", READ_CODES),
    "sources": ("every source with its domains, discovery, language and health",
                "The sources the monitor crawls, and how each did in its last run (\"never run\" before any).",
                "monitor sources --json", READ_CODES),
    "query": ("run a read-only SQL query on the store",
              "Any read-only statement on the store; writes, ATTACH and setting PRAGMAs are refused, and it is stopped "
              "after MONITOR_QUERY_SECONDS.", 'monitor query "select name, parent from firms" --csv', READ_CODES),
    "search": ("search the stored articles (Chinese words of one or two characters too)",
               "Articles holding every term, best first, with title, outlet, date and a snippet. Terms of three "
               "characters or more use the full-text index; shorter ones (外资, 5G) are matched as substrings.",
               "monitor search 外资 试点", READ_CODES),
    "feed": ("the Atom feed of confirmed batches and figure conflicts",
             "An Atom feed (one entry per confirmed batch, one per figure conflict, with stable ids); each run "
             "also writes it beside its reports as <store>-feed.xml.", "monitor feed", READ_CODES),
    "serve": ("browse the store in Datasette (read-only, on 127.0.0.1)",
              "Datasette over the store, read-only, with every table described and canned queries (batches with "
              "their firms, new batches since a day, figure history, reports, candidates, degraded sources). "
              "Datasette is an optional extra: pip install '.[serve]'.",
              "monitor serve --port 8001", READ_CODES),
    "notify": ("send a test notification through every channel set up",
               "With --test, send a test message through each channel set up, as a run would send a new batch: "
               "MONITOR_WEBHOOK_URL, MONITOR_NOTIFY_COMMAND and each Apprise URL in MONITOR_NOTIFY_URLS (separated "
               "by spaces or commas), and say for each whether it was delivered (an Apprise URL shown masked, "
               "without its secrets). A malformed Apprise URL is said, and the other channels are still tried.",
               "monitor notify --test", READ_CODES),
    "reextract": ("recompute every stored article's facts with the current rules",
                  "Extraction again over every stored article, in one transaction, as one run; batches are "
                  "matched again.", "monitor reextract --db data/monitor.db",
                  (exitcodes.OK, exitcodes.FAILURE, exitcodes.BAD_INPUT, exitcodes.LOCKED)),
}


def _command(sub: Any, name: str) -> argparse.ArgumentParser:
    short, long, example, codes = COMMANDS[name]
    epilog = f"example:\n  {example}\n\nexit codes:\n" + "".join(
        f"  {code}  {exitcodes.DESCRIPTIONS[code]}\n" for code in codes)
    return sub.add_parser(name, help=short, description=long, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


class _Version(argparse.Action):
    """`--version`, looked up only when asked for: importlib.metadata would add about 20 ms to every command."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - see the docstring

        try:
            found = version("telecom-opening-monitor")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        sys.stdout.write(f"{parser.prog} {found}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="monitor", description=__doc__)
    p.add_argument("--version", action=_Version, help="show the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_db(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--db", default=MONITOR_DB, help="the SQLite store (default: MONITOR_DB, else data/monitor.db)")
        return sp

    def with_json(sp: argparse.ArgumentParser, what: str = "the result") -> None:
        sp.add_argument("--json", action="store_true", help=f"print {what} as JSON")

    sp = with_db(_command(sub, "run"))
    sp.add_argument("--replay", metavar="ARCHIVE", default=MONITOR_REPLAY,
                    help="answer every request from a WARC file or folder (default: MONITOR_REPLAY, else the network)")
    sp.add_argument("--sources", help="comma-separated source names (default: all)")
    sp.add_argument("--quiet", action="store_true", help="print nothing when the run found nothing new")
    with_json(sp, "the run report")
    sp.add_argument("--exit-code", action="store_true", help="exit 5 when a new batch was confirmed")
    sp.add_argument("--log-level", default="WARNING", help="log level on stderr (default WARNING; the run log "
                                                           "beside the report keeps INFO)")
    sp.set_defaults(func=cmd_run)

    sp = with_db(_command(sub, "crawl"))
    sp.add_argument("source", nargs="+", help="source names (see `monitor sources`)")
    sp.add_argument("--replay", metavar="ARCHIVE", default=MONITOR_REPLAY,
                    help="answer every request from a WARC file or folder (default: MONITOR_REPLAY, else the network)")
    with_json(sp, "the run report")
    sp.add_argument("--log-level", default="INFO", help="log level on stderr (default INFO)")
    sp.set_defaults(func=cmd_crawl)

    sp = _command(sub, "parse")
    sp.add_argument("file", help="a saved HTML page")
    sp.add_argument("--url", help="the page's URL (chooses the parser; default: the page's own canonical address)")
    sp.add_argument("--source", help="force a source's parser (or 'generic')")
    with_json(sp, "the fields")
    sp.set_defaults(func=cmd_parse)

    sp = _command(sub, "extract")
    sp.add_argument("--input", required=True, help="a JSON-lines file, or - for stdin")
    sp.set_defaults(func=cmd_extract)

    sp = with_db(_command(sub, "ingest"))
    sp.add_argument("file", help="a JSON-lines file, or - for stdin")
    sp.add_argument("--quiet", action="store_true", help="print nothing when the run found nothing new")
    with_json(sp, "the run report")
    sp.add_argument("--exit-code", action="store_true", help="exit 5 when a new batch was confirmed")
    sp.set_defaults(func=cmd_ingest)

    sp = with_db(_command(sub, "diff"))
    group = sp.add_mutually_exclusive_group()
    group.add_argument("--run", type=_run_number, help="a run's number (default: the last run)")
    group.add_argument("--since", help="every run started on or after this day or time (ISO 8601, e.g. 2025-03-01; "
                                       "Beijing time when no zone is given)")
    with_json(sp, "the events")
    sp.set_defaults(func=cmd_diff)

    sp = with_db(_command(sub, "batches"))
    sp.add_argument("--all", action="store_true", help="also the candidates awaiting confirmation (see status)")
    with_json(sp, "the batches")
    sp.set_defaults(func=cmd_batches)

    sp = with_db(_command(sub, "firms"))
    with_json(sp, "the firms")
    sp.set_defaults(func=cmd_firms)

    sp = with_db(_command(sub, "sources"))
    with_json(sp, "the sources")
    sp.set_defaults(func=cmd_sources)

    sp = with_db(_command(sub, "query"))
    sp.add_argument("sql", help="one SQL statement (read-only)")
    fmt = sp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a list of row objects")
    fmt.add_argument("--csv", action="store_true", help="print CSV with a header row")
    sp.set_defaults(func=cmd_query)

    sp = with_db(_command(sub, "search"))
    sp.add_argument("terms", nargs="+", help="words or phrases; an article must hold every one")
    sp.add_argument("--limit", type=int, default=20, help="at most this many articles (default 20)")
    with_json(sp, "the articles")
    sp.set_defaults(func=cmd_search)

    sp = with_db(_command(sub, "feed"))
    sp.set_defaults(func=cmd_feed)

    sp = with_db(_command(sub, "serve"))
    sp.add_argument("--port", type=int, default=8001, help="the port on 127.0.0.1 (default 8001)")
    sp.set_defaults(func=cmd_serve)

    sp = _command(sub, "notify")
    sp.epilog = (sp.epilog or "").split("exit codes:")[0] + "exit codes:\n" + "".join(
        f"  {code}  {meaning}\n" for code, meaning in NOTIFY_CODES.items())
    sp.add_argument("--test", action="store_true", required=True, help="send a test message")
    sp.set_defaults(func=cmd_notify)

    sp = with_db(_command(sub, "reextract"))
    with_json(sp, "the counts")
    sp.set_defaults(func=cmd_reextract)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its one-line usage error
        return exitcodes.BAD_INPUT if exc.code not in (0, None) else exitcodes.OK
    # stderr carries warnings (a run's full log goes to its file beside the report); --quiet leaves the
    # judgement to the report, so cron mails only news or failure.
    # Parsers' warnings (a page without a byline) matter in a crawl's log, not on `extract` or `parse`.
    default = "WARNING" if args.command in ("run", "crawl") else "ERROR"
    level = "CRITICAL" if getattr(args, "quiet", False) else getattr(args, "log_level", default).upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    # stderr carries the monitor's own warnings; Scrapy's (a traceback per failed request) go to the run log
    # beside the report, and each failing source gets one line at the end of the run.
    handler.addFilter(lambda r: r.name.split(".")[0] in ("monitor", "pipelines", "__main__") or r.levelno >= 50)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    try:
        return int(args.func(args))
    except Fail as exc:
        sys.stderr.write(f"monitor {args.command}: {exc}\n")
        return exc.code
    except BrokenPipeError:
        return exitcodes.OK
    except (OSError, sqlite3.Error, StoreError) as exc:
        # The machine, not the input: a full disk, a permission, a store another program holds. Nothing
        # was committed half (every write is a transaction).
        sys.stderr.write(f"monitor {args.command}: failed: {exc}\n")
        return exitcodes.FAILURE


if __name__ == "__main__":
    sys.exit(main())
