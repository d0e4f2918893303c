"""Documents from elsewhere (JSON lines) through the same pipelines as a crawl, and re-extraction of the store."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from monitor.dates import iso, now, parse_published
from monitor.runner import RunResult, SourceResult
from pipelines.batches import after_run as flag_after_run
from pipelines.clean import MIN_TEXT_CHARS, clean_article
from pipelines.store import STORE_ITEM_ERRORS, Store, ingest_article

logger = logging.getLogger(__name__)


class IngestError(Exception):
    """A document that the pipelines could not process (a bug, not bad input): nothing of the ingest is kept."""


def record_to_item(record: dict[str, Any]) -> dict[str, Any]:
    """An ingest line as an article item: text from html through the parser its URL calls for.

    >>> record_to_item({"id": "a1", "text": "Some text.", "outlet": "Xinhua"})["canonical_url"]
    'urn:monitor:ingest:a1'
    """
    from monitor.registry import parser_for

    url = record.get("url") or None
    text = record.get("text")
    title = record.get("title")
    published = record.get("published")
    language = record.get("language")
    author = None
    if not (isinstance(text, str) and text.strip()):
        source, parser = parser_for(url=url)
        fields = parser(record["html"], url or "")
        text = fields.get("text") or ""
        title = title or fields.get("title")
        published = published or fields.get("published")
        language = language or fields.get("language")
        author = fields.get("author")
    when = parse_published(str(published)) if published else None
    outlet = record.get("outlet") or (urlsplit(url).hostname if url else None) or "unknown"
    return clean_article({
        "url": url or f"urn:monitor:ingest:{record['id']}",
        "canonical_url": url or f"urn:monitor:ingest:{record['id']}",
        "source": "ingest",
        "outlet": str(outlet),
        "title": title,
        "published": iso(when),
        "author": author,
        "language": language,
        "text": text,
        "fetched_at": iso(now()),
        "ingest_id": str(record["id"]),
    })


def ingest_items(db_path: str, items: list[dict[str, Any]], label: str = "ingest") -> RunResult:
    """Ingest article items (see record_to_item) as one run, in one transaction: all of it is written, or none."""
    store = Store(db_path)
    try:
        store.mark_interrupted()
        with store.transaction():
            run_id = store.start_run("ingest", ["ingest"], archive=label)
            counts: dict[str, dict[str, int]] = {}  # per outlet: an ingest's file mixes them
            for item in items:
                per = counts.setdefault(item["outlet"],
                                        {"articles": 0, "new": 0, "updated": 0, "unchanged": 0, "dropped": 0})
                if len(item["text"]) < MIN_TEXT_CHARS:  # as a crawl's CleanPipeline drops it
                    logger.info("ingest: %s has no main text; not stored", item["ingest_id"])
                    per["dropped"] += 1
                    continue
                try:
                    _, state = ingest_article(store, item, run_id)
                except STORE_ITEM_ERRORS as exc:
                    # All or nothing: the transaction is rolled back, and the line is named.
                    raise IngestError(f"document {item['ingest_id']} could not be processed: {exc!r}") from exc
                per["articles"] += 1
                per[state] += 1
            flag_after_run(store, run_id)
            results = {name: SourceResult(name, c) for name, c in counts.items()}
            store.finish_run(run_id, "ok", {k: v.as_dict() for k, v in results.items()})
    finally:
        store.close()
    return RunResult(run_id, "ingest", results, "ok")


def reextract(db_path: str) -> dict[str, int]:
    """Recompute every stored article's facts with the current rules, in one transaction, as one run."""
    from pipelines.extract import extract

    store = Store(db_path, create=False)
    try:
        with store.transaction():
            run_id = store.start_run("reextract")
            rows = store.db.execute("SELECT id, title, text, published, language FROM articles ORDER BY id").fetchall()
            relevant = 0
            for article_id, title, text, published, language in rows:
                facts = extract(text, title=title, published=published, language=language)
                relevant += bool(facts.get("relevant"))
                for name in store.replace_facts(article_id, facts, run_id):
                    store.add_event(run_id, "new_firm", name, [article_id], {})
            flag_after_run(store, run_id)
            mentions = store.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
            figures = store.db.execute("SELECT count(*) FROM figures").fetchone()[0]
            counts = {"run": run_id, "articles": len(rows), "relevant": relevant, "mentions": mentions,
                      "figures": figures}
            store.finish_run(run_id, "ok", {"reextract": counts})
    finally:
        store.close()
    return counts
