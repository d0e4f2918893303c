"""Is an article about foreign investment in China's value-added telecom services, and which kind of news is it."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
EVENTS = ("batch_report", "cumulative_status", "policy_milestone", "applicant_news", "unrelated")

_NUM = (r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
        r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|[一二两三四五六七八九十百]+)")
_FIRMS = r"(?:compan(?:y|ies)|firms?|enterprises?|entities|businesses|multinationals|家)"
# A count of firms: "13 foreign-invested companies", "首批13家外资企业".
_COUNT = re.compile(rf"(?<![A-Za-z0-9.,]){_NUM}\s*(?:[\w-]+\s+){{0,3}}?{_FIRMS}", re.I)
_APPROVE = re.compile(
    r"approv|greenlight|green light|green-light|given the nod|nod to|granted|licen[cs]ed|permitted|\bclear(?:ed|s)\b"
    r"|批复|获批|核准|获准|批准|发放.{0,12}批|获得.{0,8}(?:试点|许可)", re.I)
# Wording that makes an approval hypothetical, or about applications rather than approvals.
_NOT_YET = re.compile(
    r"\bonce\b|\bif\b|\bwhen\b.{0,30}\bapprov|\bpending\b|\bapplications?\b|\bapply\b|\bapplying\b"
    r"|\bwill be\b|\bwould\b|\bexpected to\b|一旦|如果|申请|受理|拟|将于", re.I)
# A running total rather than a new batch: "to date", "so far", "已有", "累计".
_CUMULATIVE = re.compile(
    r"\bto date\b|\bso far\b|\bin total\b|\ba total of\b|\baltogether\b|\bcumulative|\bhave been approved\b"
    r"|\bhas risen\b|\bhave now\b|截至目前|已有|累计|共有|总数|迄今|目前已", re.I)
_PILOT = re.compile(r"pilot|trial|value[- ]added|\bvas\b|\bvats\b|试点|增值", re.I)
_APPLICANT = re.compile(
    r"plann(?:ing|ed)? to apply|plans? to apply|intend\w* to apply|appl(?:y|ied) for|applications?\b.{0,40}\baccepted"
    r"|accepted\b.{0,40}\bapplications?|submitted\b.{0,30}\bapplication|signed\b.{0,40}\b(?:agreement|deal|memorand)"
    r"|to take part\b|to participate\b|first (?:group|batch) of (?:foreign )?(?:firms|companies) to"
    r"|requested permits|seeking (?:approval|licen)"
    r"|提交.{0,6}申请|申请.{0,6}受理|受理.{0,10}申请|递交.{0,6}申请|拟申请|计划申请|签约|签署.{0,10}协议|首批入列|入列", re.I)
_POLICY = re.compile(
    r"circular|\bnotice\b|launch(?:ed|es)?\b|will remove|to remove|removing|remove foreign|work plan|\bplan\b"
    r"|new measures|pilot (?:program|programme|scheme|areas|regions)|opening-up|"
    r"通告|通知|方案|启动|复文|试点地区|措施|印发|扩大对外开放|扩大开放", re.I)
# A total of all foreign-invested telecom enterprises (not only the pilot's approvals).
_TOTAL = re.compile(r"foreign-invested telecom|telecom(?:munications?)? enterprises|外商投资电信企业|经营电信业务的外资企业"
                    r"|telecom business licen", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Topic:
    vats: re.Pattern[str]
    services: re.Pattern[str]
    telecom: re.Pattern[str]
    foreign: re.Pattern[str]
    opening: re.Pattern[str]
    start_year: int


def _words(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(
        (r"\b" if re.match(r"\w", w, re.A) else "") + re.escape(w) for w in sorted(words, key=len, reverse=True)),
        re.I)


@cache
def topic() -> Topic:
    """The topic keyword lists of data/topic.json, compiled once."""
    raw = json.loads((DATA / "topic.json").read_text(encoding="utf-8"))
    return Topic(_words(raw["vats"]), _words(raw["vats_services"]), _words(raw["telecom"]), _words(raw["foreign"]),
                 _words(raw["opening"]), int(raw["policy_start_year"]))


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split at 。！？!? and line ends, and at ". " before a capital letter."""
    spans = []
    for m in re.finditer(r"[^。！？!?\n]+?(?:[。！？!?]+|(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\bNo)(?<!\bCo)(?<!\bLtd)\.(?=\s+[\"'“A-Z])|\n|$)",
                         text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
    return spans


def is_relevant(text: str, title: str = "", latest_year: int | None = None) -> bool:
    """About foreign investment in China's VATS opening: VATS wording, a foreign side and an opening or pilot.

    >>> is_relevant("MIIT approved 13 foreign-invested firms for pilot value-added telecom services.")
    True
    >>> is_relevant("The MIIT said 5G base stations grew 30 percent; telecom revenue rose.")
    False
    """
    t = topic()
    whole = f"{title}\n{text}"
    vats = bool(t.vats.search(whole)) or (bool(t.services.search(whole)) and bool(t.telecom.search(whole)))
    if not (vats and t.foreign.search(whole) and t.opening.search(whole)):
        return False
    if latest_year is not None and latest_year < t.start_year:
        return False  # the pilot policy began in 2024: a text that speaks only of earlier years is another story
    return True


def latest_year(text: str) -> int | None:
    """The latest plausible year written in a text (used when the publication date is unknown)."""
    years = [int(y) for y in _YEAR.findall(text) if 1990 <= int(y) <= 2100]
    return max(years) if years else None


def approval_statements(sentence: str) -> tuple[bool, bool]:
    """(is an approval of a count of firms, is it a running total) for one sentence."""
    if not (_APPROVE.search(sentence) and _COUNT.search(sentence) and _PILOT.search(sentence)):
        return False, False
    if _NOT_YET.search(sentence) and not re.search(r"approved|approvals|批复|获批", sentence, re.I):
        return False, False
    if re.search(r"\bapplications?\b[^.]{0,40}\baccepted|受理", sentence, re.I):
        return False, False
    return True, bool(_CUMULATIVE.search(sentence))


def classify(text: str, title: str = "", published_year: int | None = None,
             spans: list[tuple[int, int]] | None = None) -> tuple[bool, str]:
    """(relevant, event type) of an article, from its normalised title and text.

    >>> classify("截至目前,已有40家外资企业获得增值电信业务试点批复。")
    (True, 'cumulative_status')
    """
    year = published_year if published_year is not None else latest_year(text)
    if not is_relevant(text, title or "", year):
        return False, "unrelated"
    batch = cumulative = applicant = policy = total = False
    for part in ([title] if title else []) + [text[s:e] for s, e in (spans if spans is not None else sentences(text))]:
        approved, running = approval_statements(part)
        if approved and running:
            cumulative = True
        elif approved:
            batch = True
        if _APPLICANT.search(part):
            applicant = True
        if _POLICY.search(part):
            policy = True
        if _TOTAL.search(part):
            total = True
    if batch:
        return True, "batch_report"
    if cumulative:
        return True, "cumulative_status"
    if applicant:
        return True, "applicant_news"
    if policy or not total:
        return True, "policy_milestone"
    return True, "cumulative_status"
