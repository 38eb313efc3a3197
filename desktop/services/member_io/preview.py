"""Steps 2 and 3 of an import: every row checked with the editor's rules and the duplicates found
(nothing written), then the rows without errors added in one transaction after a backup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from desktop.domain.dates import parse_date
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.domain.members import id_birth_date
from desktop.domain.posts import posts_label, read_post_text
from desktop.domain.text import clean_line
from desktop.store.models import Branch, Member, PartyGroup
from desktop.store.queries import live

from ..backups import backup_before
from ..members import MemberInput, save_member_in, validate_member
from ..organization.posts import add_posts_in
from .table import CATEGORY_WORDS, LABELS, REQUIRED, RawTable


@dataclass
class ImportRow:
    line: int  # 1-based line in the file
    values: dict[str, object]
    data: MemberInput | None = None
    errors: list[str] = field(default_factory=list)
    exists: str = ""  # "已存在" explanation: the member is in the ledger already (not imported again)
    understood: dict[str, str] = field(default_factory=dict)  # what each cell was read as
    posts: list[str] = field(default_factory=list)  # 党内职务 recorded as post holdings (组织 › 任职)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.exists


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    mapping: dict[str, int | None]

    @property
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def existing(self) -> list[ImportRow]:
        return [r for r in self.rows if r.exists and not r.errors]


_YM_RE = re.compile(r"^\s*(\d{4})\s*(?:[.\-/年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")


def _date_value(value: object) -> object:
    """Rosters often give 出生年月 as a month: 1985.07, 1985-07, 1985/7, 1985年7月, 198507 (and
    the number 1985.1 Excel keeps for 1985.10): read it as the first of that month."""
    if isinstance(value, str):
        m = _YM_RE.match(value)
        if m and 1 <= int(m.group(2) or m.group(3)) <= 12:
            return f"{m.group(1)}-{int(m.group(2) or m.group(3)):02d}-01"
    return value


DATE_KEYS = ("birth_date", "join_date", "full_date")


def _understood(key: str, value: object, data: MemberInput, branch_names: dict[str, str],
                group_names: dict[str, str]) -> str:
    """What the preview shows for a cell: the value as it will be stored, not the raw text."""
    if key in DATE_KEYS:
        raw = getattr(data, key)
        if raw in (None, ""):
            return ""
        try:
            d = parse_date(raw, LABELS[key])
        except DomainValidationError:
            return f"{value}（无法识别）"
        month_only = key == "birth_date" and raw != value and _YM_RE.match(str(value)) and d.day == 1
        return f"{d:%Y-%m}" if month_only else d.isoformat()
    if key == "branch":
        return branch_names.get(data.branch_id or "", "")
    if key == "group":
        return group_names.get(data.group_id or "", "")
    if key == "category":
        return data.category
    if key == "status":
        return data.status
    if key == "ethnicity":
        return data.ethnicity if value else ""
    if key == "party_post":
        posts, other = read_post_text(str(value or ""))
        return "；".join(x for x in (posts_label(posts), other and "记入备注：" + "、".join(other)) if x)
    return "" if value is None else str(value)


def preview_import(ledger, table: RawTable, mapping: dict[str, int | None],
                   default_branch_id: str | None = None, today: date | None = None) -> ImportPreview:
    today = today or date.today()
    rows: list[ImportRow] = []
    missing = [LABELS[k] for k in REQUIRED if mapping.get(k) is None]
    with ledger.read() as s:
        branches = {b.name: b.id for b in s.scalars(live(Branch))}
        groups = {(g.branch_id, g.name): g.id for g in s.scalars(live(PartyGroup))}
        branch_names = {v: k for k, v in branches.items()}
        group_names = {v: k[1] for k, v in groups.items()}
        known = _known_members(s)
        seen_ids: dict[str, int] = {}
        seen_people: dict[tuple, int] = {}
        for offset, raw in enumerate(table.rows):
            line = table.line_of(offset)
            values = {k: (raw[i] if i is not None and i < len(raw) else "") for k, i in mapping.items()}
            values = {k: clean_line(v) if isinstance(v, str) and k != "notes" else v for k, v in values.items()}
            row = ImportRow(line, values)
            rows.append(row)
            if missing:
                row.errors.append(f"缺少必需的列：{'、'.join(missing)}")
                continue
            branch_name = str(values.get("branch") or "")
            branch_id = branches.get(branch_name) if branch_name else default_branch_id
            if branch_name and branch_id is None:
                row.errors.append(f"所在支部：没有名为“{branch_name}”的支部，请先在“组织”中建立或改正名称")
            elif branch_id is None:
                row.errors.append("所在支部：文件中未填写，且没有选择默认支部")
            group_name = str(values.get("group") or "")
            group_id = groups.get((branch_id, group_name)) if group_name and branch_id else None
            if group_name and branch_id and group_id is None:
                row.errors.append(f"党小组：“{branch_name or '所选支部'}”没有名为“{group_name}”的党小组")
            id_text = str(values.get("id_number") or "")
            if "*" in id_text:
                row.errors.append("身份证号：是打码的号码（导出时未显示完整号码），请填写完整号码或留空")
                id_text = ""
            birth = _date_value(values.get("birth_date")) or None
            if birth and birth != values.get("birth_date") and id_text:  # 出生年月 only: the ID has the day
                from_id = id_birth_date(id_text)
                if from_id is not None and f"{from_id:%Y-%m}" == str(birth)[:7]:
                    birth = from_id.isoformat()
            posts, other_posts = read_post_text(str(values.get("party_post") or ""))
            notes = str(values.get("notes") or "")
            if other_posts:  # text naming no post is kept, not dropped
                notes = "\n".join(x for x in (notes, "党内职务：" + "、".join(other_posts)) if x)
            category = str(values.get("category") or "正式党员")
            status = str(values.get("status") or "在职")
            data = MemberInput(
                name=str(values.get("name") or ""), branch_id=branch_id, group_id=group_id,
                gender=str(values.get("gender") or ""), ethnicity=str(values.get("ethnicity") or "汉族"),
                birth_date=birth, education=str(values.get("education") or ""),
                id_number=id_text, phone=str(values.get("phone") or ""),
                job_title=str(values.get("job_title") or ""),
                category=CATEGORY_WORDS.get(category, category), status=status,
                join_date=values.get("join_date") or None, full_date=values.get("full_date") or None,
                notes=notes,
            )
            row.posts = [p.value for p in posts]
            if status in ("转出", "去世"):
                row.errors.append(f"状态：名册中是“{status}”的党员不导入（只导入在册党员）")
            if not row.errors:
                try:
                    validate_member(s, data, today)
                except ValidationErrors as exc:
                    row.errors.extend(str(e) for e in exc.errors)
                except DomainValidationError as exc:
                    row.errors.append(str(exc))
            row.understood = {k: _understood(k, values.get(k), data, branch_names, group_names) for k in LABELS}
            if data.id_number and not row.errors:
                key = data.id_number.strip().upper()
                if key in seen_ids:
                    row.errors.append(f"身份证号：与第{seen_ids[key]}行重复")
                else:
                    seen_ids[key] = line
            if not row.errors:
                _check_known(row, data, known, seen_people)
            row.data = data if row.ok else None
    return ImportPreview(rows, dict(mapping))


def _known_members(s) -> dict[tuple, str]:
    """Members in the ledger by (name, 入党日期) and (name, 出生日期): how a roster row without
    an ID number is recognised when the same roster is imported again."""

    known: dict[tuple, str] = {}
    for m in s.scalars(live(Member)):
        if m.join_date:
            known.setdefault((m.name, "join", m.join_date), f"入党日期 {m.join_date.isoformat()}")
        if m.birth_date:
            known.setdefault((m.name, "birth", m.birth_date), f"出生日期 {m.birth_date.isoformat()}")
        if m.id_number:
            known.setdefault(("id", m.id_number.upper()), "身份证号相同")
    return known


def _check_known(row: ImportRow, data: MemberInput, known: dict[tuple, str], seen: dict[tuple, int]) -> None:
    """Mark a row that is in the ledger already (已存在) or repeats an earlier row of the file."""
    keys = []
    if data.id_number:
        keys.append(("id", data.id_number.strip().upper()))
    for kind, key in (("join", "join_date"), ("birth", "birth_date")):
        try:
            d = parse_date(getattr(data, key), LABELS[key]) if getattr(data, key) else None
        except DomainValidationError:
            d = None
        if d is not None:
            keys.append((data.name.strip(), kind, d))
    for key in keys:
        if key in known:
            row.exists = f"已存在：台账中已有{data.name}（{known[key]}），不重复导入"
            return
    for key in keys[1:] if data.id_number else keys:
        if key in seen:
            row.errors.append(f"与第{seen[key]}行是同一人（姓名和{'入党日期' if key[1] == 'join' else '出生日期'}相同）")
            return
    for key in keys:
        seen.setdefault(key, row.line)


def commit_import(ledger, preview: ImportPreview, progress=None, today: date | None = None) -> int:
    """Add every error-free row in one transaction (after a backup); returns how many were added."""
    today = today or date.today()
    good = preview.good
    if good:
        backup_before(ledger, "import")
    with ledger.write() as s:
        for i, row in enumerate(good):
            assert row.data is not None
            member_id = save_member_in(s, row.data, today)
            if row.posts:
                _add_posts(s, member_id, row.data, row.posts, today)
            if progress is not None and i % 20 == 0:
                progress(i, len(good), f"正在导入第 {i + 1} 人，共 {len(good)} 人")
    return len(good)


def _add_posts(s, member_id: str, data: MemberInput, posts: list[str], today: date) -> None:
    """The row's 党内职务 as post holdings from the member's first day in the branch; a post
    someone else holds today stays text in 备注 (the roster may be older than the ledger)."""

    start = parse_date(data.since or data.join_date or today, "入党日期")
    left = add_posts_in(s, member_id, data.branch_id or "", data.group_id, posts, start, today)
    if left:
        m = s.get(Member, member_id)
        line = f"党内职务：{posts_label(left)}（已有他人在任或未分党小组，未登记任职）"
        m.notes = f"{m.notes}\n{line}" if m.notes else line
