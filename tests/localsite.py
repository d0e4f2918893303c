"""A site played by a local HTTP server in tests, its spider, and a child-process crawl of it (used by the tests
and by bench/incremental_requests.py).

Run as a script (Scrapy's reactor starts once per process):
    python tests/localsite.py DB START_URL [SETTINGS_JSON]   -> prints the run result as JSON
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.dates import parse_published  # noqa: E402
from monitor.htmltext import join_paragraphs  # noqa: E402
from monitor.spiders.base import ArticleSpider  # noqa: E402


def parse_article(html: str, url: str) -> dict:
    """The local site's article: <h1>, <time datetime>, <article> paragraphs."""
    soup = BeautifulSoup(html, "lxml")
    h1, time = soup.find("h1"), soup.find("time")
    body = soup.find("article")
    return {
        "title": h1.get_text(strip=True) if h1 else None,
        "published": parse_published(time.get("datetime")) if time else None,
        "author": None,
        "language": "zh" if re.search(r"[\u4e00-\u9fff]", html) else "en",
        "text": join_paragraphs([p.get_text() for p in body.find_all("p")]) if body else "",
        "canonical_url": url,
    }


class LocalSiteSpider(ArticleSpider):
    name = "localsite"
    language = "en"
    allowed_domains = ["127.0.0.1", "localhost"]
    start_urls = ["http://127.0.0.1/listing.html"]
    discovery = "listing page"
    article_url_re = re.compile(r"/articles/[\w-]+\.html$")
    parser = staticmethod(parse_article)


def page(title: str, text: str, published: str = "2025-03-03 10:00:00") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World</nav><h1>{title}</h1>"
            f"<time datetime='{published}'>{published}</time><article>{paragraphs}</article></body></html>")


def listing(*hrefs: str) -> str:
    return "<html><body><ul>" + "".join(f"<li><a href='{h}'>item</a></li>" for h in hrefs) + "</ul></body></html>"


LOCALSITE = Path(__file__).resolve()


def crawl(db: Path, start_url: str, settings: dict[str, Any] | None = None, script: Path = LOCALSITE,
          timeout: float = 180) -> dict[str, Any]:
    """One run over the site in a child process (`script`: this file, or another checkout's); its result.
    Raises RuntimeError, with the end of its stderr, when the run fails."""
    done = subprocess.run([sys.executable, str(script), str(db), start_url, json.dumps(settings or {})],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


class Site:
    """A listing of titled, dated entries (newest first) and their articles on a pytest-httpserver, each with an
    ETag (304 when unchanged). `entries` (href, title, day) and `bodies` may be changed between crawls; the
    listing's ETag follows its content, or is left out with `listing_etag = False`; `failing` paths answer 503."""

    def __init__(self, server: Any, count: int, settings: dict[str, Any] | None = None) -> None:
        self.server = server
        self.settings = settings or {}  # of every crawl of it
        self.entries = [(f"/articles/{i}.html", f"Story {i} on foreign telecom firms", f"2025-02-{i % 28 + 1:02d}")
                        for i in range(count)]
        self.bodies = {href: self._body(href, title) for href, title, _ in self.entries}
        self.next = count
        self.failing: set[str] = set()
        self.listing_etag = True
        server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
        server.expect_request("/listing.html").respond_with_handler(self._listing)
        server.expect_request(re.compile(r"/articles/.*")).respond_with_handler(self._article)

    @staticmethod
    def _body(href: str, title: str) -> str:
        return page(title, f"Story text {href}, long enough to be kept as the main text of a page.")

    def add(self, i: int | None = None) -> str:
        """A new story at the top of the listing (story `i`, else the next number); its path."""
        i = self.next if i is None else i
        self.next = max(self.next, i + 1)
        href = f"/articles/{i}.html"
        self.entries.insert(0, (href, f"Story {i} on foreign telecom firms", "2025-03-03"))
        self.bodies[href] = self._body(href, f"Story {i}")
        return href

    def _listing(self, request: Any) -> Any:
        body = "<html><body><ul>" + "".join(f"<li><a href='{h}'>{t}</a> <span>{d}</span></li>"
                                            for h, t, d in self.entries) + "</ul></body></html>"
        return self._answer(request, body, self.listing_etag)

    def _article(self, request: Any) -> Any:
        from werkzeug import Response

        if request.path in self.failing:
            return Response("down", status=503)
        return self._answer(request, self.bodies[request.path])

    @staticmethod
    def _answer(request: Any, body: str, etag_it: bool = True) -> Any:
        from werkzeug import Response

        if not etag_it:
            return Response(body, headers={"Content-Type": "text/html; charset=utf-8"})
        etag = f'"{hash(body)}"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": "text/html; charset=utf-8"})

    def crawl(self, db: Path, script: Path = LOCALSITE, **settings: Any) -> tuple[dict[str, Any], list[str]]:
        """One run over the site; its result and the article paths it asked for."""
        self.server.clear_log()
        result = crawl(db, self.server.url_for("/listing.html"), {**self.settings, **settings}, script)
        return result, [req.path for req, _ in self.server.log if req.path.startswith("/articles/")]


def age(db: Path, days: float) -> None:
    """Move every recorded run `days` back in time, as if the store had been written that long ago. Plain
    sqlite3, not the Store: a store another checkout made (bench/incremental_requests.py --before) stays as it is."""
    import sqlite3
    from contextlib import closing

    from monitor.dates import iso

    with closing(sqlite3.connect(db)) as conn, conn:
        for run_id, started in conn.execute("SELECT id, started FROM runs").fetchall():
            conn.execute("UPDATE runs SET started = ? WHERE id = ?",
                         [iso(datetime.fromisoformat(started) - timedelta(days=days)), run_id])


def main(argv: list[str]) -> int:
    from monitor import afterrun, runner

    db, start = argv[0], argv[1]
    extra = json.loads(argv[2]) if len(argv) > 2 else {}
    replay = extra.pop("MONITOR_REPLAY", None)
    LocalSiteSpider.start_urls = [start]
    with runner.run_lock(db):
        result = runner.crawl(["localsite"], db, replay=replay, spiders={"localsite": LocalSiteSpider},
                              extra_settings={"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                                              "MONITOR_ALLOW_PRIVATE_ADDRESSES": True,  # the site is on 127.0.0.1
                                              "MONITOR_ARCHIVE_DIR": str(Path(db).parent / "archive"), **extra})
        outcome = afterrun.publish(db, result)
    print(json.dumps({**result.as_dict(), "events": [e["kind"] for e in outcome.events],
                      "off_topic": outcome.off_topic}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
