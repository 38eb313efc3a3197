"""check_ledger and save_copy: never modifying the checked file, problems named, copies verified.
check runs on both back ends (``rich`` is a file or a server ledger); save_copy, locks, pages and
the journal are the file's."""

from __future__ import annotations

import platform
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.services.files import check_ledger, dump_ledger, save_copy
from desktop.store import errors
from desktop.store import models as M
from desktop.store.header import SCHEMA_VERSION
from desktop.store.ledger import Ledger
from desktop.store.opening import open_ledger

from .util import LEDGER_V1, fill_rich, folder_listing, pragma, sha256, table_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rich_file(tmp_path):
    path = tmp_path / "rich.zhibu"
    with Ledger.open(path, create=True) as led:
        ids = fill_rich(led)
    return path, ids


FILE_ONLY = pytest.mark.file_only


def _raw(path: Path, *statements: str) -> None:
    """Change a closed ledger behind the program's back (as another tool or a bad merge would)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            db.execute(sql)


def _behind_its_back(led, *statements: str) -> str:
    """Run ``statements`` on the ledger as another tool would (the file closed first; on a server,
    another connection); returns where the ledger is, for check."""
    if led.is_server:
        with led.engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
        return led.location
    led.close()
    _raw(led.path, *statements)
    return led.location


def test_clean_ledger_passes_with_counts(rich):
    rich.close()
    path = rich.location
    before = sha256(path) if not rich.is_server else dump_ledger(path)
    report = check_ledger(path)
    assert report.ok and report.usable and report.exit_code == 0, report.problems
    assert report.schema_version == SCHEMA_VERSION
    assert report.counts["member"] == 3 and report.counts["attendance"] == 3
    assert report.counts["speech"] == 1 and report.deleted == {"speech": 1}
    text = "\n".join(report.summary_lines())
    assert "检查通过" in text and "党员：3" in text and "发言：1（另有已删除 1）" in text
    if rich.is_server:
        assert dump_ledger(path) == before
    else:
        assert report.size == Path(path).stat().st_size
        assert sha256(path) == before and folder_listing(Path(path).parent) == ["t.zhibu"]


@FILE_ONLY(reason="a released schema-1 file")
def test_v1_file_is_checked_as_is(tmp_path):
    report = check_ledger(LEDGER_V1)
    assert report.ok, report.problems
    assert report.schema_version == 1 and "自动升级" in " ".join(report.notes)
    assert "agenda_template" not in report.counts and report.counts["meeting"] == 2


def test_domain_problems_are_listed(rich):
    ids = rich.ids
    branch, m0, m1 = ids["branch"], ids["member0"], ids["member1"]
    statements = [
        # 转正日期 before 入党日期
        f"UPDATE member SET full_date = '1989-01-01' WHERE id = '{m0}'",
        # attendance of someone who joined the branch after the meeting
        f"UPDATE membership SET start_date = '2026-05-01' WHERE member_id = '{m1}'",
        # a deleted meeting whose agenda item is still alive
        "INSERT INTO meeting (branch_id, kind, number, title, date, place, host, recorder, lecturer, "
        "lecturer_title, lecture_title, summary, theme, required_actions, followup, content, resolution, "
        "is_election, state, id, version, modified_at, deleted_at) VALUES "
        f"('{branch}', '支部委员会', 1, '已删除的会', '2026-02-05', '', '', '', '', '', '', '', '', '', '', '', '', "
        "FALSE, '草稿', 'dead-meeting', 1, '2026-02-05 00:00:00.000000', '2026-02-06 00:00:00.000000')",
        "INSERT INTO agenda_item (meeting_id, seq, text, id, version, modified_at) VALUES "
        "('dead-meeting', 1, '删除前的议题', 'binned-item', 1, '2026-02-05 00:00:00.000000')",
        "INSERT INTO speech (meeting_id, seq, section, speaker, text, id, version, modified_at) VALUES "
        "('dead-meeting', 1, '', '张建国', '删除后合并进来的发言', 'late-speech', 2, '2026-02-07 00:00:00.000000')",
        # an absentee without a reason in a finalized record
        f"UPDATE attendance SET reason = '' WHERE member_id = '{m1}'",
        # a word outside the vocabulary
        f"UPDATE member SET category = '党员' WHERE id = '{m1}'",
        # a second, overlapping branch period
        f"INSERT INTO membership (member_id, branch_id, start_date, start_reason, end_reason, notes, id, version, "
        f"modified_at) VALUES ('{m0}', '{branch}', '2020-01-01', '转入', '', '', 'dup-period', 1, "
        "'2026-01-01 00:00:00.000000')",
        # a duplicate meeting number
        f"INSERT INTO meeting (branch_id, kind, number, title, date, place, host, recorder, lecturer, "
        "lecturer_title, lecture_title, summary, theme, required_actions, followup, content, resolution, "
        "is_election, state, id, version, modified_at) VALUES "
        f"('{branch}', '支部党员大会', 1, '重复编号', '2026-06-20', '', '', '', '', '', '', '', '', '', '', '', '', "
        "FALSE, '草稿', 'dup-number', 1, '2026-06-20 00:00:00.000000')",
    ]
    expected = [
        "党员 张建国 的转正日期（1989-01-01）早于入党日期（1990-07-01）",
        "出席名单中有 李秀英，但其在会议当天不属于该支部",
        "会议“已删除的会”已删除，但其中 1 条发言在删除之后又被修改",
        "党员“李秀英” 的 category 值“党员”无法识别",
        "党员 张建国 的两段支部关系时间重叠",
        "2026年支部党员大会第1次有 2 条记录",
    ]
    if not rich.is_server:  # a server refuses these itself: typed dates, enforced foreign keys
        statements += [
            f"UPDATE member SET birth_date = '2023-02-30' WHERE id = '{m1}'",
            "INSERT INTO guest (meeting_id, seq, name, title, role, id, version, modified_at) VALUES "
            "('no-such-meeting', 1, '某人', '', '列席', 'dangling', 1, '2026-01-01 00:00:00.000000')",
        ]
        expected += ["党员“李秀英” 的 birth_date 值“2023-02-30”无法识别",
                     "列席人员记录 dangling 的 meeting_id 指向不存在的会议记录 no-such-meeting"]
    path = _behind_its_back(rich, *statements)
    before = dump_ledger(path) if rich.is_server else sha256(path)
    report = check_ledger(path)
    assert report.usable and not report.ok and report.exit_code == 1
    text = "\n".join(report.problems)
    assert "议题" not in text  # children deleted together with their meeting (recycle bin) are fine
    for line in expected:
        assert line in text, f"{line!r} not in:\n{text}"
    # an absentee without a reason is an inspection finding: a note, not a problem with the file
    assert "李秀英 记为缺席，但没有写明原因" not in text
    assert any("李秀英 记为缺席，但没有写明原因" in n for n in report.notes), report.notes
    assert before == (dump_ledger(path) if rich.is_server else sha256(path))  # check changed nothing


@FILE_ONLY(reason="damaged SQLite pages")
def test_damaged_pages_are_reported(rich_file):
    path, _ids = rich_file
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(5 * page, 8 * page, 7):  # scribble over a few table pages
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    before = sha256(path)
    report = check_ledger(path)
    assert not report.ok and report.exit_code in (1, 2)
    assert any("完整性" in p or "损坏" in p for p in report.problems), report.problems
    assert sha256(path) == before


@FILE_ONLY(reason="bytes that are not a ledger file")
@pytest.mark.parametrize("content,words", [(b"", "空的"), (b"hello", "不是 SQLite")])
def test_unusable_file_exit_2(tmp_path, content, words):
    path = tmp_path / "x.zhibu"
    path.write_bytes(content)
    report = check_ledger(path)
    assert report.exit_code == 2 and words in report.problems[0]
    assert path.read_bytes() == content and folder_listing(tmp_path) == ["x.zhibu"]


HOLDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from desktop.store.ledger import Ledger
    led = Ledger.open({path!r})
    print("READY", flush=True)
    sys.stdin.readline()
    led.close()
    """
)


@FILE_ONLY(reason="the file's holder lock (a server has none: several programs at once)")
def test_ledger_held_by_another_program_is_in_use(rich_file):
    path, _ids = rich_file
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(path))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "READY"
        started = time.perf_counter()
        report = check_ledger(path)
        assert time.perf_counter() - started < 2.0  # a sanity bound: told at once, never a hang
        assert report.exit_code == 2 and f"台账正在被 {platform.node()}（" in report.problems[0]
    finally:
        proc.communicate("\n", timeout=30)
    assert check_ledger(path).ok


@FILE_ONLY(reason="the file's holder lock")
def test_open_ledger_is_checked_through_its_own_connection(rich_file):
    path, _ids = rich_file
    with Ledger.open(path) as led:
        report = check_ledger(path)  # e.g. the GUI's 检查数据库 on the open file
        assert report.ok, report.problems
        assert check_ledger(led).counts == report.counts
        with led.write() as s:  # still ours: the check did not drop the lock
            s.add(M.Committee(name="检查后新增"))
        proc = subprocess.run(
            [sys.executable, "-m", "desktop", "check", str(path)], capture_output=True, text=True, cwd=ROOT,
            timeout=60,
        )  # fmt: skip
        assert proc.returncode == 2 and f"台账正在被 {platform.node()}（" in proc.stdout, proc.stdout + proc.stderr


def test_cli_check_exit_codes(rich, tmp_path, capsys):
    rich.close()
    assert cli_main(["check", rich.location]) == 0
    assert "检查通过" in capsys.readouterr().out
    path = _behind_its_back(rich, f"UPDATE member SET full_date = '1980-01-01' WHERE id = '{rich.ids['member0']}'")
    assert cli_main(["check", path]) == 1
    assert "早于入党日期" in capsys.readouterr().out
    png = tmp_path / "photo.zhibu"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert cli_main(["--db", str(png), "check"]) == 2
    assert "不是台账文件" in capsys.readouterr().out


# ------------------------------------------------------------------------- save_copy
@FILE_ONLY(reason="另存副本 is a file's (disabled on a server)")
def test_save_copy_is_verified_and_complete(rich_file, tmp_path):
    path, _ids = rich_file
    out = tmp_path / "copies"
    out.mkdir()
    with Ledger.open(path) as led:
        with led.write() as s:
            s.add(M.Committee(name="最新一条"))
        dest = save_copy(led, out / "副本.zhibu")
        assert dest == out / "副本.zhibu"
        assert folder_listing(out) == ["副本.zhibu"]  # no temp file, no journal
        assert pragma(dest, "integrity_check") == "ok"
        assert pragma(dest, "user_version") == SCHEMA_VERSION
        copy_rows = table_rows(dest)
        again = save_copy(led, dest)  # replacing an older copy is fine
        again_rows = table_rows(again)
        # every saved copy gets its own copy id (desktop.store.history); everything else is the same
        assert again_rows.pop("ledger_copy") != copy_rows.pop("ledger_copy")
        assert again_rows == copy_rows
        with pytest.raises(errors.FileExists):
            save_copy(led, path)
        with pytest.raises(errors.FileExists):
            save_copy(led, path.parent / "." / path.name)
        with pytest.raises(errors.FileUnreadable):
            save_copy(led, tmp_path / "没有的文件夹" / "x.zhibu")
    original = table_rows(path)
    original.pop("ledger_copy")  # the original keeps its own copy id
    assert original == copy_rows
    with Ledger.open(dest) as copy, copy.read() as s:
        assert s.query(M.Committee).filter_by(name="最新一条").count() == 1
        assert s.query(M.Attachment).one().data == b"\x89PNG\x00\xff"


@FILE_ONLY(reason="另存副本 and the file's holder lock")
def test_save_copy_keeps_the_lock(rich_file, tmp_path):
    path, _ids = rich_file
    with Ledger.open(path) as led:
        save_copy(led, tmp_path / "c.zhibu")
        report = subprocess.run(
            [sys.executable, "-m", "desktop", "check", str(path)], capture_output=True, text=True, cwd=ROOT,
            timeout=60,
        )  # fmt: skip
        assert report.returncode == 2 and f"台账正在被 {platform.node()}（" in report.stdout


def test_check_does_not_count_future_tables_as_missing(ledger):
    """A v1 file lacks v2 tables by design; a v2 file (or a server database) lacking one is damaged:
    the program cannot open it, so check says 台账已损坏 and exits 2 (issue 9)."""
    where = _behind_its_back(ledger, "DROP TABLE meeting_draft")
    report = check_ledger(where)
    assert report.exit_code == 2 and "台账已损坏" in report.problems[0] and "meeting_draft" in report.problems[0]


CRASHER = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from desktop.store.ledger import Ledger
    led = Ledger.open({path!r})
    db = led.engine.raw_connection().driver_connection
    db.execute("PRAGMA cache_size = 1")  # spill changed pages to the file before the crash
    db.execute("BEGIN")
    db.execute("UPDATE committee SET name = name || '未提交的修改未提交的修改未提交的修改'")
    os._exit(1)  # the power goes out mid-transaction
    """
)


@FILE_ONLY(reason="the hot journal (a server's killed client: tests/server/test_killed_client.py)")
def test_crash_mid_transaction_is_reported_then_recovered(tmp_path):
    path = tmp_path / "crash.zhibu"
    with Ledger.open(path, create=True) as led, led.write() as s:
        s.add_all(M.Committee(name=f"党委{i:04d}" * 20) for i in range(2000))
    subprocess.run([sys.executable, "-c", CRASHER.format(root=str(ROOT), path=str(path))], cwd=ROOT, timeout=60)
    # a hot journal, and the crashed program's holder lock file (stale: nobody holds its lock)
    assert folder_listing(tmp_path) == ["crash.zhibu", "crash.zhibu-journal", "crash.zhibu.lock"]
    before = sha256(path)
    report = check_ledger(path)  # read-only: it may not roll back, so it says what to do
    assert report.exit_code == 2 and "打开一次即可自动恢复" in report.problems[0]
    assert sha256(path) == before
    with Ledger.open(path) as led, led.read() as s:  # opening rolls the half-done change back
        names = {c.name for c in s.query(M.Committee)}
        assert len(names) == 2000 and not any("未提交" in n for n in names)
    assert folder_listing(tmp_path) == ["crash.zhibu"]
    assert check_ledger(path).ok


def test_deleting_through_the_services_is_not_a_problem(new_target):
    """The services delete a parent only (its children go to the recycle bin with it): check must
    not report that as a problem; the demo's own findings stay the same."""
    from desktop.services import meetings, rectification
    from desktop.services.demo import build_demo

    path = new_target()
    build_demo(path)
    before = check_ledger(path).problems
    with open_ledger(path) as led:
        with led.read() as s:
            draft = s.query(M.Meeting).filter_by(state="草稿", deleted_at=None).first()
            category = s.query(M.RectCategory).filter_by(deleted_at=None).first()
            draft_id, category_id = draft.id, category.id
        meetings.delete_meeting(led, draft_id)
        rectification.delete(led, "category", category_id)
        report = check_ledger(led)
    assert report.problems == before
    assert report.deleted.get("meeting") == 1 and report.deleted.get("rect_category") == 1
