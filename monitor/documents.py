"""Documents from elsewhere (JSON lines: id, url, title, published, language, outlet, text or html) as articles.

The monitor's side of `monitor extract` and `monitor ingest`: every line is validated before anything is
done with any of them, and HTML becomes text here, through the parser its URL's host calls for, so that
nothing under pipelines/ ever knows a site.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from monitor.dates import now, parse_published
from monitor.htmltext import sanitize

OPTIONAL_STR_FIELDS = ("text", "html", "url", "title", "published", "language", "outlet", "source", "author")
# Limits of one line (README, "Bad input"): a page of news is far smaller; past them a line is refused whole.
MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_ID_CHARS = 200


class BadDocument(ValueError):
    """A line that is not a usable document; the message names the file and line."""


def valid_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_jsonl(path: str, required_any: Sequence[str] = ("text", "html")) -> list[dict[str, Any]]:
    """Every line of a JSON-lines file (`-`: standard input), validated before any of them is used."""
    try:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise BadDocument(f"cannot read {path}: {exc.strerror or exc}") from exc
    records = []
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                if len(line) > MAX_LINE_BYTES:  # characters, at least as many bytes
                    raise BadDocument(f"{path}: line {n}: longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB")
                try:
                    record = json.loads(line)
                except RecursionError as exc:
                    raise BadDocument(f"{path}: line {n}: JSON nested too deep") from exc
                except ValueError as exc:
                    raise BadDocument(f"{path}: line {n}: not valid JSON ({exc.msg})") from exc
                if not isinstance(record, dict):
                    raise BadDocument(f"{path}: line {n}: expected a JSON object")
                ident = record.get("id")
                if ident in (None, "") or isinstance(ident, bool) or not isinstance(ident, str | int) \
                        or len(str(ident)) > MAX_ID_CHARS:
                    raise BadDocument(f"{path}: line {n}: no id (a string or a number, at most {MAX_ID_CHARS} "
                                      "characters)")
                for key in OPTIONAL_STR_FIELDS:
                    if record.get(key) is not None and not isinstance(record[key], str):
                        raise BadDocument(f"{path}: line {n}: {key} must be a string or null")
                    if isinstance(record.get(key), str) and not _encodable(record[key]):
                        raise BadDocument(f"{path}: line {n}: {key} is not valid Unicode (a lone surrogate)")
                if isinstance(record.get("url"), str) and record["url"] and not valid_url(record["url"]):
                    raise BadDocument(f"{path}: line {n}: url is not an http(s) address: {record['url'][:80]}")
                if not any(isinstance(record.get(k), str) and record.get(k).strip() for k in required_any):
                    raise BadDocument(f"{path}: line {n}: needs {' or '.join(required_any)}")
                records.append(record)
        except UnicodeDecodeError as exc:
            raise BadDocument(f"{path}: not UTF-8 text ({exc.reason})") from exc
    if not records:
        raise BadDocument(f"{path}: no documents (the file is empty)")
    return records


def _encodable(value: str) -> bool:
    """JSON may escape a lone surrogate ("\\ud800"); no store, parser or terminal can take one."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def document_fields(record: dict[str, Any]) -> dict[str, Any]:
    """title, published (a datetime), author, language and text of a line: its own fields first, then what
    the parser for its URL reads from its `html`.

    >>> document_fields({"id": 1, "text": "Some text.", "published": "2025-03-03"})["published"].isoformat()
    '2025-03-03T00:00:00+08:00'
    """
    fields: dict[str, Any] = {}
    text = record.get("text")
    if not (isinstance(text, str) and text.strip()):
        from monitor.registry import parser_for

        url = record.get("url") or ""
        fields = parser_for(url=url or None)[1](record["html"], url)
        text = fields.get("text") or ""
    published = record.get("published")
    when = parse_published(published) if isinstance(published, str) and published.strip() else fields.get("published")
    return sanitize({
        "title": record.get("title") or fields.get("title"),
        "published": when,
        "author": record.get("author") or fields.get("author"),
        "language": record.get("language") or fields.get("language"),
        "text": text,
    })


def to_item(record: dict[str, Any]) -> dict[str, Any]:
    """An ingest line as an article item, as a spider would yield it (source `ingest`, its outlet kept).

    >>> to_item({"id": "a1", "text": "Some text.", "outlet": "Xinhua"})["canonical_url"]
    'urn:monitor:ingest:a1'
    """
    url = record.get("url") or None
    fields = document_fields(record)
    outlet = record.get("outlet") or (urlsplit(url).hostname if url else None) or "unknown"
    return {
        "url": url or f"urn:monitor:ingest:{record['id']}",
        "canonical_url": url or f"urn:monitor:ingest:{record['id']}",
        "source": record.get("source") or "ingest",  # a scrapyd node's feed names the spider
        "outlet": str(outlet),
        **fields,
        "fetched_at": now(),
        "ingest_id": str(record["id"]),
    }
