"""``zhibu demo FILE``: a realistic sample ledger built from the seed documents.

A 机关党委 with 3 branches and 42 members (one more transferred out during 2026), meetings of
every kind from January 2025 to 22 November 2026 with a few deliberate faults (see ``schedule``),
a 主题教育 rectification list of 六类13个方面问题、20项整改措施、3个重点整改项目 in mixed states,
political birthdays in every month and a July collective celebration. Deterministic: the same
file content (apart from record ids and timestamps) on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.domain.enums import MemberStatus
from desktop.store.opening import open_ledger

from .birthdays import build_birthday_event
from .meetings import build_meetings
from .org import build_org
from .people import PEOPLE
from .rectification import build_campaign

DEMO_TODAY = date(2026, 11, 22)
SEED = 20261122


@dataclass(frozen=True)
class DemoResult:
    path: Path
    committee_id: str
    branch_ids: tuple[str, ...]
    members: int  # in a branch today
    transferred_out: int
    meetings: int
    campaign_id: str
    birthday_event_id: str


def build_demo(path: Path | str, *, today: date = DEMO_TODAY) -> DemoResult:
    """Create ``path`` (must not exist) and fill it in one write transaction.

    Raises ``desktop.store.errors.FileExists`` when the file is already there (left untouched).
    """
    rng = random.Random(SEED)
    ledger = open_ledger(path, create=True)
    try:
        with ledger.write() as session:
            org = build_org(session, rng)
            meetings = build_meetings(session, org, rng, today)
            campaign_id = build_campaign(session)
            event_id = build_birthday_event(session, org)
    except BaseException:
        ledger.close()
        if not ledger.is_server:  # a server ledger's transaction was rolled back: nothing written
            Path(ledger.path).unlink(missing_ok=True)
        raise
    ledger.close()
    gone = sum(1 for p in PEOPLE if p.status == MemberStatus.TRANSFERRED_OUT)
    return DemoResult(ledger.path, org.committee_id, tuple(org.branches.values()), len(org.members) - gone, gone,
                      meetings, campaign_id, event_id)
