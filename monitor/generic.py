"""The parser for any news page without a site parser: JSON-LD, OpenGraph/meta tags, then trafilatura.

The main text is chosen among candidates (trafilatura precision first, trafilatura's defaults, JSON-LD
articleBody; the densest block when none has text) by length and overlap (`choose_body`), a body split
into parts by ad rows is joined, and chrome that extractors keep (the headline, related-story teasers,
comment sections, tag and copyright lines) is dropped. A date printed without a zone is read in the page's own zone (an offset on another of
its dates), else the source's, else Beijing for Chinese hosts and pages and the country's zone for a
one-zone country's host; for any other page only the printed day is kept (parse_published with tz=None).

Also home of the block-text helpers the site parsers share: `paragraphs` (an element's text as
paragraphs, breaking at block elements and <br>), `densest_block` (the element holding most
non-link text, for old table-layout pages) and `detect_language`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from parsel import Selector

from monitor.dates import parse_published
from monitor.htmltext import clean_line, join_paragraphs

logger = logging.getLogger(__name__)

ParsedArticle = dict[str, Any]

# Elements that start a new paragraph.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote figcaption figure table tbody thead tfoot tr td th "
    "section article header footer aside center dl dt dd pre hr br address main nav".split()
)
# Elements whose text is never main text.
SKIP_TAGS = frozenset(
    "script style noscript iframe form button video audio select textarea svg object embed input "
    "head title template canvas map".split()
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A line break in the source between two Chinese characters or punctuation marks: not a space.
_CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t]*\n\s*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)
# schema.org Article and its news subtypes; a WebPage is taken only when no article is typed (Yoast gives
# every page one).
_ARTICLE_TYPES = frozenset({
    "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "backgroundnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "askpublicnewsarticle", "liveblogposting", "article", "blogposting", "report",
    "techarticle", "socialmediaposting",
})
# A trailing comma before a closing brace or bracket, which JSON forbids and hand-made JSON-LD often has.
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _tag(el: Any) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _clean(text: str) -> str:
    return clean_line(_CJK_BREAK.sub("", text).replace("\n", " "))


def paragraphs(root: Any, drop: Callable[[Any], bool] | None = None) -> list[str]:
    """Text of an lxml element as cleaned paragraphs: block elements and <br> break, inline ones join.

    `drop(element)` returning True leaves that element (and its children) out.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            line = _clean("".join(buf))
            if line:
                out.append(line)
            buf.clear()

    def walk(el: Any) -> None:
        tag = _tag(el)
        if tag is not None and tag not in SKIP_TAGS and not (drop and drop(el)):
            block = tag in BLOCK_TAGS
            if block:
                flush()
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    buf.append(child.tail)
            if block:
                flush()

    walk(root)
    flush()
    return out


def _own_text_length(el: Any) -> int:
    """Characters of non-link text in an element's direct text and its direct <p>/<font>/<span> children."""
    total = len((el.text or "").strip())
    for child in el:
        tag = _tag(child)
        if tag in ("p", "font", "span", "b", "strong"):
            text = "".join(child.itertext())
            links = "".join("".join(a.itertext()) for a in child.iter("a"))
            total += max(0, len(text.strip()) - 2 * len(links.strip()))
        total += len((child.tail or "").strip())
    return total


def densest_block(root: Any) -> Any | None:
    """The td/div/article/section holding the most non-link paragraph text (table-layout pages)."""
    best, best_score = None, 0
    for el in root.iter("td", "div", "article", "section", "span"):
        score = _own_text_length(el)
        if score > best_score:
            best, best_score = el, score
    return best


def cjk_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK.match(c)) / len(letters)


def detect_language(declared: str | None, text: str) -> str:
    """"zh" or "en": the page's declared language when it says so, else by the share of CJK letters."""
    if declared:
        low = declared.strip().lower()
        if low.startswith("zh"):
            return "zh"
        if low.startswith("en"):
            return "en"
    return "zh" if cjk_ratio(text) > 0.3 else "en"


def meta(sel: Selector, *names: str) -> str | None:
    """The first non-empty content of <meta name=…> or <meta property=…> among `names`."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            value = sel.xpath(f"//meta[translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                              f"'abcdefghijklmnopqrstuvwxyz')='{name}']/@content").get()
            if value and value.strip():
                return value.strip()
    return None


def _walk_ld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk_ld(node[key])
    elif isinstance(node, list):
        for item in node:
            yield from _walk_ld(item)


def loads_lenient(raw: str) -> Any | None:
    """A JSON-LD block read leniently, as search engines read it: raw control characters inside strings
    and trailing commas allowed, HTML comment or CDATA wrappers and a final semicolon ignored; else None."""
    text = raw.strip()
    text = re.sub(r"^(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)$", "", text).strip().rstrip(";")
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _ld_rank(obj: dict[str, Any]) -> int | None:
    types = obj.get("@type")
    names = [t.lower().rsplit("/", 1)[-1] for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
    if any(n in _ARTICLE_TYPES for n in names):
        return 0
    return 1 if "webpage" in names else None


def json_ld_article(sel: Selector) -> dict[str, Any]:
    """The first JSON-LD object typed as a news article (or any Article, BlogPosting) that has a headline,
    body or date; a WebPage only when there is none; else {}."""
    best: tuple[int, dict[str, Any]] | None = None
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        data = loads_lenient(raw)
        if data is None:
            logger.debug("unreadable JSON-LD block skipped")
            continue
        for obj in _walk_ld(data):
            rank = _ld_rank(obj)
            if rank is not None and (obj.get("headline") or obj.get("articleBody") or obj.get("datePublished")):
                if best is None or rank < best[0]:
                    best = (rank, obj)
    return best[1] if best else {}


def ld_author(value: Any) -> str | None:
    """A JSON-LD author (string, Person, or list of them) as "A, B"."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(item["name"])
    names = [clean_line(n) for n in names if n and n.strip()]
    return ", ".join(names) or None


def ld_text(value: str) -> str:
    """The text of a JSON-LD string field that may carry markup, paragraphs on lines of their own."""
    if "<" not in value:
        return value
    return BeautifulSoup(value, "html.parser").get_text("\n")


# The separator before a site name in a <title>: " - ", " – ", " — " with spaces (an unspaced hyphen is
# part of a word: "Sino-foreign", "5G-互联网"), or "|" and "_" with or without them.
_TITLE_SEP = re.compile(r"^(.*\S)(?:\s+[-–—]\s+|\s*[_|]\s*)(\S(?:(?!\s[-–—]\s|[_|]).)*?)\s*$")


def strip_title_suffix(title: str, suffixes: tuple[str, ...]) -> str:
    """The title without a trailing " - Site" part (at most 40 characters) naming one of `suffixes`."""
    for _ in range(3):
        m = _TITLE_SEP.match(title)
        if not m or len(m.group(2)) > 40 or not any(s.lower() in m.group(2).lower() for s in suffixes):
            break
        title = m.group(1)
    return title


# The rule under a table's header row in trafilatura's text output: "|---|---|".
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def trafilatura_paragraphs(html: str, url: str, precision: bool = True) -> list[str]:
    """trafilatura's main text (precision first unless `precision` is False; tables kept) as paragraphs, or []."""
    import trafilatura  # here: the site parsers that borrow this module's helpers never load it

    text = trafilatura.extract(
        html, url=url, favor_precision=precision, output_format="txt", include_comments=False,
        include_tables=True, with_metadata=False,
    )
    return [p for p in (_clean(line) for line in (text or "").splitlines()) if p and not _TABLE_RULE.match(p)]


# ---- choosing the main text ------------------------------------------------------------------------------

_NONWORD = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    return _NONWORD.sub("", text.lower())


def _grams(paras: list[str]) -> Counter[str]:
    """Letter 6-grams of a text with spaces and punctuation removed (works for any script)."""
    s = _letters(" ".join(paras))
    return Counter(s[i:i + 6] for i in range(max(0, len(s) - 5)))


def _cover(part: list[str], whole: list[str]) -> float:
    """The share of `part`'s letter 6-grams found in `whole` (1.0: part is inside whole)."""
    a = _grams(part)
    return sum((a & _grams(whole)).values()) / sum(a.values()) if a else 0.0


def _size(paras: list[str]) -> int:
    return sum(len(_letters(p)) for p in paras)


# Fewer letters than any story has (about 80 English words): a notice, a date, a browser warning.
_TINY = 500


def _repeated(paras: list[str]) -> float:
    """The share of a text in paragraphs said before in it (a sane article repeats almost nothing)."""
    seen: set[str] = set()
    repeated = 0
    for para in paras:
        key = _letters(para)
        if key in seen:
            repeated += len(key)
        seen.add(key)
    return repeated / max(1, _size(paras))


def _ld_paragraphs(ld: dict[str, Any]) -> list[str]:
    body = ld.get("articleBody")
    if not isinstance(body, str):
        return []
    # articleBody is plain text on most sites and markup on some: BeautifulSoup reads both.
    return [p for p in (_clean(x) for x in ld_text(body).splitlines()) if p]


def _container_of(root: Any, para: str) -> Any | None:
    """The element holding the <p> whose text is `para` (its first 60 letters), or None."""
    key = _letters(para)[:60]
    if len(key) < 40:
        return None
    for el in root.iter("p"):
        if _letters("".join(el.itertext()))[:60] == key:
            return el.getparent()
    return None


def join_parts(root: Any, body: list[str]) -> list[str]:
    """A body that ads cut into parts: other elements of the same tag and class as the container of the
    body's paragraphs, under the same ancestor (three levels up at most), whose text is not in the body yet,
    added before or after it in page order. The body unchanged when there are none."""
    container = next((c for c in (_container_of(root, p) for p in body[:5]) if c is not None), None)
    if container is None or not (container.get("class") or "").strip():
        return body
    scope = container
    for _ in range(3):
        if scope.getparent() is not None:
            scope = scope.getparent()
    tag, cls = container.tag, container.get("class")
    parts = [el for el in scope.iter(tag) if el.get("class") == cls]
    if len(parts) < 2:
        return body
    before: list[str] = []
    after: list[str] = []
    seen_body = False
    for part in parts:
        paras = paragraphs(part)
        if not paras:
            continue
        if part is container or _cover(paras, body) >= 0.5:
            seen_body = True
            continue
        links = sum(len(_letters("".join(a.itertext()))) for a in part.iter("a"))
        if links > 0.3 * _size(paras):  # a teaser list in the same dress is not a part of the story
            continue
        (after if seen_body else before).extend(paras)
    return before + body + after if (before or after) else body


def choose_body(html: str, url: str, root: Any, ld: dict[str, Any]) -> list[str]:
    """The main text among candidates, by length and overlap.

    trafilatura precision first is the base. trafilatura's defaults replace it when they are more than
    twice as long, do not repeat themselves (a fifth or more in repeated paragraphs: page metadata read
    twice), and either hold it (the precise pass kept a fragment: the first of several parts) or it is
    tiny (a reprint notice, a date, a browser warning). The JSON-LD articleBody replaces it when that is more than twice as long (the page shows only
    part of the story, or the extractors missed it), or when it holds the same text (its paragraphs are
    the site's own; trafilatura's fallback to it runs them together). The densest block is the text only when nothing else
    is (preferring it whenever it is a clean part of the text gained precision on one benchmark and lost
    more recall on another). A body split by ad rows is joined (`join_parts`).
    """
    precise = trafilatura_paragraphs(html, url)
    default = trafilatura_paragraphs(html, url, precision=False)
    body = precise or default
    if (default and _size(body) * 2 < _size(default) and _repeated(default) < 0.2
            and (_size(body) < _TINY or _cover(body, default) >= 0.8)):
        body = default
    ld_body = _ld_paragraphs(ld)
    if ld_body and (_size(body) * 2 < _size(ld_body)
                    or (_size(ld_body) * 10 >= _size(body) * 9 and _cover(body, ld_body) >= 0.9)):
        body = ld_body
    if not body:
        block = densest_block(root)
        return paragraphs(block) if block is not None else []
    return join_parts(root, body)


# ---- chrome that extractors keep -------------------------------------------------------------------------

_QUOTES = str.maketrans("‘’‚‛“”„‟«»「」『』", "''''\"\"\"\"\"\"\"\"\"\"")
# Short lines that open a section after the story: comments, related stories, tags. The line and the
# rest of the text go.
_TAIL_START = re.compile(
    r"^(?:\d+\s+(?:comments?|responses?|replies|thoughts? on\b.*)"
    r"|comments?|leave a (?:reply|comment)|post a comment|add a comment|join the (?:discussion|conversation)"
    r"|comments are closed\.?|you must (?:be )?log(?:ged)? in to post a comment\.?|tell us what you think\W*"
    r"|you (?:may|might) also (?:like|enjoy)\W*|related (?:posts|articles|stories|news|content|coverage|reading)\W*"
    r"|more (?:stories|news|articles) (?:from|like this)\b.*|read next\W*|recommended(?: for you| stories)?\W*"
    r"|most (?:popular|read)\W*|trending(?: now)?\W*|tags?\s*[:：].*|tags|filed under\s*[:：].*|topics?\s*[:：].*"
    r"|相关(?:新闻|阅读|报道|文章)\W*|延伸阅读\W*)$",
    re.I,
)
# Short lines inside or after the story that are not part of it: teasers, sharing and copyright lines.
_DROP_LINE = re.compile(
    r"^(?:(?:related|read more|read also|also read|see more|see also|don'?t miss|more on this|watch|listen"
    r"|相关|延伸阅读)\s*[:：|].*|also on [\w.-]+\.[a-z]{2,}\b.*"
    r"|advertisement|advertising|sponsored(?: content)?|share this(?: article| story)?|like this story\?.*"
    r"|(?:copyright\s*(?:©|\(c\)|(?:19|20)\d\d)|©|\(c\)\s*(?:19|20)\d\d).*|.*\ball rights reserved\.?"
    r"|责任编辑\s*[:：].*)$",
    re.I,
)
# A line that only invites: follow us on…, subscribe, sign up, get our newsletter (dropped from the end only).
_TAIL_INVITE = re.compile(
    r"^(?:follow\s+(?:us\b|@|.{1,80}?\bon\s+(?:twitter|facebook|instagram|linkedin|youtube|x)\b)"
    r"|subscribe\b|sign up\b|like us on\b|join us on\b"
    r"|(?:get|download)\s+(?:the|our)\b.*\b(?:newsletters?|inbox|app|podcast|delivered)\b).*$",
    re.I,
)
# A byline or dateline line at the top: "By Sam Writer", "Published 5 March 2025", "Updated: 10:05".
_TOP_META = re.compile(r"^(?:by|published|updated|posted|last updated)\b[\s:：]", re.I)


def _norm_title(text: str) -> str:
    return _letters(text.translate(_QUOTES))


def _title_forms(titles: list[str]) -> set[str]:
    """Each title and its parts around a site separator, normalised (case, quotes and punctuation ignored)."""
    forms = set()
    for title in titles:
        forms.add(_norm_title(title))
        for part in re.split(r"\s+[-–—|:]\s+|\s*[|_]\s*", title):
            if len(_letters(part)) >= 12:
                forms.add(_norm_title(part))
    return {f for f in forms if f}


def drop_headline(body: list[str], titles: list[str]) -> list[str]:
    """The body without the headline as its first paragraph (in any of the first three, with the short
    kicker lines above it), nor a byline or date line right under it."""
    forms = _title_forms(titles)
    for i, para in enumerate(body[:3]):
        if _norm_title(para) in forms and all(len(p) < 60 and not p.endswith(".") for p in body[:i]):
            body = body[i + 1:]
            break
    while body and len(body[0]) < 80 and _TOP_META.match(body[0]):
        body = body[1:]
    return body


def drop_chrome(body: list[str]) -> list[str]:
    """The body without teaser, sharing and copyright lines, cut before a comments, related-stories or tags
    section (once 150 characters of story are kept), and without invitation lines at its end."""
    out: list[str] = []
    for para in body:
        short = len(para) < 150
        if short and _TAIL_START.match(para) and sum(len(p) for p in out) >= 150:
            break
        if short and _DROP_LINE.match(para):
            continue
        out.append(re.sub(r"\s*Click To Tweet$", "", para, flags=re.I))
    while len(out) > 1 and len(out[-1]) < 300 and _TAIL_INVITE.match(out[-1]):
        out.pop()
    return out


# ---- dates and their zone --------------------------------------------------------------------------------

# Hosts in China (and Hong Kong, Macao: the same UTC+8) whose naive times are Beijing time.
_CHINA_SUFFIXES = (".cn", ".hk", ".mo")
_CHINA_HOSTS = ("xinhuanet.com", "cgtn.com", "chinadaily.com", "people.com", "chinanews.com", "huanqiu.com",
                "caixin.com", "yicai.com", "sohu.com", "163.com", "qq.com", "ifeng.com", "sina.com", "scmp.com",
                "caixinglobal.com", "cctv.com", "21jingji.com")
# Country-code domains of countries with one time zone: a naive time on such a host is in that zone.
_COUNTRY_ZONES = {
    "uk": "Europe/London", "ie": "Europe/Dublin", "de": "Europe/Berlin", "fr": "Europe/Paris",
    "it": "Europe/Rome", "nl": "Europe/Amsterdam", "be": "Europe/Brussels", "ch": "Europe/Zurich",
    "at": "Europe/Vienna", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "se": "Europe/Stockholm",
    "no": "Europe/Oslo", "dk": "Europe/Copenhagen", "fi": "Europe/Helsinki", "gr": "Europe/Athens",
    "tr": "Europe/Istanbul", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "tw": "Asia/Taipei", "in": "Asia/Kolkata",
    "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh",
    "ph": "Asia/Manila", "pk": "Asia/Karachi", "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "qa": "Asia/Qatar",
    "il": "Asia/Jerusalem", "za": "Africa/Johannesburg", "ng": "Africa/Lagos", "ke": "Africa/Nairobi",
    "eg": "Africa/Cairo", "nz": "Pacific/Auckland",
}
# A date and time that ends with its offset: "2025-03-05T07:15:00+00:00", "… 10:05:00Z", "… 02:24:00 UTC".
_OFFSET = re.compile(r"\d[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$")
# Zone abbreviations that name several zones (CST: China or US Central; IST: India, Israel or Ireland; BST:
# British Summer or Bangladesh): dropped, so the time is read as printed without a zone.
_AMBIGUOUS_ZONE = re.compile(r"\b(?:CST|IST|BST|AST|ECT|MST)\b")
# A day in an article URL: /2025/03/05/, /2025-03-05/, /2025-03/05/ (Xinhua), /20250305/ or /20250305-slug.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)(?:[/-]([01]\d)[/-]|([01]\d))([0-3]\d)[/_.-]")
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "publishdate", "pubdate",
              "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
              "parsely-pub-date", "sailthru.date", "firstpublishedtime", "article.published", "published_time")
_OTHER_DATE_META = ("article:modified_time", "og:updated_time", "datemodified", "lastmod", "dcterms.modified")


def host_zone(url: str) -> str | None:
    """The zone of a naive time on `url`'s host when neither the page nor a caller says: Beijing for Chinese
    hosts, the source's for a host a spider reads, the country's for a one-zone country's domain, else None."""
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(_CHINA_SUFFIXES) or any(host == h or host.endswith("." + h) for h in _CHINA_HOSTS):
        return "Asia/Shanghai"
    # Imported here, not above: the registry imports the spiders, which import this module.
    from monitor import registry

    name, _ = registry.parser_for(url=url)
    if name != "generic":
        return registry.spiders()[name].timezone
    return _COUNTRY_ZONES.get(host.rsplit(".", 1)[-1])


def _page_zone(values: list[str]) -> tzinfo | None:
    """The offset a page prints on one of its dates, as a fixed zone for its dates printed without one."""
    for value in values:
        if _OFFSET.search(value.strip()):
            found = parse_published(value)
            if found is not None and found.utcoffset() is not None:
                return timezone(found.utcoffset() or timedelta(0))
    return None


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _days_apart(value: str, day: date) -> int:
    """Days between a printed date and `day` (0 when the value does not parse)."""
    found = parse_published(value, languages=("en",))
    return abs((found.date() - day).days) if found else 0


def published_date(sel: Selector, ld: dict[str, Any], url: str, language: str, tz: str | None) -> datetime | None:
    """The publication time: JSON-LD datePublished, the date meta tags, <time datetime>, then a day in the URL.

    The first of them that parses to a possible year gives the day; a later one on that same day that also
    gives the time and zone makes it precise. A time printed without a zone is read in the page's own zone
    (an offset printed on another of its dates), else `tz` (the source's), else the host's (`host_zone`),
    else Beijing's for a Chinese page; else the zone is unknown and only the printed day is kept (at 00:00
    UTC: a clock time read in a guessed zone can be off by up to 14 hours, and so put on the wrong day).
    """
    candidates = [v for v in (ld.get("datePublished"), ld.get("dateCreated")) if isinstance(v, str)]
    candidates += [v for name in _DATE_META if (v := meta(sel, name))]
    m = _URL_DAY.search(urlsplit(url).path)
    url_day = _day(m[1], m[2] or m[3], m[4]) if m else None
    # <time> elements may be a comment's or a teaser's: one more than a day away from the URL's day is not
    # the article's.
    candidates += [v for v in sel.xpath("//time/@datetime").getall()[:3]
                   if url_day is None or _days_apart(v, url_day) <= 1]
    others = [v for v in (ld.get("dateModified"),) if isinstance(v, str)]
    others += [v for name in _OTHER_DATE_META if (v := meta(sel, name))]
    if url_day is not None:
        candidates.append(url_day.isoformat())
    # Chinese-language pages come from UTC+8 places (mainland, Hong Kong, Macao, Taiwan, Singapore, Malaysia).
    zone: tzinfo | str | None = (_page_zone(candidates + others) or tz or host_zone(url)
                                 or ("Asia/Shanghai" if language == "zh" else None))
    languages = (language, "en") if language == "zh" else ("en",)
    first: datetime | None = None
    for value in candidates:
        found = parse_published(_AMBIGUOUS_ZONE.sub("", value).strip(), languages=languages, tz=zone)
        if found is None:
            continue
        if first is None:
            first = found
        if _OFFSET.search(value.strip()) or (zone is not None and re.search(r"\d:\d\d", value)):
            if found.date() == first.date():
                return found
            break
    return first


def parse_article(html: str, url: str, *, tz: str | None = None) -> ParsedArticle:
    """Fields of any news page: JSON-LD and meta tags for metadata, the chosen main text (`choose_body`).

    `tz` is the source's home zone, for dates the page prints without one (see `published_date`).
    """
    sel = Selector(text=html or "<html></html>")
    ld = json_ld_article(sel)
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    og_title = meta(sel, "og:title", "twitter:title")
    h1 = clean_line(sel.xpath("string(//h1)").get() or "")
    title_tag = clean_line(sel.xpath("string(//title)").get() or "")
    title = (headline or og_title or h1
             or strip_title_suffix(title_tag, ("news", "网", ".com", ".cn")))
    declared = (
        (ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
        or sel.xpath("/html/@lang").get()
        or meta(sel, "og:locale", "language", "content-language")
    )
    author = ld_author(ld.get("author")) or meta(sel, "author", "article:author", "byl")
    if author and (author.isdigit() or author.startswith("http")):
        author = None
    if author:
        author = re.sub(r"^by\s+", "", author, flags=re.I) or None

    body = choose_body(html, url, sel.root, ld)
    body = drop_chrome(drop_headline(body, [t for t in (headline, og_title, h1, title_tag) if t]))
    if not body:
        logger.warning("generic: no main text on %s", url)
    text = join_paragraphs(body)
    language = detect_language(declared, text or title or "")
    canonical = sel.xpath("//link[@rel='canonical']/@href").get() or meta(sel, "og:url") or url
    return {
        "title": clean_line(title) or None,
        "published": published_date(sel, ld, url, language, tz),
        "author": author,
        "language": language,
        "text": text,
        "canonical_url": canonical,
    }
