"""A record another program deleted while ours showed it: a rename, 离任 or edit of it is refused
(「不存在或已删除」), never written onto the deleted record as if it had worked (check_version
leaves a deleted record to the caller's lookup)."""

from __future__ import annotations

import pytest
from backends import sql_rows

from desktop.services import organization as org


def test_rename_of_a_group_deleted_meanwhile_is_refused(org_ledger):
    b1 = org_ledger.ids["branch1"]
    gid = org.save_group(org_ledger, b1, "临时党小组")
    shown = next(g for g in org.list_groups(org_ledger, b1) if g.id == gid)
    org.delete_group(org_ledger, gid)  # another program, meanwhile
    with pytest.raises(LookupError, match="不存在或已删除"):
        org.save_group(org_ledger, b1, "我改的名字", gid, version=shown.version)
    assert sql_rows(org_ledger, "SELECT name FROM party_group WHERE id = :id", id=gid) == [("临时党小组",)]


def test_end_or_edit_of_a_post_deleted_meanwhile_is_refused(org_ledger):
    b1 = org_ledger.ids["branch1"]
    post = org.list_posts(org_ledger, b1)[0]
    org.delete_post(org_ledger, post.id)  # another program, meanwhile
    with pytest.raises(LookupError, match="不存在或已删除"):
        org.end_post(org_ledger, post.id, "2026-06-30", version=post.version)
    with pytest.raises(LookupError, match="不存在或已删除"):
        org.save_post(org_ledger, org.PostInput(b1, post.member_id, post.post, "2021-02-01", id=post.id,
                                                version=post.version))
    [(start, end)] = sql_rows(org_ledger, "SELECT start_date, end_date FROM post_holding WHERE id = :id", id=post.id)
    assert (str(start), end) == (post.start_date.isoformat(), None)  # neither ended nor moved
