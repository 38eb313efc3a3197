"""组织: the committee, its branches (with the profile that decides which meetings they owe),
党小组 and committee posts held over periods.

Every function takes an open Ledger (or, for reads, a Session) and returns plain dataclasses.
Deletes are tombstones; a branch or group that still has members cannot be deleted.
"""

from __future__ import annotations

from .branches import delete_branch, get_branch, get_committee, list_branches, save_branch, save_committee
from .groups import delete_group, list_groups, save_group
from .posts import delete_post, end_post, list_posts, save_post
from .records import (
    IN_ROLL,
    BranchInput,
    BranchRow,
    CommitteeInfo,
    GroupRow,
    PostInput,
    PostRow,
    count_in_roll,
    current_holders,
    reading,
)

__all__ = [
    "IN_ROLL", "BranchInput", "BranchRow", "CommitteeInfo", "GroupRow", "PostInput", "PostRow",
    "count_in_roll", "current_holders", "delete_branch", "delete_group", "delete_post", "end_post",
    "get_branch", "get_committee", "list_branches", "list_groups", "list_posts", "reading",
    "save_branch", "save_committee", "save_group", "save_post",
]
