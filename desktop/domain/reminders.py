"""Which required meetings 首页 and the reminders name on a day, and which are urgent.

The one place for these rules: ``desktop.services.reminders`` (the 首页 reminder lists) and the
首页 meetings box (``desktop.ui.pages.home``) both ask these functions.
"""

from __future__ import annotations

from datetime import date

from .compliance import RequirementStatus
from .dates import quarter_of, quarter_range

DRAFT_STALE_DAYS = 7  # a draft older than this is a warning, not just information


def is_due_now(item: RequirementStatus, today: date, include_held: bool = False) -> bool:
    """THE rule for which required meetings 首页 and the reminders name on ``today`` (the 首页
    meetings box asks it with ``include_held`` to show what is done as well):

    - nothing whose period has not started;
    - months of this quarter up to this one that are not held (earlier ones are then missing);
      held (or 未录入, before 台账启用日期): this month's only, and only where done items show;
    - a quarter, half year or year once its period ends within this quarter.
    """
    req = item.requirement
    if req.start > today:
        return False
    settled = item.status in ("held", "not_entered")  # not_entered: before 台账启用日期, not a gap
    if settled and not include_held:
        return False
    if req.scope == "month":
        return not settled or (req.start.year, req.start.month) == (today.year, today.month)
    return req.end <= quarter_range(today.year, quarter_of(today))[1]


def is_urgent(item: RequirementStatus, today: date, soon_days: int) -> bool:
    """A pending requirement whose period ends within ``soon_days`` (setting 即将到期天数)."""
    return item.status == "pending" and (item.requirement.end - today).days <= soon_days


def draft_is_stale(day: date, today: date) -> bool:
    """A meeting record dated ``day`` still in draft more than a week later."""
    return (today - day).days > DRAFT_STALE_DAYS
