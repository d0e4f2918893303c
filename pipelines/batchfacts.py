"""Facts of an approval batch in a batch report: count, ordinal, approval date, pilot areas and scope."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from functools import cache

from monitor.dates import TextDate, find_dates, parse_published
from pipelines.figures import Figure, dates_in, extract_figures
from pipelines.kinds import FigureKind
from pipelines.knowledge import load
from pipelines.normalize import latin_only
from pipelines.relevance import (
    BASE,
    ONE_FIRM,
    approval_kind,
    batch_told,
    count_kinds,
    cue_pattern,
    cue_values,
    cue_words,
    fired,
    is_base,
    vocab,
)

logger = logging.getLogger(__name__)

_ORDINALS = cue_values("ordinals")
# "the first batch of 13", "second group of foreign firms", "the third list", "首批", "第二批".
_ORDINAL = re.compile(r"\b(?P<en>" + "|".join(cue_values("ordinals", ("en",))) + r"|\d+(?:st|nd|rd|th))"
                      r"\s+(?:" + "|".join(cue_words("batch_word", ("en",))) + r"|list)\b|(?P<zh>首|第[一二三四五六七八九十\d]+)批",
                      re.I)


@cache
def _ordinal_other(langs: tuple[str, ...]) -> re.Pattern[str] | None:
    """An ordinal beside a batch word in another language: "el primer lote", "premier groupe", "ersten Gruppe"."""
    words = sorted(cue_values("ordinals", langs), key=len, reverse=True)
    batch = "|".join(cue_words("batch_word", langs))
    if not words or not batch:
        return None
    ords = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?P<w>{ords})\w*\s+(?:[^\W\d_]+\s+)?(?:{batch})|(?:{batch})\s+(?P<w2>{ords})", re.I)


# Where the approval date is told: "MIIT said on Friday", "announced ... on February 28", "2月28日,记者从工信部获悉".
_VERB = cue_pattern("approval")
_TOLD = cue_pattern("telling")
# Datelines name where and when a dispatch was filed, not when firms were approved:
# "BEIJING, Feb. 28 (Xinhua) --", "中评社北京3月1日电/据央视网报道,", "新华社上海2月26日电", a stored "date 2025-03-01".
_DATELINE = re.compile(
    r"\b[A-Z][A-Z .,'/&-]{1,40}, [A-Z][a-z]{2,4}\.? \d{1,2} \([A-Z][\w ]{1,30}\)\s*--"
    r"|(?m:^\s*[A-Z][A-Z .'/&-]{1,40}, [A-Z][a-z]{2,8}\.? \d{1,2}\s*(?:--|—|–))"
    r"|[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日[电電讯訊](?:\s*[/／]?\s*据[^，,。]{1,20}报[道导導][，,])?"
    r"|^\s*date \d{4}-\d{2}-\d{2}\b"
    # any language: a place, a day and a month, a news agency in brackets or slashes: "Пекин, 1 марта /Синьхуа/ --"
    r"|(?m:^[ \t]*[^\W\d_][^\n,(/]{0,30},?[ \t]+\d{1,2}(?:er)?\.?[ \t]+[^\W\d_]{2,12}\.?(?:[ \t]+\d{4})?[ \t]*"
    r"[(/][^)/\n]{0,20}(?:" + "|".join(cue_words("news_agency", ())) + r")[^)/\n]{0,5}[)/][ \t]*(?:--|—|–|-)?)"
)


# A day told as the day of the telling, not of the approval: "officials said on Sunday", "管理局6日介绍".
_SAID_BEFORE = cue_pattern("said_before", BASE, r"{}\s*$")

# A line holding only a full date: "2025年9月12日", "2025-09-12".
_DATE_LINE = re.compile(r"^[ \t]*(?:(?:19|20)\d\d年[01]?\d月[0-3]?\d日|(?:19|20)\d\d-[01]\d-[0-3]\d)[ \t]*$", re.M)


# The place in a firm's registered name, "(Shanghai) Co., Ltd.", "(北京)有限公司": where the firm is, not the batch's area.
_FIRM_PLACE = re.compile(r"\([^()\n]{2,20}\)(?=\s*(?:Co\b|Ltd\b|Limited\b|Inc\b|有限))")


def _blank_firm_places(text: str) -> str:
    return _FIRM_PLACE.sub(lambda m: " " * len(m.group()), text)


@cache
def _areas() -> tuple[re.Pattern[str], dict[str, str], tuple[str, ...], list[str]]:
    """(one pattern of every area alias, alias -> area, the first-round areas, areas in table order)."""
    raw = load("areas.json")
    by_alias = {a: area["name"] for area in raw["areas"] for a in area["aliases"]}
    words = sorted(by_alias, key=len, reverse=True)
    latin = [re.escape(w) for w in words if w.isascii()]
    other = [re.escape(w) for w in words if not w.isascii()]
    pattern = re.compile(r"\b(?:" + "|".join(latin) + r")\b|" + "|".join(other))
    return pattern, by_alias, tuple(raw["pilot_first_round"]), [area["name"] for area in raw["areas"]]


@cache
def _latin_areas() -> re.Pattern[str]:
    """The pattern of the areas' ASCII aliases only, for texts in Latin letters."""
    words = sorted((w for w in _areas()[1] if w.isascii()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


# A preposition right before a name: the place itself ("the pilot in Beijing has drawn ..."), never the government.
_PLACE_BEFORE = cue_pattern("place_before", ("en", "es", "pt", "fr", "de", "it"), r"(?<![\w-]){}\s+$")

# Every language with cue lists (an area's name is read whatever the article's language).
_ALL_LANGS = ("en", "zh", "es", "pt", "fr", "de", "it", "id", "ru", "ar", "ja", "ko", "hi")


def find_areas(text: str) -> list[str]:
    """Pilot areas named in a text, canonical English names, in the order of the table.

    >>> find_areas("工信部向北京、上海、海南、深圳四地发放复文")
    ['Beijing', 'Shanghai', 'Hainan', 'Shenzhen']
    >>> find_areas("Beijing is now turning its attention to services in Hainan.")
    ['Hainan']
    """
    pattern, by_alias, _first, order = _areas()
    if latin_only(text):
        pattern = _latin_areas()
    capital, government = load("areas.json").get("capital"), cue_pattern("government_verb", _ALL_LANGS)
    named = set()
    for m in pattern.finditer(text):
        area = by_alias[m.group()]
        if area == capital and government.match(text, m.end()) and not _PLACE_BEFORE.search(text, max(0, m.start() - 16),
                                                                                             m.start()):
            fired("areas:capital_as_government")
            continue  # "Beijing is now turning its attention to services": the government, not the place
        named.add(area)
    return [name for name in order if name in named]


# An ordinal told as background is another batch's: "seven months after it admitted the first group", "连同首批13家".
_ORDINAL_RECAP = cue_pattern("recap_before", BASE, r"{}[^,;.]{{0,40}}$")


def ordinal(text: str, recap: bool = False, langs: tuple[str, ...] = BASE) -> int | None:
    """The ordinal of a batch when stated: "first batch" -> 1, "第二批" -> 2 (not one told as background).

    >>> ordinal("MIIT approved the second batch of 20 firms"), ordinal("首批13家"), ordinal("21 more, after the first group")
    (2, 1, None)

    With `recap` (the article tells an earlier batch again) the background ordinal is the one wanted.
    """
    m = next((m for m in _ORDINAL.finditer(text)
              if recap or not _ORDINAL_RECAP.search(text, max(0, m.start() - 40), m.start())
              and not re.match(r"[^,;.]{0,30}?(?:以来|之后|后)\s*,", text[m.end():])), None)
    other = _ordinal_other(langs) if not is_base(langs) else None
    if not m and other is not None:
        found = other.search(text)
        if found:
            fired("batch:ordinal_other_language")
            word = (found["w"] or found["w2"]).lower()
            return next((v for w, v in cue_values("ordinals", langs).items() if word.startswith(w)), None)
    if not m:
        return None
    word = (m["en"] or m["zh"]).lower()
    if word[0].isdigit():
        return int(re.match(r"\d+", word).group())
    if word.startswith("第"):
        word = word[1:]
        if word.isdigit():
            return int(word)
        from pipelines.figures import zh_number
        return zh_number(word)
    return _ORDINALS.get(word)


def batch_facts(text: str, sentences: list[tuple[int, int]], figures: list[Figure], base: date | None,
                language: str = "en", title: str = "", langs: tuple[str, ...] = BASE) -> dict:
    """Count, ordinal, approval date, areas and scope of the batch an article reports.

    >>> text = "China on Friday approved 13 foreign firms for the pilot in Beijing and Shanghai."
    >>> batch_facts(text, [(0, len(text))], extract_figures(text, [(0, len(text))]), None)["count"]
    13
    """
    kinds = [(sp, approval_kind(text[sp[0]:sp[1]], langs)) for sp in sentences]
    parts = [text[s:e] for s, e in sentences]
    kinds = [(sp, "cumulative" if k == "batch" and not batch_told(parts, n, langs, title) else k)
             for n, (sp, k) in enumerate(kinds)]
    # A recap months later tells an earlier batch: its sentences stand in when no new batch is told.
    want = "batch" if any(k == "batch" for _sp, k in kinds) else "recap"
    statements = [sp for sp, k in kinds if k == want]
    count = None
    for s, e in statements:
        told = [(s + a, s + b) for a, b, k in count_kinds(text[s:e], vocab(langs)) if k == want]
        firm_figures = [f for f in figures if f.unit == "firms" and s <= f.start < e and isinstance(f.value, int)
                        and f.kind != FigureKind.PILOT_APPROVALS_TOTAL]
        fig = next((f for f in firm_figures if any(a < f.end and f.start < b for a, b in told)),
                   firm_figures[0] if firm_figures else None)
        if fig is not None:
            count = fig.value
            break
    if count is None and title and approval_kind(title, langs) in ("batch", "recap"):
        found = [f for f in extract_figures(title, [(0, len(title))], langs=langs) if f.unit == "firms"]
        count = int(found[0].value) if found else None
    first = statements[0] if statements else None
    lead = blank_datelines(text[first[0]:first[1]]) if first else title
    recap = want == "recap"
    ordinal_found = ordinal(lead, recap, langs) or ordinal(title, False, langs) or next(
        (o for s, e in statements if (o := ordinal(text[s:e], recap, langs))), None)
    approved_on = _approval_date(text, sentences, statements, base, language, langs)
    areas = find_areas(lead) or find_areas(blank_datelines(text))
    pilot = [a for a in areas if a in _areas()[2]]
    # A regional batch names its area outside the firms' registered names ("four Shanghai firms", "海南3家").
    lead_areas = find_areas(_blank_firm_places(lead))
    scope = pilot[0] if len(pilot) == 1 and len(lead_areas) == 1 and lead_areas[0] == pilot[0] else "national"
    return {"count": count, "ordinal": ordinal_found, "approved_on": approved_on, "areas": areas, "scope": scope}


def blank_datelines(text: str) -> str:
    """The text with its datelines blanked out (same length, so offsets still hold).

    >>> blank_datelines("中评社北京3月1日电/据央视网报道,2月28日,记者获悉").strip()
    '2月28日,记者获悉'
    """
    if not _DATELINE_HINT.search(text):
        return text
    return _DATELINE.sub(lambda m: " " * len(m.group()), text)


# What every dateline holds (a dash after the place, 日电, "date 2025"): a text without any has none to blank.
_DATELINE_HINT = re.compile(r"--|—|–|日[电電讯訊]|date \d|" + "|".join(cue_words("news_agency", ())))


def _approval_date(text: str, sentences: list[tuple[int, int]], statements: list[tuple[int, int]],
                   base: date | None, language: str, langs: tuple[str, ...] = BASE) -> str | None:
    """A day-precise date told with the approval, in the approval sentences or the few around the first.

    A dispatch's dateline is not the approval date; an English wire's dateline day is the fallback, since
    the wire runs the day the ministry tells it.
    """
    if not statements:
        return None
    # The approval sentences first, then the two before and after each (a title line may be the first).
    index = {sp: i for i, sp in enumerate(sentences)}
    near = list(statements)
    for sp in statements[:3]:
        i = index.get(sp, 0)
        near += [x for x in sentences[max(0, i - 2):i + 3] if x not in near]
    said_day, said_at = None, -9  # "..., officials said on Sunday": the day of the telling, for want of a better one
    for s, e in near:
        verb = _VERB if is_base(langs) else cue_pattern("approval", langs)
        if said_day and (abs(index.get((s, e), -9) - said_at) > 2 or not verb.search(text, s, e)):
            continue  # past a day of the telling, only an approval verb's day close by can replace it
        sentence = blank_datelines(text[s:e])
        verbs = [m.start() for m in verb.finditer(sentence)]
        told = _TOLD.search(sentence) if is_base(langs) else (
            cue_pattern("telling", langs).search(sentence) or verb.search(sentence))
        if (s, e) not in statements and not told:
            continue
        days = []
        for ds, de, found in (dates_in(sentence, base, language) if is_base(langs) else other_dates(sentence, base, langs)):
            before = sentence[max(0, ds - 40):ds].lower()
            if found.precision == "day" and not found.approximate and "launch" not in before and "since" not in before:
                days.append((min((abs(v - ds) if v >= de else abs(de - v) for v in verbs), default=0), found,
                             bool(_SAID_BEFORE.search(before))))
        if days:  # the date nearest an approval verb ("记者17日获悉,工信部1月16日批复" is the 16th)
            plain = [d for d in days if not d[2]]
            if plain:
                return min(plain, key=lambda d: d[0])[1].iso()
            best = min(days, key=lambda d: d[0])
            if not said_day:
                said_day, said_at = best[1].iso(), index.get((s, e), -9)
    if said_day:
        return said_day
    for m in _DATELINE.finditer(text[: statements[0][1]]):
        if "(" in m.group() and is_base(langs):
            for _ds, _de, found in find_dates(m.group(), base, language):
                if found.precision == "day":
                    return found.iso()
    # A ministry's reply to one firm ("同意你公司...") is dated on its own line below the signature.
    if ONE_FIRM.search(text):
        for m in _DATE_LINE.finditer(text, statements[0][1]):
            found = find_dates(m.group(), base, language)
            if found and found[0][2].precision == "day":
                return found[0][2].iso()
    return None


@cache
def _other_date_pattern(langs: tuple[str, ...]) -> re.Pattern[str] | None:
    """Dates as another language writes them: "28 de febrero de 2025", "28. Februar", "2025年2月28日", "28일"."""
    months = sorted(cue_values("months", langs), key=len, reverse=True)
    parts = [r"(?P<ymd>(?:19|20)\d\d年\d{1,2}月\d{1,2}日)"]
    if months:
        names = "|".join(re.escape(m) for m in months)
        parts.append(rf"(?P<dm>\b\d{{1,2}}\.?(?:\s+de)?\s+(?:{names})\b(?:,?\s+(?:de\s+)?(?:19|20)\d\d)?)")
    if "ko" in langs or "ja" in langs:
        parts.append(r"(?P<day>(?<![\d월月])\d{1,2}(?:일|日)(?![\w]))")
    return re.compile("|".join(parts), re.I)


def other_dates(sentence: str, base: date | None, langs: tuple[str, ...]) -> list[tuple[int, int, TextDate]]:
    """Day-precise dates in a sentence of another language, read by dateparser (through monitor.dates, with the
    article's language given) against the publication day."""
    pattern = _other_date_pattern(langs)
    out: list[tuple[int, int, TextDate]] = []
    if pattern is None:
        return out
    relative = datetime(base.year, base.month, base.day, 12) if base else None
    for m in pattern.finditer(sentence):
        g = m.groupdict()
        if g["ymd"]:
            out += [(m.start() + a, m.start() + b, d) for a, b, d in find_dates(m.group(), base, "zh")]
        elif g.get("dm") and base is not None:
            found = parse_published(m.group().replace(".", ""), languages=list(langs), relative_base=relative)
            if found is not None:
                day = found.date()
                if day > base and not re.search(r"(?:19|20)\d\d", m.group()):
                    day = day.replace(year=day.year - 1)
                out.append((m.start(), m.end(), TextDate(day, "day")))
        elif g.get("day") and base is not None:
            n = int(re.match(r"\d+", m.group()).group())
            out += [(m.start() + a, m.start() + b, d) for a, b, d in find_dates(f"{n}日", base, "zh")]
    return out
