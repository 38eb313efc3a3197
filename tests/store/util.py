"""Helpers for the file tests: fingerprints and "nothing else beside the file"."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LEDGER_V1 = FIXTURES / "ledger_v1.zhibu"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[str]:
    """The folder's entries, without the per-test data and log folders (tests/conftest.py puts
    ZHIBU_DATA_DIR and ZHIBU_LOG_DIR in tmp_path; e.g. cleanclose writes its record there)."""
    return sorted(p.name for p in Path(folder).iterdir() if not (p.is_dir() and p.name in ("data", "logs")))


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, read without locking or changing the file."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for t in tables:
            cols = [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
            rows = db.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in sorted(cols))} FROM "{t}"').fetchall()
            out[t] = sorted(rows, key=repr)
        return out


def pragma(path: Path, name: str):
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def schema_shape(path: Path) -> dict[str, object]:
    """Tables → columns (name, declared type, not null, pk), foreign keys and index names."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
        shape: dict[str, object] = {}
        for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            cols = sorted((r[1], r[2], r[3], r[5]) for r in db.execute(f'PRAGMA table_info("{t}")'))
            fks = sorted((r[2], r[3], r[4]) for r in db.execute(f'PRAGMA foreign_key_list("{t}")'))
            idx = sorted((r[1], r[2]) for r in db.execute(f'PRAGMA index_list("{t}")'))
            shape[t] = {"columns": cols, "fks": fks, "indexes": idx}
        return shape


def fill_rich(ledger) -> dict[str, str]:
    """Records of every table with every column kind (times, UTC timestamps, bytes, flags,
    tombstones, Chinese and emoji text), consistent with the domain rules. Returns some ids."""
    from datetime import UTC, date, datetime, time

    from desktop.store import models as M

    ids: dict[str, str] = {}
    with ledger.write() as s:
        c = M.Committee(name="某某局机关党委", unit_name="某某局")
        b = M.Branch(committee=c, name="第一党支部", has_groups=True, theme_day_of_month=10,
                     established_on=date(2019, 12, 10))  # fmt: skip
        g = M.PartyGroup(branch=b, name="第一党小组")
        s.add_all([c, b, g])
        s.flush()
        people = [("张建国", date(1990, 7, 1), date(1991, 7, 1)), ("李秀英", date(2001, 6, 28), date(2002, 6, 28)),
                  ("赵敏", date(2025, 12, 1), None)]  # fmt: skip
        members = []
        for name, join, full in people:
            m = M.Member(name=name, gender="女" if name != "张建国" else "男", branch_id=b.id, group_id=g.id,
                         join_date=join, full_date=full, category="正式党员" if full else "预备党员",
                         notes="第一行\n第二行 👍🏽 𠮷")  # fmt: skip
            s.add(m)
            s.flush()
            s.add(M.Membership(member_id=m.id, branch_id=b.id, group_id=g.id, start_date=max(join, date(2019, 12, 10)),
                               start_reason="建账"))  # fmt: skip
            members.append(m)
        s.add(M.PostHolding(branch_id=b.id, member_id=members[0].id, post="书记", start_date=date(2021, 1, 1)))
        meeting = M.Meeting(branch_id=b.id, kind="支部党员大会", number=1, title="2026年第1次支部党员大会",
                            date=date(2026, 3, 20), start_time=time(14, 30), end_time=time(16, 0, 0, 250000),
                            place="三楼会议室", host="张建国", recorder="李秀英", content="张建国同志传达了会议精神。",
                            state="定稿", finalized_at=datetime(2026, 3, 21, 1, 2, 3, 123000, tzinfo=UTC))  # fmt: skip
        s.add(meeting)
        s.flush()
        for i, m in enumerate(members):
            status = "缺席" if i == 1 else "出席"
            s.add(M.Attendance(meeting_id=meeting.id, member_id=m.id, status=status,
                               reason="因公出差" if i == 1 else "", category=m.category))  # fmt: skip
        s.add(M.AgendaItem(meeting_id=meeting.id, seq=1, text="审议季度工作报告"))
        s.add(M.Speech(meeting_id=meeting.id, seq=1, speaker="张建国", text="传达了上级精神。"))
        gone = M.Speech(meeting_id=meeting.id, seq=2, speaker="李秀英", text="误录")
        gone.tombstone()
        s.add(gone)
        s.add(M.Motion(meeting_id=meeting.id, seq=1, title="审议报告", yes=2, is_election=False))
        s.add(M.Guest(meeting_id=meeting.id, seq=1, name="吴卫东", title="机关党委专职副书记", role="上级指导"))
        s.add(M.Attachment(meeting_id=meeting.id, seq=1, filename="签到表.png", mime="image/png", size=4,
                           data=b"\x89PNG\x00\xff"))  # fmt: skip
        s.add(M.Reopening(meeting_id=meeting.id, at=datetime(2026, 3, 22, 8, 0, tzinfo=UTC), reason="补充发言"))
        s.add(M.AgendaTemplate(kind="支部委员会", items="传达学习\n研究工作"))
        s.add(M.MeetingDraft(meeting_id=meeting.id, branch_id=b.id, saved_at=datetime(2026, 3, 22, tzinfo=UTC),
                             payload='{"title": "草稿"}'))  # fmt: skip
        s.add(M.Setting(key="reminder_days", value="14"))
        camp = M.Campaign(name="主题教育", year=2023, start_date=date(2023, 4, 1))
        s.add(camp)
        s.flush()
        cat = M.RectCategory(campaign_id=camp.id, seq=1, name="理论学习")
        s.add(cat)
        s.flush()
        prob = M.Problem(category_id=cat.id, seq=1, description="学用结合不够紧密", is_key=True)
        s.add(prob)
        s.flush()
        meas = M.Measure(problem_id=prob.id, seq=1, content="每月专题学习", deadline=date(2023, 12, 31))
        s.add(meas)
        s.flush()
        s.add(M.ProgressEntry(measure_id=meas.id, date=date(2023, 9, 30), text="已开展3次"))
        ev = M.BirthdayEvent(branch_id=b.id, date=date(2026, 7, 1), title="7月份集体政治生日")
        s.add(ev)
        s.flush()
        s.add(M.Celebrant(event_id=ev.id, member_id=members[0].id, message="不忘初心"))
        ids.update(branch=b.id, meeting=meeting.id, member0=members[0].id, member1=members[1].id, group=g.id)
    return ids


OPENER = textwrap.dedent(
    """
    import sys, time
    from desktop.store.ledger import Ledger
    from desktop.store import errors
    t = time.perf_counter()
    try:
        Ledger.open(sys.argv[1]).close()
        print("OPENED", time.perf_counter() - t)
    except errors.InUse as exc:
        print("INUSE", time.perf_counter() - t, exc.message)
    """
)


def child_env() -> dict[str, str]:
    """The environment of a second program: this checkout's code."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def open_elsewhere(path: Path) -> tuple[str, float, str]:
    """Open ``path`` in another process: (OPENED|INUSE, seconds it took there, message)."""
    proc = subprocess.run([sys.executable, "-c", OPENER, str(path)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=child_env())
    assert proc.returncode == 0, proc.stderr
    verdict, seconds, *message = proc.stdout.split(maxsplit=2)
    return verdict, float(seconds), (message[0].strip() if message else "")
