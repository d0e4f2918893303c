"""The WARC archive: every live response is recorded; `--replay` answers every request from an archive.

Reading and writing the WARC files (warcio); the downloader middlewares that replay and record through Scrapy
are in monitor.replay, so that a run checks an archive before its crawl without importing Scrapy."""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

class ArchiveError(Exception):
    """An archive path that is missing, empty or not a readable WARC file."""


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def warc_files(path: str | os.PathLike[str]) -> list[Path]:
    """The WARC files at `path`: the file itself, or every *.warc / *.warc.gz under a folder, sorted."""
    p = Path(path)
    if p.is_file():
        return [p]
    if p.is_dir():
        files = sorted(x for x in p.rglob("*") if x.is_file() and x.name.endswith((".warc", ".warc.gz")))
        if files:
            return files
        raise ArchiveError(f"no .warc or .warc.gz files in {p}")
    raise ArchiveError(f"archive not found: {p}")


def iter_responses(path: str | os.PathLike[str]) -> Iterator[ArchivedResponse]:
    """Every response record of the archive at `path`, in file order (see `_records`)."""
    for _, _, response in _records(path):
        yield response


def _records(path: str | os.PathLike[str]) -> Iterator[tuple[Path, int, ArchivedResponse]]:
    """(file, offset, response) of every response record, in file order.

    A damaged file is refused whole, naming the file and the byte offset of the record where it went wrong
    (the last record that began intact): a replay never runs on part of an archive and calls it ok.
    """
    for f in warc_files(path):
        offset = 0
        try:
            size = f.stat().st_size
            if f.name.endswith(".gz"):
                _check_complete(f)
            with open(f, "rb") as fh:
                # warcio checks each record's block and payload digests as it is read: a record cut short or
                # damaged raises instead of being replayed as a whole page.
                records = ArchiveIterator(fh, check_digests="raise")
                for record in records:
                    offset = records.offset  # where this record begins (get_record_offset would read it)
                    declared = int(record.rec_headers.get_header("Content-Length") or 0)
                    if not f.name.endswith(".gz") and offset + declared > size:
                        raise ArchiveLoadFailed(f"a record claims {declared} bytes, past the end of the file")
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    yield f, offset, _response(record)
        # warcio raises AttributeError on some truncated gzip members; zlib.error on a damaged deflate stream.
        except (ArchiveLoadFailed, OSError, ValueError, EOFError, AttributeError, zlib.error) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ArchiveError(f"unreadable archive {f} at byte {offset}: {reason}") from exc


def _response(record: Any) -> ArchivedResponse:
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = int(record.http_headers.get_statuscode() or 0)
    # raw_stream: the body as it came off the wire (still gzip if it was); Scrapy decodes it.
    return ArchivedResponse(url, status, list(record.http_headers.headers), record.raw_stream.read())


def _check_complete(path: Path) -> None:
    """A gzipped WARC cut short (a copy that stopped, a full disk) or damaged loses records silently in
    warcio; reading the whole gzip stream shows it, and where (the compressed byte reached)."""
    with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw) as fh:
        try:
            while fh.read(1 << 20):
                pass
        except (OSError, EOFError, zlib.error) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ArchiveError(f"unreadable archive {path} near byte {raw.tell()}: {reason}") from exc


def url_key(url: str) -> str:
    """The lookup key of a URL in an archive: canonical form, scheme-less (http and https answer alike)."""
    canon = canonicalize_url(url, keep_fragments=False)
    return canon.split("://", 1)[-1]


class ArchiveIndex(Mapping[str, ArchivedResponse]):
    """URL key -> response, holding only where each record lies: a body is read from its file when asked for,
    so a replay's memory does not grow with the archive (warcio gives each record's offset)."""

    def __init__(self, places: dict[str, tuple[Path, int]]) -> None:
        self.places = places

    def __getitem__(self, key: str) -> ArchivedResponse:
        path, offset = self.places[key]
        with open(path, "rb") as fh:
            fh.seek(offset)
            try:
                record = next(iter(ArchiveIterator(fh, check_digests="raise")))
                return _response(record)
            except (ArchiveLoadFailed, OSError, ValueError, EOFError, AttributeError, zlib.error,
                    StopIteration) as exc:  # the file changed under the replay
                raise ArchiveError(f"unreadable archive {path} at byte {offset}: {exc}") from exc

    def __iter__(self) -> Iterator[str]:
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, key: object) -> bool:
        return key in self.places


def load_archive(path: str | os.PathLike[str]) -> ArchiveIndex:
    """URL key -> response; a later record of the same URL wins (the newest capture).

    Read through once (every record's digests checked), then indexed by place; loaded once per process for
    the same files (every source of a replay shares it).
    """
    files = warc_files(path)
    return _load(tuple((str(f.resolve()), f.stat().st_mtime_ns, f.stat().st_size) for f in files), str(path))


@lru_cache(maxsize=4)
def _load(signature: tuple[tuple[str, int, int], ...], path: str) -> ArchiveIndex:
    # `signature` (each file's path, mtime and size) is only the cache key: a rewritten archive is read again.
    places = {url_key(response.url): (f, offset) for f, offset, response in _records(path)}
    if not places:
        raise ArchiveError(f"no response records in {path}")
    return ArchiveIndex(places)


def write_warc(path: str | os.PathLike[str], responses: Iterable[ArchivedResponse]) -> int:
    """Write responses (with a request record each) to a gzipped WARC file; returns the count."""
    n = 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:  # written whole, then moved into place
        writer = WARCWriter(fh, gzip=True)
        for r in responses:
            write_pair(writer, r.url, "GET", [], r.status, r.headers, r.body)
            n += 1
    os.replace(tmp, target)
    return n


def write_pair(
    writer: WARCWriter,
    url: str,
    method: str,
    request_headers: list[tuple[str, str]],
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    from http import HTTPStatus

    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    http_headers = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
    response = writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers
    )
    path = url.split("://", 1)[-1].partition("/")[2]
    req_headers = StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True)
    request = writer.create_warc_record(url, "request", payload=BytesIO(b""), length=0, http_headers=req_headers)
    writer.write_request_response_pair(request, response)
