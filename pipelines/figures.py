"""Figures in an article: counts of firms, totals of enterprises, percentages and money, with what they measure.

A figure is a number bound to a unit: "13 foreign-invested companies", "超过2400家", "30 percent",
"CNY602 billion", "Seven foreign companies", "十三家". A bare number counts only when its sentence says
what it is the number of ("the number of foreign-invested telecom enterprises ... to exceed 2,400").
Years, dates, times, phone, licence and registration numbers are never figures: they carry no unit.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from monitor.dates import TextDate, find_dates, month_end
from pipelines.kinds import FigureKind
from pipelines.knowledge import load
from pipelines.relevance import BASE, alternation, cue_pattern, cue_values, cue_words, fired, is_base

logger = logging.getLogger(__name__)

WORDS: dict[str, int | None] = {**cue_values("number_words", ("en",)), "dozens of": None}
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12, "万": 1e4, "亿": 1e8,
         "mil": 1e3, "millones": 1e6, "milhões": 1e6, "millions": 1e6, "millionen": 1e6, "milioni": 1e6, "млн": 1e6,
         "milliards": 1e9, "miliardi": 1e9, "млрд": 1e9, "трлн": 1e12, "만": 1e4, "억": 1e8, "тыс": 1e3, "ribu": 1e3}

_WORD_NUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven"
             r"|eight|nine))?|one hundred|a hundred|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
             r"|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a dozen)")
# A number: 2,400 / 30 / 4.76 / CNY602 (the currency is read separately) / seven / 十三.
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9./:#-])(?<!\d,)(?P<cur>(?:CNY|RMB|USD|US\$|HK\$|EUR|\$|¥|€)\s?)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d,]*\d)|\d+(?:\.\d+)?(?![\d.]*\d)"
    rf"|\b{_WORD_NUM}\b|[零〇一二两三四五六七八九十百千]+)"
    rf"(?:\s?(?P<scale>(?:thousand|million|mln|billion|bln|trillion)(?![A-Za-z])|万|亿))?",
    re.I,
)
# People counted as the sources of a story are no figure: "three people familiar with the matter".
_SOURCES_AFTER = cue_pattern("sources_after", ("en",), r"\s+{}")
_STOP = r"(?:of|in|and|or|the|to|for|with|from|by|at|on|that|which|who|have|has|had|were|was|are|is|be|been|as|than|its|their)"
_STOP_OTHER = (r"(?:de|del|da|do|das|dos|des|du|di|della|en|em|in|im|a|à|al|el|la|las|los|le|les|il|lo|e|y|et|und|von|der|die"
               r"|das|für|para|pour|per|con|com|avec|mit)")


def _alternation(words: list[str]) -> str:
    """Cue entries as one alternation (usable in a verbose pattern); an entry ending in a Latin letter ends a word."""
    return "|".join(w.replace(" ", r"\s+") + (r"(?![^\W\d_])" if re.search(r"[A-Za-zÀ-ÿ]$", w) else "")
                    for w in words) or "(?!)"


@dataclass(frozen=True)
class Forms:
    """How the languages of `langs` write figures: numbers, what follows them, and the cue groups figures read."""

    langs: tuple[str, ...]
    number: re.Pattern[str]
    after: re.Pattern[str]
    firm_noun: re.Pattern[str]
    bare_lead: re.Pattern[str]
    number_of: re.Pattern[str]
    numbered: re.Pattern[str]
    before_qual: re.Pattern[str]
    qualifiers: dict[str, str]
    growth: re.Pattern[str]
    yoy: re.Pattern[str]
    share: re.Pattern[str]
    telecom: re.Pattern[str]
    flow: re.Pattern[str]
    approved: re.Pattern[str]
    accepted: re.Pattern[str]
    cumulative: re.Pattern[str]
    pilot: re.Pattern[str]
    counter: re.Pattern[str] | None


@cache
def forms(langs: tuple[str, ...] = BASE) -> Forms:
    """The figure patterns for `langs` (BASE: English and Chinese), built from data/cues.json."""
    firm_nouns = cue_words("firm_noun", langs)
    nouns = _alternation(firm_nouns + cue_words("counted_noun", langs))
    quals = cue_values("qualifiers", langs)
    qual_words = "|".join(re.escape(q) for q in sorted(quals, key=len, reverse=True)) or "(?!)"
    reach = "(?:" + "|".join(cue_words("reach", langs)) + ")"
    if is_base(langs):
        number = _NUMBER
        after = re.compile(
            rf"""\s*(?:(?P<pct>-?(?:{_alternation(cue_words("percent", langs))}))
              |(?P<money>yuan\b|u\.?s\.?\s+dollars\b|us\s+dollars\b|dollars\b|euros?\b|元|美元|欧元)
              |(?P<zh>(?P<zq>余|多)?(?P<zu>家|项|个工作日))
              |(?P<tenths>成)(?![为立功本果员都效交长熟型了])
              |(?P<mods>(?:(?!{_STOP}\b)[a-z][\w-]*\s+){{0,4}}?)(?P<noun>{nouns})\b)""", re.I | re.X)
        bare = re.compile(rf"{reach}\s*(?:more than\s+|over\s+|about\s+)?$", re.I)
        firm_alt = "|".join(firm_nouns)
        number_of = re.compile(
            rf"(?:number|total)\s+of\s+(?P<mods>(?:[\w-]+\s+){{0,4}}?)(?P<noun>{firm_alt})\b"
            r"|(?:number|total|tally)\s+(?:of\s+)?(?:[\w-]+\s+){0,2}?approved\b"
            r"|\b(?:bringing|raising|taking|lifting)\s+(?:the|its)\s+(?:[\w-]+(?:'s|’s)\s+)?(?:total|tally|number)\b"
            r"|(?P<zh>外商投资电信企业|外资企业|外商投资企业|电信企业)(?:数量|总数)", re.I)
        numbered = re.compile(rf"(?:[\w-]+\s+){{0,3}}?\b(?:{firm_alt})\b[^.;]{{0,30}}?\bnumbered\b", re.I)
    else:
        # 2.400 and 2 400 are thousands, 26,5 is a decimal, 2천400 is 2,400 (digits of every script are ASCII by now).
        words = "|".join(re.escape(w) for w in sorted(cue_values("number_words", langs), key=len, reverse=True))
        number = re.compile(
            r"(?<![A-Za-z0-9./:#-])(?<!\d[,.])(?P<cur>(?:CNY|RMB|USD|US\$|EUR|\$|¥|€)\s?)?"
            r"(?P<num>\d+천\d*|\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?(?![\d.]*\d)|\d+(?:,\d+)?(?![\d.,]*\d)"
            + (rf"|\b(?:{words})\b" if words else "") +
            r")(?:\s?(?P<scale>mil(?:hões|lones)?|millones|millions?|millionen|milioni|milliards?|miliardi|млн|млрд|трлн|тыс|ribu|万|億|억|만)"
            r"(?![^\W\d_]))?", re.I)
        counter = "|".join(cue_words("counter", langs))
        after = re.compile(
            rf"""\s*(?:(?P<pct>%|-?(?:{_alternation(cue_words("percent", langs))}))
              |(?P<money>yuan|dólares|dollars|euros?|юаней|долл|元|위안)
              |(?P<counter>{counter or "(?!)"})?\s*(?P<mods>(?:(?!{_STOP_OTHER}\b)[^\W\d_][^\s,;.]*\s+){{0,3}}?)(?P<noun>{nouns}))""",
            re.I | re.X)
        bare = re.compile(rf"{reach}\s*$", re.I)
        number_of = cue_pattern("telecom_total", langs)
        numbered = re.compile("(?!)")
    return Forms(
        langs=langs, number=number, after=after, firm_noun=re.compile(_alternation(firm_nouns), re.I), bare_lead=bare,
        number_of=number_of, numbered=numbered,
        before_qual=re.compile(rf"(?P<q>{qual_words})\s*(?:the\s+)?$", re.I), qualifiers=quals,
        growth=cue_pattern("growth", langs), yoy=cue_pattern("year_on_year", langs), share=cue_pattern("share", langs),
        telecom=cue_pattern("telecom_count", langs), flow=cue_pattern("flow", langs),
        approved=cue_pattern("approval", langs),
        accepted=re.compile(cue_pattern("applications_accepted", langs).pattern + "|"
                            + cue_pattern("application_noun", langs).pattern, re.I),
        cumulative=cue_pattern("running_total", langs), pilot=cue_pattern("pilot", langs),
        counter=re.compile(counter) if (counter := "|".join(cue_words("counter", langs))) else None)


# "bringing the total to 53": the number of a running total.
_RUNNING = re.compile(r"(?:bringing|raising|taking|lifting)\b", re.I)
# A word of its own after a counter: the counter counts that noun ("5개 분야", five fields), not the firms before it;
# a count of firms carries its particle or copula on the counter ("2천400개를", "15곳이", "9개다").
_NOUN_AFTER_COUNTER = re.compile(r"\s+[\uac00-\ud7a3]")
# The earlier value of a change told right after the new one: "to 27 special measures from 29".
_FROM = re.compile(r"\s+from\s+(?:the\s+)?", re.I)
# A count told elliptically in a list after a counted one: "13 firms in February and 18 in June".
_LIST_JOIN = re.compile(r"[^;.\d]{0,25}?(?:,|\sand|\sor)\s+")
_ELLIPSIS_AFTER = re.compile(r"\s+(?:in|on|during|for|more)\b|\s*(?:[,;.)]|$)", re.I)
# A count of firms told by its batch: "the first batch of 13", "a second round of 21", "premier groupe de 13".
_BATCH_OF = re.compile(alternation(cue_words("batch_word", ("en", "es", "pt", "fr", "it", "de")))
                       + r"\s+(?:of|de|di|da|von)\s*$", re.I)
_DATE_AFTER = re.compile(r"\s*(?:年|月|日|号|时|点|년|월|일|시|st\b|nd\b|rd\b|th\b|:\d|-\d|/\d|\.\d)")
_ORDINAL_BEFORE = re.compile(r"(?:第|No\.\s*|number\s*|#|Nr\.\s*|n\.\s*|nº\s*|№\s*)$", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_ZH_NOUN = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:企业|公司|机构)")
# 项 counts measures ("12项具体措施"), not the items of a list ("重点工作主要有四项", "两项业务").
_ITEMS_OF_MEASURES = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:措施|举措|任务|政策|改革)")
_ASOF = cue_pattern("as_of_before", BASE, r"{}\s*(?:the\s+)?(?:end\s+of\s+)?$")

# Measures of firm counts, and the kind each is (what programs read; `measure` is for people).
THIS_BATCH = "firms approved for the VATS pilot (this batch)"
PILOT_TOTAL = "cumulative firms approved for the VATS pilot, total"
ENTERPRISES_TOTAL = "foreign-invested telecom enterprises, total"
ENTERPRISES_NEW = "new foreign-invested telecom enterprises"
_KIND_OF = {THIS_BATCH: FigureKind.BATCH_COUNT, PILOT_TOTAL: FigureKind.PILOT_APPROVALS_TOTAL,
            ENTERPRISES_TOTAL: FigureKind.ENTERPRISES_TOTAL, ENTERPRISES_NEW: FigureKind.ENTERPRISES_NEW,
            "year-on-year growth": FigureKind.GROWTH, "growth": FigureKind.GROWTH, "amount of money": FigureKind.MONEY}


def kind_of(measure: str, unit: str) -> FigureKind:
    """The fixed kind of a figure with this measure and unit."""
    if measure in _KIND_OF:
        return _KIND_OF[measure]
    if unit.endswith(("yuan", "usd", "eur")):
        return FigureKind.MONEY
    return FigureKind.OTHER


@dataclass
class Figure:
    value: int | float
    unit: str
    measure: str
    qualifier: str | None
    as_of: str | None
    start: int
    end: int
    kind: str = FigureKind.OTHER
    mentions: list[tuple[int, int]] = field(default_factory=list)  # every span that states it, the first included

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "measure": self.measure, "kind": str(self.kind),
                "qualifier": self.qualifier, "as_of": self.as_of, "start": self.start, "end": self.end}

    def set_measure(self, measure: str) -> None:
        self.measure = measure
        self.kind = kind_of(measure, self.unit)


def zh_number(text: str) -> int | None:
    """十三 -> 13, 二十 -> 20, 一百零五 -> 105, 2 -> None (only Chinese numerals).

    >>> zh_number("十三"), zh_number("两千二百二十")
    (13, 2220)
    """
    total = current = 0
    seen = False
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
            seen = True
        elif ch in _ZH_UNITS:
            total += (current or 1) * _ZH_UNITS[ch]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def parse_number(num: str, scale: str | None = None, langs: tuple[str, ...] = BASE) -> int | float | None:
    """The value of a number as written, times its multiplier (万, million, thousand).

    >>> parse_number("2,400"), parse_number("Seven"), parse_number("1.2", "万"), parse_number("2.400", langs=("es",))
    (2400, 7, 12000, 2400)
    >>> parse_number("26,5", langs=("it",)), parse_number("2천400", langs=("ko",))
    (26.5, 2400)
    """
    s = num.strip()
    low = s.lower().replace("-", " ")
    words = WORDS if is_base(langs) else cue_values("number_words", langs)
    if low in words:
        value: float | None = words[low]
    elif " " in low and all(p in words for p in low.split()):
        value = sum(words[p] or 0 for p in low.split())
    elif s[0].isdigit() and not is_base(langs):
        if "천" in s:
            high, _sep, rest = s.partition("천")
            value = int(high) * 1000 + (int(rest) if rest else 0)
        else:
            value = float(re.sub(r"[.\s]", "", s).replace(",", "."))
    elif s[0].isdigit():
        value = float(s.replace(",", ""))
    else:
        value = zh_number(s)
    if value is None:
        return None
    if scale:
        value *= SCALE[scale.lower()]
    return int(value) if float(value).is_integer() else round(value, 6)


def _money_unit(cur: str | None, word: str | None, scale: str | None) -> str:
    c = (cur or word or "").lower().replace(".", "").replace(" ", "")
    base = "usd" if c in ("usd", "us$", "$", "usdollars", "dollars", "美元", "dólares", "долл") else \
        "eur" if c in ("eur", "€", "euro", "euros", "欧元") else "yuan"
    return f"{scale.lower()} {base}" if scale and scale.lower() in ("million", "mln", "billion", "bln", "trillion") else base


def _qualifier(text: str, start: int, after_q: str | None, f: Forms) -> str | None:
    if after_q:
        return f.qualifiers.get(after_q)
    m = f.before_qual.search(text, max(0, start - 24), start)
    if not m:
        return None
    return f.qualifiers.get(m["q"].lower())


def _as_of(sentence: str, dates: list[tuple[int, int, TextDate]]) -> str | None:
    """The as-of date of a sentence: "by the end of February 2025", "截至2025年2月底", "to date"."""
    for s, e, found in dates:
        if _ASOF.search(sentence[max(0, s - 24):s]) or sentence[s:e].lower().startswith(("the end", "end")) \
                or re.match(r"\s*(?:底|末)", sentence[e:e + 1]):
            day = found.day
            if found.precision == "month" and sentence[max(0, s - 4):s].endswith(("截至", "截止")):
                day = month_end(day.year, day.month)
            return day.isoformat()
        if re.match(r"to date|so far|截至目前|目前|至今", sentence[s:e], re.I):
            return found.day.isoformat()
    return None


@lru_cache(maxsize=256)
def _sentence_flags(sentence: str, langs: tuple[str, ...]) -> tuple[bool, bool, bool, bool, bool]:
    """(approval, pilot, applications accepted and no approval, telecom word, running total) of a sentence."""
    f = forms(langs)
    accepted = bool(f.accepted.search(sentence)) and not cue_pattern("approved_past", langs).search(sentence)
    return (bool(f.approved.search(sentence)), bool(f.pilot.search(sentence)), accepted, bool(f.telecom.search(sentence)),
            bool(f.cumulative.search(sentence)))


def _measure_for_firms(sentence: str, phrase: str, flow: bool, f: Forms) -> tuple[str, str]:
    """(unit, measure) of a count of firms, from the words around it.

    A count in a sentence that approves firms for the pilot counts those firms, even when its phrase says
    "telecom operators"; a telecom phrase elsewhere counts all foreign-invested telecom enterprises.
    """
    approved, pilot, accepted, telecom, cumulative = _sentence_flags(sentence, f.langs)
    if accepted:
        return "firms", "firms whose applications were accepted"
    if (f.telecom.search(phrase) and not (approved and pilot and not cumulative)) or (telecom and not pilot):
        return "enterprises", (ENTERPRISES_NEW if flow else ENTERPRISES_TOTAL)
    if approved:
        return "firms", THIS_BATCH  # a running total only by its clause: see pipelines.extract._settle_kinds
    return "firms", " ".join(phrase.split()) or "firms"


def extract_figures(text: str, sentences: list[tuple[int, int]], base: date | None = None, language: str = "en",
                    skip: list[tuple[int, int]] | None = None, langs: tuple[str, ...] = BASE) -> list[Figure]:
    """Figures in normalised `text`, with spans in it; `skip` are spans (boilerplate) to leave out.

    Each figure once: the same value, unit and kind stated again is one more of its `mentions`.

    >>> [(f.value, f.unit, f.qualifier) for f in extract_figures("It rose 30 percent to over 2,400 firms.", [(0, 39)])]
    [(30, 'percent', None), (2400, 'firms', 'over')]
    """
    f = forms(langs)
    out: list[Figure] = []
    skip = skip or []
    date_language = language if language in BASE else "en"
    start_year = int(load("topic.json")["policy_start_year"])
    present = cue_pattern("present_time", langs)
    for s0, e0 in sentences:
        if any(a <= s0 < b for a, b in skip):
            continue
        sentence = text[s0:e0]
        if _history(text, s0, e0, start_year, present):
            fired("figures:history")
            continue  # told in years well before the pilot: history ("in 1997, 68 members ... 90%")
        number_of: re.Match[str] | None | bool = False  # searched once per sentence, when a bare number needs it
        as_of: str | None | bool = False  # computed once per sentence, when a figure needs it
        dates: list[tuple[int, int, TextDate]] | None = None  # the same
        date_starts: list[int] = []
        last_money_end = -10
        for m in f.number.finditer(sentence):
            num = m["num"]
            start, end = m.start(), m.end()
            if num[0].isalpha() and not num.isascii() and not f.after.match(sentence, end):
                continue
            if _DATE_AFTER.match(sentence, m.end("num")) and not m["scale"]:
                continue
            if _ORDINAL_BEFORE.search(sentence, max(0, start - 8), start):
                continue
            after = f.after.match(sentence, end)
            money = bool(m["cur"] or (after and after["money"]))
            # Money keeps its multiplier in the unit ("602 billion yuan"); counts are multiplied out (1.2万家 = 12000).
            # 万 and 亿 have no English unit word: money in them is multiplied out ("500万元" = 5,000,000 yuan).
            value = parse_number(num, None if money and m["scale"] not in ("万", "亿") else m["scale"], langs)
            if value is None:
                continue
            qual_after = None
            groups = after.groupdict() if after else {}
            if m["cur"]:
                unit, measure = _money_unit(m["cur"].strip(), None, m["scale"]), "amount of money"
            elif groups.get("pct"):
                unit = "percent"
                end = after.end()
                before = sentence[max(0, start - 60):start]
                if f.yoy.search(sentence[start:start + 40]) or (f.growth.search(before) and f.yoy.search(sentence)):
                    measure = "year-on-year growth"
                elif f.growth.search(before[-30:]) or (not is_base(langs) and f.growth.search(sentence[end:end + 30])):
                    measure = "growth"
                elif f.share.search(sentence):
                    measure = "share or ownership cap"
                else:
                    measure = "percentage"
            elif groups.get("tenths"):  # "四成" = 40 percent
                if len(num) != 1 or num not in "一二三四五六七八九":
                    continue
                value, unit, end = value * 10, "percent", after.end()
                measure = "share or ownership cap" if f.share.search(sentence) else "percentage"
            elif groups.get("money"):
                unit, measure = _money_unit(None, after["money"], m["scale"]), "amount of money"
                end = after.end()
            elif groups.get("zh") or groups.get("noun"):
                end = after.end()
                if groups.get("zh"):
                    qual_after = after["zq"]
                    if after["zu"] == "项":
                        if not _ITEMS_OF_MEASURES.match(sentence, end):
                            fired("figures:list_count")
                            continue  # the items of a list ("四项"), not measures
                        unit, measure = "items", "items"
                    elif after["zu"] == "个工作日":
                        unit, measure = "working days", "time limit"
                    else:
                        tail = _ZH_NOUN.match(sentence, end)
                        tail = tail.group() if tail else ""
                        unit, measure = _measure_for_firms(
                            sentence, tail, f.flow.search(sentence[max(0, start - 6):end + 4]) is not None, f)
                else:
                    noun = after["noun"]
                    phrase = sentence[start:end]
                    if f.firm_noun.fullmatch(noun):
                        tail = sentence[end:end + 40] if not is_base(langs) else ""
                        unit, measure = _measure_for_firms(sentence, phrase + tail, f.flow.search(phrase) is not None, f)
                    elif noun.lower() == "people" and _SOURCES_AFTER.match(sentence, end):
                        continue
                    else:
                        noun = noun.lower()
                        unit = noun if noun.endswith("s") or noun in ("people", "staff") else noun + "s"
                        measure = " ".join(sentence[m.end():end].split())
            elif f.counter is not None and (counted := f.counter.match(sentence, end)) and \
                    not _NOUN_AFTER_COUNTER.match(sentence, counted.end()) and \
                    f.firm_noun.search(sentence, max(0, start - 25), start):
                # "통신기업은 2천400개를": a counter after the number, the firm noun before it
                fired("figures:counter_after_noun")
                end = counted.end()
                unit, measure = _measure_for_firms(sentence, sentence[max(0, start - 25):end], False, f)
            elif out and out[-1].start >= s0 and _FROM.match(sentence, out[-1].end - s0) and out[-1].end - s0 + \
                    len(_FROM.match(sentence, out[-1].end - s0).group()) == start:
                unit, measure = out[-1].unit, f"{out[-1].measure}, earlier"  # "to 27 measures from 29"
            elif out and out[-1].start >= s0 and out[-1].unit == "firms" and not m["scale"] \
                    and _LIST_JOIN.fullmatch(sentence, out[-1].end - s0, start) and _ELLIPSIS_AFTER.match(sentence, end) \
                    and not re.fullmatch(r"(?:19|20)\d\d", num):
                unit, measure = out[-1].unit, out[-1].measure  # "13 firms in February and 18 in June"
            elif _BATCH_OF.search(sentence, max(0, start - 20), start) and not m["scale"]:
                unit, measure = _measure_for_firms(sentence, "firms", False, f)
            elif not is_base(langs) and f.bare_lead.search(sentence[max(0, start - 30):start]) \
                    and (number_of := _number_of(f, sentence, number_of)):
                fired("figures:bare_number_of_total")
                unit, measure = "enterprises", ENTERPRISES_TOTAL  # "superando quota 2.400" of a total just named
            elif is_base(langs) and m["num"][0].isdigit() and f.bare_lead.search(sentence[max(0, start - 30):start]) \
                    and (number_of := _number_of(f, sentence, number_of)) and m.start() > number_of.end():
                phrase = number_of.group()
                unit, measure = _measure_for_firms(sentence, phrase, False, f)
                if unit == "firms" and "applications" not in measure:
                    measure = (PILOT_TOTAL if _RUNNING.match(phrase) else " ".join(phrase.split()) + ", total")
            else:
                continue
            if unit.endswith(("yuan", "usd", "eur")):
                # A conversion in brackets right after an amount, "(USD84.4 billion)", repeats that amount.
                if start - last_money_end <= 10 and "(" in sentence[last_money_end:start]:
                    last_money_end = end
                    continue
                last_money_end = end
            if dates is None:
                dates = dates_in(sentence, base, date_language)
                date_starts = [a for a, _b, _d in dates]
            k = bisect_right(date_starts, m.start("num")) - 1
            if k >= 0 and m.start("num") < dates[k][1]:
                fired("figures:day_of_a_date")
                continue  # the day of a date ("on Feb 26 officially granted licences") is no figure
            qualifier = _qualifier(sentence, start, qual_after, f)
            if as_of is False:
                as_of = _as_of(sentence, dates)
            out.append(Figure(value, unit, measure, qualifier, as_of or None, s0 + start, s0 + end,
                              kind_of(measure, unit), [(s0 + start, s0 + end)]))
    return out


@lru_cache(maxsize=512)
def dates_in(sentence: str, base: date | None, language: str) -> list[tuple[int, int, TextDate]]:
    """The dates of a sentence (monitor.dates.find_dates), read once: figures and batch facts ask about the same."""
    return find_dates(sentence, base, language)


def _number_of(f: Forms, sentence: str, found: re.Match[str] | None | bool) -> re.Match[str] | None:
    """What a sentence says it counts ("the number of foreign-invested telecom enterprises"), searched once."""
    if found is not False:
        return found  # type: ignore[return-value]
    return f.number_of.search(sentence) or (f.numbered.search(sentence) if "numbered" in sentence else None)


def _history(text: str, s0: int, e0: int, start_year: int, present: re.Pattern[str]) -> bool:
    """A sentence whose paragraph (its line) names only years well before the pilot, and that has no word of the
    present ("this year", 目前), tells history, not a figure of the pilot."""
    line_start = text.rfind("\n", 0, s0) + 1
    line_end = text.find("\n", e0)
    if not _old_line(text[line_start:line_end if line_end >= 0 else len(text)], start_year):
        return False
    return not present.search(text, s0, e0)


@lru_cache(maxsize=256)
def _old_line(line: str, start_year: int) -> bool:
    years = [int(y) for y in _YEAR.findall(line)]
    return bool(years) and max(years) < start_year - 1


def merge_mentions(figures: list[Figure]) -> list[Figure]:
    """One figure per value, unit and kind, in the order first stated, with every mention of it; the first mention
    that gives a qualifier or an as-of date lends it to the figure.

    >>> text = "It approved 13 firms. The 13 firms were approved on Friday."
    >>> [(f.value, len(f.mentions)) for f in merge_mentions(extract_figures(text, [(0, 21), (22, 59)]))]
    [(13, 2)]
    """
    out: dict[tuple, Figure] = {}
    for fig in figures:
        key = (float(fig.value), fig.unit, str(fig.kind))
        first = out.get(key)
        if first is None:
            out[key] = fig
            continue
        first.mentions += fig.mentions
        first.qualifier = first.qualifier or fig.qualifier
        first.as_of = first.as_of or fig.as_of
    return list(out.values())
