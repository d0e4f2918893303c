"""Firms named in an article, each with its role (approved, applicant, parent, mentioned) and its parent.

Names come from the gazetteer (aliases in English and Chinese resolve to one canonical firm) and from
patterns for firms it does not know: company suffixes ("(Shenzhen) Co., Ltd.", 有限公司), a name with a
Chinese place in brackets ("HSBC Fintech Services (Shanghai)"), "X's fintech subsidiary", and the items of
a list introduced as companies ("companies such as A, B and C"). Media, government bodies, places and
people are not firms. A role is read from the words of the sentence nearest the name.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pipelines.gazetteer import Gazetteer, load
from pipelines.kinds import Event, Role
from pipelines.knowledge import load as load_data
from pipelines.relevance import BASE, alternation, cue_pattern, cue_values, cue_words, fired

logger = logging.getLogger(__name__)

ROLES = tuple(Role)
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
_UNIT_EN = "|".join(cue_words("unit_word", ("en",))).replace(" ", r"\s+")
_DESCRIPTIVE = re.compile(
    rf"\b(?P<parent>{_CAP}(?:\s+{_CAP}){{0,3}}?)(?:'s|’s|'|’)\s+(?P<desc>(?:[a-z][\w-]*\s+){{0,3}}?"
    rf"(?:{_UNIT_EN}))\b"
)
# The items of a list introduced as firms: "companies such as A, B and C", "The approvals also include A".
@cache
def _list_trigger(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternation(cue_words("list_intro", langs) + cue_words("list_intro_firms", langs)), re.I)


# A capitalised name as firms are written in Latin letters ("Vodafone", "Dun & Bradstreet", "Bank of China"); not a
# possessive ("Tesla's application" names the application).
_NAME = r"\b[A-Z](?:[\w&-]|\.(?=\w))*(?:[ \t]+(?:[A-Z](?:[\w&-]|\.(?=\w))*|&|of)){0,3}(?![\w'’])"
# Names coordinated in a list: "Nokia and Ericsson", "A, B and C", "a Nokia y a Ericsson".
_NAMES = rf"{_NAME}(?:[ \t]*(?:,|\band\b|\by\b|\be\b|\bet\b|\bund\b)[ \t]*(?:(?:a|à|o)[ \t]+)?{_NAME}){{0,5}}"


_PREPOSITION = (r"(?:in|on|at|by|for|from|with|to|into|since|until|after|before|during|en|em|de|da|do|di|à|au|aux|im|am|"
                r"per|por|para|pour|mit|nel|nella|no|na|dans|sur|seit|bis|con|com|avec)\b")


@cache
def _named_by_verb(langs: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(a verb of a firm's role, names right after an approval verb) in `langs`: the structure of a news sentence
    names its firms there, whether or not the gazetteer knows them. The names before a verb are read backwards from
    it (`_SUBJECT`), so a text is scanned for the verbs only."""
    before = cue_words("role_verb_after_name", langs)
    after = cue_words("approval_object", langs)
    # "a alemã", "la francesa"; a preposition after the verb starts no object ("approved in February")
    det = rf"(?:(?:the|la|el|a|o|le|l'|il|die|der)[ \t]+)?(?:(?!{_PREPOSITION}[ \t])[a-zà-ÿ]+[ \t]+)?"
    return (re.compile(rf"[ \t](?:{'|'.join(before)})") if before else None,
            re.compile(rf"(?:{'|'.join(after)}){det}(?P<names>{_NAMES})") if after else None)


_AND = re.compile(r"\b(?:and|y|e|et|und)\b")
# The names that end right before a verb (searched in a window before it).
_SUBJECT = re.compile(rf"(?P<names>{_NAMES})[ \t]*\Z")


@cache
def _generic_subjects() -> frozenset[str]:
    """Words that begin no firm's name, in every language: generic nouns, days, months."""
    months = {m for lang in ("en", "es", "pt", "fr", "de", "it", "id") for m in cue_values("months", (lang,))}
    return frozenset(w.lower() for w in cue_words("generic_subject", ("en",)) + sorted(months))


# A firm named only as the owner of an unnamed local unit: "a Shanghai subsidiary of the German group X",
# "a local unit of X", "affiliates of X, Y and Z", "uma filial da Airbus", "der Tochter von X". The unit is the
# approved or applying firm; the owner's name is all the text gives of it. Not after a comma: "Foo Ltd., a unit of X"
# names X as Foo's parent.
_OWNER = r"[A-Z][\w&-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w&-]*){0,3}"  # "HSBC", "Deutsche Telekom", "Bank of China"


@cache
def _unit_of(langs: tuple[str, ...]) -> re.Pattern[str]:
    units = cue_words("unit_word", langs)
    unit = "(?:" + "|".join(units) + ")"
    link = "(?:" + "|".join(cue_words("unit_link", langs)) + ")"
    # One unit after a determiner ("a Shanghai subsidiary of"), or units in the plural ("affiliates of X, Y and Z").
    det = r"(?:[Aa]n?|[Ii]ts|[Oo]ne|[Tt]wo|[Tt]hree|[Uu]ma|[Uu]na|[Uu]n|[Uu]ne|[Dd]uas|[Dd]os|[Dd]eux|[Dd]ue|[Ee]ine[rn]?)"
    plural = r"(?:[Aa]ffiliates|[Ss]ubsidiaries|[Uu]nits|[Ff]iliais|[Ff]iliales|[Ff]iliali|Töchter|Tochtergesellschaften)"
    return re.compile(
        rf"\b(?<![,;])(?<!,\s)(?:{det}\s+(?:[\w-]+\s+){{0,2}}?{unit}|(?P<plural>{plural}))\s+{link}\s+"
        rf"(?:the\s+|la\s+|a\s+|o\s+|le\s+|l'|der\s+)?(?:(?:[\w-]+\s+){{0,2}}?"
        rf"(?:group|company|firm|conglomerate|giant|multinational|maker|provider|operator)\s+)?(?:[a-zà-ÿ]+\s+)?"
        rf"(?P<name>{_OWNER})"
        rf"(?P<more>(?:[ \t]*(?:,|\band\b|\be\b|\by\b|\bet\b|\bund\b)[ \t]*{_OWNER}){{0,6}})")


@cache
def _unit_after_comma(langs: tuple[str, ...]) -> re.Pattern[str]:
    """A unit phrase right after a comma, ", a unit of X": X owns the firm named before the comma (or, when none is,
    the unnamed unit)."""
    unit = "(?:" + "|".join(cue_words("unit_word", langs)) + ")"
    link = "(?:" + "|".join(cue_words("unit_link", langs)) + ")"
    return re.compile(rf"[,;]\s*(?:[Aa]n?|[Tt]he|[Ii]ts|[Uu]ma|[Uu]na|[Uu]ne?|[Ee]ine[rn]?)\s+(?:[\w-]+\s+){{0,2}}?{unit}\s+{link}"
                      rf"\s+(?:the\s+|la\s+|a\s+|o\s+|le\s+|l'|der\s+)?(?:[a-zà-ÿ]+\s+)?(?P<name>{_OWNER})")


# "a Siemens subsidiary", "two HSBC units": the owner written before the unit word.
_EN_OWNER_UNIT = re.compile(rf"\b(?:[Aa]n?|[Ii]ts|[Oo]ne|[Tt]wo|[Tt]hree)\s+(?P<name>{_OWNER})\s+(?:[a-z][\w-]*\s+)?"
                            rf"(?:{_UNIT_EN})\b(?!\s+(?:of|with)\b)")


# A unit word followed by the unit's own name: "...関連会社である T-Systems P.R. China Ltd.", "...자회사인 X".
_NAMED_AFTER = re.compile(r"\s*(?:である|인)\s*[A-Z\u30a0-\u30ff\uac00-\ud7a3]|\s+[A-Z]")


# A Korean word with its Chinese characters in brackets, and no company word after: the gloss of a place or a name
# ("광둥성(广东)"), not a firm registered there ("지멘스 디지털테크(선전)회사" is written in Hangul).
_HAN_GLOSS = re.compile(r"[\uac00-\ud7a3]\s?\([\u4e00-\u9fff]+\)$")


# Korean and Japanese particles: a word that ends in one closes the phrase before a name ("기업에는 도이치 텔레콤").
_PARTICLE_END = re.compile(r"(?:에는|에서|으로|에게|까지|부터|은|는|을|를|에|의|과|와|は|が|を|に|で|と|も)$")


# A German unit named by what it does, a compound with Tochter: "der Fintech-Tochter von HSBC", "der Siemens-Tochter
# für digitale Gesundheit" (as "HSBC's fintech subsidiary" in English): a firm of its own, its owner the parent.
# The owner follows with von or a genitive ("der Daten-Tochter des Autobauers BMW", "der Software-Tochter der Allianz"),
# or is the first part of the compound ("der Bosch-Tochter für ..."); a name right after is the unit's own
# ("die Telekom-Tochter T-Systems"), and that name is the firm.
_DE_DESCRIPTIVE = re.compile(
    rf"\b(?:der|die|den|dem|einer|eine|einen)\s+(?P<name>(?P<pre>[A-ZÄÖÜ][\w]*)-Tochter\w*"
    rf"(?:\s+(?:von|des|der)\s+(?:[A-ZÄÖÜ][a-zäöüß]+s\s+(?=[A-Z]))?(?P<owner>{_OWNER})"
    r"|\s+für\s+(?:[a-zäöüß]\w*\s+){0,2}[A-ZÄÖÜ]\w+)?)(?P<named>\s+[A-Z][\w-]*[A-Z0-9-][\w-]*)?")


# "エアバスの関連会社", "지멘스의 자회사": the owner written before the unit word in Japanese and Korean.
@cache
def _unit_after_owner(langs: tuple[str, ...]) -> re.Pattern[str] | None:
    units = [w for w in cue_words("unit_word", langs) if not re.match(r"\w", w, re.A)]
    if not units or not set(langs) & {"ja", "ko"}:
        return None
    return re.compile(r"(?P<name>[\u30a0-\u30ffA-Za-z\uac00-\ud7a3·・\s]{2,30}?)(?:の|의)\s*(?:[^\s、。,]{0,12}?)(?:"
                      + "|".join(units) + ")")


_LIST_ITEM = re.compile(rf"^(?:{_CAP}|\d[\w-]*)(?:\s+(?:{_CAP}|of|&|{_BRACKET_PLACE})){{0,5}}$")
_PARENT_AFTER = re.compile(
    r"^\s*,?\s*(?:which\s+is\s+|that\s+is\s+|an?\s+|the\s+)?(?:(?:wholly[- ]owned\s+|majority[- ]owned\s+)?"
    rf"(?:affiliated|{_UNIT_EN})"
    r"\s+(?:of|with|to|between)|(?:(?:majority|wholly)[- ])?(?:owned|backed|controlled)\s+by|part\s+of)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}?$", re.I)
_PARENT_BEFORE = re.compile(r"(?:'s|’s|'|’)\s*$")
_SURNAMES = set(
    "li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song tang han "
    "feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lyu ding ren shen yao lu jin shi "
    "cui fan ling wen qian jia xia fu fang zou xiong bai meng qin qiu hou jiang yin xue yan duan lei long tao he mao "
    "hao gu kong xi ji yi".split())



@dataclass(frozen=True)
class RoleCues:
    """Cues of a role, read in the clause around a name (the normalised text), from data/cues.json."""

    langs: tuple[str, ...]
    applicant: re.Pattern[str]
    approved: re.Pattern[str]
    hypothetical: re.Pattern[str]
    context: re.Pattern[str]
    list_trigger: re.Pattern[str]
    anaphora: re.Pattern[str]


@cache
def role_cues(langs: tuple[str, ...] = BASE) -> RoleCues:
    applicant = cue_words("application", langs) + cue_words("application_role", langs)
    return RoleCues(langs, re.compile(alternation(applicant), re.I), cue_pattern("approval", langs),
                    cue_pattern("hypothetical", langs), cue_pattern("context_firm", langs), _list_trigger(langs),
                    cue_pattern("list_anaphora", langs))


@dataclass
class Mention:
    name: str  # the canonical name (the gazetteer's, or the surface when it does not know the firm)
    surface: str
    start: int
    end: int
    parent: str | None = None
    group: bool = False
    known: bool = False
    is_parent_here: bool = False
    unit: bool = False  # the name is the owner of an unnamed unit, which is the firm meant ("a subsidiary of X")


@dataclass
class Firm:
    """A firm of an article: `name` as the article writes it (None for a unit named only by its owner),
    `canonical` as the gazetteer resolves it (the name itself when it does not know it)."""

    name: str | None
    role: str
    parent: str | None
    surface: str
    start: int
    end: int
    sentence: tuple[int, int] = (0, 0)
    surfaces: set[str] = field(default_factory=set)
    canonical: str | None = None


@cache
def _places() -> frozenset[str]:
    raw = load_data("areas.json")
    names = {a for area in raw["areas"] for a in area["aliases"]} | set(raw.get("other_places", []))
    return frozenset(n.lower() for n in names)


@cache
def _bracket_name() -> re.Pattern[str]:
    """A name in another script with a Chinese place in brackets: "도이치 텔레콤(중국)", "지멘스 디지털테크(선전)회사"."""
    raw = load_data("areas.json")
    places = sorted({a for area in raw["areas"] for a in area["aliases"] if not a.isascii()}
                    | {p for p in raw.get("other_places", []) if not p.isascii()}, key=len, reverse=True)
    return re.compile(r"(?<![\uac00-\ud7a3\u30a0-\u30ff])[\uac00-\ud7a3\u30a0-\u30ff][\uac00-\ud7a3\u30a0-\u30ffA-Za-z]*"
                      r"(?:\s[\uac00-\ud7a3\u30a0-\u30ffA-Za-z]+){0,3}\s?\((?:" + "|".join(map(re.escape, places))
                      + r")\)(?:유한공사|유한회사|회사|有限公司)?")


@cache
def _zh_bracket_name() -> re.Pattern[str]:
    """A Chinese name with a place in brackets and no company suffix: "诺基亚贝尔(上海)", "爱立信(中国)通信" (the
    names in Chinese that the ko/ja bracket rule reads in Hangul and Kana)."""
    raw = load_data("areas.json")
    han = re.compile(r"[\u4e00-\u9fff]+")
    places = sorted({a for area in raw["areas"] for a in area["aliases"] if han.fullmatch(a)}
                    | {p for p in raw.get("other_places", []) if han.fullmatch(p)}, key=len, reverse=True)
    return re.compile(r"(?P<head>[\u4e00-\u9fff]{2,12})\((?:" + "|".join(places)
                      + r")\)[\u4e00-\u9fff]{0,8}?(?=[、,，。;；和及与等的获已\s)]|$)")


# The head of a bracketed place that is itself a place or a kind of thing: "试点城市(北京)", "首批试点地区(上海)".
_ZH_PLACE_END = re.compile(r"(?:市|省|区|县|城市|地区|试点|企业|公司|地|港|园)$")


@cache
def _nationalities() -> frozenset[str]:
    """Nationalities and countries (data/topic.json foreign_origin): "German" is no firm."""
    return frozenset(w.lower() for words in load_data("topic.json")["foreign_origin"].values() for w in words)


def _not_firm(name: str, gaz: Gazetteer) -> bool:
    """Media, government bodies, places, nationalities and people's names look like firms but are not."""
    return _not_firm_name(name) if gaz is load() else _is_not_firm(name, gaz)


@lru_cache(maxsize=2048)
def _not_firm_name(name: str) -> bool:
    return _is_not_firm(name, load())


def _is_not_firm(name: str, gaz: Gazetteer) -> bool:
    low = name.lower().strip()
    if gaz.is_not_firm(name) or low in _places() or low in _nationalities():
        return True
    if re.search(r"\b(?:zone|port|area|district|province|city|region|park|county|municipality|island)$", low):
        return True  # "Hainan Free Trade Port", "Lingang Special Area": places
    if re.search(r"\b(?:government|municipal|provincial|commission|council|bureau|administration|authorit(?:y|ies)|"
                 r"regulators?|gobierno|governo|gouvernement|regierung)\b", low):
        return True  # "Shanghai Municipal Government": a government body
    if re.match(r"^(?:ministry|ministerio|ministério|ministère|ministero|ministerium|министерств\w*|state council|national|people's|government|municipal|department|bureau|commission|"
                r"china academy|chinese academy|office of)\b", low):
        return True
    parts = [p.strip(" )") for p in re.split(r"\s*\(", name) if p.strip(" )")]
    if any(gaz.is_not_firm(p) or p.lower() in _places() for p in parts[:1]):
        return True
    words = low.replace("-", " ").split()
    return 1 < len(words) <= 3 and words[0] in _SURNAMES and name.split()[0][0].isupper() and all(
        w.isalpha() for w in words)


class _Spans:
    """Disjoint spans kept in order, so that an overlap is found by looking at two neighbours (not at all)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s)
        return (i > 0 and self.ends[i - 1] > s) or (i < len(self.starts) and self.starts[i] < e)

    def add(self, s: int, e: int) -> None:
        i = bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


# Articles and determiners before a list item: "a PCCW", "la filiale", "der Konzern".
_ITEM_LEAD = re.compile(r"^(?:the|and|a|o|os|as|la|las|el|los|le|les|l'|der|die|das|il|lo|gli|e|y|et|und)\s+", re.I)
_ITEM_TAIL = re.compile(r"\s+\((?:[A-Z&.]{2,10})\)$")  # an acronym after a name: "Dun & Bradstreet (D&B)"


def find_mentions(text: str, gaz: Gazetteer, skip: list[tuple[int, int]] | None = None,
                  langs: tuple[str, ...] = BASE) -> list[Mention]:
    """Every firm name in normalised `text`: gazetteer aliases first, then patterns, longest first, no overlaps."""
    skip = skip or []
    found: list[Mention] = []
    taken = _Spans()

    def add(m: Mention) -> bool:
        if taken.overlaps(m.start, m.end) or (skip and _overlaps(skip, m.start, m.end)):
            return False
        found.append(m)
        taken.add(m.start, m.end)
        return True

    for m in _DESCRIPTIVE.finditer(text):
        parent = m["parent"]
        if _not_firm(parent, gaz) or _LEAD_STOP.match(parent + " "):
            continue
        known = gaz.lookup(parent)
        parent_name = known["name"] if known else parent
        add(Mention(m.group(), m.group(), m.start(), m.end(), parent_name))
        # the parent named inside ("HSBC" in "HSBC's fintech subsidiary") is a mention of its own
        found.append(Mention(parent_name, parent, m.start(), m.start() + len(parent), None, True, bool(known), True))
    if "de" in langs:
        for m in _DE_DESCRIPTIVE.finditer(text):
            if m["named"]:
                continue  # "die Telekom-Tochter T-Systems": the unit is named, and found by its name
            owner_text = m["owner"] or m["pre"]
            owner = gaz.lookup(owner_text)
            if owner is None and _not_firm(owner_text, gaz):
                owner_text = ""  # "die China-Tochter": a place, no owner
            parent_name = owner["name"] if owner else (owner_text or None)
            if add(Mention(m["name"], m["name"], m.start("name"), m.end("name"), parent_name)):
                fired("firms:descriptive_de")
                if owner_text:
                    at = m.start("owner") if m["owner"] else m.start("pre")
                    found.append(Mention(parent_name, owner_text, at, at + len(owner_text), None, True, bool(owner), True))
    # Owners of unnamed units come before the gazetteer, so that "affiliates of Siemens" is a unit of Siemens.
    for m in _unit_of(langs).finditer(text):
        owners = [(m.start("name"), m.end("name"))]
        if m["more"] and m["plural"]:  # "affiliates of A, B and C"; "a unit of A and B" names B itself
            base = m.start("more")
            owners += [(base + o.start(), base + o.end())
                       for o in re.finditer(_OWNER, m["more"])]
        for s, e in owners:
            surface = text[s:e]
            lead = _LEAD_STOP.match(surface + " ")
            if lead:
                continue
            if _not_firm(surface, gaz):
                continue
            known = gaz.lookup(surface)
            if add(Mention(known["name"] if known else surface, surface, s, e, None,
                           bool(known and known["group"]), bool(known), unit=True)):
                fired("firms:unit_of")
    if "en" in langs:
        for m in _EN_OWNER_UNIT.finditer(text):
            surface = m["name"]
            if _not_firm(surface, gaz) or _LEAD_STOP.match(surface + " "):
                continue
            known = gaz.lookup(surface)
            if add(Mention(known["name"] if known else surface, surface, m.start("name"), m.end("name"), None,
                           bool(known and known["group"]), bool(known), unit=True)):
                fired("firms:owner_before_unit")
    after_owner = _unit_after_owner(langs)
    if after_owner is not None:
        for m in after_owner.finditer(text):
            # the owner is the words after the last one that ends in a particle ("승인 기업에는 에어버스의" -> 에어버스)
            words = m["name"].split(" ")
            cut = max((i + 1 for i, w in enumerate(words[:-1]) if _PARTICLE_END.search(w)), default=0)
            surface = " ".join(words[cut:]).strip(" ・·")
            s = m.start("name") + m["name"].rindex(surface) if surface else m.start("name")
            if len(surface) < 2 or _not_firm(surface, gaz) or _NAMED_AFTER.match(text, m.end()):
                continue  # "ドイツテレコムの...関連会社である T-Systems": the unit is named after
            known = gaz.lookup(surface)
            if add(Mention(known["name"] if known else surface, surface, s, s + len(surface), None,
                           bool(known and known["group"]), bool(known), unit=True)):
                fired("firms:unit_after_owner")
    if set(langs) & {"ja", "ko"}:
        for m in _bracket_name().finditer(text):
            words = m.group().split(" ")
            cut = max((i + 1 for i, w in enumerate(words[:-1]) if _PARTICLE_END.search(w)), default=0)
            surface = " ".join(words[cut:])
            start = m.end() - len(surface)
            if _not_firm(surface, gaz) or _HAN_GLOSS.search(surface):
                continue
            known = gaz.lookup(surface)
            if add(Mention(known["name"] if known else surface, surface, start, m.end(),
                           known["parent"] if known else None, False, bool(known))):
                fired("firms:bracket_place_name")
    assert gaz.pattern is not None
    for m in gaz.matches(text):
        firm = gaz.lookup(m.group())
        if firm:
            add(Mention(firm["name"], m.group(), m.start(), m.end(), firm["parent"], firm["group"], True))
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
    if "zh" in langs and "的" in text:
        tail = _zh_unit_tail()
        for m in found:
            if m.known and m.group and not m.unit and not m.is_parent_here and tail.match(text, m.end):
                m.unit = True
                fired("firms:zh_owner_of_unit")
    for m in (_ZH_FIRM.finditer(text) if "公司" in text else ()):
        surface = m.group()
        cut = _ZH_LEFT_CUT.match(surface[:-4])
        start = m.start() + (cut.end() if cut else 0)
        surface = text[start:m.end()]
        if len(surface) < 6 or _not_firm(surface, gaz):
            continue
        known = gaz.lookup(surface)
        add(Mention(known["name"] if known else surface, surface, start, m.end(),
                    known["parent"] if known else None, False, bool(known)))
    if "zh" in langs and "(" in text:
        for m in _zh_bracket_name().finditer(text):
            head = m["head"]
            cut = _ZH_LEFT_CUT.match(head)
            head = head[cut.end():] if cut else head
            start = m.start("head") + len(m["head"]) - len(head)
            surface = text[start:m.end()]
            if len(head) < 2 or _ZH_PLACE_END.search(head) or _not_firm(surface, gaz):
                continue
            known = gaz.lookup(surface)
            if add(Mention(known["name"] if known else surface, surface, start, m.end(),
                           known["parent"] if known else None, False, bool(known))):
                fired("firms:zh_bracket_place_name")
    for m in _list_trigger(langs).finditer(text):
        end = _list_end(text, m.end())
        pos = m.end()
        for item in re.split(r"\s*(?:;|,(?!\s*(?:Ltd|Inc|Co\b|Limited))|\band\b|\be\b|\by\b|\bet\b|\bund\b|、|和|及)\s*",
                             text[m.end():end]):
            idx = text.find(item, pos, end + 1) if item else -1
            if idx < 0:
                continue
            pos = idx + len(item)
            clean = _ITEM_LEAD.sub("", _ITEM_LEAD.sub("", item)).strip(" .")
            clean = _ITEM_TAIL.sub("", clean) if _ITEM_TAIL.search(clean) and not _LIST_ITEM.match(clean) else clean
            if not clean or not _LIST_ITEM.match(clean) or _not_firm(clean, gaz):
                continue
            istart = text.find(clean, idx)
            known = gaz.lookup(clean)
            if known is None and (_LEAD_STOP.match(clean + " ") or len(clean) < 3):
                continue
            if add(Mention(known["name"] if known else clean, clean, istart, istart + len(clean),
                           known["parent"] if known else None, bool(known and known["group"]), bool(known))):
                fired("firms:list_item")
    for m in _unit_after_comma(langs).finditer(text):  # "Foo Ltd., a unit of Bosch": Bosch is Foo's parent
        surface = m["name"]
        if _LEAD_STOP.match(surface + " ") or _not_firm(surface, gaz):
            continue
        known = gaz.lookup(surface)
        if add(Mention(known["name"] if known else surface, surface, m.start("name"), m.end("name"), None,
                       bool(known and known["group"]), bool(known), unit=True)):
            fired("firms:owner_after_comma")
    _add_named_by_verb(text, gaz, langs, add)  # last: every other pattern reads a name more fully
    found.sort(key=lambda x: x.start)
    return found


def _add_named_by_verb(text: str, gaz: Gazetteer, langs: tuple[str, ...], add) -> None:
    """Names the structure of a sentence gives as firms: the subject of a role verb ("Vodafone has signed up for"), the
    object of an approval ("China aprobó a Nokia y a ..."). Places, people, bodies and generic words are left out."""
    subject, obj = _named_by_verb(langs)
    policy = cue_pattern("policy", langs)
    for pattern, rule in ((subject, "firms:subject_of_role_verb"), (obj, "firms:object_of_approval")):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if pattern is subject:
                m = _SUBJECT.search(text, max(0, m.start() - 100), m.start())
                if m is None:
                    continue
            base = m.start("names")
            items = list(re.finditer(_NAME, m["names"]))
            if pattern is subject and len(items) > 1 and not _AND.search(m["names"]):
                items = items[-1:]  # "By the end of September, China had approved": a list of subjects ends in "and"
            for item in items:
                surface = item.group()
                lead = _LEAD_STOP.match(surface + " ")
                if lead:
                    surface = surface[lead.end():]
                if len(surface) < 2 or surface.split()[0].lower() in _generic_subjects() or _not_firm(surface, gaz) \
                        or surface.lower() in cue_values("number_words", ("en",)) or policy.search(surface):
                    continue  # "aprobó el Plan Nacional": a policy is approved, not a firm
                s = base + item.end() - len(surface)
                known = gaz.lookup(surface)
                if add(Mention(known["name"] if known else surface, surface, s, s + len(surface),
                               known["parent"] if known else None, bool(known and known["group"]), bool(known))):
                    fired(rule)


@cache
def _zh_unit_tail() -> re.Pattern[str]:
    """What follows an owner named before its unit in Chinese: "、空客等跨国公司的子公司", "的在华子公司"."""
    units = "|".join(cue_words("unit_word", ("zh",)))
    return re.compile(rf"(?:\s*[、和及与]\s*[^,。;、的]{{1,10}}?)*(?:等[^,。;的]{{0,8}})?的(?:在华|中国|本地)?(?:{units})")


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
            nxt.unit = False
            if not (m.parent and m.known):
                m.parent = nxt.name
            elif m.parent != nxt.name and nxt.group:
                m.parent = nxt.name
        if nxt and nxt.start - m.end <= 3 and _PARENT_BEFORE.match(text[m.end:nxt.start]) and m.group:
            m.is_parent_here = True
            nxt.parent = m.name


# Where a clause ends inside a sentence: "..., while Tesla said it was planning to apply".
# "首批13家企业获批后,特斯拉表示..." and "自...以来," end a background clause too.
_CLAUSE = cue_pattern("clause_break")


@lru_cache(maxsize=256)
def _clause_bounds(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where the clause breaks of a sentence are (spans of _CLAUSE matches)."""
    return tuple(m.span() for m in _CLAUSE.finditer(sentence))


@lru_cache(maxsize=512)
def _clause_cues(clause: str, langs: tuple[str, ...]) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
    """The role cues of a clause, (position, role) each, and where context phrases start; computed once per clause
    (every firm of a clause reads the same cues)."""
    cues = role_cues(langs)
    applying = [m.span() for m in cues.applicant.finditer(clause)]
    found = [(a, Role.APPLICANT) for a, _b in applying]
    for m in cues.approved.finditer(clause):
        if any(a <= m.start() < b for a, b in applying):
            continue  # "requested permits", "seeking approval": the approval word is the application's
        hypothetical = cues.hypothetical.search(clause[max(0, m.start() - 40):m.start()])
        found.append((m.start(), Role.APPLICANT if hypothetical else Role.APPROVED))
    return tuple(found), tuple(m.start() for m in cues.context.finditer(clause))


def _role_in(sentence: str, offset: int, cues: RoleCues, memo: dict | None = None) -> str | None:
    """The role the words of a name's clause give it (at `offset` in the sentence): the nearest cue decides.

    A firm named as context in its clause ("domestic players like X", "firms such as X could") has no role.
    `memo` keeps each clause's text for the next name in it (a long sentence is cut once, not once per name).
    """
    lo, hi = 0, len(sentence)
    for a, b in _clause_bounds(sentence):
        if b <= offset:
            lo = b
        elif a >= offset:
            hi = a
            break
    memo = {} if memo is None else memo
    key = (id(sentence), lo, hi)
    if key not in memo:
        memo[key] = _clause_cues(sentence[lo:hi], cues.langs)
    found, context = memo[key]
    offset -= lo
    if any(offset - 40 <= c < offset for c in context):
        fired("firms:context_firm")
        return Role.MENTIONED
    best = min(found, key=lambda cue: abs(cue[0] - offset), default=None)
    return best[1] if best else None


def extract_firms(text: str, sentences: list[tuple[int, int]], event: str, relevant: bool = True,
                  skip: list[tuple[int, int]] | None = None, langs: tuple[str, ...] = BASE) -> list[Firm]:
    """One entry per firm with its strongest role in the article; a unit named only by its owner is a firm with
    no name and that owner as parent, never a subsidiary the gazetteer knows.

    >>> [(f.name, str(f.role)) for f in extract_firms("Tesla plans to apply for the pilot.", [(0, 35)], "applicant_news")]
    [('Tesla', 'applicant')]
    """
    gaz = load()
    mentions = find_mentions(text, gaz, skip, langs)
    if not mentions:
        return []
    cues = role_cues(langs)
    _link_parents(text, mentions)
    named = {m.name for m in mentions if not m.unit}
    parents_named = {m.parent for m in mentions if m.parent}
    firms: dict[tuple[str, str], Firm] = {}
    starts = [a for a, _b in sentences]
    texts: dict[tuple[int, int], str] = {}  # each sentence's text, cut once
    memo: dict = {}
    listed: dict[tuple[int, int], str | None] = {}
    listing: dict[tuple[int, int], bool] = {}
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        sent = sentences[i] if i >= 0 and m.start < sentences[i][1] else (m.start, m.end)
        if sent not in texts:
            texts[sent] = text[sent[0]:sent[1]]
        sentence = texts[sent]

        def role_of(name: str, m: Mention = m, sent: tuple[int, int] = sent, sentence: str = sentence, i: int = i) -> str:
            found = _role_in(sentence, m.start - sent[0], cues, memo)
            if found:
                return found
            if sent not in listed:
                listed[sent] = _listed_role(text, sentences, i, texts, cues, memo)
            if listed[sent]:
                return listed[sent]
            if sent not in listing:
                listing[sent] = bool(cues.list_trigger.search(sentence))
            return _default_role(listing[sent], event, name)

        if not relevant:
            role = Role.MENTIONED
        elif m.unit:
            role = role_of("Co")
        elif m.is_parent_here or (m.group and (m.name in parents_named or any(
                sub in named for sub in gaz.subsidiaries(m.name)))):
            role = Role.PARENT
        else:
            role = role_of(f"{m.surface} {m.name}")
        if m.unit and role in (Role.APPROVED, Role.APPLICANT):
            # the unit is the approved (or applying) firm; its owner is its parent, by the name the text gives
            _add(firms, ("unit", m.name), Firm(None, role, m.name, m.surface, m.start, m.end, sent, {m.surface}, None))
            role = Role.PARENT
        elif m.unit:
            role = Role.PARENT if role == Role.MENTIONED else role
        if m.name in parents_named and role == Role.MENTIONED:
            role = Role.PARENT
        _add(firms, ("firm", m.name), Firm(" ".join(m.surface.split()), role, m.parent, m.surface, m.start, m.end, sent,
                                           {m.surface}, m.name))
    # A group told approved through its unit ("uma filial da Airbus") is that unit's parent, also where a headline
    # names it as the approved one ("China autoriza ... Airbus").
    owners = {f.parent for f in firms.values() if f.name is None and f.role in (Role.APPROVED, Role.APPLICANT)}
    for f in firms.values():
        if f.name is not None and f.canonical in owners and f.role in (Role.APPROVED, Role.APPLICANT):
            fired("firms:owner_of_approved_unit")
            f.role = Role.PARENT
    return list(firms.values())


def _add(firms: dict[tuple[str, str], Firm], key: tuple[str, str], firm: Firm) -> None:
    """Keep one entry per firm: the mention with the strongest role names it; the others add their surfaces."""
    current = firms.get(key)
    if current is None or _RANK[firm.role] < _RANK[current.role]:
        if current is not None:
            firm.surfaces |= current.surfaces
            firm.parent = firm.parent or current.parent
        firms[key] = firm
    else:
        current.surfaces |= firm.surfaces
        if current.parent is None and firm.parent:
            current.parent = firm.parent


def _listed_role(text: str, sentences: list[tuple[int, int]], i: int, texts: dict[tuple[int, int], str], cues: RoleCues,
                 memo: dict) -> str | None:
    """The role of a firm in sentence `i` when it lists the firms of the one before ("Five firms signed agreements
    ... They include A and B"): the role that sentence gives its subject."""
    if i <= 0 or i >= len(sentences) or not cues.anaphora.search(text[sentences[i][0]:sentences[i][0] + 80]):
        return None
    prev = sentences[i - 1]
    if prev not in texts:
        texts[prev] = text[prev[0]:prev[1]]
    role = _role_in(texts[prev], 0, cues, memo)
    if role:
        fired("firms:list_of_sentence_before")
    return role


def _default_role(listing: bool, event: str, name: str) -> str:
    """The role of a name whose clause has no cue: in a batch report, listed firms (`listing`: its sentence lists
    firms) and China-registered firms are the approved ones; otherwise a name is only mentioned (an applicant
    story names its applicants with a cue)."""
    if event == Event.BATCH_REPORT and (listing or _REGISTERED.search(name) or _bracket_registered(name)):
        fired("firms:default_approved")
        return Role.APPROVED
    return Role.MENTIONED


def _bracket_registered(name: str) -> bool:
    """A non-Latin name with a place in brackets ("지멘스 디지털테크(선전)회사") is registered in China."""
    return bool(re.search(r"[^\x00-\x7f]\s?\([^()]{1,10}\)", name))
