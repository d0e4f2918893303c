"""Extraction: an article's text in, the policy facts out (relevance, event type, firms, figures, batch, areas).

Pure functions: `monitor extract`, `monitor reextract`, the Scrapy store pipeline and the tests all call
`extract` (or `extract_record` for one input line), so the same text always gives the same facts. English and
Chinese are read with the full rules; Spanish, Portuguese, French, German, Italian, Russian, Arabic, Japanese,
Korean, Indonesian and Hindi with the same rules over their own cue lists (data/cues.json, data/topic.json).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from datetime import date, datetime
from functools import cache
from typing import Any

from monitor.dates import as_day
from pipelines.batchfacts import batch_facts, blank_datelines, find_areas
from pipelines.figures import PILOT_TOTAL, THIS_BATCH, Figure, extract_figures, merge_mentions
from pipelines.firms import Firm, extract_firms
from pipelines.kinds import Event
from pipelines.knowledge import load
from pipelines.normalize import Normalized, latin_only, normalize
from pipelines.relevance import BASE, classify, count_kinds, langs_of, sentences, vocab

logger = logging.getLogger(__name__)

# Lines that are page furniture, not the article: navigation strips, copyright and licence lines, related links.
_BOILERPLATE = re.compile(
    r"^(?:[^\n]*(?:•|\|)[^\n]*(?:•|\|)[^\n]*(?:•|\|)[^\n]*"
    r"|\s*(?:copyright|©|license for|licence for|registration number|icp\s|京icp|\(web editor|related:|reference\(s\)"
    r"|you are here|adjust font size|关键词|责任编辑|编辑:|来源:|\[?photo/|share this|follow us|leia também|lea también"
    r"|lire aussi|leggi anche|lesen sie auch|•)[^\n]*)$",
    re.I | re.M)
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"[a-zà-ÿ]+", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def _detector() -> tuple[list[tuple[str, re.Pattern[str], float]], dict[str, set[str]]]:
    """(language, pattern of its script's letters, share) of each script, and the frequent words of each Latin-script
    language, from data/languages.json."""
    table = load("languages.json")
    scripts = [(s["lang"], re.compile("[" + "".join(f"{lo}-{hi}" for lo, hi in s["ranges"]) + "]"), s["share"])
               for s in table["scripts"]]
    return scripts, {lang: set(words) for lang, words in table["latin"].items()}


@cache
def _markers() -> dict[str, list[str]]:
    return load("languages.json").get("markers", {})


def detect_language(text: str) -> str:
    """The language of a text's opening, by its script, or for Latin letters by its frequent short words
    (data/languages.json); English when nothing tells.

    >>> detect_language("工信部向13家外资企业发放批复"), detect_language("China ha autorizado a 13 empresas de la zona")
    ('zh', 'es')
    """
    head = text[:600]
    letters = len(_LETTER.findall(head))
    if not letters:
        return "en"
    scripts, latin = _detector()
    for lang, pattern, share in ([] if latin_only(head) else scripts):
        if len(pattern.findall(head)) / letters >= share:
            return lang
    words = [w.lower() for w in _LATIN_WORD.findall(head)]
    low = f" {head.lower()} "
    scores = {lang: sum(1 for w in words if w in stop) + 2 * sum(low.count(m) for m in _markers().get(lang, []))
              for lang, stop in latin.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > scores.get("en", 0) else "en"


def _language(given: str | None, text: str) -> str:
    """The record's language when it names one the monitor reads, else the detected one."""
    lang = (given or "").lower()[:2]
    scripts, latin = _detector()
    return lang if lang in BASE or lang in latin or any(lang == s[0] for s in scripts) else detect_language(text)


def _blank_boilerplate(text: str) -> str:
    """The text with furniture lines blanked out, keeping every offset."""
    return _BOILERPLATE.sub(lambda m: " " * len(m.group()), text)


def _evidence(norm: Normalized, span: tuple[int, int]) -> str:
    s, e = norm.span(*span)
    return " ".join(norm.original[s:e].split())


def extract(text: str, *, title: str | None = None, published: datetime | date | str | None = None,
            language: str | None = None, firms_off_topic: bool = True) -> dict[str, Any]:
    """Facts of one article; offsets refer to `text` (None for facts found only in the title).

    `published` is a datetime, a date or an ISO string (the day in Beijing is what counts).

    >>> facts = extract("China has approved 13 foreign-invested firms for pilot value-added telecom services "
    ...                 "in Beijing and Shanghai, the MIIT said on Friday.", published="2025-03-03")
    >>> facts["event"], facts["batch"]["count"], facts["batch"]["approved_on"]
    ('batch_report', 13, '2025-02-28')
    """
    lang = _language(language, text or "")
    langs = langs_of(lang)
    simplify = lang not in ("ja", "ko")
    base: date | None = as_day(published) if published else None
    norm = normalize(text or "", simplify)
    clean = _blank_boilerplate(norm.text)
    head = normalize(title, simplify).text if title else ""
    if langs == BASE and latin_only(clean) and latin_only(head):
        langs = ("en",)  # no Chinese to read: the English rules alone, without trying the Chinese patterns
    spans = sentences(clean)
    relevant, event = classify(clean, head, base.year if base else None, spans, langs)
    firms_out: list[dict[str, Any]] = []
    figures_out: list[dict[str, Any]] = []
    batch = None
    areas: list[str] = []
    # The store keeps no firm of an article off the policy: the crawl and ingest paths pass
    # firms_off_topic=False, so the firm search, the costliest step, runs only on the few about it.
    found_firms = extract_firms(clean, spans, event, relevant, langs=langs) \
        if relevant or firms_off_topic else []
    if relevant:
        figures = extract_figures(clean, spans, base, lang if lang in BASE else "en", langs=langs)
        _settle_kinds(clean, spans, figures, event, langs)
        figures = merge_mentions(figures)
        # The title repeats the lead: only a count of firms it states and the text does not is added from it.
        seen = {f.value for f in figures}
        title_figures = [f for f in merge_mentions(extract_figures(head, sentences(head), base, "en", langs=langs))
                         if f.value not in seen and f.unit in ("firms", "enterprises")] if head else []
        evidence: dict[tuple[int, int], str] = {}  # each sentence's evidence, cut once
        figures_out = [_figure(norm, f, spans, evidence) for f in figures] + [_title_figure(head, f) for f in title_figures]
        # Areas are where firms were approved: not a dateline's city ("BEIJING, Feb. 28 (Xinhua)") nor the place
        # inside a firm's name ("Orbis Cloud (Beijing) Co., Ltd.").
        placeless = _blank_spans(clean, [(f.start, f.end) for f in found_firms])
        areas = find_areas(f"{head}\n{blank_datelines(placeless)}")
        if event == Event.BATCH_REPORT:
            batch = batch_facts(placeless, spans, figures, base, lang if lang in BASE else "en", head, langs)
    for firm in found_firms:
        firms_out.append(_firm(norm, firm))
    return {"relevant": relevant, "event": str(event), "firms": firms_out, "figures": figures_out, "batch": batch,
            "areas": areas}


def _settle_kinds(text: str, spans: list[tuple[int, int]], figures: list[Figure], event: str,
                  langs: tuple[str, ...]) -> None:
    """A count of approved firms is a batch count only with batch evidence in its clause: in a running-total
    sentence or a status article it is the pilot's running total ("22 firms hold pilot approvals")."""
    v = vocab(langs)
    counts: dict[tuple[int, int], tuple[list[int], list[tuple[int, int, str]]]] = {}  # per sentence, found once
    for fig in figures:
        if fig.measure != THIS_BATCH:
            continue
        if event == Event.CUMULATIVE_STATUS:
            fig.set_measure(PILOT_TOTAL)
            continue
        i = bisect_right(spans, (fig.start, len(text) + 1)) - 1
        if i < 0 or not spans[i][0] <= fig.start < spans[i][1]:
            continue
        sent = spans[i]
        if sent not in counts:
            found = [(sent[0] + a, sent[0] + b, k) for a, b, k in count_kinds(text[sent[0]:sent[1]], v)]
            counts[sent] = ([a for a, _b, _k in found], found)
        starts, found = counts[sent]
        j = max(0, bisect_right(starts, fig.start) - 1)  # the count at or before the figure, or the first after it
        near = [c for c in found[j:j + 2] if c[0] < fig.end and fig.start < c[1]]
        if near and near[0][2] == "cumulative":
            fig.set_measure(PILOT_TOTAL)


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (same length, so every offset still holds)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _firm(norm: Normalized, firm: Firm) -> dict[str, Any]:
    """A firm as the article writes it: `name` is the article's own words (None for a unit named only by its
    owner), `canonical` the gazetteer's resolved name (the name itself when it does not know the firm). A unit
    named only by its owner has that owner, as the article writes it, for parent (the owner is a firm of its own
    too, with its role parent and its resolved name)."""
    s, e = norm.span(firm.start, firm.end)
    written = " ".join(norm.original[s:e].split())
    name = written if firm.name is not None else None
    canonical = (firm.canonical or written) if name is not None else None
    parent = firm.parent if name is not None else written
    return {"name": name, "canonical": canonical, "role": str(firm.role), "parent": parent,
            "surface": norm.original[s:e], "evidence": _evidence(norm, firm.sentence), "start": s, "end": e}


def _mention(norm: Normalized, span: tuple[int, int], spans: list[tuple[int, int]],
             evidence: dict[tuple[int, int], str]) -> dict[str, Any]:
    s, e = norm.span(*span)
    i = bisect_right(spans, (span[0], len(norm.text) + 1)) - 1
    sentence = spans[i] if i >= 0 and spans[i][0] <= span[0] < spans[i][1] else span
    if sentence not in evidence:
        evidence[sentence] = _evidence(norm, sentence)
    return {"surface": norm.original[s:e], "evidence": evidence[sentence], "start": s, "end": e}


def _figure(norm: Normalized, fig: Figure, spans: list[tuple[int, int]],
            evidence: dict[tuple[int, int], str]) -> dict[str, Any]:
    mentions = [_mention(norm, m, spans, evidence) for m in (fig.mentions or [(fig.start, fig.end)])]
    first = mentions[0]
    return {**fig.as_dict(), "surface": first["surface"], "evidence": first["evidence"], "start": first["start"],
            "end": first["end"], "mentions": mentions}


def _title_figure(title: str, fig: Figure) -> dict[str, Any]:
    mention = {"surface": title[fig.start:fig.end], "evidence": title, "start": None, "end": None}
    return {**fig.as_dict(), **mention, "mentions": [mention]}


def extract_record(record: dict[str, Any]) -> dict[str, Any]:
    """One `monitor extract` output line for one input line (id, text, title, published, language).

    >>> extract_record({"id": "a", "text": "The weather in Beijing was fine."})["relevant"]
    False
    """
    text = record.get("text")
    if not (isinstance(text, str) and text.strip()):
        # HTML becomes text on the monitor side (monitor.documents), before a record reaches the pipelines.
        raise ValueError(f"record {record.get('id')!r} has no text")
    facts = extract(text, title=record.get("title"), published=record.get("published"),
                    language=record.get("language"))
    return {
        "id": record.get("id"),
        "relevant": facts["relevant"],
        "event": facts["event"],
        "firms": [{"name": f["name"], "role": f["role"], "parent": f["parent"], "canonical": f["canonical"]}
                  for f in facts["firms"]],
        "figures": [{k: f[k] for k in ("value", "unit", "measure", "kind", "qualifier", "as_of")}
                    for f in facts["figures"]],
        "batch": facts["batch"],
        "areas": facts["areas"],
    }

class ExtractPipeline:
    """Second pipeline (clean -> extract -> store): put the article's facts on the item as `facts`.

    A page whose title and text are what the store already holds is not extracted again (`facts` None): the
    store only moves its last-seen run. The store is asked, never written.
    """

    def __init__(self, crawler: Any) -> None:
        self.db_path = crawler.settings.get("MONITOR_DB")
        self.stats = crawler.stats
        self.store: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        from scrapy.exceptions import NotConfigured

        if crawler.settings.getbool("MONITOR_NODE"):
            raise NotConfigured  # a scrapyd node only writes feeds; the ingesting host extracts
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        from pipelines.store import Store, content_hash

        if self.store is None:  # opened at the first item: a plain `scrapy crawl` creates the store on opening
            self.store = Store(self.db_path)
        if self.store.content_hash_of(item["canonical_url"]) == content_hash(item.get("title"), item["text"]):
            item["facts"] = None
            self.stats.inc_value(f"monitor/{item.get('source')}/extract_skipped_unchanged")
            return item
        item["facts"] = extract(item["text"], title=item.get("title"), published=item.get("published"),
                                language=item.get("language"), firms_off_topic=False)
        return item

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()
