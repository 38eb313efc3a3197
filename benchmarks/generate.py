"""Big ledgers for benchmarks and manual testing, built fast with bulk inserts.

- :func:`make_ten_year_ledger` — 10 branches, ~400 members, 10 years (2017–2026) of the meetings a
  branch owes (支委会 and 主题党日 monthly, 党员大会 and 党课 quarterly, 组织生活会 and 民主评议 yearly),
  each with agenda, content, attendance of the roster of its date; transfers between branches.
- :func:`make_stress_ledger` — 100 branches, 5,000 members, 100,000 meetings over 2017–2026 with
  agenda and content in realistic Chinese, named speeches for every fifth meeting, attendance rows
  for the meetings of 2025–2026 (the share a committee typically has fully recorded).

Rows go in through ``executemany`` on the ledger's own connection in one transaction (a server:
``COPY``), with values already in SQLAlchemy's SQLite storage formats (dates ``YYYY-MM-DD``, times
``HH:MM:SS.ffffff``, timestamps ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, booleans 0/1 — PostgreSQL
reads all of them as its own types), so the ORM reads them back as if it had written them. Data
are deterministic for a given seed.

Usage: ``python -m benchmarks.generate ten|stress FILE`` (FILE may be a ``postgresql://`` URL of an
empty database: the same rows, the same ids, through the server's connection).
"""

from __future__ import annotations

import argparse
import operator
import random
import sys
import time as _time
from datetime import date, time, timedelta
from pathlib import Path

from desktop.domain.enums import (
    ABSENCE_REASONS,
    AttendanceStatus,
    CommitteePost,
    MeetingKind,
    MeetingState,
    MemberCategory,
    MembershipChange,
    MemberStatus,
)
from desktop.store.ledger import Ledger
from desktop.store.models import (
    AgendaItem,
    Attendance,
    Branch,
    Committee,
    Meeting,
    Member,
    Membership,
    PostHolding,
    Speech,
)
from desktop.store.opening import open_ledger

STAMP = "2026-11-01 08:00:00.000000"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅晓东文博子涵雨萱浩然思远晨曦立新卫东玉兰淑珍春生振华德明"
UNITS = (
    "办公室", "综合科", "规划科", "用地科", "耕地保护科", "地籍测绘科", "执法监察大队", "不动产登记中心",
    "矿产资源科", "自然资源所", "国土空间规划所", "财务审计科", "人事科", "生态修复科", "信息中心",
)  # fmt: skip
PLACES = ("三楼会议室", "五楼党员活动室", "一楼多功能厅", "党建活动中心", "红色教育基地", "分局小会议室")
AGENDA = {
    MeetingKind.COMMITTEE: (
        "传达学习上级党委近期会议精神", "研究本月党建工作安排", "研究发展党员工作",
        "讨论党费收缴使用情况", "研究主题党日活动方案", "研究党风廉政建设工作",
    ),
    MeetingKind.THEME_DAY: (
        "重温入党誓词", "集中学习习近平新时代中国特色社会主义思想", "按时足额交纳党费",
        "开展志愿服务活动", "上次议定事项落实情况通报", "观看警示教育片",
    ),
    MeetingKind.GENERAL_ASSEMBLY: (
        "审议支部季度工作报告", "讨论接收预备党员", "讨论预备党员转正", "学习党章党规",
        "通报党员民主评议结果", "选举出席上级党代会代表",
    ),
    MeetingKind.LECTURE: ("讲授专题党课", "交流学习体会"),
    MeetingKind.ORG_LIFE: ("通报上年度组织生活会整改落实情况", "支部班子对照检查", "开展批评与自我批评"),
    MeetingKind.EVALUATION: ("党员个人述职", "党员互评", "确定评议等次"),
}
LECTURE_TOPICS = (
    "深刻领悟“两个确立”的决定性意义", "以高质量党建引领自然资源事业高质量发展", "严守纪律规矩 永葆清廉本色",
    "牢记初心使命 守护耕地红线", "推动党建和业务深度融合", "弘扬伟大建党精神",
)  # fmt: skip
PHRASES = (
    "围绕中心、建设队伍、服务群众", "推动党建和业务深度融合", "坚持把政治建设放在首位",
    "严守耕地保护红线", "深化“放管服”改革", "压实全面从严治党主体责任", "落实“一岗双责”",
    "加强国土空间规划实施监督", "提升不动产登记便民服务水平", "开展违法用地专项整治",
    "以高质量党建引领自然资源事业高质量发展", "把党的政治优势转化为发展优势", "强化理论武装",
    "深入学习贯彻党的二十大精神", "聚焦群众急难愁盼问题", "发挥党员先锋模范作用",
    "持续整治形式主义、官僚主义", "加强党风廉政建设和反腐败工作", "做好要素保障服务重大项目",
    "落实“三会一课”制度", "规范党内政治生活", "强化廉政风险防控", "推进自然资源资产清查",
)  # fmt: skip
SPEAKER_LINES = (
    "结合本科室工作谈了学习体会，表示要{p}。", "指出当前工作中存在的不足，建议{p}。",
    "就{p}提出了具体意见。", "表示赞同，并提出要{p}。", "联系思想和工作实际，谈了如何{p}。",
)  # fmt: skip
YEARS = range(2017, 2027)


class Rng(random.Random):
    def uid(self) -> str:
        """A version-4 UUID string from this generator (deterministic, unlike uuid.uuid4)."""
        h = f"{self.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"

    def name(self) -> str:
        return self.choice(SURNAMES) + "".join(self.sample(GIVEN, self.choice((1, 2))))

    def paragraph(self, speakers: list[str], sentences: int) -> str:
        parts = []
        for _ in range(sentences):
            who = self.choice(speakers) if speakers else "会议"
            parts.append(f"{who}同志" + self.choice(SPEAKER_LINES).format(p=self.choice(PHRASES)))
        return "".join(parts)


def _d(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _t(t: time) -> str:
    return t.strftime("%H:%M:%S.000000")


def id_number(rng: Rng, birth: date, gender: str) -> str:
    body = f"330702{birth:%Y%m%d}{rng.randrange(10, 99)}{rng.choice('13579' if gender == '男' else '02468')}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


class Bulk:
    """Writes rows with executemany (a server: ``COPY``) inside ONE transaction on the ledger's own
    connection.

    Rows are buffered and flushed every ``FLUSH_AT`` rows, tables parents first (a child is always
    generated after its parent, so foreign keys hold at every flush), each batch in primary-key
    order. Secondary indexes are dropped at the start and built once at the end, which is far
    faster than updating them row by row (a server keeps the indexes of its primary keys and
    unique constraints, and is analysed afterwards). Use as ``with Bulk(ledger) as bulk: ...``.
    """

    FLUSH_AT = 200_000

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rows: dict[type, list[tuple]] = {}
        self.columns: dict[type, operator.itemgetter] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0

    def __enter__(self) -> Bulk:
        self.ledger._lock.acquire()
        self.raw = self.ledger.engine.raw_connection()
        self.db = self.ledger.wrap_dbapi(self.raw.driver_connection)  # a server: desktop.store.pgcompat
        self.indexes = []
        if self.ledger.is_server:  # the same rows through psycopg, one transaction
            self.indexes = self.db.execute(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema()"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)").fetchall()
            for name, _sql in self.indexes:
                self.db.execute(f"DROP INDEX {name}")
            return self
        self.db.execute("PRAGMA cache_size = -262144")  # 256 MiB while loading
        self.db.execute("BEGIN IMMEDIATE")
        self.indexes = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in self.indexes:
            self.db.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.flush()
                for _name, sql in self.indexes:
                    self.db.execute(sql)
                self.db.execute("COMMIT")
                if self.ledger.is_server:  # the planner's statistics, as after a pg_restore
                    self.db.execute("ANALYZE")
                    self.db.execute("COMMIT")
            else:
                self.db.execute("ROLLBACK")
        finally:
            if not self.ledger.is_server:
                self.db.execute("PRAGMA cache_size = -2000")
            self.raw.close()
            self.ledger._lock.release()

    def add(self, model: type, **values) -> str:
        getter = self.columns.get(model)
        if getter is None:
            cols = [c.name for c in model.__table__.columns]
            getter = self.columns[model] = operator.itemgetter(*cols)
            self.rows[model] = []
            _DEFAULTS[model] = _defaults_of(model)
        rng = values.pop("_rng", None)
        if not values.get("id"):
            values["id"] = rng.uid()
        self.rows[model].append(getter({**_DEFAULTS[model], **values}))
        self.pending += 1
        if self.pending >= self.FLUSH_AT:
            self.flush()
        return values["id"]

    def flush(self) -> None:
        for model in ORDER:
            rows = self.rows.get(model)
            if not rows:
                continue
            cols = [c.name for c in model.__table__.columns]
            rows.sort(key=operator.itemgetter(cols.index("id")))  # the id index grows at its end
            if self.ledger.is_server:
                with self.raw.driver_connection.cursor().copy(
                        f"COPY {model.__tablename__} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {model.__tablename__} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                self.db.executemany(sql, rows)
            self.counts[model.__tablename__] = self.counts.get(model.__tablename__, 0) + len(rows)
            rows.clear()
        self.pending = 0


_DEFAULTS: dict[type, dict[str, object]] = {}


def _defaults_of(model: type) -> dict[str, object]:
    out: dict[str, object] = {}
    for col in model.__table__.columns:
        value = None
        if col.default is not None and col.default.is_scalar:
            value = col.default.arg
            if isinstance(value, bool):
                value = int(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif hasattr(value, "value"):  # StrEnum
                value = str(value)
        out[col.name] = value
    out["version"] = 1
    out["modified_at"] = STAMP
    out["deleted_at"] = None
    return out


ORDER = (Committee, Branch, Member, Membership, PostHolding, Meeting, AgendaItem, Speech, Attendance)


# --------------------------------------------------------------------------- people
class People:
    """Members of every branch with membership periods; answers "who was in branch B on day D"."""

    def __init__(self, rng: Rng, bulk: Bulk, branches: list[str], per_branch: int, transfers: int):
        self.rng, self.bulk = rng, bulk
        # per branch: list of (member_id, name, join, full, start, end)
        self.periods: dict[str, list[tuple[str, str, date, date | None, date, date | None]]] = {
            b: [] for b in branches
        }
        self.names: dict[str, str] = {}
        self._members: dict[str, dict] = {}
        self._pending_moves: list[tuple[str, str, str, date, date]] = []
        for branch in branches:
            for _ in range(per_branch):
                self._member(branch)
        for _ in range(transfers):  # move someone to another branch mid-period
            src, dst = rng.sample(branches, 2)
            candidates = [p for p in self.periods[src] if p[5] is None and p[4] < date(2024, 1, 1)]
            if not candidates:
                continue
            mid, name, join, full, start, _end = rng.choice(candidates)
            day = date(rng.choice(range(max(start.year + 1, 2018), 2026)), rng.randint(1, 12), 1)
            self.periods[src].remove((mid, name, join, full, start, None))
            self.periods[src].append((mid, name, join, full, start, day - timedelta(days=1)))
            self.periods[dst].append((mid, name, join, full, day, None))
            self._pending_moves.append((mid, src, dst, start, day))
        self._flush()

    def _member(self, branch: str) -> None:
        rng = self.rng
        gender = rng.choice("男女")
        birth = date(rng.randint(1958, 1998), rng.randint(1, 12), rng.randint(1, 28))
        join = date(max(birth.year + 20, 1980) + rng.randint(0, 12), rng.randint(1, 12), rng.randint(1, 28))
        join = min(join, date(2026, 3, 1))
        probationary = join > date(2025, 11, 1)
        full = None if probationary else join + timedelta(days=365)
        name = rng.name()
        mid = rng.uid()
        start = max(join, date(2016, 1, 1))
        self._members[mid] = dict(
            id=mid, name=name, gender=gender, birth_date=_d(birth), education=rng.choice(("大学本科", "硕士研究生", "大专")),
            id_number=id_number(rng, birth, gender), phone=f"13{rng.randint(100000000, 999999999)}",
            branch_id=branch, job_title=rng.choice(UNITS) + rng.choice(("科员", "副科长", "科长", "主任科员")),
            category=str(MemberCategory.PROBATIONARY if probationary else MemberCategory.FULL),
            status=str(MemberStatus.ACTIVE if birth.year > 1965 else MemberStatus.RETIRED),
            join_date=_d(join), full_date=_d(full),
        )  # fmt: skip
        self.periods[branch].append((mid, name, join, full, start, None))
        self.names[mid] = name

    def _flush(self) -> None:
        moved = {m[0]: m for m in self._pending_moves}
        for mid, values in self._members.items():
            if mid in moved:
                values["branch_id"] = moved[mid][2]
            self.bulk.add(Member, **values)
        for branch, periods in self.periods.items():
            for mid, _n, join, _f, start, end in periods:
                reason = MembershipChange.TRANSFER_IN if mid in moved and moved[mid][2] == branch else (
                    MembershipChange.ADMITTED if join >= date(2016, 1, 1) else MembershipChange.INITIAL
                )
                self.bulk.add(
                    Membership, _rng=self.rng, member_id=mid, branch_id=branch, start_date=_d(start),
                    end_date=_d(end), start_reason=str(reason),
                    end_reason=str(MembershipChange.TRANSFER_OUT) if end else "",
                )  # fmt: skip

    def roster(self, branch: str, day: date) -> list[tuple[str, str]]:
        """(member_id, category) of the members in ``branch`` on ``day``."""
        out = []
        for mid, _name, join, full, start, end in self.periods[branch]:
            if start <= day and (end is None or end >= day) and join <= day:
                cat = MemberCategory.FULL if full and day >= full else MemberCategory.PROBATIONARY
                out.append((mid, str(cat)))
        return out


# ------------------------------------------------------------------------ meetings
def _meeting(rng: Rng, bulk: Bulk, people: People, branch: str, kind: MeetingKind, number: int,
             day: date, officers: list[str], with_attendance: bool, with_speeches: bool) -> None:  # fmt: skip
    start = time(rng.choice((9, 14, 15)), rng.choice((0, 30)))
    end = time(start.hour + rng.choice((1, 2)), rng.choice((0, 15, 30)))
    host, recorder = (officers[0], officers[-1]) if officers else ("", "")
    items = rng.sample(AGENDA[kind], min(len(AGENDA[kind]), rng.randint(2, 3)))
    speakers = officers or [people.names[m] for m, _c in people.roster(branch, day)[:5]]
    extra: dict[str, object] = {}
    if kind == MeetingKind.LECTURE:
        extra = dict(lecturer=host, lecturer_title="党支部书记", lecture_title=rng.choice(LECTURE_TOPICS),
                     summary=rng.paragraph(speakers, 2))  # fmt: skip
    elif kind == MeetingKind.THEME_DAY:
        extra = dict(theme=rng.choice(PHRASES), required_actions="交纳党费\n重温入党誓词",
                     followup="上次议定事项已全部落实。")  # fmt: skip
    final = day < date(2026, 10, 1) or rng.random() < 0.5
    mid = bulk.add(
        Meeting, _rng=rng, branch_id=branch, kind=str(kind), number=number,
        title=f"{day.year}年第{number}次{kind}", date=_d(day), start_time=_t(start), end_time=_t(end),
        place=rng.choice(PLACES), host=host, recorder=recorder,
        content=f"会议由{host}同志主持。" + rng.paragraph(speakers, rng.randint(3, 6)),
        resolution=f"会议决定：{rng.choice(PHRASES)}。", is_election=0,
        state=str(MeetingState.FINAL if final else MeetingState.DRAFT),
        finalized_at=f"{day.isoformat()} 10:00:00.000000" if final else None, **extra,
    )  # fmt: skip
    for seq, text in enumerate(items, 1):
        bulk.add(AgendaItem, _rng=rng, meeting_id=mid, seq=seq, text=text)
    if with_speeches:
        for seq, who in enumerate(speakers[:3], 1):
            bulk.add(Speech, _rng=rng, meeting_id=mid, seq=seq, speaker=who,
                     text=f"{who}同志" + rng.choice(SPEAKER_LINES).format(p=rng.choice(PHRASES)))  # fmt: skip
    if with_attendance:
        due = people.roster(branch, day)
        if kind == MeetingKind.COMMITTEE:
            due = due[:5]
        for member_id, cat in due:
            absent = rng.random() < 0.08
            bulk.add(
                Attendance, _rng=rng, meeting_id=mid, member_id=member_id, category=cat,
                status=str(AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT),
                reason=rng.choice(ABSENCE_REASONS) if absent else "",
            )  # fmt: skip


def _org(rng: Rng, bulk: Bulk, n_branches: int, name: str) -> list[str]:
    committee = bulk.add(Committee, _rng=rng, name=name, unit_name="市自然资源和规划局")
    branches = []
    for i in range(n_branches):
        branches.append(bulk.add(
            Branch, _rng=rng, committee_id=committee, name=f"第{i + 1}党支部（{UNITS[i % len(UNITS)]}）",
            sort_order=i, has_committee=1, has_groups=0, theme_day_of_month=rng.choice((10, 15, 20)),
            established_on="2016-01-01",
        ))  # fmt: skip
    return branches


def _posts(rng: Rng, bulk: Bulk, people: People, branch: str) -> list[str]:
    """Give the first five members of the branch committee posts; return their names."""
    roster = [p for p in people.periods[branch] if p[5] is None][:5]
    posts = (CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY, CommitteePost.ORGANIZATION,
             CommitteePost.PROPAGANDA, CommitteePost.DISCIPLINE)  # fmt: skip
    for (mid, _n, _j, _f, start, _e), post in zip(roster, posts, strict=False):
        bulk.add(PostHolding, _rng=rng, branch_id=branch, member_id=mid, post=str(post),
                 start_date=_d(max(start, date(2017, 1, 1))))  # fmt: skip
    return [people.names[p[0]] for p in roster]


def _schedule(year: int) -> list[tuple[MeetingKind, date]]:
    """The meetings a branch with a committee owes in ``year``."""
    out = []
    for month in range(1, 13):
        out.append((MeetingKind.COMMITTEE, date(year, month, 5)))
        out.append((MeetingKind.THEME_DAY, date(year, month, 15)))
        if month % 3 == 0:
            out.append((MeetingKind.GENERAL_ASSEMBLY, date(year, month, 20)))
            out.append((MeetingKind.LECTURE, date(year, month, 25)))
    out.append((MeetingKind.ORG_LIFE, date(year, 12, 10)))
    out.append((MeetingKind.EVALUATION, date(year, 12, 12)))
    return out


def make_ten_year_ledger(path: Path | str, seed: int = 10) -> dict[str, int]:
    """10 branches, ~400 members, every owed meeting of 2017–2026 with attendance. Returns row counts."""
    started = _time.perf_counter()
    with open_ledger(path, create=True) as ledger, Bulk(ledger) as bulk:
        _ten_years(Rng(seed), bulk)
    return {**bulk.counts, "seconds": round(_time.perf_counter() - started, 1)}


def _ten_years(rng: Rng, bulk: Bulk) -> None:
    branches = _org(rng, bulk, 10, "机关党委")
    people = People(rng, bulk, branches, per_branch=40, transfers=30)
    for branch in branches:
        officers = _posts(rng, bulk, people, branch)
        for year in YEARS:
            numbers: dict[MeetingKind, int] = {}
            for kind, day in _schedule(year):
                if year == 2026 and day > date(2026, 11, 20):
                    continue
                if rng.random() < 0.03:  # deliberate gaps
                    continue
                numbers[kind] = numbers.get(kind, 0) + 1
                _meeting(rng, bulk, people, branch, kind, numbers[kind], day, officers, True, True)


def make_stress_ledger(path: Path | str, seed: int = 100) -> dict[str, int]:
    """100 branches, 5,000 members, 100,000 meetings (2017–2026); attendance for 2025–2026."""
    started = _time.perf_counter()
    with open_ledger(path, create=True) as ledger, Bulk(ledger) as bulk:
        _stress(Rng(seed), bulk)
    return {**bulk.counts, "seconds": round(_time.perf_counter() - started, 1)}


def _stress(rng: Rng, bulk: Bulk) -> None:
    branches = _org(rng, bulk, 100, "市直机关工委")
    people = People(rng, bulk, branches, per_branch=50, transfers=200)
    kinds = list(AGENDA)
    for branch in branches:
        officers = _posts(rng, bulk, people, branch)
        for year in YEARS:
            numbers: dict[MeetingKind, int] = {}
            days = sorted(date(year, 1, 1) + timedelta(days=rng.randrange(365)) for _ in range(100))
            for i, day in enumerate(days):
                kind = kinds[i % len(kinds)]
                numbers[kind] = numbers.get(kind, 0) + 1
                _meeting(rng, bulk, people, branch, kind, numbers[kind], day, officers,
                         with_attendance=year >= 2025, with_speeches=i % 5 == 0)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成用于性能测试的大型台账")
    parser.add_argument("which", choices=("ten", "stress"))
    parser.add_argument("file")
    args = parser.parse_args(argv)
    make = make_ten_year_ledger if args.which == "ten" else make_stress_ledger
    counts = make(args.file if "://" in args.file else Path(args.file))
    print(", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
