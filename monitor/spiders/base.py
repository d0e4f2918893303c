"""The spider base class: discovery pages -> article pages -> one ArticleItem each.

Each source module's docstring says what is known about its site and how it is known, with three words:
* confirmed: seen on a real saved page of the site (real pages are kept outside this repository, in
  ../shared/fixtures/real, and tests/test_real_pages.py runs the parsers on them when that folder is
  beside the checkout), or used by public code that fetches the site, or live-checked by a dated public
  note; the module says which, with the date when there is one;
* reported: named in public feed lists, configs or code, with no sign that anyone checked it works;
* inferred: our own guess, from URL samples or from the CMS the site seems to run.
Every file under tests/fixtures/ was written by the project (no real page is copied in); the expected
JSON beside each article page says so (`"constructed": true`) and names the structure the page follows.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from functools import cache
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from bs4 import BeautifulSoup
from parsel import Selector
from scrapy.http import Response

from monitor import incremental
from monitor.dates import now
from monitor.htmltext import clean_line, decode_html, sanitize
from monitor.items import ArticleItem

logger = logging.getLogger(__name__)

# What a parser returns: title, published (an aware datetime, parsed once), author, language, text, canonical_url.
ParsedArticle = dict[str, Any]
ArticleParser = Callable[[str, str], ParsedArticle]

REQUIRED_FIELDS = ("title", "published", "text")

# JSON list rows (Xinhua's ds_*.json, MIIT's API, CMS feeds): which keys hold a link and which a title.
_JSON_URL_KEYS = {"publishurl", "url", "link", "linkurl", "href"}
_JSON_TITLE_KEYS = ("title", "showTitle")
# JSON list fields that describe an entry (title, publishTime, updateDate, summary, abstract, description): what a
# changed entry shows. Counters (views, likes) are left out: they change without the article changing.
_JSON_ENTRY_KEYS = re.compile(r"title|time|date|summary|abstract|desc|intro", re.I)


def _strip_tags(value: str) -> str:
    """The text of a title that a JSON list gives as markup ("<font color=red>外资</font>试点")."""
    if "<" not in value:
        return value
    return BeautifulSoup(value, "html.parser").get_text(" ")


def listing_format(response: Response) -> str:
    """What a discovery page is, by its first bytes: "json" (a JSON list), "feed" (RSS or Atom) or "html"."""
    body = response.body.lstrip()
    if body[:1] in (b"{", b"["):
        return "json"
    if body[:5] == b"<?xml" or b"<rss" in body[:500] or b"<feed" in body[:500]:
        return "feed"
    return "html"


@cache
def _takes_tz(parse: ArticleParser) -> bool:
    """Whether a parser takes the source's time zone (asked once per parser, not per page)."""
    return "tz" in inspect.signature(parse).parameters


@cache
def listing_topics(name: str) -> tuple[str, ...]:
    """A hand-kept list of listing-title words from data/listing_topics.json (lower case)."""
    from pipelines.knowledge import load  # data/, installed with the package (a wheel, a scrapyd egg)

    return tuple(word.lower() for word in load("listing_topics.json")[name])


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
    outlet: ClassVar[str] = ""  # the outlet's name as people know it ("Xinhua"); several sources may share one
    discovery: ClassVar[str] = "listing pages"
    article_url_re: ClassVar[re.Pattern[str]]
    # Hosts whose article pages this source's parser reads (defaults to allowed_domains).
    parse_hosts: ClassVar[tuple[str, ...]] = ()
    parser: ClassVar[ArticleParser]
    # Listing titles must hold one of these words to be fetched (sites whose listings are broad);
    # empty: every article link is fetched. See listing_topics().
    topic_words: ClassVar[tuple[str, ...]] = ()
    # The source's home zone (IANA name): the zone of a time its pages print without one. Passed to parsers
    # that take `tz` (the generic parser); site parsers of Chinese sites read Beijing time themselves.
    timezone: ClassVar[str] = "Asia/Shanghai"

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

    def article_request(self, url: str, listing: str | None = None,
                        entries: dict[str, str] | None = None) -> scrapy.Request:
        """An article request; `entries` (the listing's link -> entry text, in page order, one dict shared by the
        listing's requests) lets incremental crawling re-check a known article only when its entry changed."""
        meta: dict[str, Any] = {"monitor_kind": "article", "monitor_listing": listing, "monitor_link": url}
        if entries is not None:
            meta["monitor_entries"] = entries
        return scrapy.Request(url, callback=self.parse_article_page, meta=meta)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.discovery_request(url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value(f"monitor/{self.name}/discovery_not_modified")
            return
        links = list(dict.fromkeys(self.discover(response)))
        limit = self.crawler.settings.getint("MONITOR_MAX_LINKS_PER_PAGE", 500)
        if len(links) > limit:  # a listing of 20,000 links is a broken or hostile page, not news
            logger.warning("%s: %d article links on %s; following the first %d", self.name, len(links),
                           response.url, limit)
            stats.inc_value(f"monitor/{self.name}/discovery_links_dropped", len(links) - limit)
            links = links[:limit]
        stats.inc_value(f"monitor/{self.name}/discovery_pages")
        stats.inc_value(f"monitor/{self.name}/discovery_links", len(links))
        if not links:
            logger.warning("%s: no article links on discovery page %s", self.name, response.url)
        # What incremental crawling compares between runs; a replay or a scrapyd node has no use for it.
        entries = self.listing_entries(response, links) if incremental.active(self.crawler.settings) else None
        for url in links:
            yield self.article_request(url, listing=response.url, entries=entries)

    def discover(self, response: Response) -> Iterator[str]:
        """Article URLs on a discovery page, keeping only those whose listing title is on topic."""
        for url, title in self.titled_links(response).items():
            if self.on_topic(title):
                yield url
            else:
                logger.debug("%s: off-topic listing title %r", self.name, title)
                if getattr(self, "crawler", None) is not None:
                    self.crawler.stats.inc_value(f"monitor/{self.name}/discovery_off_topic")

    def on_topic(self, title: str) -> bool:
        """True when a listing title is worth fetching the article for (always, without `topic_words`).

        An empty title (an image link, a JSON row without one) is kept: the pipelines decide relevance.
        """
        if not self.topic_words or not title.strip():
            return True
        low = title.lower()
        return any(word in low for word in self.topic_words)

    def titled_links(self, response: Response) -> dict[str, str]:
        """Article URL -> the titles a discovery page gives it (anchor texts, feed or JSON titles), in order."""
        found: dict[str, str] = {}
        for href, title in self.link_items(response):
            try:
                url = urljoin(response.url, href.strip()) if href else ""
                if url and self.is_article_url(url):
                    found[url] = clean_line(f"{found.get(url, '')} {title}")
            except ValueError:  # a malformed link ("http://[bad") costs that link, not the page
                logger.debug("%s: malformed link %r on %s", self.name, href, response.url)
        return found

    def link_items(self, response: Response) -> Iterator[tuple[str, str]]:
        """(href, title) pairs of a discovery page: feed items, JSON list rows or HTML links, by content."""
        yield from {"json": self.links_from_json, "feed": self.links_from_feed,
                    "html": self.links_from_html}[listing_format(response)](response)

    def links_from_html(self, response: Response) -> Iterator[tuple[str, str]]:
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        for a in Selector(text=text).css("a[href]"):
            yield a.attrib["href"], f"{a.xpath('string()').get() or ''} {a.attrib.get('title', '')}"

    def links_from_feed(self, response: Response) -> Iterator[tuple[str, str]]:
        sel = Selector(text=response.text, type="xml")
        sel.remove_namespaces()
        for item in sel.xpath("//item | //entry"):
            link = item.xpath("link/text()").get() or item.xpath("link/@href").get() or item.xpath("guid/text()").get()
            yield link or "", item.xpath("title/text()").get() or ""

    def links_from_json(self, response: Response) -> Iterator[tuple[str, str]]:
        """Every URL-like field of a JSON list, with the title fields of the same row (HTML stripped)."""
        try:
            data = json.loads(response.text)
        except ValueError:
            logger.warning("%s: discovery page %s is not valid JSON", self.name, response.url)
            return

        def walk(node: Any) -> Iterator[tuple[str, str]]:
            if isinstance(node, dict):
                title = " ".join(_strip_tags(str(node[k])) for k in _JSON_TITLE_KEYS if isinstance(node.get(k), str))
                for key, value in node.items():
                    if isinstance(value, str) and key.lower() in _JSON_URL_KEYS:
                        yield value, title
                    elif isinstance(value, dict | list):
                        yield from walk(value)
            elif isinstance(node, list):
                for value in node:
                    if isinstance(value, str):
                        yield value, ""
                    else:
                        yield from walk(value)

        yield from walk(data)

    # ---- listing entries (what incremental crawling compares between runs) -------------------------
    def listing_entries(self, response: Response, links: list[str]) -> dict[str, str]:
        """Link -> the text of its entry on a discovery page (title, date, summary), in the order of `links`.

        An HTML entry is the largest block around the link that holds no other of the page's article links (its
        `li`, its card); a feed entry is its item's title, dates and summary; a JSON row its title, time, date and
        summary fields. A link whose entry cannot be told (a list this reader does not know) falls back to its
        title. Incremental crawling re-checks a known article when this text changes or the link moves.
        """
        wanted = set(links)
        try:
            found = {"json": self._entries_from_json, "feed": self._entries_from_feed,
                     "html": self._entries_from_html}[listing_format(response)](response, wanted)
        except ValueError:  # text that is not what its first bytes said: entries are a hint, never a failure
            logger.debug("%s: no listing entries on %s", self.name, response.url)
            found = {}
        if len(found) < len(wanted):
            titles = self.titled_links(response)
            found = {url: found.get(url) or titles.get(url, "") for url in links}
        return {url: clean_line(found.get(url, "")) for url in links}

    def _absolute(self, base: str, href: str) -> str | None:
        try:
            return urljoin(base, href.strip()) if href else None
        except ValueError:
            return None

    def _entries_from_html(self, response: Response, wanted: set[str]) -> dict[str, str]:
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        root = Selector(text=text).root
        shared = object()
        owner: dict[Any, Any] = {}  # element -> the one wanted link inside it, or `shared` when it holds several
        anchors = []
        for a in root.iter("a"):
            url = self._absolute(response.url, a.get("href") or "")
            if url not in wanted:
                continue
            anchors.append((a, url))
            for parent in a.iterancestors():
                held = owner.get(parent)
                if held is None:
                    owner[parent] = url
                elif held is shared or held == url:
                    break  # everything above is already marked
                else:
                    owner[parent] = shared
        blocks: dict[str, list[Any]] = {}
        for a, url in anchors:
            block = a
            while (parent := block.getparent()) is not None and owner.get(parent) == url \
                    and parent.tag not in ("body", "html"):
                block = parent
            if not any(b is block for b in blocks.setdefault(url, [])):
                blocks[url].append(block)
        return {url: " ".join(f"{b.xpath('string()')} {' '.join(b.xpath('.//@title'))}" for b in found)
                for url, found in blocks.items()}

    def _entries_from_feed(self, response: Response, wanted: set[str]) -> dict[str, str]:
        sel = Selector(text=response.text, type="xml")
        sel.remove_namespaces()
        found: dict[str, str] = {}
        for item in sel.xpath("//item | //entry"):
            link = item.xpath("link/text()").get() or item.xpath("link/@href").get() or item.xpath("guid/text()").get()
            url = self._absolute(response.url, link or "")
            if url in wanted:
                # title, the dates (pubDate, published, updated, dc:date) and what the item says of the article
                parts = item.xpath("title/text() | pubDate/text() | published/text() | updated/text() | date/text()"
                                   " | modified/text() | description/text() | summary/text() | content/text()"
                                   " | encoded/text()").getall()
                found[url] = f"{found.get(url, '')} {' '.join(parts)}"
        return found

    def _entries_from_json(self, response: Response, wanted: set[str]) -> dict[str, str]:
        data = json.loads(response.text)
        found: dict[str, str] = {}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                text = " ".join(str(v) for k, v in node.items()
                                if isinstance(v, str | int | float) and _JSON_ENTRY_KEYS.search(k))
                for key, value in node.items():
                    if isinstance(value, str) and key.lower() in _JSON_URL_KEYS:
                        url = self._absolute(response.url, value)
                        if url in wanted:
                            found[url] = f"{found.get(url, '')} {text}"
                    elif isinstance(value, dict | list):
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(data)
        return found

    # ---- articles --------------------------------------------------------------------------------
    def canonical(self, declared: str | None, url: str) -> str:
        """The page's declared canonical address when it is one of this source's article URLs, else its own.

        A relative canonical is made absolute; one that points at a section page or elsewhere (a template
        that gives every page the same og:url) would merge articles, so it is not trusted.
        """
        if declared:
            try:
                absolute = urljoin(url, declared.strip())
                if self.is_article_url(absolute):
                    return absolute
            except ValueError:
                pass
            logger.debug("%s: ignoring canonical %r of %s", self.name, declared, url)
        return url

    def parse_article_page(self, response: Response) -> Iterator[ArticleItem]:
        html, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        parse = type(self).parser
        if _takes_tz(parse):  # the generic parser: dates in the source's zone
            fields = sanitize(parse(html, response.url, tz=self.timezone))
        else:
            fields = sanitize(parse(html, response.url))
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
            canonical_url=self.canonical(fields.get("canonical_url"), response.url),
            source=self.name,
            outlet=self.outlet or self.name,
            title=fields.get("title"),
            published=fields.get("published"),
            author=fields.get("author"),
            language=fields.get("language") or self.language,
            text=fields.get("text") or "",
            fetched_at=now(),
        )
