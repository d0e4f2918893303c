"""Extraction: an article's text in, the policy facts out (relevance, event type, firms, figures, batch, areas).

Pure functions: `monitor extract`, `monitor reextract`, the Scrapy store pipeline and the tests all call
`extract` (or `extract_record` for one input line), so the same text always gives the same facts.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from monitor.dates import as_day
from pipelines.batchfacts import batch_facts, blank_datelines, find_areas
from pipelines.figures import Figure, extract_figures
from pipelines.firms import extract_firms
from pipelines.normalize import Normalized, normalize
from pipelines.relevance import classify, sentences

logger = logging.getLogger(__name__)

# Lines that are page furniture, not the article: navigation strips, copyright and licence lines, related links.
_BOILERPLATE = re.compile(
    r"^(?:[^\n]*(?:•|\|)[^\n]*(?:•|\|)[^\n]*(?:•|\|)[^\n]*"
    r"|\s*(?:copyright|©|license for|licence for|registration number|icp\s|京icp|\(web editor|related:|reference\(s\)"
    r"|you are here|adjust font size|关键词|责任编辑|编辑:|来源:|\[?photo/|share this|follow us)[^\n]*)$",
    re.I | re.M)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """"zh" when Chinese characters make up a fifth of the opening, else "en"."""
    head = text[:600]
    letters = len(_LETTER.findall(head))
    return "zh" if letters and len(_CJK.findall(head)) / letters > 0.2 else "en"


def _blank_boilerplate(text: str) -> str:
    """The text with furniture lines blanked out, keeping every offset."""
    return _BOILERPLATE.sub(lambda m: " " * len(m.group()), text)


def _evidence(norm: Normalized, span: tuple[int, int]) -> str:
    s, e = norm.span(*span)
    return " ".join(norm.original[s:e].split())


def extract(text: str, *, title: str | None = None, published: str | None = None,
            language: str | None = None) -> dict[str, Any]:
    """Facts of one article; offsets refer to `text` (None for facts found only in the title).

    >>> facts = extract("China has approved 13 foreign-invested firms for pilot value-added telecom services "
    ...                 "in Beijing and Shanghai, the MIIT said on Friday.", published="2025-03-03")
    >>> facts["event"], facts["batch"]["count"], facts["batch"]["approved_on"]
    ('batch_report', 13, '2025-02-28')
    """
    lang = (language or "").lower()
    lang = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else detect_language(text)
    base: date | None = as_day(published) if published else None
    norm = normalize(text or "")
    clean = _blank_boilerplate(norm.text)
    head = normalize(title).text if title else ""
    spans = sentences(clean)
    relevant, event = classify(clean, head, base.year if base else None, spans)
    firms_out: list[dict[str, Any]] = []
    figures_out: list[dict[str, Any]] = []
    batch = None
    areas: list[str] = []
    found_firms = extract_firms(clean, spans, event, relevant)
    if relevant:
        figures = extract_figures(clean, spans, base, lang)
        if event == "cumulative_status":
            for fig in figures:
                if fig.measure.endswith("(this batch)"):
                    fig.measure = "cumulative firms approved for the VATS pilot, total"
        seen = {f.value for f in figures}
        title_figures = [f for f in extract_figures(head, sentences(head), base, lang) if f.value not in seen] \
            if head else []
        figures_out = [_figure(norm, f, spans) for f in figures] + [_title_figure(head, f) for f in title_figures]
        # Areas are where firms were approved: not a dateline's city ("BEIJING, Feb. 28 (Xinhua)") nor the place
        # inside a firm's name ("Orbis Cloud (Beijing) Co., Ltd.").
        placeless = _blank_spans(clean, [(f.start, f.end) for f in found_firms])
        areas = find_areas(f"{head}\n{blank_datelines(placeless)}")
        if event == "batch_report":
            batch = batch_facts(placeless, spans, figures, base, lang, head)
    for firm in found_firms:
        s, e = norm.span(firm.start, firm.end)
        firms_out.append({"name": firm.name, "role": firm.role, "parent": firm.parent, "surface": norm.original[s:e],
                          "evidence": _evidence(norm, firm.sentence), "start": s, "end": e})
    return {"relevant": relevant, "event": event, "firms": firms_out, "figures": figures_out, "batch": batch,
            "areas": areas}


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans blanked out (same length, so every offset still holds)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _figure(norm: Normalized, fig: Figure, spans: list[tuple[int, int]]) -> dict[str, Any]:
    s, e = norm.span(fig.start, fig.end)
    sentence = next(((a, b) for a, b in spans if a <= fig.start < b), (fig.start, fig.end))
    return {**fig.as_dict(), "surface": norm.original[s:e], "evidence": _evidence(norm, sentence), "start": s, "end": e}


def _title_figure(title: str, fig: Figure) -> dict[str, Any]:
    return {**fig.as_dict(), "surface": title[fig.start:fig.end], "evidence": title, "start": None, "end": None}


def _as_written(firm: dict[str, Any]) -> str:
    """The name a reader of the article knows the firm by: the canonical name, unless the article writes the
    firm in Chinese, where it is the name exactly as written, in the article's own script (特斯拉(上海)有限公司
    stays Chinese, 凱思瑞數據系統 stays Traditional); `canonical` carries the resolved name either way.
    """
    surface = firm.get("surface") or ""
    return surface if _CJK.search(surface) else firm["name"]


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
        "firms": [{"name": _as_written(f), "role": f["role"], "parent": f["parent"], "canonical": f["name"]}
                  for f in facts["firms"]],
        "figures": [{k: f[k] for k in ("value", "unit", "measure", "qualifier", "as_of")} for f in facts["figures"]],
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
                                language=item.get("language"))
        return item

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()
