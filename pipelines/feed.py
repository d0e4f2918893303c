"""On a scrapyd node: the item as a line `monitor ingest` reads (Scrapy's FEEDS write it as JSON lines).

Past one machine, scrapyd nodes run the spiders unchanged with MONITOR_NODE on: the extract and store
pipelines, the run extension and incremental crawling stand down (a node has no store), and this pipeline
turns each cleaned item into a document line (id, url, source, outlet, title, published as ISO 8601 with its
offset, author, language, text). One host ingests the feeds, so SQLite keeps one writer and batch matching
stays in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

DOCUMENT_FIELDS = ("url", "source", "outlet", "title", "published", "author", "language", "text")


def node_mode(crawler: Any) -> bool:
    """Whether this crawl runs on a scrapyd node (MONITOR_NODE), writing feeds instead of a store."""
    return crawler.settings.getbool("MONITOR_NODE")


class FeedPipeline:
    @classmethod
    def from_crawler(cls, crawler: Any) -> FeedPipeline:
        from scrapy.exceptions import NotConfigured

        if not node_mode(crawler):
            raise NotConfigured
        return cls()

    def process_item(self, item: Any) -> dict[str, Any]:
        """The document line of an article item (its canonical address is its id and its url).

        >>> FeedPipeline().process_item({"canonical_url": "https://x.cn/a", "url": "https://x.cn/a?b",
        ...     "source": "xinhua_en", "text": "t", "published": None})["id"]
        'https://x.cn/a'
        """
        line = {"id": item["canonical_url"], **{k: item.get(k) for k in DOCUMENT_FIELDS}}
        line["url"] = item["canonical_url"]
        if isinstance(line["published"], datetime):
            line["published"] = line["published"].isoformat()
        return line
