"""What a run did, per source: the counts a report and the health judgement need, from Scrapy's stats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("title", "published", "text")  # the fields whose coverage health watches


@dataclass
class SourceResult:
    name: str
    stats: dict[str, int]
    status: str = "ok"
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reasons": self.reasons, **self.stats}


@dataclass
class RunResult:
    run_id: int
    mode: str
    sources: dict[str, SourceResult]
    status: str
    recovered: list[int] = field(default_factory=list)  # interrupted runs whose findings this run reports

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "mode": self.mode, "status": self.status,
                "sources": {k: v.as_dict() for k, v in self.sources.items()}}


def plural(count: int | float, noun: str, plural_form: str | None = None) -> str:
    """"1 article", "3 articles", "1 was"... for counts people read.

    >>> plural(1, "article"), plural(3, "article"), plural(2, "entry", "entries")
    ('1 article', '3 articles', '2 entries')
    """
    return f"{count:g} {noun if count == 1 else plural_form or noun + 's'}"


def source_stats(stats: dict[str, Any], source: str) -> dict[str, int]:
    """The per-source counters of a crawl's stats (monitor/<source>/... keys), flattened.

    >>> source_stats({"monitor/a/articles_new": 2, "monitor/b/articles_new": 1}, "a")
    {'articles_new': 2}
    """
    prefix = f"monitor/{source}/"
    return {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}


def summarise(name: str, raw: dict[str, Any]) -> dict[str, int]:
    """The counts a report and the health judgement need, from one crawler's Scrapy stats."""
    own = source_stats(raw, name)
    errors = sum(v for k, v in raw.items() if k.startswith("downloader/exception_type_count/"))
    errors += sum(v for k, v in raw.items() if k.startswith("downloader/response_status_count/5"))
    errors += sum(v for k, v in raw.items() if k.startswith("spider_exceptions/"))
    return {
        "requests": int(raw.get("downloader/request_count", 0)),
        "responses": int(raw.get("downloader/response_count", 0)),
        "discovery_pages": own.get("discovery_pages", 0),
        "discovery_not_modified": own.get("discovery_not_modified", 0),
        "discovery_links": own.get("discovery_links", 0),
        "skipped_known": int(raw.get("incremental/skipped_known", 0)),
        "not_modified": int(raw.get("incremental/not_modified/article", 0)),
        "articles": own.get("articles_parsed", 0),
        "new": own.get("articles_new", 0),
        "updated": own.get("articles_updated", 0),
        "unchanged": own.get("articles_unchanged", 0),
        "dropped": sum(v for k, v in own.items() if k.startswith("dropped/")),
        "store_errors": own.get("dropped/store_error", 0),
        "store_failed": own.get("dropped/store_failed", 0),
        **{f"field_{f}": own.get(f"field/{f}", 0) for f in FIELDS},
        "replay_missing": int(raw.get("replay/missing", 0)),
        "errors": int(errors),
        **error_kinds(raw),
    }


# Scrapy's exception names, by what a person would call the failure.
_KINDS = {"dns_errors": ("DNSLookupError", "CannotResolveHostError"),
          "timeouts": ("TimeoutError", "TCPTimedOutError", "DownloadTimeoutError"),
          "refused": ("ConnectionRefusedError", "ConnectionLost", "ConnectError", "ResponseNeverReceived",
                      "DownloadConnectionRefusedError", "DownloadFailedError", "ResponseDataLossError")}


def error_kinds(raw: dict[str, Any]) -> dict[str, int]:
    """Failed requests by kind (DNS, timeouts, refused connections, HTTP statuses of 400 and over).

    >>> error_kinds({"downloader/exception_type_count/twisted.internet.error.DNSLookupError": 9,
    ...              "downloader/response_status_count/503": 2})
    {'dns_errors': 9, 'timeouts': 0, 'refused': 0, 'http_errors': 2}
    """
    out = {kind: sum(v for k, v in raw.items() if k.startswith("downloader/exception_type_count/")
                     and k.rsplit(".", 1)[-1] in names) for kind, names in _KINDS.items()}
    out["http_errors"] = sum(v for k, v in raw.items() if re.match(r"downloader/response_status_count/[45]\d\d$", k))
    return out
