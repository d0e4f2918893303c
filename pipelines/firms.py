"""Firms named in an article, each with its role (approved, applicant, parent, mentioned) and its parent.

Names come from the gazetteer (aliases in English and Chinese resolve to one canonical firm) and from
patterns for firms it does not know: company suffixes ("(Shenzhen) Co., Ltd.", 有限公司), a name with a
Chinese place in brackets ("HSBC Fintech Services (Shanghai)"), "X's fintech subsidiary", and the items of
a list introduced as companies ("companies such as A, B and C"). Media, government bodies, places and
people are not firms. A role is read from the words of the sentence nearest the name.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipelines.gazetteer import Gazetteer, load

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parents[1] / "data"
ROLES = ("approved", "applicant", "parent", "mentioned")
_RANK = {r: i for i, r in enumerate(ROLES)}

_CAP = r"[A-Z][\w&'’.-]*"
_BRACKET_PLACE = r"\((?:Shanghai|Beijing|Shenzhen|Hainan|China|Guangzhou|Suzhou|Tianjin|Hangzhou|Chengdu|Hong Kong|Wuhan)\)"
# Any capitalised place in brackets, "(Haikou)", "(Xiamen)": a name part only when a company suffix follows.
_BRACKET_ANY = r"\([A-Z][a-z]+(?:\s[A-Z][a-z]+)?\)"
_SUFFIX = (r"(?:Co\.,?\s*Ltd\.?|Co\.?,?\s*Limited|Company\s+Limited|Co\.|Ltd\.?|Limited|Inc\.?|Corp\.|Corporation"
           r"|LLC|GmbH|AG|PLC|plc|S\.A\.|Group)")
# English firm names: capitalised words (with a bracketed place) ending in a company suffix or a bracketed place.
_EN_FIRM = re.compile(
    rf"\b{_CAP}(?:\s+(?:{_CAP}|of|and|&|{_BRACKET_PLACE})){{0,7}}?"
    rf"(?:,?\s+{_SUFFIX}(?![\w])|\s+{_BRACKET_ANY}\s+{_SUFFIX}(?![\w])|\s+{_BRACKET_PLACE}(?:\s+{_SUFFIX}(?![\w]))?)"
)
# A name made only of suffix words ("Co., Ltd.") is the tail of a name the patterns did not catch, not a firm.
_ONLY_SUFFIX = re.compile(rf"^(?:{_SUFFIX}[\s,]*)+$")
# A name registered in China (a company suffix or a bracketed place): in a batch report, such a firm named
# without any cue of its own is one of the approved ("HSBC Fintech Services (Shanghai) Co., Ltd. is one of the four").
_REGISTERED = re.compile(r"\([A-Z][a-z]+(?:\s[A-Z][a-z]+)?\)|\bCo\b|\bLtd\b|\bLimited\b|有限公司|有限责任公司")
_LEAD_STOP = re.compile(r"^(?:(?:The|A|An|Among|In|On|By|For|And|Its|Their|Both|As|At|With|From|Such|Including|"
                        r"Like|Of|Under|Since|After|Before|Unlike|While|When|Also|But|Other|Companies|Firms)\s+)+")
# Chinese firm names: a run of characters ending in a company suffix, cut at words that cannot start a name.
_ZH_FIRM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()]{2,30}?(?:有限责任公司|股份有限公司|有限公司|集团有限公司)")
_ZH_LEFT_CUT = re.compile(r".*(?:向|由|对|给|与|和|及|以及|包括|其中|为|是|有|获得|取得|通过|此次|本次|等|的|了|在|将|已|首批|批复|"
                          r"获批|企业|公司)")
# "HSBC's fintech subsidiary", "Siemens' digital health subsidiary".
_DESCRIPTIVE = re.compile(
    rf"(?P<parent>{_CAP}(?:\s+{_CAP}){{0,3}}?)(?:'s|’s|'|’)\s+(?P<desc>(?:[a-z][\w-]*\s+){{0,3}}?"
    r"(?:subsidiary|affiliate|unit|arm|branch|joint venture))\b"
)
# The items of a list introduced as firms: "companies such as A, B and C", "The approvals also include A".
_LIST_TRIGGER = re.compile(
    r"(?:compan(?:y|ies)|firms?|enterprises?|multinationals?|giants|players|affiliates|subsidiaries),?\s+"
    r"(?:such as|like|including|include|includes|are)\s+"
    r"|\bAmong (?:them|the [^,.;]{0,60}?) (?:are|were|is)\s+"
    r"|\b(?:applicants|recipients|candidates)\b(?:\s+[a-z][\w-]*){0,4}\s+(?:include[sd]?|are|were)\s+", re.I)
# A firm named only as the owner of an unnamed local unit: "a Shanghai subsidiary of the German group X",
# "a local unit of X". The unit is the approved or applying firm; the owner's name is all the text gives of it.
# Not after a comma: "Foo Ltd., a unit of X" names X as Foo's parent.
_UNIT_OF = re.compile(
    rf"(?<![,;])(?<!,\s)\b(?:[Aa]n?|[Ii]ts|[Oo]ne)\s+(?:[\w-]+\s+){{0,2}}?(?:subsidiary|unit|arm|affiliate|branch|division)"
    rf"\s+of\s+(?:the\s+)?(?:(?:[\w-]+\s+){{0,2}}?"
    rf"(?:group|company|firm|conglomerate|giant|multinational|maker|provider|operator)\s+)?"
    rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})")
_LIST_ITEM = re.compile(rf"^(?:{_CAP}|\d[\w-]*)(?:\s+(?:{_CAP}|of|&|{_BRACKET_PLACE})){{0,5}}$")
_PARENT_AFTER = re.compile(
    r"^\s*,?\s*(?:which\s+is\s+|that\s+is\s+|an?\s+|the\s+)?(?:(?:wholly[- ]owned\s+|majority[- ]owned\s+)?"
    r"(?:affiliate[ds]?|subsidiary|unit|arm|division|branch|joint\s+venture)"
    r"\s+(?:of|with|to|between)|(?:(?:majority|wholly)[- ])?(?:owned|backed|controlled)\s+by|part\s+of)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}?$", re.I)
_PARENT_BEFORE = re.compile(r"(?:'s|’s|'|’)\s*$")
_SURNAMES = set(
    "li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song tang han "
    "feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lyu ding ren shen yao lu jin shi "
    "cui fan ling wen qian jia xia fu fang zou xiong bai meng qin qiu hou jiang yin xue yan duan lei long tao he mao "
    "hao gu kong".split())

# Cues of a role, read in the sentence around a name (the normalised text).
_APPLICANT_CUE = re.compile(
    r"plann?\w* to apply|plans? to apply|intend\w* to apply|to apply|appl(?:y|ied|ying) (?:for|to)|applications?|applicants?"
    r"|submitted|signed\b.{0,40}\b(?:agreement|deal|memorand|contract|letter)|agreements?|memorand|to take part"
    r"|to participate|among the first (?:group )?(?:of )?\w*\s*to|interest in|waiting for"
    r"|requested permits|seeking|seeks|once\b.{0,40}approv|if approved|after receiving|pending"
    r"|申请|申报|签约|签署|协议|入列|受理|拟|计划|意向|等待", re.I)
_APPROVED_CUE = re.compile(
    r"approv\w*|greenlight\w*|green light|green-lit|granted|\bclear(?:ed|s)\b|permitted|licen[cs]ed|given the nod|nod to|\bthe nod\b|obtained"
    r"|received (?:the )?(?:pilot )?(?:approval|licen[cs]e|permit)s?"
    r"|批复|获批|获准|核准|批准|发放|取得|获得.{0,6}(?:许可|资质|试点)", re.I)
_HYPOTHETICAL = re.compile(r"\bonce\b|\bif\b|\bafter receiving\b|\bpending\b|\bwould\b|一旦|如获|待", re.I)


@dataclass
class Mention:
    name: str
    surface: str
    start: int
    end: int
    parent: str | None = None
    group: bool = False
    known: bool = False
    is_parent_here: bool = False


@dataclass
class Firm:
    name: str
    role: str
    parent: str | None
    surface: str
    start: int
    end: int
    sentence: tuple[int, int] = (0, 0)
    surfaces: set[str] = field(default_factory=set)


@cache
def _places() -> frozenset[str]:
    raw = json.loads((DATA / "areas.json").read_text(encoding="utf-8"))
    names = {a for area in raw["areas"] for a in area["aliases"]} | set(raw.get("other_places", []))
    return frozenset(n.lower() for n in names)


def _not_firm(name: str, gaz: Gazetteer) -> bool:
    low = name.lower().strip()
    if gaz.is_not_firm(name) or low in _places():
        return True
    if re.match(r"^(?:ministry|state council|national|people's|government|municipal|department|bureau|commission|"
                r"china academy|chinese academy|office of)\b", low):
        return True
    parts = [p.strip(" )") for p in re.split(r"\s*\(", name) if p.strip(" )")]
    if any(gaz.is_not_firm(p) or p.lower() in _places() for p in parts[:1]):
        return True
    words = low.replace("-", " ").split()
    return 1 < len(words) <= 3 and words[0] in _SURNAMES and name.split()[0][0].isupper() and all(
        w.isalpha() for w in words)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def find_mentions(text: str, gaz: Gazetteer, skip: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Every firm name in normalised `text`: gazetteer aliases first, then patterns, longest first, no overlaps."""
    skip = skip or []
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: Mention) -> None:
        if _overlaps(taken, m.start, m.end) or _overlaps(skip, m.start, m.end):
            return
        found.append(m)
        taken.append((m.start, m.end))

    for m in _DESCRIPTIVE.finditer(text):
        parent = m["parent"]
        if _not_firm(parent, gaz) or _LEAD_STOP.match(parent + " "):
            continue
        known = gaz.lookup(parent)
        parent_name = known["name"] if known else parent
        add(Mention(m.group(), m.group(), m.start(), m.end(), parent_name))
        # the parent named inside ("HSBC" in "HSBC's fintech subsidiary") is a mention of its own
        found.append(Mention(parent_name, parent, m.start(), m.start() + len(parent), None, True, bool(known), True))
    assert gaz.pattern is not None
    for m in gaz.pattern.finditer(text):
        firm = gaz.lookup(m.group())
        if firm:
            add(Mention(firm["name"], m.group(), m.start(), m.end(), firm["parent"], firm["group"], True))
    for m in _UNIT_OF.finditer(text):
        surface = m["name"]
        if _not_firm(surface, gaz) or _LEAD_STOP.match(surface + " "):
            continue
        known = gaz.lookup(surface)
        add(Mention(known["name"] if known else surface, surface, m.start("name"), m.end("name"),
                    known["parent"] if known else None, bool(known and known["group"]), bool(known)))
    for m in _EN_FIRM.finditer(text):
        surface = m.group()
        lead = _LEAD_STOP.match(surface)
        start = m.start() + (lead.end() if lead else 0)
        surface = text[start:m.end()]
        if len(surface) < 3 or _not_firm(surface, gaz) or not re.match(r"[A-Z0-9]", surface) \
                or _ONLY_SUFFIX.match(surface):
            continue
        known = gaz.lookup(surface)
        add(Mention(known["name"] if known else surface, surface, start, m.end(),
                    known["parent"] if known else None, bool(known and known["group"]), bool(known)))
    for m in _ZH_FIRM.finditer(text):
        surface = m.group()
        cut = _ZH_LEFT_CUT.match(surface[:-4])
        start = m.start() + (cut.end() if cut else 0)
        surface = text[start:m.end()]
        if len(surface) < 6 or _not_firm(surface, gaz):
            continue
        known = gaz.lookup(surface)
        add(Mention(known["name"] if known else surface, surface, start, m.end(),
                    known["parent"] if known else None, False, bool(known)))
    for m in _LIST_TRIGGER.finditer(text):
        end = _list_end(text, m.end())
        pos = m.end()
        for item in re.split(r"\s*(?:;|,(?!\s*(?:Ltd|Inc|Co\b|Limited))|\band\b|、|和|及)\s*", text[m.end():end]):
            idx = text.find(item, pos, end + 1) if item else -1
            if idx < 0:
                continue
            pos = idx + len(item)
            clean = re.sub(r"^(?:the|and)\s+", "", item).strip(" .")
            if not clean or not _LIST_ITEM.match(clean) or _not_firm(clean, gaz):
                continue
            istart = text.find(clean, idx)
            known = gaz.lookup(clean)
            if known is None and (_LEAD_STOP.match(clean + " ") or len(clean) < 3):
                continue
            add(Mention(known["name"] if known else clean, clean, istart, istart + len(clean),
                        known["parent"] if known else None, bool(known and known["group"]), bool(known)))
    found.sort(key=lambda x: x.start)
    return found


def _list_end(text: str, start: int) -> int:
    m = re.compile(r"(?<!\bLtd)(?<!\bCo)(?<!\bInc)\.(?:\s|$)|[。\n!?]| were | was | are | have | has | who | that ").search(
        text, start)
    return m.start() if m else len(text)


def _link_parents(text: str, mentions: list[Mention]) -> None:
    """Mark a firm named as another's parent ("an affiliate of X", "X's Y") and give the child that parent."""
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt and nxt.start - m.end <= 80 and _PARENT_AFTER.match(text[m.end:nxt.start]):
            nxt.is_parent_here = True
            if not (m.parent and m.known):
                m.parent = nxt.name
            elif m.parent != nxt.name and nxt.group:
                m.parent = nxt.name
        if nxt and nxt.start - m.end <= 3 and _PARENT_BEFORE.match(text[m.end:nxt.start]) and m.group:
            m.is_parent_here = True
            nxt.parent = m.name


# Where a clause ends inside a sentence: "..., while Tesla said it was planning to apply".
# "首批13家企业获批后,特斯拉表示..." and "自...以来," end a background clause too.
_CLAUSE = re.compile(r";|,?\s+(?:while|whereas|but|although|though)\s+|,\s*而|;|但|而|(?:以来|之后|后)\s*,")


def _role_in(sentence: str, offset: int) -> str | None:
    """The role the words of a name's clause give it (at `offset` in the sentence): the nearest cue decides."""
    lo, hi = 0, len(sentence)
    for m in _CLAUSE.finditer(sentence):
        if m.end() <= offset:
            lo = m.end()
        elif m.start() >= offset:
            hi = m.start()
            break
    sentence, offset = sentence[lo:hi], offset - lo
    best: tuple[int, str] | None = None
    for cue, role in ((_APPLICANT_CUE, "applicant"), (_APPROVED_CUE, "approved")):
        for m in cue.finditer(sentence):
            dist = abs(m.start() - offset)
            if role == "approved" and _HYPOTHETICAL.search(sentence[max(0, m.start() - 40):m.start()]):
                role_here = "applicant"
            else:
                role_here = role
            if best is None or dist < best[0]:
                best = (dist, role_here)
    return best[1] if best else None


def extract_firms(text: str, sentences: list[tuple[int, int]], event: str, relevant: bool = True,
                  skip: list[tuple[int, int]] | None = None) -> list[Firm]:
    """One entry per firm (canonical name) with its strongest role in the article.

    >>> [(f.name, f.role) for f in extract_firms("Tesla plans to apply for the pilot.", [(0, 35)], "applicant_news")]
    [('Tesla', 'applicant')]
    """
    gaz = load()
    mentions = find_mentions(text, gaz, skip)
    if not mentions:
        return []
    _link_parents(text, mentions)
    named = {m.name for m in mentions}
    parents_named = {m.parent for m in mentions if m.parent}
    firms: dict[str, Firm] = {}
    for m in mentions:
        sent = next(((s, e) for s, e in sentences if s <= m.start < e), (m.start, m.end))
        if not relevant:
            role = "mentioned"
        elif m.is_parent_here or (m.group and (m.name in parents_named or any(
                sub in named for sub in gaz.subsidiaries(m.name)))):
            role = "parent"
        else:
            sentence = text[sent[0]:sent[1]]
            role = _role_in(sentence, m.start - sent[0]) or _default_role(sentence, event, m.name)
        name, parent = m.name, m.parent
        if role == "approved" and m.group:
            subs = gaz.subsidiaries(m.name)
            if len(subs) == 1:  # "Airbus" among approved firms stands for its China-registered affiliate
                name, parent = subs[0], m.name
        if name in parents_named and role == "mentioned":
            role = "parent"
        current = firms.get(name)
        if current is None or _RANK[role] < _RANK[current.role]:
            firms[name] = Firm(name, role, parent or (current.parent if current else None), m.surface, m.start, m.end,
                               sent, (current.surfaces if current else set()) | {m.surface})
        else:
            current.surfaces.add(m.surface)
            if current.parent is None and parent:
                current.parent = parent
    return list(firms.values())


def _default_role(sentence: str, event: str, name: str = "") -> str:
    """The role of a name whose sentence has no cue: in a batch report, listed firms and China-registered
    firms are the approved ones."""
    if event == "batch_report" and (_LIST_TRIGGER.search(sentence) or _REGISTERED.search(name)):
        return "approved"
    if event == "applicant_news":
        return "applicant"
    return "mentioned"
