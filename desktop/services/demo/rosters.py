"""Rosters and posts of a meeting date, read through the store's queries and memoised.

Who belongs to a branch (and as 正式 or 预备) and who holds which post only change on the
dates listed in the sample tables — joining, 转正, transfers, elections. Between two such
dates every meeting sees the same roster, so each query runs once per branch and period
instead of once per meeting; the answers are still those of ``roster_on`` /
``committee_roster_on`` / ``posts_on``.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from sqlalchemy.orm import Session

from desktop.store.queries import DueMember, committee_roster_on, posts_on, roster_on

from .org import POSTS, Org
from .people import ESTABLISHED, PEOPLE, TRANSFER_IN, TRANSFER_OUT


def _change_days() -> list[date]:
    days = {ESTABLISHED, TRANSFER_IN[1], TRANSFER_OUT[1] + timedelta(days=1)}
    for p in PEOPLE:
        days |= {p.join, p.join + timedelta(days=1)}
        if p.full:
            days.add(p.full)
    for _b, _post, _key, start, end in POSTS:
        days.add(start)
        if end:
            days.add(end + timedelta(days=1))
    return sorted(days)


class Rosters:
    def __init__(self, session: Session, org: Org):
        self.session = session
        self.org = org
        self.days = _change_days()
        self.cache: dict[tuple, object] = {}

    def _epoch(self, day: date) -> int:
        return bisect_right(self.days, day)

    def _memo(self, key: tuple, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def members(self, branch_id: str, day: date, group_id: str | None = None) -> list[DueMember]:
        return self._memo(("roster", branch_id, group_id, self._epoch(day)),
                          lambda: roster_on(self.session, branch_id, day, group_id=group_id))

    def committee(self, branch_id: str, day: date) -> list[DueMember]:
        return self._memo(("committee", branch_id, self._epoch(day)),
                          lambda: committee_roster_on(self.session, branch_id, day))

    def posts(self, branch_id: str, day: date) -> list[tuple[str, str | None, str]]:
        """(post, group id, holder's name) on ``day``."""
        return self._memo(("posts", branch_id, self._epoch(day)),
                          lambda: [(h.post, h.group_id, m.name) for h, m in posts_on(self.session, branch_id, day)])
