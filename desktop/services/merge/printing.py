"""The merge report as a document (PDF or Word) through the shared blocks and renderers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from desktop.documents.kinds.merge_report import build_merge_report

from .labels import field_label, table_label
from .report import SERVER_SIDES, server_words
from .run import MergeResult


def report_document(result: MergeResult):
    a, plan = result.applied, result.plan
    server = result.on_server  # a file merged into a server ledger: 本方 is the server
    words = server_words if server else str
    overview = [
        ("本方台账", f"服务器上的台账 {server}" if server else str(result.mine)), ("对方台账", str(result.theirs)),
        ("合并结果", f"已写入服务器（一个事务）{server}" if server else str(result.out)),
        ("合并时间", f"{result.at:%Y-%m-%d %H:%M}"), ("合并前备份", "\n".join(str(p) for p in result.backups)),
        ("合并方式", "两个支部台账合成党委台账" if plan.combine else "同一台账的两个副本"),
        ("结果", f"新增 {len(a.added)} 条，修改 {len(a.changed)} 处，删除 {len(a.deleted)} 条，冲突 {len(plan.conflicts)} 处"),
    ]  # fmt: skip
    if result.upgraded:
        overview.append(("升级", "；".join(result.upgraded)))
    counts = Counter(table_label(t) for t, _i, _l in a.added)
    added = [f"{k} {n} 条" for k, n in counts.items()] + [label for _t, _i, label in a.added[:300]]
    if len(a.added) > 300:
        added.append(f"……另有 {len(a.added) - 300} 条")
    changes = [(c.label, field_label(c.field, c.table), *c.values()) for c in a.changed]
    conflicts = []
    for c in plan.conflicts:
        what = "\n".join(r[0] for r in c.rows)
        conflicts.append((c.kind, c.label, what, "\n".join(r[1] for r in c.rows), "\n".join(r[2] for r in c.rows),
                          words(c.option_label()) + ("" if c.choice else "（默认）")))  # fmt: skip
    check = ["完整性检查、外键检查和数据检查全部通过。"] if result.check.ok else result.check.problems
    return build_merge_report(overview, added, changes, [label for _t, _i, label in a.deleted], conflicts, check,
                              sides=SERVER_SIDES if server else ("本方", "对方"))  # fmt: skip


def write_report(result: MergeResult, dest: Path) -> Path:
    """Write the report to ``dest`` (.pdf or .docx); returns the path written (a free name beside
    ``dest`` if that exists)."""
    from dataclasses import replace

    from desktop.documents.render import render

    doc = replace(report_document(result), file_stem=dest.stem)
    return render(doc, dest.parent, formats=(dest.suffix.lower().lstrip("."),)).paths[0]
