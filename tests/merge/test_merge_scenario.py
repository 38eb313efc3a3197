"""Two copies of one ledger edited apart (office and home), merged both ways, field by field."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from desktop.services.files import check_ledger
from desktop.services.members.changes import transfer_member
from desktop.services.merge import MergeRefused, merge_files, prepare
from desktop.services.merge.plan import DELETE_EDIT, MEETING_NUMBER, SAME_FIELD, SAME_PERSON
from desktop.store import models as M
from desktop.store.ledger import Ledger

from .conftest import one, pick, rows

NEW_ID_NUMBER = "110101199001011234"


def _next_number(s, branch: str, kind: str, year: int) -> int:
    numbers = [m.number for m in s.scalars(select(M.Meeting).where(M.Meeting.branch_id == branch, M.Meeting.kind == kind))
               if m.date.year == year]  # fmt: skip
    return max(numbers, default=0) + 1


def office_edits(path, ids):
    with Ledger.open(path) as led:
        with led.write() as s:
            s.get(M.Member, ids["p1"]).phone = "13800000001"  # p1: office changes the phone …
            s.get(M.Member, ids["p2"]).job_title = "组织委员（办公室）"  # p2: both change the same field
            s.get(M.Meeting, ids["m1"]).tombstone()  # m1: deleted here, edited at home
            s.get(M.Meeting, ids["m2"]).place = "五楼党员活动室（办公室改）"
            n = _next_number(s, ids["b1"], "支部委员会", 2026)
            s.add(M.Meeting(branch_id=ids["b1"], kind="支部委员会", number=n, title="办公室补录的支委会",
                            date=date(2026, 11, 18), content="办公室录入"))  # fmt: skip
            s.add(M.Member(name="赵新同", gender="男", id_number=NEW_ID_NUMBER, branch_id=ids["b1"],
                           join_date=date(2020, 7, 1), phone="办公室录入"))  # fmt: skip
            s.add(M.Member(name="钱办公", branch_id=ids["b1"], join_date=date(2021, 7, 1)))


def home_edits(path, ids):
    with Ledger.open(path) as led:
        with led.write() as s:
            s.get(M.Member, ids["p1"]).education = "硕士研究生"  # … home the education
            s.get(M.Member, ids["p2"]).job_title = "组织委员（家里）"
            s.get(M.Meeting, ids["m1"]).content = "在家补充的会议内容"
            s.add(M.Speech(meeting_id=ids["m2"], seq=99, speaker="张三", text="在家补录的发言"))
            n = _next_number(s, ids["b1"], "支部委员会", 2026)
            s.add(M.Meeting(branch_id=ids["b1"], kind="支部委员会", number=n, title="在家补录的支委会",
                            date=date(2026, 11, 19), content="在家录入"))  # fmt: skip
            s.add(M.Member(name="赵新同", gender="男", id_number=NEW_ID_NUMBER, branch_id=ids["b1"],
                           join_date=date(2020, 7, 1), phone="在家录入"))  # fmt: skip
            s.add(M.Member(name="孙在家", branch_id=ids["b1"], join_date=date(2022, 7, 1)))
        transfer_member(led, ids["p3"], to_branch_id=ids["b2"], to_group_id=None, on=date(2026, 12, 1))


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def diverged(copies):
    office, home = copies
    ids = pick(office)
    office_edits(office, ids)
    home_edits(home, ids)
    return office, home, ids


def _kinds(conflicts):
    return sorted(c.kind for c in conflicts)


@pytest.mark.parametrize("direction", ["office<-home", "home<-office"])
def test_merge_both_directions_field_by_field(diverged, tmp_path, direction):
    office, home, ids = diverged
    mine, theirs = (office, home) if direction == "office<-home" else (home, office)
    before = (_sha(office), _sha(home))
    out = tmp_path / "合并.zhibu"
    session = prepare(mine, theirs, out, backup_dir=tmp_path / "backups")
    assert _kinds(session.conflicts) == sorted([SAME_FIELD, DELETE_EDIT, SAME_PERSON, MEETING_NUMBER])
    by_kind = {c.kind: c for c in session.conflicts}
    assert by_kind[SAME_FIELD].rows[0][0] == "职务" and by_kind[SAME_FIELD].record_id == ids["p2"]
    assert by_kind[DELETE_EDIT].record_id == ids["m1"] and by_kind[DELETE_EDIT].default == "keep"
    assert by_kind[SAME_PERSON].default == "same"
    result = session.finish()
    assert (_sha(office), _sha(home)) == before  # inputs untouched
    assert len(result.backups) == 2 and all(p.exists() for p in result.backups)
    assert result.check.ok, result.check.problems
    # one-sided changes on the same record, different fields: both taken
    assert one(out, "SELECT phone, education FROM member WHERE id = ?", ids["p1"]) == ("13800000001", "硕士研究生")
    # same field on both sides: the later change (home's, made after the office's) by default
    assert one(out, "SELECT job_title FROM member WHERE id = ?", ids["p2"]) == "组织委员（家里）"
    # deleted at the office, edited at home: kept, with the home edit (an edit after a delete survives)
    assert one(out, "SELECT deleted_at, content FROM meeting WHERE id = ?", ids["m1"]) == (None, "在家补充的会议内容")
    # same record, one side's field and the other side's new child record
    assert one(out, "SELECT place FROM meeting WHERE id = ?", ids["m2"]) == "五楼党员活动室（办公室改）"
    assert one(out, "SELECT text FROM speech WHERE meeting_id = ? AND seq = 99", ids["m2"]) == "在家补录的发言"
    # adds on both sides, the same meeting number: theirs renumbered
    titles = dict(rows(out, "SELECT title, number FROM meeting WHERE title LIKE '%补录的支委会'"))
    assert set(titles) == {"办公室补录的支委会", "在家补录的支委会"} and len(set(titles.values())) == 2
    mine_title = "办公室补录的支委会" if mine == office else "在家补录的支委会"
    assert titles[mine_title] < max(titles.values()) or titles[mine_title] == min(titles.values())
    # the same person added on both sides: one live person, ours
    live = rows(out, "SELECT name, phone FROM member WHERE id_number = ? AND deleted_at IS NULL", NEW_ID_NUMBER)
    assert live == [("赵新同", "办公室录入" if mine == office else "在家录入")]
    # different people added on each side: both there
    assert {r[0] for r in rows(out, "SELECT name FROM member WHERE name IN ('钱办公', '孙在家') AND deleted_at IS NULL")} == {"钱办公", "孙在家"}
    # the branch transfer made at home
    assert one(out, "SELECT branch_id FROM member WHERE id = ?", ids["p3"]) == ids["b2"]
    periods = rows(out, "SELECT branch_id, end_date FROM membership WHERE member_id = ? AND deleted_at IS NULL ORDER BY start_date", ids["p3"])
    assert periods[-1] == (ids["b2"], None) and periods[-2] == (ids["b1"], "2026-11-30")
    assert check_ledger(out).ok
    # merging the same file again changes nothing, from either side
    for again, other in ((tmp_path / "again1.zhibu", theirs), (tmp_path / "again2.zhibu", mine)):
        again_result = merge_files(out, other, again, backup_dir=tmp_path / "backups")
        assert again_result.plan.conflicts == [], [(c.kind, c.label, c.rows) for c in again_result.plan.conflicts]
        a = again_result.applied
        assert (a.added, a.changed, a.deleted, a.merge_changes) == ([], [], [], 0)


def test_choices_are_applied(diverged, tmp_path):
    office, home, ids = diverged
    out = tmp_path / "合并.zhibu"
    session = prepare(office, home, out, backup_dir=tmp_path / "b")
    by_kind = {c.kind: c for c in session.conflicts}
    session.decide(by_kind[SAME_FIELD].key, "mine")
    session.decide(by_kind[DELETE_EDIT].key, "delete")
    session.decide(by_kind[SAME_PERSON].key, "both")
    session.decide(by_kind[MEETING_NUMBER].key, "renumber_mine")
    result = session.finish()
    assert result.check.ok, result.check.problems
    assert one(out, "SELECT job_title FROM member WHERE id = ?", ids["p2"]) == "组织委员（办公室）"
    deleted, content = one(out, "SELECT deleted_at, content FROM meeting WHERE id = ?", ids["m1"])
    assert deleted is not None and content != "在家补充的会议内容"
    assert len(rows(out, "SELECT id FROM member WHERE id_number = ? AND deleted_at IS NULL", NEW_ID_NUMBER)) == 2
    titles = dict(rows(out, "SELECT title, number FROM meeting WHERE title LIKE '%补录的支委会'"))
    assert titles["办公室补录的支委会"] > titles["在家补录的支委会"]
    # and the decisions stick: merging either input again changes nothing
    for n, other in enumerate((home, office)):
        again = merge_files(out, other, tmp_path / f"again{n}.zhibu", backup_dir=tmp_path / "b")
        assert again.plan.conflicts == [] and again.applied.changed == [] and again.applied.added == []


def test_copies_get_their_own_copy_ids_and_history(diverged):
    office, home, ids = diverged
    sql = "SELECT id, origin FROM ledger_copy WHERE current = 1"
    (o_id, o_origin), (h_id, h_origin) = one(office, sql), one(home, sql)
    assert o_id != h_id and o_origin == h_origin == "复制文件"
    history = rows(office, "SELECT c.field, c.old, c.new, s.copy_id FROM change c JOIN change_set s ON s.id = c.set_id "
                           "WHERE c.record_id = ?", ids["p1"])  # fmt: skip
    assert ("phone", one(home, "SELECT phone FROM member WHERE id = ?", ids["p1"]), "13800000001", o_id) in history


def _other_branch_ledger(path, moved_person):
    """Another committee's file: one branch, two members of its own and one who moved there from
    the demo's branch (same 身份证号), with a meeting they all attended."""
    with Ledger.open(path, create=True) as led, led.write() as s:
        c = M.Committee(name="某某分局机关党委")
        b = M.Branch(committee=c, name="分局第一党支部")
        s.add_all([c, b])
        s.flush()
        people = [M.Member(name="周分局", branch_id=b.id, join_date=date(2001, 7, 1), id_number="110101197001011111"),
                  M.Member(name="吴分局", branch_id=b.id, join_date=date(2003, 7, 1), id_number="110101197201012222"),
                  M.Member(name=moved_person[0], branch_id=b.id, join_date=moved_person[1], id_number=moved_person[2])]  # fmt: skip
        s.add_all(people)
        s.flush()
        for p in people:
            s.add(M.Membership(member_id=p.id, branch_id=b.id, start_date=date(2026, 12, 1), start_reason="转入"))
        meeting = M.Meeting(branch_id=b.id, kind="支部委员会", number=1, title="分局支委会", date=date(2026, 12, 5))
        s.add(meeting)
        s.flush()
        for p in people:
            s.add(M.Attendance(meeting_id=meeting.id, member_id=p.id, status="出席", category="正式党员"))


def test_unrelated_ledgers_are_refused_unless_combined(demo_base, tmp_path):
    moved = one(demo_base, "SELECT name, join_date, id_number, id FROM member WHERE status = '转出' AND deleted_at IS NULL "
                           "ORDER BY name LIMIT 1")  # fmt: skip
    other = tmp_path / "分局.zhibu"
    _other_branch_ledger(other, (moved[0], date.fromisoformat(moved[1]), moved[2]))
    with pytest.raises(MergeRefused, match="不是同一份台账的副本"):
        prepare(demo_base, other, tmp_path / "out.zhibu", backup_dir=tmp_path / "b")
    assert not (tmp_path / "out.zhibu").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    result = merge_files(demo_base, other, tmp_path / "党委.zhibu", combine=True, backup_dir=tmp_path / "b")
    out = result.out
    assert one(out, "SELECT count(*) FROM committee WHERE deleted_at IS NULL") == 1
    assert one(out, "SELECT count(*) FROM branch WHERE deleted_at IS NULL") == 4
    committee = one(out, "SELECT id FROM committee WHERE deleted_at IS NULL")
    assert {r[0] for r in rows(out, "SELECT committee_id FROM branch")} == {committee}
    # the person who moved is listed, and (default) is one person with both branch periods
    assert [c.kind for c in result.plan.conflicts] == [SAME_PERSON]
    assert one(out, "SELECT count(*) FROM member WHERE id_number = ? AND deleted_at IS NULL", moved[2]) == 1
    assert one(out, "SELECT count(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
                    "WHERE m.title = '分局支委会' AND a.member_id = ?", moved[3]) == 1  # fmt: skip
    assert result.check.ok, result.check.problems


@pytest.mark.parametrize("older", ["mine", "theirs"])
def test_older_schema_is_upgraded_on_a_copy(tmp_path, older):
    import shutil

    from tests.store.util import FIXTURES

    old = tmp_path / "v2.zhibu"
    shutil.copyfile(FIXTURES / "ledger_v2.zhibu", old)
    newer = tmp_path / "v3.zhibu"
    shutil.copyfile(old, newer)
    with Ledger.open(newer, backup_dir=tmp_path / "upg") as led, led.write() as s:
        member = s.scalars(select(M.Member).order_by(M.Member.name)).first()
        member.phone, member_id = "13912345678", member.id
    before = _sha(old)
    mine, theirs = (old, newer) if older == "mine" else (newer, old)
    result = merge_files(mine, theirs, tmp_path / "out.zhibu", backup_dir=tmp_path / "b")
    assert _sha(old) == before and result.upgraded and "v2.zhibu：第 2 版" in result.upgraded[0]
    assert _sha(result.backups[0 if older == "mine" else 1]) == before  # the backup is of the file as it was
    assert one(result.out, "SELECT phone FROM member WHERE id = ?", member_id) == "13912345678"
    assert result.plan.conflicts == [] and result.check.ok


def test_output_must_be_new(diverged, tmp_path):
    office, home, _ = diverged
    with pytest.raises(MergeRefused, match="文件已存在"):
        prepare(office, home, office, backup_dir=tmp_path / "b")
    with pytest.raises(MergeRefused, match="同一个文件"):
        prepare(office, office, tmp_path / "x.zhibu", backup_dir=tmp_path / "b")


def test_input_held_by_another_program_is_refused_in_chinese(copies, tmp_path):
    import subprocess
    import sys

    office, home = copies
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from desktop.store.ledger import Ledger; led = Ledger.open(sys.argv[1]); "
         "print('ready', flush=True); sys.stdin.read(); led.close()", str(home)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(MergeRefused) as info:
            prepare(office, home, tmp_path / "out.zhibu", backup_dir=tmp_path / "b")
        assert "正在被另一个程序" in info.value.message or "使用" in info.value.message, info.value.message
        assert not (tmp_path / "out.zhibu").exists()
    finally:
        holder.communicate("", timeout=30)


def test_both_inputs_are_backed_up_each_to_its_own_file(diverged, tmp_path, monkeypatch):
    """Two copies of one ledger share a backup folder and are backed up at the same time: even
    within the same millisecond each gets its own backup, byte for byte its input."""
    from datetime import UTC, datetime

    import desktop.store.backups as store_backups

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 1, 8, 0, 0, 123000, tzinfo=UTC)

    monkeypatch.setattr(store_backups, "datetime", Frozen)
    office, home, ids = diverged
    inputs = (_sha(office), _sha(home))
    result = merge_files(office, home, tmp_path / "合并.zhibu", backup_dir=tmp_path / "b")
    assert result.backups[0] != result.backups[1] and result.backups[0].parent == result.backups[1].parent
    assert (_sha(result.backups[0]), _sha(result.backups[1])) == inputs
    # and the merge read THEIRS from its own backup: their one-sided edit is in the result
    assert one(result.out, "SELECT education FROM member WHERE id = ?", ids["p1"]) == "硕士研究生"


def test_same_name_and_join_date_without_id_number_is_one_person(copies, tmp_path):
    """No 身份证号 on either side: the same name and 入党日期 is listed as the same person."""
    office, home = copies
    ids = pick(office)
    for path, phone in ((office, "办公室"), (home, "家里")):
        with Ledger.open(path) as led, led.write() as s:
            s.add(M.Member(name="钱同名", branch_id=ids["b1"], join_date=date(2019, 7, 1), phone=phone))
            s.add(M.Member(name="钱同名", branch_id=ids["b1"], join_date=date(2021, 7, 1), phone=phone + "二"))
    result = merge_files(office, home, tmp_path / "out.zhibu", backup_dir=tmp_path / "b")
    same = [c for c in result.plan.conflicts if c.kind == SAME_PERSON]
    assert len(same) == 2 and all(c.label == "党员 钱同名" for c in same)
    rows_ = rows(result.out, "SELECT join_date, phone FROM member WHERE name = '钱同名' AND deleted_at IS NULL ORDER BY join_date")
    assert rows_ == [("2019-07-01", "办公室"), ("2021-07-01", "办公室二")]


def test_result_check_covers_what_the_merge_wrote(copies, tmp_path):
    """The result's check reads only what the merge wrote and what that affects — and still finds
    a problem neither input had: home moved a member to another branch from 12-01, the office
    recorded them at a meeting of the old branch on 12-05. The full ``zhibu check`` agrees."""
    office, home = copies
    ids = pick(office)
    with Ledger.open(office) as led, led.write() as s:
        n = _next_number(s, ids["b1"], "支部委员会", 2026)
        meeting = M.Meeting(branch_id=ids["b1"], kind="支部委员会", number=n, title="十二月支委会", date=date(2026, 12, 5))
        s.add(meeting)
        s.flush()
        s.add(M.Attendance(meeting_id=meeting.id, member_id=ids["p3"], status="出席", category="正式党员"))
    with Ledger.open(home) as led:
        transfer_member(led, ids["p3"], to_branch_id=ids["b2"], to_group_id=None, on=date(2026, 12, 1))
    assert check_ledger(office).ok and check_ledger(home).ok
    name = one(office, "SELECT name FROM member WHERE id = ?", ids["p3"])
    result = merge_files(office, home, tmp_path / "合并.zhibu", backup_dir=tmp_path / "b")
    assert result.out.exists() and not result.check.ok and not result.check.damaged
    roster = [p for p in result.check.problems if "十二月支委会" in p and name in p]
    assert roster, result.check.problems
    assert roster[0] in check_ledger(result.out).problems
