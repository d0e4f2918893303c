"""A site played by a local HTTP server in tests, its spider, and a child-process crawl of it.

Run as a script (Scrapy's reactor starts once per process):
    python tests/localsite.py DB START_URL [SETTINGS_JSON]   -> prints the run result as JSON
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

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
