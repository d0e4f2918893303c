"""First pipeline: normalise the fields every spider fills, and drop items that carry no article."""

from __future__ import annotations

import logging
from typing import Any

from w3lib.url import canonicalize_url

from monitor.htmltext import clean_line

logger = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20  # a Chinese news brief can be this short


def clean_article(item: dict[str, Any]) -> dict[str, Any]:
    """Trim title and author, drop empty strings, canonicalise the canonical URL, keep text paragraphs.

    >>> clean_article({"title": "  A  title ", "text": "a\\n\\n\\n b", "canonical_url": "http://x.cn/a?b=1&a=2"})["canonical_url"]
    'http://x.cn/a?a=2&b=1'
    """
    out = dict(item)
    for key in ("title", "author"):
        if isinstance(out.get(key), str):
            out[key] = clean_line(out[key]) or None
    text = out.get("text") or ""
    out["text"] = "\n\n".join(p for p in (clean_line(x) for x in text.split("\n")) if p)
    canon = out.get("canonical_url") or out.get("url")
    if canon:
        out["canonical_url"] = canonicalize_url(canon, keep_fragments=False)
    return out


class CleanPipeline:
    """Normalise fields; an item with no text is dropped with a reason counted in the stats."""

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        cleaned = clean_article(dict(item))
        if len(cleaned["text"]) < MIN_TEXT_CHARS:
            from scrapy.exceptions import DropItem  # here, so that an ingest never loads Scrapy

            self.stats.inc_value(f"monitor/{cleaned.get('source')}/dropped/no_text")
            raise DropItem(f"no main text on {cleaned.get('url')}")
        for key, value in cleaned.items():
            item[key] = value
        return item
