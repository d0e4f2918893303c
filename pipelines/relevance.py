"""Is an article about foreign investment in China's value-added telecom services, and which kind of news is it."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
EVENTS = ("batch_report", "cumulative_status", "policy_milestone", "applicant_news", "unrelated")

_NUM = (r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
        r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a dozen|[一二两三四五六七八九十百]+)")
_FIRMS = r"(?:compan(?:y|ies)|firms?|enterprises?|entities|businesses|multinationals|operators|providers|names|家)"
# A count of firms: "13 foreign-invested companies", "首批13家外资企业".
# Also a count told without the noun: "the first batch of 13", "the number approved so far stood at 27".
_COUNT = re.compile(rf"(?<![A-Za-z0-9.])(?<!\d,){_NUM}\s*(?:[\w-]+\s+){{0,3}}?{_FIRMS}"
                    rf"|\b(?:batch|round|group|tranche) of {_NUM}\b(?!\s*(?:percent|%))"
                    rf"|\b(?:number|tally|total)\b[^.,;]{{0,80}}?\b(?:at|to|reach\w*)\s+{_NUM}\b", re.I)
_APPROVE = re.compile(
    r"approv|greenlight|green light|green-light|green[- ]?lit\b|go-ahead|signed off|\bokay(?:ed|s)\b|given the nod|nod to|\bthe nod\b|granted|licen[cs]ed|permitted|\bpermits?\b|\bclear(?:ed|s)\b"
    r"|\badmit(?:s|ted)\b|批复|批文|获批|核准|获准|批准|准予|获颁|颁发.{0,12}(?:批|许可|牌照)|名单[^。]{0,20}入选|发放.{0,12}批|同意[^,;。]{0,8}家|拿到.{0,25}(?:批复|准入|许可|牌照)|获得.{0,8}(?:试点|许可)|同意(?:你|该)(?:公司|单位)", re.I)
# The formula of a ministry's reply approving one firm: "同意你公司...开展...试点".
ONE_FIRM = re.compile(r"同意(?:你|该)(?:公司|单位)")
# Wording that makes an approval hypothetical, or about applications rather than approvals.
_NOT_YET = re.compile(
    r"\bonce\b|\bif\b|\bwhen\b.{0,30}\bapprov|\bpending\b|\bapplications?\b|\bapply\b|\bapplying\b"
    r"|\bwill be\b|\bwould\b|\bexpected to\b|一旦|如果|申请|受理|拟|将于", re.I)
# A running total rather than a new batch: "to date", "so far", "已有", "累计".
_CUMULATIVE = re.compile(
    r"\bto date\b|\bso far\b|\bin total\b|\ba total of\b|\baltogether\b|\bcumulative|\bha(?:ve|d) been approved\b"
    r"|\bhas risen\b|\btally\b|\bhave now\b|\bnow (?:hold|have|number|total|stand)s?\b|\bstands? at\b|\bas of\b|\bby the end of\b|\b(?:bringing|raising|taking)\b[^,;]{0,20}\b(?:total|number|tally)\b"
    r"|截至|已有|累计|共有|总数|迄今|目前已|至此|达到", re.I)
# "共有"/"in total" inside a named batch adds up that batch ("第二批...中,上海共有7家获批"), not a running total.
_WEAK_TOTAL = re.compile(r"共有|\bin total\b|\ba total of\b|\baltogether\b", re.I)
_THIS_BATCH = re.compile(r"第[一二三四五六七八九十\d]+批|首批|本批|此次|这批|该批"
                         r"|\b(?:this|the latest|the new|the (?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)))"
                         r" (?:batch|round|tranche)\b", re.I)
# A clause that breaks the count before it down ("其中上海11家", "of which 11 are in Shanghai") shares its kind.
_BREAKDOWN = re.compile(r"^\s*(?:其中|of which|of them|among them|including)", re.I)
# A count told as the background of the news, not as the news: "since the first batch of 13", "自首批13家...以来", "连同首批13家",
# "首批13家企业获批后,": such a count is a recap of an earlier batch.
_RECAP_BEFORE = re.compile(r"(?:\b(?:since|after|following|together with|on top of|in addition to)\b|自|连同|加上)[^,;]{0,40}$",
                           re.I)
_RECAP_AFTER = re.compile(r"^[^,;]*?(?:以来|之后|后)\s*$")
# Clause ends inside a sentence: commas that do not sit inside a number ("2,400"), semicolons.
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|;")
_PILOT = re.compile(r"pilot|trial|value[- ]added|\bvas\b|\bvats\b|试点|增值", re.I)
_APPLICANT = re.compile(
    r"plann(?:ing|ed)? to apply|plans? to apply|intend\w* to apply|appl(?:y|ied) for|applications?\b.{0,40}\baccepted"
    r"|accepted\b.{0,40}\bapplications?|(?:submitted|lodged|filed)\b.{0,30}\bapplication|signed\b.{0,40}\b(?:agreement|deal|memorand)"
    r"|to take part\b|to participate\b|first (?:group|batch) of (?:foreign )?(?:firms|companies) to"
    r"|requested permits|seeking (?:approval|licen)|\bapplying\b|interest in (?:applying|joining)"
    r"|waiting for (?:a |the )?(?:decision|approval|licen)"
    r"|提交.{0,20}申请|申请.{0,6}受理|受理.{0,30}申请|递交.{0,20}申请|拟申请|计划申请|申请企业|等待审批|签约|签署.{0,10}协议"
    r"|首批入列|入列", re.I)
# A rule about how applications are handled, not news of an application: "应在受理申请后20个工作日内", "shall".
_RULE = re.compile(r"应[在于当]|须[在于]|申报条件|审批流程|\bshall\b|\bprocedures? for\b", re.I)
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
    opening_weak: re.Pattern[str]
    vats_pilot: re.Pattern[str]
    start_year: int


def _words(words: list[str], whole: bool = False) -> re.Pattern[str]:
    """One alternation of the words, longest first; Latin words start at a word boundary (and end at one if `whole`)."""
    return re.compile("|".join(
        (r"\b" if re.match(r"\w", w, re.A) else "") + re.escape(w) + (r"\b" if whole and re.search(r"\w$", w, re.A) else "")
        for w in sorted(words, key=len, reverse=True)), re.I)


@cache
def topic() -> Topic:
    """The topic keyword lists of data/topic.json, compiled once."""
    raw = json.loads((DATA / "topic.json").read_text(encoding="utf-8"))
    foreign = _words(raw["foreign"]).pattern + "|" + _words(raw["foreign_origin"], whole=True).pattern
    return Topic(_words(raw["vats"]), _words(raw["vats_services"]), _words(raw["telecom"]), re.compile(foreign, re.I),
                 _words(raw["opening"]), _words(raw["opening_weak"]), _words(raw["vats_pilot"]),
                 int(raw["policy_start_year"]))


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

    Approval and licence words alone are not an opening (regulators license carriers everywhere): they count
    only in a sentence that also names the foreign side. "增值电信业务试点" (the VATS pilot) is the opening itself.

    >>> is_relevant("MIIT approved 13 foreign-invested firms for pilot value-added telecom services.")
    True
    >>> is_relevant("The MIIT said 5G base stations grew 30 percent; telecom revenue rose.")
    False
    """
    t = topic()
    whole = f"{title}\n{text}"
    vats = bool(t.vats.search(whole)) or (bool(t.services.search(whole)) and bool(t.telecom.search(whole)))
    if not vats or (_ELSEWHERE.search(whole) and not _CHINA.search(whole)):
        return False  # another country's telecom opening ("Vietnam grants ... licence") is not this policy
    if not t.vats_pilot.search(whole):
        if not t.foreign.search(whole):
            return False
        if not (t.opening.search(whole) or any(
                t.foreign.search(part) for part in _SENTENCE_CUT.split(whole) if t.opening_weak.search(part))):
            return False
    if latest_year is not None and latest_year < t.start_year:
        return False  # the pilot policy began in 2024: a text that speaks only of earlier years is another story
    return True


# Countries whose own telecom openings make news; named without any word of China, the story is theirs.
_ELSEWHERE = re.compile(r"\b(?:vietnam|thai(?:land)?|india|indonesia|malaysia|philippines?|pakistan|bangladesh|egypt"
                        r"|nigeria|kenya|brazil|mexico|saudi|turkey|türkiye|russia|emirates|uae)(?:'s|’s|n|ese)?\b", re.I)
_CHINA = re.compile(r"\bchina\b|chinese|\bmiit\b|beijing|shanghai|hainan|shenzhen|[\u4e00-\u9fff]", re.I)
_SENTENCE_CUT = re.compile(r"[.。!?！？\n]+")


def latest_year(text: str) -> int | None:
    """The latest plausible year written in a text (used when the publication date is unknown)."""
    years = [int(y) for y in _YEAR.findall(text) if 1990 <= int(y) <= 2100]
    return max(years) if years else None


def count_kinds(sentence: str) -> list[tuple[int, int, str]]:
    """Each count of firms in an approval sentence with its kind: "batch" (news), "cumulative" or "recap".

    A count is cumulative when its clause, or a clause just before it that holds no count, has running-total
    words ("截至目前,已有40家"); a recap when it is told as the background ("since the first batch of 13").

    >>> [k for _s, _e, k in count_kinds("再向21家外资企业发出试点批复,连同首批13家,获批企业累计达34家")]
    ['batch', 'recap', 'cumulative']
    """
    out = []
    bounds = [0] + [m.end() for m in _CLAUSE_END.finditer(sentence)] + [len(sentence) + 1]
    carry = breakdown = False
    k = 0
    matches = list(_COUNT.finditer(sentence))
    for a, b in zip(bounds, bounds[1:], strict=False):
        clause = sentence[a:b]
        here = []
        while k < len(matches) and matches[k].start() < b:
            here.append(matches[k])
            k += 1
        running = bool(_CUMULATIVE.search(clause))
        if running and here and not _CUMULATIVE.search(_WEAK_TOTAL.sub(" ", clause)):
            marker = _THIS_BATCH.search(sentence, 0, here[0].start())
            running = not (marker and not _RECAP_BEFORE.search(sentence[:marker.start()]))
        if out and (_BREAKDOWN.match(clause) or (breakdown and not _APPROVE.search(clause))):
            breakdown = True  # "其中上海11家,北京6家": every part of the breakdown shares the kind of the whole
            out += [(m.start(), m.end(), out[-1][2]) for m in here]
            continue
        breakdown = False
        for m in here:
            before, after = sentence[a:m.start()], sentence[m.end():b].rstrip(",;")
            if _RECAP_BEFORE.search(before) or _RECAP_AFTER.match(after):
                kind = "recap"
            else:
                kind = "cumulative" if running or carry else "batch"
            out.append((m.start(), m.end(), kind))
        carry = running and not here
    return out


@lru_cache(maxsize=512)  # classify and batch_facts ask about the same sentences of an article
def approval_kind(sentence: str) -> str | None:
    """What an approval sentence tells: "batch" (firms approved now), "cumulative" (a running total), "recap"
    (an earlier batch told as background), or None when it tells no approval of a count of firms."""
    if not (_APPROVE.search(sentence) and _PILOT.search(sentence)):
        return None
    if _NOT_YET.search(sentence) and not re.search(r"approved|approvals|批复|获批", sentence, re.I):
        return None
    if re.search(r"\bapplications?\b[^.]{0,40}\baccepted|受理", sentence, re.I):
        return None
    kinds = {k for _s, _e, k in count_kinds(sentence)}
    if "batch" in kinds or (not kinds and ONE_FIRM.search(sentence)):
        return "batch"
    return "cumulative" if "cumulative" in kinds else "recap" if kinds else None


def classify(text: str, title: str = "", published_year: int | None = None,
             spans: list[tuple[int, int]] | None = None) -> tuple[bool, str]:
    """(relevant, event type) of an article, from its normalised title and text.

    >>> classify("截至目前,已有40家外资企业获得增值电信业务试点批复。")
    (True, 'cumulative_status')
    """
    year = published_year if published_year is not None else latest_year(text)
    if not is_relevant(text, title or "", year):
        return False, "unrelated"
    parts = ([title] if title else []) + [text[s:e] for s, e in (spans if spans is not None else sentences(text))]
    kinds = set()
    for part in parts:
        kinds.add(approval_kind(part))
        if "batch" in kinds:
            return True, "batch_report"
    if "cumulative" in kinds:
        return True, "cumulative_status"
    if any(_APPLICANT.search(part) and not _RULE.search(part) for part in parts):
        return True, "applicant_news"
    if "recap" in kinds:  # an earlier batch told again, months later: it corroborates that batch
        return True, "batch_report"
    policy = any(_POLICY.search(part) for part in parts)
    total = any(_TOTAL.search(part) for part in parts)
    if policy or not total:
        return True, "policy_milestone"
    return True, "cumulative_status"
