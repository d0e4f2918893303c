"""Every date the monitor reads is parsed here, with explicit dateparser settings (STYLE.md rule 4)."""

from __future__ import annotations

import logging
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")

# Numeric forms the sites print, read without dateparser: 2025-03-03, 2025/3/3 10:01, 2025-03-03-10:01:02,
# 2025-03-03 10:01:02:0 (china.org.cn's enpproperty), 20250303 (Xinhua URLs).
_NUMERIC = re.compile(
    r"^\s*(?P<y>(?:19|20)\d\d)[-/.年]?(?P<m>\d{1,2})[-/.月]?(?P<d>\d{1,2})日?"
    r"(?:[ T\-]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?::\d+|\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|GMT\+8|UTC\+8)?\s*$"
)


_LABEL = re.compile(r"^(?:published|updated|posted|date|发布时间|时间|日期)\s*[:：]?\s*", re.I)


def _tz(value: str | None):
    if not value:
        return BEIJING
    if value == "Z":
        return ZoneInfo("UTC")
    if value in ("GMT+8", "UTC+8"):
        return BEIJING
    return datetime.strptime(value.replace(":", ""), "%z").tzinfo


# Years a news page can carry: the web's first pages are from 1991; 0001-01-01 and 1970-01-01 are CMS
# placeholders, 9999 an "expires never".
PUBLISHED_YEARS = range(1991, 2101)


def parse_published(
    value: str | None,
    languages: list[str] | tuple[str, ...] = ("en", "zh"),
    relative_base: datetime | None = None,
    *,
    tz: tzinfo | str | None = BEIJING,
) -> datetime | None:
    """Parse a publication date as printed on a page; a time printed without a zone is in `tz`.

    `tz` defaults to Beijing time. None says the zone is unknown: then only the printed day is kept, as
    00:00 UTC, because a clock time read in a guessed zone can be off by up to 14 hours, and so a day.
    A year outside PUBLISHED_YEARS (placeholders such as 0001-01-01) gives None.

    >>> parse_published("2025-03-03 10:01:02").isoformat()
    '2025-03-03T10:01:02+08:00'
    >>> parse_published("2025-03-03 10:01:02", tz="Europe/London").isoformat()
    '2025-03-03T10:01:02+00:00'
    >>> parse_published("2025-03-03 23:30", tz=None).isoformat()
    '2025-03-03T00:00:00+00:00'
    >>> parse_published("0001-01-01T00:00:00Z") is None
    True
    """
    if not value or not value.strip() or len(value) > 200:
        return None  # no printed date is longer; a million digits must not cost dateparser a minute
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    # Labels the sites print before a date: "Published:", "Updated:", "发布时间：".
    value = _LABEL.sub("", value.strip())
    m = _NUMERIC.match(value)
    if m:
        try:
            found = datetime(
                int(m["y"]), int(m["m"]), int(m["d"]),
                int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
                tzinfo=_tz(m["tz"]) if m["tz"] else None,
            )
        except ValueError:
            return None
    else:
        # No TIMEZONE setting: a time printed with a zone comes back aware in it, one without comes back
        # naive and is given `zone` below.
        settings: dict[str, Any] = {
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "YMD" if "zh" in languages and "en" not in languages else "MDY",
        }
        if relative_base is not None:
            base = relative_base.astimezone(zone) if relative_base.tzinfo and zone else relative_base
            settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
        try:
            import dateparser  # imported on first use: commands that only read the store start without it

            found = dateparser.parse(value, languages=list(languages), settings=settings)
        except (ValueError, OverflowError) as exc:
            logger.debug("unparseable date %r: %s", value, exc)
            return None
        if found is None:
            return None
    if found.year not in PUBLISHED_YEARS:
        logger.debug("impossible publication year in %r", value)
        return None
    if found.tzinfo is not None:
        return found
    if zone is None:
        return datetime(found.year, found.month, found.day, tzinfo=ZoneInfo("UTC"))
    return found.replace(tzinfo=zone)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, the form every stored datetime takes."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BEIJING)
    return value.isoformat()


def now() -> datetime:
    """The current time in Beijing (the clock is read here and in the run machinery only)."""
    return datetime.now(BEIJING)


# ---- dates inside article text, resolved against the article's publication time ------------------------

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], 1) for m in names}
_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
             r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Date phrases as the outlets write them, English and Chinese (the text is normalised to Simplified first).
DATE_PHRASE = re.compile(
    rf"""(?P<endof>(?:the\s+)?end\s+of\s+(?:(?P<eo_last>last\s+)?(?P<eo_m>{_MONTH_RE})\.?(?:,?\s+(?P<eo_y>(?:19|20)\d\d))?
                   |(?P<eo_ly>last\s+year|(?P<eo_yy>(?:19|20)\d\d))))
      |(?P<md>(?P<md_m>{_MONTH_RE})\.?\s+(?P<md_d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>(?:19|20)\d\d))?)
      |(?P<dm>\b(?P<dm_d>[0-3]?\d)\s+(?P<dm_m>{_MONTH_RE})\b\.?(?:,?\s+(?P<dm_y>(?:19|20)\d\d))?)
      |(?P<my>(?P<my_last>last\s+)?\b(?P<my_m>{_MONTH_RE})\b\.?(?:,?\s+(?P<my_y>(?:19|20)\d\d))?)
      |(?P<wd>(?P<wd_last>last\s+)?\b(?P<wd_d>{_WEEKDAY_RE})\b)
      |(?P<rel>\byesterday\b|\btoday\b|\bto\s+date\b|\bso\s+far\b|\brecently\b)
      |(?P<iso>\b(?P<i_y>(?:19|20)\d\d)-(?P<i_m>[01]\d)-(?P<i_d>[0-3]\d)\b)
      |(?P<zd>(?:(?P<zd_y>(?:19|20)\d\d)年)?(?P<zd_m>[01]?\d)月(?P<zd_d>[0-3]?\d)[日号])
      |(?P<zm>(?P<zm_last>去年)?(?:(?P<zm_y>(?:19|20)\d\d)年)?(?P<zm_m>[01]?\d)月(?P<zm_end>底|末|份)?)
      |(?P<zrel>昨天|昨日|当日|当天|今天|今日|近日|日前|近期|截至目前|目前|至今|去年底|去年年底)
      |(?P<zwd>(?P<zwd_last>上)?(?:周|星期|礼拜)(?P<zwd_d>[一二三四五六日天]))
      |(?P<zday>(?<![\d月])(?P<zday_d>[0-3]?\d)日(?![电讯]))""",
    re.I | re.X,
)


# Where a date phrase can begin; DATE_PHRASE is tried only there (a full scan of it costs ~1 ms per 3 KB).
_DATE_START = re.compile(
    r"(?i:\b(?:the\s+end|end\s+of|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|last|mon|tue|wed|thu|fri|sat|sun"
    r"|yesterday|today|to\s+date|so\s+far|recently))|(?<!\d[.,])(?<!\d)\d|去年|昨|当[日天]|今[天日]|近[日期]|日前|截至目前|目前|至今"
    r"|上?(?:周|星期|礼拜)[一二三四五六日天]"
)

# How a date phrase that starts with a digit goes on: 2025年, 9月, 19日, 2025-09-19, "19 September".
_DIGIT_DATE = re.compile(rf"\d+(?:\s*[年月日号]|-[01]\d|\s+{_MONTH_RE}\b)", re.I)


@dataclass(frozen=True)
class TextDate:
    """A date read in an article: the day, how precise the phrase was, whether it is only approximate."""

    day: date
    precision: str  # "day" | "month" | "year"
    approximate: bool = False

    def iso(self) -> str:
        return self.day.isoformat()


def month_end(year: int, month: int) -> date:
    """The last day of a month: month_end(2025, 2) is 2025-02-28."""
    return date(year, month, monthrange(year, month)[1])


def _year_for(month: int, day: int, base: date, last: bool = False) -> int:
    """The year of a month (and day) written without one: the latest such date not after the base."""
    year = base.year
    if last or (month, day) > (base.month, base.day):
        year -= 1
    if (month, day) == (2, 29):
        while monthrange(year, 2)[1] != 29:  # "Feb 29" is the latest leap day not after the base
            year -= 1
    return year


def _resolve_match(m: re.Match[str], base: date | None, language: str) -> TextDate | None:
    g = m.groupdict()
    if g["iso"]:
        return _safe(int(g["i_y"]), int(g["i_m"]), int(g["i_d"]), "day")
    if g["endof"]:
        if g["eo_m"]:
            month = _MONTHS[g["eo_m"].lower().rstrip(".")]
            year = int(g["eo_y"]) if g["eo_y"] else (_year_for(month, 31, base, bool(g["eo_last"])) if base else None)
            return TextDate(month_end(year, month), "month") if year else None
        year = int(g["eo_yy"]) if g["eo_yy"] else (base.year - 1 if base else None)
        return TextDate(date(year, 12, 31), "year") if year else None
    if g["md"] or g["dm"]:
        mon, day, year = (g["md_m"], g["md_d"], g["md_y"]) if g["md"] else (g["dm_m"], g["dm_d"], g["dm_y"])
        if year:
            return _safe(int(year), _MONTHS[mon.lower()], int(day), "day")
        if base is None:
            return None
        # The regex has read the month and the day; the year is the latest one that is not after the article
        # (what dateparser's PREFER_DATES_FROM=past gives, without its cost).
        month = _MONTHS[mon.lower()]
        return _safe(_year_for(month, int(day), base), month, int(day), "day")
    if g["my"]:
        month = _MONTHS[g["my_m"].lower()]
        if g["my_y"]:
            return TextDate(date(int(g["my_y"]), month, 1), "month")
        if base is None or not g["my_last"]:
            return None  # a bare "May" or "march" is too often not a date
        # "last October" is the October of the previous year (dateparser returns nothing for it).
        year = base.year - 1 if month >= base.month else base.year
        return TextDate(date(year, month, 1), "month")
    if g["wd"]:
        if base is None:
            return None
        back = (base.weekday() - _WEEKDAYS[g["wd_d"].lower()]) % 7
        if g["wd_last"] and back == 0:
            back = 7
        return TextDate(base - timedelta(days=back), "day")
    if g["rel"]:
        if base is None:
            return None
        word = " ".join(g["rel"].lower().split())
        if word == "yesterday":
            return TextDate(base - timedelta(days=1), "day")
        return TextDate(base, "day", approximate=word != "today")
    if g["zd"]:
        month, day = int(g["zd_m"]), int(g["zd_d"])
        if g["zd_y"]:
            return _safe(int(g["zd_y"]), month, day, "day")
        return _safe(_year_for(month, day, base), month, day, "day") if base else None
    if g["zm"]:
        month = int(g["zm_m"])
        if not 1 <= month <= 12:
            return None
        if g["zm_y"]:
            year = int(g["zm_y"])
        elif base is None:
            return None
        else:
            year = base.year - 1 if g["zm_last"] else _year_for(month, 1, base)
        return TextDate(month_end(year, month) if g["zm_end"] in ("底", "末") else date(year, month, 1), "month")
    if g["zrel"]:
        if base is None:
            return None
        word = g["zrel"]
        if word in ("昨天", "昨日"):
            return TextDate(base - timedelta(days=1), "day")
        if word in ("去年底", "去年年底"):
            return TextDate(date(base.year - 1, 12, 31), "year")
        return TextDate(base, "day", approximate=word not in ("当日", "当天", "今天", "今日"))
    if g["zwd"]:
        if base is None:
            return None
        wd = "一二三四五六日".find(g["zwd_d"].replace("天", "日"))
        if g["zwd_last"]:  # 上周五: the Friday of the week before the base's week
            return TextDate(base - timedelta(days=base.weekday() + 7 - wd), "day")
        return TextDate(base - timedelta(days=(base.weekday() - wd) % 7), "day")
    if g["zday"]:  # "12日": a day of the base's month, or of the month before when it lies ahead of the base
        if base is None:
            return None
        day = int(g["zday_d"])
        if day > base.day:
            prev = base.replace(day=1) - timedelta(days=1)
            return _safe(prev.year, prev.month, day, "day")
        return _safe(base.year, base.month, day, "day")
    return None


def _safe(year: int, month: int, day: int, precision: str) -> TextDate | None:
    try:
        return TextDate(date(year, month, day), precision)
    except ValueError:
        return None


def find_dates(text: str, base: date | None, language: str = "en") -> list[tuple[int, int, TextDate]]:
    """Every date phrase in `text` with its span, resolved against `base` (the publication day).

    >>> [(s, e, d.iso()) for s, e, d in find_dates("the MIIT said on Friday", date(2025, 3, 3))]
    [(17, 23, '2025-02-28')]
    """
    out = []
    pos = 0
    for c in _DATE_START.finditer(text):
        if c.start() < pos:
            continue
        if text[c.start()].isdigit() and not _DIGIT_DATE.match(text, c.start()):
            continue  # "13 firms", "2,400": a number that no date phrase can start with
        m = DATE_PHRASE.match(text, c.start())
        if not m or not m.group():
            continue
        pos = m.end()
        resolved = _resolve_match(m, base, language)
        if resolved is not None:
            out.append((m.start(), m.end(), resolved))
    return out


def resolve_relative(phrase: str, base: datetime | date | str | None, language: str = "en") -> TextDate | None:
    """Resolve one date phrase ("on Friday", "last October", "2月28日", "近日") against the publication time.

    >>> resolve_relative("last October", date(2025, 3, 3)).iso()
    '2024-10-01'
    >>> resolve_relative("截至目前", date(2025, 6, 1)).approximate
    True
    """
    day = as_day(base)
    found = find_dates(phrase, day, language)
    return found[0][2] if found else None


def as_day(value: datetime | date | str | None) -> date | None:
    """The calendar day (Beijing time) of a publication time given as a datetime, a date or an ISO string."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(BEIJING) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    parsed = parse_published(value)
    return parsed.astimezone(BEIJING).date() if parsed else None
