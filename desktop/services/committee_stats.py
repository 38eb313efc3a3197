"""The committee-wide 三会一课落实情况汇总表 (export kind ``committee_compliance``): every branch
of the 机关党委 in one table, from the same compliance reports as each branch's 统计表."""

from __future__ import annotations

from datetime import date

from desktop.domain.committee_compliance import tally

from .compliance import compliance_overview


def build_committee_compliance(ledger, f, cancel) -> list:
    from desktop.documents.kinds.committee_compliance import build_committee_compliance as build

    from .export import ExportError, _committee_name, compliance_span

    today, year, months = compliance_span(f)
    overview = compliance_overview(ledger, year, months, today)
    if not overview:
        raise ExportError("台账里还没有党支部")
    span = ""
    if (months[0], months[-1]) != (1, 12):
        span = f"{months[0]}月" if len(months) == 1 else f"{months[0]}—{months[-1]}月"
    rows = [(tally(bc.branch_name, bc.report), bc.report.missing()) for bc in overview]
    committee = (_committee_name(ledger) or "机关党委").split("（")[0]  # without the unit in brackets
    return [build(rows, committee=committee, year=year, span=span,
                  today=min(today, date(year, 12, 31)))]
