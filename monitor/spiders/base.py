"""The spider base class: discovery pages -> article pages -> one ArticleItem each."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from monitor.dates import iso, now
from monitor.htmltext import decode_html
from monitor.items import ArticleItem

logger = logging.getLogger(__name__)

# What a parser returns: title, published (ISO 8601 with offset), author, language, text, canonical_url.
ParsedArticle = dict[str, Any]
ArticleParser = Callable[[str, str], ParsedArticle]

REQUIRED_FIELDS = ("title", "published", "text")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_matches(host: str, domains: tuple[str, ...] | list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


class ArticleSpider(scrapy.Spider):
    """A source: `start_urls` are discovery pages (listing, feed or JSON list), articles are parsed by `parser`.

    Subclasses set `name`, `language`, `allowed_domains`, `start_urls`, `discovery` (a phrase for
    `monitor sources`), `article_url_re` (what an article URL looks like) and `parser` (the module's
    pure `parse_article`). Override `discover` when a site needs more than links matching the pattern.
    """

    name: ClassVar[str]
    language: ClassVar[str] = "en"
    discovery: ClassVar[str] = "listing pages"
    article_url_re: ClassVar[re.Pattern[str]]
    # Hosts whose article pages this source's parser reads (defaults to allowed_domains).
    parse_hosts: ClassVar[tuple[str, ...]] = ()
    parser: ClassVar[ArticleParser]

    # ---- which URLs are ours --------------------------------------------------------------------
    @classmethod
    def handles(cls, url: str) -> bool:
        """True when this source's parser reads the page at `url` (used by `monitor parse`)."""
        return host_matches(host_of(url), cls.parse_hosts or tuple(cls.allowed_domains))

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        return bool(cls.article_url_re.search(url)) and host_matches(host_of(url), tuple(cls.allowed_domains))

    # ---- discovery -------------------------------------------------------------------------------
    def discovery_request(self, url: str) -> scrapy.Request:
        """A discovery page request: conditional when fetched before (304 means nothing changed)."""
        return scrapy.Request(
            url, callback=self.parse, dont_filter=True,
            meta={"monitor_kind": "discovery", "handle_httpstatus_list": [304]},
        )

    def article_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article_page, meta={"monitor_kind": "article"})

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.discovery_request(url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value(f"monitor/{self.name}/discovery_not_modified")
            return
        links = list(dict.fromkeys(self.discover(response)))
        stats.inc_value(f"monitor/{self.name}/discovery_pages")
        stats.inc_value(f"monitor/{self.name}/discovery_links", len(links))
        if not links:
            logger.warning("%s: no article links on discovery page %s", self.name, response.url)
        for url in links:
            yield self.article_request(url)

    def discover(self, response: Response) -> Iterator[str]:
        """Article URLs on a discovery page: feed items, JSON list rows or HTML links, by content."""
        body = response.body.lstrip()
        if body[:1] in (b"{", b"["):
            yield from self.links_from_json(response)
        elif body[:5] == b"<?xml" or b"<rss" in body[:500] or b"<feed" in body[:500]:
            yield from self.links_from_feed(response)
        else:
            yield from self.links_from_html(response)

    def _keep(self, base: str, href: str | None) -> str | None:
        if not href:
            return None
        url = urljoin(base, href.strip())
        return url if self.is_article_url(url) else None

    def links_from_html(self, response: Response) -> Iterator[str]:
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        for href in Selector(text=text).css("a::attr(href)").getall():
            if url := self._keep(response.url, href):
                yield url

    def links_from_feed(self, response: Response) -> Iterator[str]:
        sel = Selector(text=response.text, type="xml")
        sel.remove_namespaces()
        for href in sel.xpath("//item/link/text() | //entry/link/@href | //item/guid/text()").getall():
            if url := self._keep(response.url, href):
                yield url

    def links_from_json(self, response: Response) -> Iterator[str]:
        try:
            data = json.loads(response.text)
        except ValueError:
            logger.warning("%s: discovery page %s is not valid JSON", self.name, response.url)
            return

        def walk(node: Any) -> Iterator[str]:
            if isinstance(node, dict):
                for key, value in node.items():
                    if isinstance(value, str) and key.lower() in ("publishurl", "url", "link", "linkurl", "href"):
                        yield value
                    else:
                        yield from walk(value)
            elif isinstance(node, list):
                for value in node:
                    if isinstance(value, str):
                        yield value
                    else:
                        yield from walk(value)

        for href in walk(data):
            if url := self._keep(response.url, href):
                yield url

    # ---- articles --------------------------------------------------------------------------------
    def parse_article_page(self, response: Response) -> Iterator[ArticleItem]:
        html, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        fields = type(self).parser(html, response.url)
        stats = self.crawler.stats
        stats.inc_value(f"monitor/{self.name}/articles_parsed")
        for field in REQUIRED_FIELDS:
            if fields.get(field):
                stats.inc_value(f"monitor/{self.name}/field/{field}")
            else:
                stats.inc_value(f"monitor/{self.name}/missing/{field}")
                logger.warning("%s: no %s on %s", self.name, field, response.url)
        yield ArticleItem(
            url=response.url,
            canonical_url=fields.get("canonical_url") or response.url,
            source=self.name,
            title=fields.get("title"),
            published=fields.get("published"),
            author=fields.get("author"),
            language=fields.get("language") or self.language,
            text=fields.get("text") or "",
            fetched_at=iso(now()),
        )
