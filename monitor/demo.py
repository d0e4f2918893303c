"""Build the bundled demo archive: the pages in data/demo_site, as listed in its manifest, into one WARC file.

    python -m monitor.demo [--site data/demo_site] [--out data/archive/demo/demo.warc.gz]

Each manifest row gives a page's URL, its source file (UTF-8 text), the HTTP status and headers it is served
with, and the encoding of the body on the wire (old Xinhua pages are GBK with no charset in the header).
The builder encodes each file so, adds Content-Length, and writes the pairs with monitor.archive.write_warc.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from monitor.archive import ArchivedResponse, write_warc

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the demo is built from a checkout
SITE_DIR = PROJECT_ROOT / "data" / "demo_site"
DEFAULT_OUT = PROJECT_ROOT / "data" / "archive" / "demo" / "demo.warc.gz"


class ManifestError(Exception):
    """A manifest that is missing, malformed, or names a file that is not there."""


@dataclass(frozen=True)
class DemoPage:
    url: str
    file: Path
    status: int
    headers: list[tuple[str, str]]
    encoding: str

    def body(self) -> bytes:
        """The page as sent: its UTF-8 source re-encoded to the wire encoding (strictly: no lossy bytes)."""
        text = self.file.read_text(encoding="utf-8")
        try:
            return text.encode(self.encoding)
        except (UnicodeEncodeError, LookupError) as exc:
            raise ManifestError(f"{self.file}: cannot encode as {self.encoding}: {exc}") from exc

    def response(self) -> ArchivedResponse:
        body = self.body()
        headers = [(k, v) for k, v in self.headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        return ArchivedResponse(self.url, self.status, headers, body)


def load_manifest(site: Path = SITE_DIR) -> list[DemoPage]:
    """The pages listed in `site`/manifest.json, in order."""
    path = site / "manifest.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["pages"]
    except FileNotFoundError as exc:
        raise ManifestError(f"no manifest at {path}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: not a manifest ({exc})") from exc
    pages = []
    for i, row in enumerate(rows):
        try:
            page = DemoPage(
                url=row["url"],
                file=site / row["file"],
                status=int(row.get("status", 200)),
                headers=[(str(k), str(v)) for k, v in row.get("headers", [])],
                encoding=row.get("encoding", "utf-8"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"{path}: page {i} is malformed ({exc})") from exc
        if not page.file.is_file():
            raise ManifestError(f"{path}: page {i} ({page.url}) names a missing file {row['file']}")
        pages.append(page)
    return pages


def build(out: Path = DEFAULT_OUT, site: Path = SITE_DIR) -> int:
    """Write the demo WARC to `out`; returns how many responses it holds."""
    responses = [page.response() for page in load_manifest(site)]
    n = write_warc(out, responses)
    logger.info("wrote %d responses to %s", n, out)
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="folder holding manifest.json and the pages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="WARC file to write")
    args = parser.parse_args(argv)
    try:
        n = build(args.out, args.site)
    except (ManifestError, OSError) as exc:
        sys.stderr.write(f"monitor.demo: {exc}\n")
        return 2
    sys.stdout.write(f"wrote {n} responses to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
