"""Every date the monitor reads is parsed here, with explicit dateparser settings (STYLE.md rule 4)."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import dateparser

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


def parse_published(
    value: str | None,
    languages: list[str] | tuple[str, ...] = ("en", "zh"),
    relative_base: datetime | None = None,
) -> datetime | None:
    """Parse a publication date as printed on a page; naive times are Beijing time.

    >>> parse_published("2025-03-03 10:01:02").isoformat()
    '2025-03-03T10:01:02+08:00'
    """
    if not value or not value.strip():
        return None
    # Labels the sites print before a date: "Published:", "Updated:", "发布时间：".
    value = _LABEL.sub("", value.strip())
    m = _NUMERIC.match(value)
    if m:
        try:
            return datetime(
                int(m["y"]), int(m["m"]), int(m["d"]),
                int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
                tzinfo=_tz(m["tz"]),
            )
        except ValueError:
            return None
    settings = {
        "TIMEZONE": "Asia/Shanghai",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "YMD" if "zh" in languages and "en" not in languages else "MDY",
    }
    if relative_base is not None:
        settings["RELATIVE_BASE"] = relative_base.replace(tzinfo=None)
    try:
        return dateparser.parse(value, languages=list(languages), settings=settings)
    except (ValueError, OverflowError) as exc:
        logger.debug("unparseable date %r: %s", value, exc)
        return None


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
