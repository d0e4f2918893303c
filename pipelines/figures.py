"""Figures in an article: counts of firms, totals of enterprises, percentages and money, with what they measure.

A figure is a number bound to a unit: "13 foreign-invested companies", "超过2400家", "30 percent",
"CNY602 billion", "Seven foreign companies", "十三家". A bare number counts only when its sentence says
what it is the number of ("the number of foreign-invested telecom enterprises ... to exceed 2,400").
Years, dates, times, phone, licence and registration numbers are never figures: they carry no unit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from monitor.dates import TextDate, _month_end, find_dates

logger = logging.getLogger(__name__)

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
              "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozens of": None})
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
SCALE = {"million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12, "万": 1e4, "亿": 1e8}

_WORD_NUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven"
             r"|eight|nine))?|one hundred|a hundred|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
             r"|nineteen|one|two|three|four|five|six|seven|eight|nine|ten|a dozen)")
# A number: 2,400 / 30 / 4.76 / CNY602 (the currency is read separately) / seven / 十三.
_NUMBER = re.compile(
    rf"(?<![A-Za-z0-9./:#-])(?<!\d,)(?P<cur>(?:CNY|RMB|USD|US\$|HK\$|EUR|\$|¥|€)\s?)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d,]*\d)|\d+(?:\.\d+)?(?![\d.]*\d)"
    rf"|\b{_WORD_NUM}\b|[零〇一二两三四五六七八九十百千]+)"
    rf"(?:\s?(?P<scale>(?:million|mln|billion|bln|trillion)(?![A-Za-z])|万|亿))?",
    re.I,
)
_FIRM_NOUNS = ("companies", "company", "firms", "firm", "enterprises", "enterprise", "entities", "entity",
               "businesses", "multinationals", "affiliates", "subsidiaries", "investors", "operators", "providers", "names")
_OTHER_NOUNS = ("tasks", "projects", "hospitals", "measures", "licenses", "licences", "permits", "applications",
                "institutions", "agencies", "clinics", "schools", "programs", "programmes", "pilots", "clients",
                "customers", "people", "employees", "staff", "workers", "users", "subscribers", "engineers", "jobs",
                "researchers", "developers")
# People counted as the sources of a story are no figure: "three people familiar with the matter".
_SOURCES_AFTER = re.compile(r"\s+(?:familiar|with (?:\w+\s+)?knowledge|briefed|close to|who (?:spoke|declined|asked))", re.I)
_STOP = r"(?:of|in|and|or|the|to|for|with|from|by|at|on|that|which|who|have|has|had|were|was|are|is|be|been|as|than|its|their)"
# What follows a number: a percent sign, a currency word, or up to four modifiers and a counted noun.
_AFTER = re.compile(
    rf"""\s*(?:(?P<pct>-?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b|个百分点))
      |(?P<money>yuan\b|u\.?s\.?\s+dollars\b|us\s+dollars\b|dollars\b|euros?\b|元|美元|欧元)
      |(?P<zh>(?P<zq>余|多)?(?P<zu>家|项|个工作日))
      |(?P<tenths>成)(?![为立功本果员都效交长熟型了])
      |(?P<mods>(?:(?!{_STOP}\b)[a-z][\w-]*\s+){{0,4}}?)(?P<noun>{"|".join(_FIRM_NOUNS + _OTHER_NOUNS)})\b)""",
    re.I | re.X,
)
_BEFORE_QUAL = re.compile(
    r"(?P<q>more than|over|exceed(?:ed|ing|s)?|above|topped|surpass(?:ed|ing)?|in excess of|at least|nearly|almost"
    r"|about|around|approximately|roughly|some|up to|less than|fewer than|under|超过|超|逾|多于|至少|近|约|将近|不少于"
    r"|最高|最多)"
    r"\s*(?:the\s+)?$", re.I)
_QUAL = {"more than": "over", "over": "over", "above": "over", "topped": "over", "in excess of": "over",
         "超过": "over", "超": "over", "逾": "over", "多于": "over", "余": "over", "多": "over",
         "at least": "at least", "至少": "at least", "不少于": "at least", "nearly": "nearly", "almost": "nearly",
         "将近": "nearly", "近": "nearly", "about": "about", "around": "about", "approximately": "about",
         "roughly": "about", "some": "about", "约": "about", "up to": "up to", "less than": "under",
         "fewer than": "under", "under": "under", "最高": "up to", "最多": "up to"}
# A bare number after "to exceed", "reached", "stood at" ... in a sentence saying what it counts.
_BARE_LEAD = re.compile(r"(?:\bto|\breach(?:ed|ing)?|\bexceed(?:ed|ing)?|\btop(?:ped)?|\bhit|\b(?:stood|stand(?:s|ing)?) at"
                        r"|\btotal(?:l?ed)?|\bnumbered|\bpast|\bbeyond"
                        r"|\bsurpass(?:ed)?|达到|达|增加至|增至|增长至|突破|超过)\s*(?:more than\s+|over\s+|about\s+)?$", re.I)
_NUMBER_OF = re.compile(rf"(?:number|total)\s+of\s+(?P<mods>(?:[\w-]+\s+){{0,4}}?)(?P<noun>{'|'.join(_FIRM_NOUNS)})\b"
                        r"|(?:number|total|tally)\s+(?:of\s+)?(?:[\w-]+\s+){0,2}?approved\b"
                        r"|\b(?:bringing|raising|taking|lifting)\s+(?:the|its)\s+(?:[\w-]+(?:'s|’s)\s+)?(?:total|tally|number)\b"
                        r"|(?P<zh>外商投资电信企业|外资企业|外商投资企业|电信企业)(?:数量|总数)", re.I)
# "Foreign-invested telecom enterprises in China numbered over 2,600" (searched only when "numbered" is there).
_NUMBERED = re.compile(rf"(?:[\w-]+\s+){{0,3}}?\b(?:{'|'.join(_FIRM_NOUNS)})\b[^.;]{{0,30}}?\bnumbered\b", re.I)
# "bringing the total to 53": the number of a running total.
_RUNNING = re.compile(r"(?:bringing|raising|taking|lifting)\b", re.I)
# A count of firms told by its batch: "the first batch of 13", "a second round of 21".
# The earlier value of a change told right after the new one: "to 27 special measures from 29".
_FROM = re.compile(r"\s+from\s+(?:the\s+)?", re.I)
# A count told elliptically in a list after a counted one: "13 firms in February and 18 in June".
_LIST_JOIN = re.compile(r"[^;.\d]{0,25}?(?:,|\sand|\sor)\s+")
_ELLIPSIS_AFTER = re.compile(r"\s+(?:in|on|during|for|more)\b|\s*(?:[,;.)]|$)", re.I)
_BATCH_OF = re.compile(r"\b(?:batch|round|group|tranche)\s+of\s*$", re.I)
_DATE_AFTER = re.compile(r"\s*(?:年|月|日|号|时|点|st\b|nd\b|rd\b|th\b|:\d|-\d|/\d|\.\d)")
_ORDINAL_BEFORE = re.compile(r"(?:第|No\.\s*|number\s*|#)$", re.I)
_GROWTH = re.compile(r"increas|grow|grew|rise|rose|\bup\b|jump|surg|soar|climb|增长|增加|上升|提高|同比", re.I)
_YOY = re.compile(r"year[- ]on[- ]year|year over year|同比|同期", re.I)
_SHARE = re.compile(r"share|stake|ownership|equity|cap\b|股比|持股|股权|占比|约占|占|accounting for", re.I)
_TELECOM_TOTAL = re.compile(r"telecom|电信企业|经营电信业务", re.I)
_ZH_NOUN = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:企业|公司|机构)")
_FLOW = re.compile(r"\bnew\b|newly|added|新增|新设", re.I)
_APPROVED = re.compile(r"approv|greenlight|green light|granted|\bclear(?:ed|s)\b|nod\b|licen[cs]e|批复|获批|获准|批准|许可", re.I)
_ACCEPTED = re.compile(r"applications?\b.{0,50}accepted|accepted.{0,50}applications?|受理|申请", re.I)
_CUMULATIVE = re.compile(r"to date|so far|in total|a total of|cumulative|截至目前|已有|累计|共有|迄今", re.I)
_PILOT = re.compile(r"pilot|value[- ]added|\bvas\b|试点|增值", re.I)
_ASOF = re.compile(r"(?:\bby|\bas of|\bas at|\bat|\bthrough|截至|截止|到)\s*(?:the\s+)?(?:end\s+of\s+)?$|^\s*(?:底|末)", re.I)


@dataclass
class Figure:
    value: int | float
    unit: str
    measure: str
    qualifier: str | None
    as_of: str | None
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "measure": self.measure, "qualifier": self.qualifier,
                "as_of": self.as_of, "start": self.start, "end": self.end}


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


def parse_number(num: str, scale: str | None = None) -> int | float | None:
    """The value of a number as written, times its multiplier (万, million).

    >>> parse_number("2,400"), parse_number("Seven"), parse_number("1.2", "万")
    (2400, 7, 12000)
    """
    s = num.strip()
    low = s.lower().replace("-", " ")
    if low in WORDS:
        value: float | None = WORDS[low]
    elif " " in low and all(p in WORDS for p in low.split()):
        value = sum(WORDS[p] or 0 for p in low.split())
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
    base = "usd" if c in ("usd", "us$", "$", "usdollars", "dollars", "美元") else "eur" if c in ("eur", "€", "euro",
                                                                                               "euros", "欧元") else "yuan"
    return f"{scale.lower()} {base}" if scale and scale.lower() in ("million", "mln", "billion", "bln", "trillion") else base


def _qualifier(text: str, start: int, after_q: str | None) -> str | None:
    if after_q:
        return _QUAL.get(after_q)
    m = _BEFORE_QUAL.search(text, max(0, start - 24), start)
    if not m:
        return None
    q = m["q"].lower()
    if q.startswith("exceed") or q.startswith("surpass"):
        return "over"
    return _QUAL.get(q, None)


def _as_of(sentence: str, dates: list[tuple[int, int, TextDate]]) -> str | None:
    """The as-of date of a sentence: "by the end of February 2025", "截至2025年2月底", "to date"."""
    for s, e, found in dates:
        if _ASOF.search(sentence[max(0, s - 24):s]) or sentence[s:e].lower().startswith(("the end", "end")) \
                or re.match(r"\s*(?:底|末)", sentence[e:e + 1]):
            day = found.day
            if found.precision == "month" and sentence[max(0, s - 4):s].endswith(("截至", "截止")):
                day = _month_end(day.year, day.month)
            return day.isoformat()
        if re.match(r"to date|so far|截至目前|目前|至今", sentence[s:e], re.I):
            return found.day.isoformat()
    return None


def _measure_for_firms(sentence: str, phrase: str, flow: bool) -> tuple[str, str]:
    """(unit, measure) of a count of firms, from the words around it."""
    if _ACCEPTED.search(sentence) and not re.search(r"approved|approvals|批复|获批", sentence, re.I):
        return "firms", "firms whose applications were accepted"
    if _TELECOM_TOTAL.search(phrase) or (_TELECOM_TOTAL.search(sentence) and not _PILOT.search(sentence)):
        return "enterprises", ("new foreign-invested telecom enterprises" if flow
                               else "foreign-invested telecom enterprises, total")
    if _APPROVED.search(sentence):
        if _CUMULATIVE.search(sentence):
            return "firms", "cumulative firms approved for the VATS pilot, total"
        return "firms", "firms approved for the VATS pilot (this batch)"
    return "firms", " ".join(phrase.split()) or "firms"


def extract_figures(text: str, sentences: list[tuple[int, int]], base: date | None = None, language: str = "en",
                    skip: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Figures in normalised `text`, with spans in it; `skip` are spans (boilerplate) to leave out.

    >>> [(f.value, f.unit, f.qualifier) for f in extract_figures("It rose 30 percent to over 2,400 firms.", [(0, 39)])]
    [(30, 'percent', None), (2400, 'firms', 'over')]
    """
    out: list[Figure] = []
    skip = skip or []
    all_dates = find_dates(text, base, language)
    for s0, e0 in sentences:
        if any(a <= s0 < b for a, b in skip):
            continue
        sentence = text[s0:e0]
        number_of = _NUMBER_OF.search(sentence) or (_NUMBERED.search(sentence) if "numbered" in sentence else None)
        as_of: str | None | bool = False  # computed once per sentence, when a figure needs it
        last_money_end = -10
        for m in _NUMBER.finditer(sentence):
            num = m["num"]
            start, end = m.start(), m.end()
            if num[0].isalpha() and not num.isascii() and not _AFTER.match(sentence, end):
                continue
            if _DATE_AFTER.match(sentence, m.end("num")) and not m["scale"]:
                continue
            if _ORDINAL_BEFORE.search(sentence, max(0, start - 8), start):
                continue
            after = _AFTER.match(sentence, end)
            money = bool(m["cur"] or (after and after["money"]))
            # Money keeps its multiplier in the unit ("602 billion yuan"); counts are multiplied out (1.2万家 = 12000).
            # 万 and 亿 have no English unit word: money in them is multiplied out ("500万元" = 5,000,000 yuan).
            value = parse_number(num, None if money and m["scale"] not in ("万", "亿") else m["scale"])
            if value is None:
                continue
            qual_after = None
            if m["cur"]:
                unit, measure = _money_unit(m["cur"].strip(), None, m["scale"]), "amount of money"
            elif after and after["pct"]:
                unit = "percent"
                end = after.end()
                before = sentence[max(0, start - 60):start]
                if _YOY.search(sentence[start:start + 40]) or (_GROWTH.search(before) and _YOY.search(sentence)):
                    measure = "year-on-year growth"
                elif _GROWTH.search(before[-30:]):
                    measure = "growth"
                elif _SHARE.search(sentence):
                    measure = "share or ownership cap"
                else:
                    measure = "percentage"
            elif after and after["tenths"]:  # "四成" = 40 percent
                if len(num) != 1 or num not in "一二三四五六七八九":
                    continue
                value, unit, end = value * 10, "percent", after.end()
                measure = "share or ownership cap" if _SHARE.search(sentence) else "percentage"
            elif after and after["money"]:
                unit, measure = _money_unit(None, after["money"], m["scale"]), "amount of money"
                end = after.end()
            elif after and (after["zh"] or after["noun"]):
                end = after.end()
                if after["zh"]:
                    qual_after = after["zq"]
                    if after["zu"] == "项":
                        unit, measure = "items", "items"
                    elif after["zu"] == "个工作日":
                        unit, measure = "working days", "time limit"
                    else:
                        tail = _ZH_NOUN.match(sentence, end)
                        tail = tail.group() if tail else ""
                        unit, measure = _measure_for_firms(sentence, tail, _FLOW.search(sentence[max(0, start - 6):end + 4])
                                                           is not None)
                else:
                    noun = after["noun"].lower()
                    phrase = sentence[start:end]
                    if noun in _FIRM_NOUNS:
                        unit, measure = _measure_for_firms(sentence, phrase, _FLOW.search(phrase) is not None)
                    elif noun == "people" and _SOURCES_AFTER.match(sentence, end):
                        continue
                    else:
                        unit = noun if noun.endswith("s") or noun in ("people", "staff") else noun + "s"
                        measure = " ".join(sentence[m.end():end].split())
            elif out and out[-1].start >= s0 and _FROM.match(sentence, out[-1].end - s0) and out[-1].end - s0 + \
                    len(_FROM.match(sentence, out[-1].end - s0).group()) == start:
                unit, measure = out[-1].unit, f"{out[-1].measure}, earlier"  # "to 27 measures from 29"
            elif out and out[-1].start >= s0 and out[-1].unit == "firms" and not m["scale"] \
                    and _LIST_JOIN.fullmatch(sentence, out[-1].end - s0, start) and _ELLIPSIS_AFTER.match(sentence, end) \
                    and not re.fullmatch(r"(?:19|20)\d\d", num):
                unit, measure = out[-1].unit, out[-1].measure  # "13 firms in February and 18 in June"
            elif _BATCH_OF.search(sentence, max(0, start - 20), start) and not m["scale"]:
                unit, measure = _measure_for_firms(sentence, "firms", False)
            elif number_of and m.start() > number_of.end() and _BARE_LEAD.search(sentence[max(0, start - 30):start]) \
                    and m["num"][0].isdigit():
                phrase = number_of.group()
                unit, measure = _measure_for_firms(sentence, phrase, False)
                if unit == "firms" and "applications" not in measure:
                    measure = ("cumulative firms approved for the VATS pilot, total" if _RUNNING.match(phrase)
                               else " ".join(phrase.split()) + ", total")
            else:
                continue
            if unit.endswith(("yuan", "usd", "eur")):
                # A conversion in brackets right after an amount, "(USD84.4 billion)", repeats that amount.
                if start - last_money_end <= 10 and "(" in sentence[last_money_end:start]:
                    last_money_end = end
                    continue
                last_money_end = end
            qualifier = _qualifier(sentence, start, qual_after)
            if as_of is False:
                as_of = _as_of(sentence, [(a - s0, b - s0, d) for a, b, d in all_dates if s0 <= a < e0])
            out.append(Figure(value, unit, measure, qualifier, as_of or None, s0 + start, s0 + end))
    return out
