"""``zhibu summary FILE [--year Y] [--date D]``: what the ledger holds, at a glance.

Prints the committee, each branch with its secretary and members (正式/预备), the meetings of
the year per kind, each rectification campaign's counts sentence (六类13个方面问题…) and the
political birthdays of the current month. Reads only; exit 2 when the file cannot be opened.
"""

from __future__ import annotations

import argparse
from datetime import date

from desktop.cli._common import check_year, open_ledger, parse_date_option


def register(subparsers) -> None:
    p = subparsers.add_parser("summary", help="显示台账概况", description=__doc__.split("\n")[0])
    p.add_argument("file", metavar="FILE", help="台账文件（.zhibu）或服务器台账地址 postgresql://…")
    p.add_argument("--year", metavar="Y", type=int, default=None, help="统计会议的年度（默认：今年）")
    p.add_argument("--date", metavar="D", default=None, help="以该日期为“今天”，如 2026-11-22（默认：今天）")
    p.set_defaults(func=handler)


def summary_lines(ledger, year: int, today: date) -> list[str]:
    from desktop.domain.enums import MeetingKind
    from desktop.domain.rectification import counts_sentence
    from desktop.services.birthdays import birthdays_for
    from desktop.services.compliance import year_meeting_counts
    from desktop.services.organization import get_committee, list_branches
    from desktop.services.rectification import campaign_counts, list_campaigns

    out: list[str] = []
    committee = get_committee(ledger)
    if committee is None:
        out.append("（尚未设置机关党委名称）")
    else:
        out.append(committee.name + (f"（{committee.unit_name}）" if committee.unit_name else ""))
    branches = list_branches(ledger)
    full = sum(b.full_count for b in branches)
    prob = sum(b.probationary_count for b in branches)
    out.append(f"党支部{len(branches)}个，党员{full + prob}名（正式党员{full}名、预备党员{prob}名）")
    for b in branches:
        extra = []
        if b.has_groups and b.group_count:
            extra.append(f"党小组{b.group_count}个")
        if not b.has_committee:
            extra.append("不设支委会")
        out.append(
            f"  {b.name}：书记 {b.secretary or '（未设）'}，党员{b.member_count}名"
            f"（正式{b.full_count}、预备{b.probationary_count}）" + ("，" + "，".join(extra) if extra else "")
        )
    counts = year_meeting_counts(ledger, year)
    total = sum(counts.values())
    out.append(f"{year}年会议记录{total}份：")
    out.append("  " + "  ".join(f"{k}{n}" for k, n in counts.items() if n or k != MeetingKind.OTHER))
    campaigns = list_campaigns(ledger)
    if not campaigns:
        out.append("主题教育整改：（无）")
    for c in campaigns:
        out.append(f"主题教育整改：{c.name}（{c.year}年）——{counts_sentence(*campaign_counts(ledger, c.id))}")
    rows = birthdays_for(ledger, today.year, [today.month])
    out.append(f"本月（{today.month}月）政治生日{len(rows)}人" + ("：" if rows else ""))
    for r in rows:
        mark = ("（逢十）" if r.is_round else "") + ("，光荣在党50年" if r.is_fifty else "")
        out.append(f"  {r.name}（{r.branch_name}）{r.join_date.month}月{r.join_date.day}日，"
                   f"入党{r.anniversary_number}周年{mark}")
    return out


def handler(args: argparse.Namespace) -> int:
    today = parse_date_option(args.date, "日期") or date.today()
    year = check_year(args.year or today.year)
    with open_ledger(args.file) as ledger:
        lines = summary_lines(ledger, year, today)
    print("\n".join(lines))
    return 0
