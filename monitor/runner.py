"""A monitor run: crawl the chosen sources through the real Scrapy engine (or ingest documents, or re-extract
the store) as one recorded run, judge it and close it. The caller holds the store's run lock."""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from monitor import afterrun, health
from monitor.runs import RunResult, SourceResult
from pipelines.batches import match_batches
from pipelines.lock import StoreLocked, run_lock
from pipelines.store import STORE_ITEM_ERRORS, Store

logger = logging.getLogger(__name__)

__all__ = ["ChildDied", "IngestError", "StoreLocked", "crawl", "ingest", "reextract", "run_lock"]


class ChildDied(Exception):
    """A child process that ended without reporting (killed by a signal, or exited at once)."""


class IngestError(Exception):
    """A document that the pipelines could not process (a bug, not bad input): nothing of the ingest is kept."""


@contextmanager
def run_log(path: Path, level: str = "INFO") -> Iterator[None]:
    """Everything the crawl logs at `level` or above (INFO at least) also goes to the run's log file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    wanted = logging.getLevelName(level.upper())
    handler.setLevel(min(logging.INFO, wanted if isinstance(wanted, int) else logging.INFO))
    handler.addFilter(_name_the_spider)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(spider_name)s] [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, handler.level))
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _name_the_spider(record: logging.LogRecord) -> bool:
    """Every line of a run log says which source it is about (Scrapy passes the spider along); "-" when none."""
    spider = getattr(record, "spider", None)
    record.spider_name = getattr(spider, "name", None) or "-"
    return True


def project_settings(**overrides: Any) -> Any:
    """The project's Scrapy settings with `overrides` at command-line priority."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("monitor.settings", priority="project")
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    return settings


def crawl(
    sources: list[str],
    db_path: str,
    replay: str | None = None,
    log_level: str = "WARNING",
    extra_settings: dict[str, Any] | None = None,
    spiders: dict[str, type] | None = None,
) -> RunResult:
    """Crawl `sources` into the store at `db_path` as one recorded run, judged and closed.

    `spiders` replaces the registry (tests crawl a local site with a spider of their own). The crawl runs in a
    child process (`in_child`): Scrapy, the spiders and the extraction rules are imported there, and their memory
    is the machine's again before the after-run draws its chart.
    """
    mode = "replay" if replay else "live"
    with Store(db_path) as store:
        recovered = store.mark_interrupted()
        run_id = store.start_run(mode, sources, archive=replay)
    died = None
    try:
        stats = in_child("crawl", _crawl, sources, db_path, run_id, replay, log_level, extra_settings, spiders)
    except ChildDied as exc:  # killed, out of memory: judged on no stats, every source failed, and why
        logger.error("%s; the run is judged on what it stored", exc)
        stats, died = {}, str(exc)
    with Store(db_path) as store:
        result = health.judge_run(store, run_id, mode, {name: stats.get(name, {}) for name in sources})
        if died:
            for source in result.sources.values():
                source.status = "degraded"
                source.reasons.insert(0, died)
        result.recovered = recovered
        with store.transaction():
            afterrun.close_run(store, result)
    return result


def _crawl(sources: list[str], db_path: str, run_id: int, replay: str | None, log_level: str,
           extra_settings: dict[str, Any] | None, spiders: dict[str, type] | None) -> dict[str, dict[str, Any]]:
    """The crawl itself, in the child: each source's Scrapy stats."""
    from scrapy.crawler import CrawlerProcess

    from monitor import registry

    table = spiders or registry.spiders()
    settings = project_settings(
        MONITOR_DB=db_path, MONITOR_RUN_ID=run_id, MONITOR_REPLAY=replay, LOG_LEVEL=log_level,
        **(extra_settings or {}),
    )
    if replay:
        # Replay answers from the archive at once: no politeness delays needed, none recorded.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("MONITOR_RECORD", False, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # the caller's handlers, plus the run log
    process = CrawlerProcess(settings)
    crawlers = {}
    for name in sources:
        crawler = process.create_crawler(table[name])
        crawlers[name] = crawler
        process.crawl(crawler)
    with run_log(afterrun.report_path(db_path, run_id, ".log"), log_level):
        process.start()
    return {name: (c.stats.get_stats() if c.stats else {}) for name, c in crawlers.items()}


def in_child(label: str, work: Callable[..., Any], *args: Any) -> Any:
    """`work(*args)` in a forked child process, which exits when it is done; its value, or its exception raised here.

    The child shares this process's run lock (a forked flock is one lock), logging and loaded modules. It is
    told of a SIGINT or SIGTERM that this process gets (once: it is in a process group of its own, so a
    terminal's Ctrl-C does not reach it twice), which Scrapy takes as a graceful stop and, the second time, a
    forced one. On Linux it dies with this process (a kill -9 of the run stops its crawl, as before); elsewhere
    an orphaned crawl runs to its end, holding the lock. A child that ended without a word (killed, out of
    memory) or whose word cannot be read raises ChildDied, saying how the `label` process ended; a child still
    running when this process is interrupted otherwise is killed, so that nothing crawls on unseen.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    main = threading.current_thread() is threading.main_thread()
    handlers: dict[int, Any] = {}  # this process's own, which the child takes back (filled before the fork)
    child = context.Process(target=_child, args=(send, os.getpid(), label, handlers, work, args),
                            name=f"monitor {label}")
    outcome: tuple[str, Any] | None = None
    unread = None
    try:
        with _started_passing_signals(child, main, handlers):
            send.close()
            try:
                outcome = receive.recv()
            except (EOFError, OSError):  # ended without a word, or in the middle of one
                outcome = None
            except Exception as exc:  # a word that does not unpickle here
                unread = exc
            child.join()
    finally:
        send.close()
        receive.close()
        if child.is_alive():
            child.kill()
            child.join()
    if unread is not None:
        raise ChildDied(f"the {label} process could not report: {unread!r}")
    if outcome is None:
        code = child.exitcode or 0
        how = f"was killed by {_signal_name(-code)}" if code < 0 else f"exited with code {code}"
        raise ChildDied(f"the {label} process {how} before it reported")
    kind, value = outcome
    if kind == "raised":
        raise value
    return value


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # a real-time signal
        return f"signal {number}"


def _child(send: Any, parent: int, label: str, handlers: dict[int, Any], work: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    if handlers:  # the parent passes signals on: its handlers, not the ones that pass them on to this very process
        for sig, handler in handlers.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: not set from Python
        os.setpgrp()  # the terminal's Ctrl-C goes to the parent, which passes it on
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _PASSED_ON)  # blocked by the parent while it forked
    _die_with(parent)
    try:
        outcome: tuple[str, Any] = ("done", work(*args))
    except BaseException as exc:  # raised again in the parent, as if the work had run there
        exc.add_note("".join(traceback.format_exception(exc)).rstrip())
        outcome = ("raised", exc)
    try:
        send.send(outcome)
    except Exception as exc:  # a value or an exception that does not pickle
        send.send(("raised", RuntimeError(f"the {label} process could not report: {exc!r}")))
    send.close()


def _die_with(parent: int) -> None:
    """On Linux the kernel kills this process when the thread that forked it ends (prctl PR_SET_PDEATHSIG): that
    thread waits for it, so in effect when its parent dies."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        if ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL) != 0:
            logger.warning("this crawl will not stop if the run is killed: prctl: %s", os.strerror(ctypes.get_errno()))
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


_PASSED_ON = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _started_passing_signals(child: Any, main: bool, before: dict[int, Any]) -> Iterator[None]:
    """Starts `child`; SIGINT and SIGTERM to this process then go to it instead, for the block. One that comes
    while it starts waits (blocked) until its pid is known. `before` gets the handlers they replace. Only the
    main thread can set handlers: elsewhere the child is only started."""
    if not main:
        child.start()
        yield
        return

    def pass_on(signum: int, frame: Any) -> None:
        if child.pid is not None and child.exitcode is None:  # started, not reaped: its pid is still its own
            with suppress(ProcessLookupError):
                os.kill(child.pid, signum)

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _PASSED_ON)
    before.update({sig: signal.signal(sig, pass_on) for sig in _PASSED_ON})
    try:
        try:
            child.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # what came meanwhile is passed on now
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: not set from Python


def ingest(db_path: str, items: list[dict[str, Any]], label: str = "ingest") -> RunResult:
    """Documents as article items (monitor.documents.to_item) through clean, extract and store, as one run in
    one transaction: all of it is written, or none."""
    from pipelines.clean import MIN_TEXT_CHARS, clean_article
    from pipelines.extract import extract

    with Store(db_path) as store:
        recovered = store.mark_interrupted()
        with store.transaction():
            run_id = store.start_run("ingest", ["ingest"], archive=label)
            counts: dict[str, dict[str, int]] = {}  # per outlet: an ingest's file mixes them
            for raw in items:
                item = clean_article(raw)
                per = counts.setdefault(item["outlet"],
                                        {"articles": 0, "new": 0, "updated": 0, "unchanged": 0, "dropped": 0})
                if len(item["text"]) < MIN_TEXT_CHARS:  # as a crawl's CleanPipeline drops it
                    logger.info("ingest: %s has no main text; not stored", item["ingest_id"])
                    per["dropped"] += 1
                    continue
                try:
                    facts = extract(item["text"], title=item.get("title"), published=item.get("published"),
                                    language=item.get("language"), firms_off_topic=False)
                    _, state = store.write_article(item, facts, run_id)
                except STORE_ITEM_ERRORS as exc:
                    # All or nothing: the transaction is rolled back, and the line is named.
                    raise IngestError(f"document {item['ingest_id']} could not be processed: {exc!r}") from exc
                per["articles"] += 1
                per[state] += 1
            result = RunResult(run_id, "ingest", {name: SourceResult(name, c) for name, c in counts.items()}, "ok",
                               recovered)
            afterrun.close_run(store, result)
    return result


def upgrade(db_path: str) -> dict[str, int] | None:
    """A store migrated from an earlier version gets its facts recomputed once, before a run judges on them."""
    with Store(db_path) as store:
        needed = store.reextract_needed()
    return reextract(db_path) if needed else None


def reextract(db_path: str) -> dict[str, int]:
    """Recompute every stored article's facts with the current rules, in one transaction, as one run."""
    from pipelines.extract import extract

    with Store(db_path, create=False) as store, store.transaction():
        run_id = store.start_run("reextract")
        articles = relevant = 0
        for article_id, title, text, published, language in store.articles_to_reextract():
            facts = extract(text, title=title, published=published, language=language, firms_off_topic=False)
            articles += 1
            relevant += bool(facts.get("relevant"))
            for name in store.replace_facts(article_id, facts, run_id):
                store.add_event(run_id, "new_firm", name, [article_id], {})
        match_batches(store, run_id)
        store.reextract_done()
        counts = {"run": run_id, "articles": articles, "relevant": relevant, **store.fact_counts()}
        store.finish_run(run_id, "ok", {"reextract": counts})
    return counts
