"""The columns of an 整改清单 sheet, the header synonyms drafters use, value aliases, and
guessing which sheet column holds which field."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("序号", "编号", "序"), width=6),
    Column("category", "类别", ("类别", "问题类别", "分类", "问题分类", "方面"), True, 10),
    Column("problem", "问题表现", ("问题表现", "存在问题", "问题", "问题描述", "主要问题", "具体问题"), True, 30),
    Column("source", "问题来源", ("问题来源", "来源"), width=10),
    Column("is_key", "重点整改项目", ("重点整改项目", "重点项目", "是否重点", "重点"), width=8),
    Column("measure", "整改措施", ("整改措施", "措施", "整改举措", "具体措施"), True, 36),
    Column("target", "整改目标", ("整改目标", "目标", "预期目标"), width=20),
    Column("leader", "责任领导", ("责任领导", "牵头领导", "分管领导", "领导"), width=10),
    Column("owner", "责任部门/责任人", ("责任部门/责任人", "责任部门", "责任人", "责任单位", "责任科室", "具体责任人"), width=14),
    Column("deadline", "整改时限", ("整改时限", "完成时限", "时限", "完成时间", "整改期限", "整改时间"), width=12),
    Column("type", "整改类型", ("整改类型", "类型", "整改方式"), width=10),
    Column("progress", "进展", ("进展", "进展情况", "整改进展", "整改情况", "推进情况", "完成情况"), width=36),
    Column("evidence", "佐证材料", ("佐证材料", "佐证", "证明材料", "支撑材料"), width=18),
    Column("status", "状态", ("状态", "整改状态", "完成状态"), width=12),
    Column("closed_on", "销号日期", ("销号日期", "销号时间"), width=12),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

SOURCE_ALIASES = {"自查": "自查", "自查自纠": "自查", "检视": "自查", "自我检视": "自查", "群众": "群众反映",
                   "群众反映": "群众反映", "群众意见": "群众反映", "上级": "上级点评", "上级点评": "上级点评",
                   "上级反馈": "上级点评", "上级指出": "上级点评", "巡视": "巡视巡察", "巡察": "巡视巡察",
                   "巡视巡察": "巡视巡察", "巡视反馈": "巡视巡察", "巡察反馈": "巡视巡察"}  # fmt: skip
STATUS_ALIASES = {"完成": "已完成", "已整改": "已完成", "整改完成": "已完成", "已完成整改": "已完成",
                   "正在整改": "整改中", "推进中": "整改中", "进行中": "整改中", "未完成": "整改中",
                   "长期坚持": "阶段性完成并长期坚持", "阶段性完成": "阶段性完成并长期坚持",
                   "销号": "已销号", "已销号": "已销号", "未启动": "未开始"}  # fmt: skip
YES_WORDS = {"是", "√", "✓", "✔", "重点", "Y", "YES", "1", "TRUE"}
NO_WORDS = {"", "否", "×", "N", "NO", "0", "FALSE", "-"}


def norm_header(value: object) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    return text.replace("／", "/").replace("、", "/").replace("（", "(").replace("）", ")")


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int | None]:
    """Field key → column index (0-based) or None: exact synonym first, then containment."""
    normed = [norm_header(h) for h in headers]
    mapping: dict[str, int | None] = {c.key: None for c in COLUMNS}
    used: set[int] = set()
    for col in COLUMNS:
        for syn in col.synonyms:
            hit = next((i for i, h in enumerate(normed) if h == syn and i not in used), None)
            if hit is not None:
                mapping[col.key] = hit
                used.add(hit)
                break
    for col in COLUMNS:
        if mapping[col.key] is not None:
            continue
        for syn in sorted(col.synonyms, key=len, reverse=True):
            if len(syn) < 2:
                continue
            hit = next((i for i, h in enumerate(normed) if syn in h and i not in used), None)
            if hit is not None:
                mapping[col.key] = hit
                used.add(hit)
                break
    return mapping
