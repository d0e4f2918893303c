"""The fixed sets of values that modules branch on: event types, firm roles, figure kinds (STYLE rule 13).

Each is a `StrEnum`, so a value compares equal to its string, is stored as that string and serialises as it.

>>> Event("batch_report") is Event.BATCH_REPORT, FigureKind.BATCH_COUNT == "batch_count"
(True, True)
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    """What an article reports about the policy."""

    BATCH_REPORT = "batch_report"  # a batch of firms approved together
    CUMULATIVE_STATUS = "cumulative_status"  # running totals, "N firms hold approvals"
    POLICY_MILESTONE = "policy_milestone"  # notices, pilot areas approved, launch
    APPLICANT_NEWS = "applicant_news"  # firms applying, signing up, planning to
    UNRELATED = "unrelated"


class Role(StrEnum):
    """What a firm is in an article."""

    APPROVED = "approved"
    APPLICANT = "applicant"
    PARENT = "parent"
    MENTIONED = "mentioned"


class FigureKind(StrEnum):
    """What a figure counts; `measure` keeps the article's own words for people, this is for programs."""

    BATCH_COUNT = "batch_count"  # firms approved together in one batch
    ENTERPRISES_TOTAL = "enterprises_total"  # foreign-invested telecom enterprises, a stock
    ENTERPRISES_NEW = "enterprises_new"  # foreign-invested telecom enterprises, read as new ones (a flow)
    PILOT_APPROVALS_TOTAL = "pilot_approvals_total"  # cumulative firms approved for the pilot
    GROWTH = "growth"  # a rate of change
    MONEY = "money"
    OTHER = "other"
