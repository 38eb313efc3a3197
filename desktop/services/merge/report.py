"""What a merge did, as lines (command line, UI) and as sections for the printable report."""

from __future__ import annotations

from collections import Counter

from .labels import field_label, table_label
from .plan import Conflict
from .run import MergeResult

SERVER_SIDES = ("服务器", "文件")  # a file merged into a server ledger: MINE is the server


def server_words(text: str) -> str:
    """An option or heading of a file merged into the server: 本方 is the server, 对方 the file."""
    return text.replace("本方", "服务器").replace("对方", "文件")


def conflict_lines(conflicts: list[Conflict], numbered: bool = True, sides: tuple[str, str] = ("本方", "对方")) -> list[str]:
    """Each conflict with its rows and options; ``sides`` names MINE and THEIRS (a push: 服务器, 文件)."""
    lines = []
    for i, c in enumerate(conflicts, 1):
        head = f"[{i}] " if numbered else ""
        lines.append(f"{head}{c.kind}：{c.label}")
        for what, mine, theirs in c.rows:
            lines.append(f"      {what}：{sides[0]} {mine}｜{sides[1]} {theirs}")
        words = server_words if sides == SERVER_SIDES else str
        options = "，".join(f"{code}={words(text)}" for code, text in c.options)
        chosen = f"选择：{words(c.option_label())}" + ("" if c.choice else "（默认）")
        lines.append(f"      {chosen}　可选：{options}")
    return lines


def summary(result: MergeResult) -> dict[str, list[str]]:
    """Sections of the report: heading → lines."""
    a = result.applied
    out: dict[str, list[str]] = {}
    server = result.on_server
    out["合并概况"] = [
        f"本方台账：服务器上的台账 {server}" if server else f"本方台账：{result.mine}",
        f"对方台账：{result.theirs}",
        f"合并结果：已写入服务器（一个事务）{server}" if server else f"合并结果：{result.out}",
        f"合并时间：{result.at:%Y-%m-%d %H:%M}",
        f"合并前备份：{'；'.join(str(p) for p in result.backups)}" + ("（pg_dump，可用 pg_restore 恢复）" if server else ""),
        *result.upgraded,
        "合并方式：两个支部台账合成党委台账" if result.plan.combine else "合并方式：同一台账的两个副本",
        f"新增 {len(a.added)} 条记录，修改 {len(a.changed)} 处，删除 {len(a.deleted)} 条，冲突 {len(result.plan.conflicts)} 处",
    ]
    counts = Counter(table_label(t) for t, _id, _l in a.added)
    out["新增的记录（来自对方）"] = [f"{k}：{n} 条" for k, n in counts.items()] + [f"  {label}" for _t, _i, label in a.added[:200]]
    if len(a.added) > 200:
        out["新增的记录（来自对方）"].append(f"  ……另有 {len(a.added) - 200} 条")
    out["修改"] = [
        f"{c.label} {field_label(c.field, c.table)}：{' → '.join(c.values())}" for c in a.changed
    ]
    out["删除（对方删除的记录）"] = [label for _t, _i, label in a.deleted]
    out["冲突与选择"] = conflict_lines(result.plan.conflicts, sides=SERVER_SIDES if server else ("本方", "对方"))
    check = result.check
    out["合并结果检查"] = (
        ["完整性检查、外键检查和数据检查全部通过。"] if check.ok else [f"发现 {len(check.problems)} 个问题："] + check.problems
    )
    return {(server_words(k) if server else k): (v or ["无"]) for k, v in out.items()}


def report_lines(result: MergeResult) -> list[str]:
    lines = []
    for heading, body in summary(result).items():
        lines.append(f"【{heading}】")
        lines += [f"  {line}" for line in body]
    return lines
