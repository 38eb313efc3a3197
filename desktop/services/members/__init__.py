"""党员: the roster, one member's record, and the changes that keep history.

- ``save_member`` validates everything with the domain rules and reports all problems at
  once (``ValidationErrors`` naming each field by its form label).
- A member's branch is changed only by ``transfer_member`` (a new Membership period);
  ``change_status`` to 转出/去世 ends the open period, so meetings held earlier still count them.
- 转正 / 延长预备期 / 取消预备党员资格 are decisions of a 党员大会: ``record_probation_step``
  keeps each as a dated event linked to the meeting record (``probation_info`` shows them).
"""

from __future__ import annotations

from .changes import change_status, transfer_member
from .editing import delete_member, save_member, save_member_in, validate_member
from .probation import (
    AssemblyChoice,
    ProbationEventRow,
    ProbationInfo,
    assembly_choices,
    probation_due,
    probation_info,
    record_probation_step,
)
from .records import ENDING, ROW_COLUMNS, MemberDetail, MemberInput, MemberRow, PeriodRow
from .roster import get_member, list_members, member_rows

__all__ = [
    "AssemblyChoice",
    "ENDING",
    "ProbationEventRow",
    "ProbationInfo",
    "assembly_choices",
    "probation_due",
    "probation_info",
    "record_probation_step",
    "MemberDetail",
    "MemberInput",
    "MemberRow",
    "PeriodRow",
    "ROW_COLUMNS",
    "change_status",
    "delete_member",
    "get_member",
    "list_members",
    "member_rows",
    "save_member",
    "save_member_in",
    "transfer_member",
    "validate_member",
]
