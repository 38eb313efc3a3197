"""The committee-wide 三会一课落实情况汇总表: one row per branch, one column per meeting kind.

A cell tallies a branch's requirements of that kind whose deadline has passed (``已开/应开``:
met requirements of due periods / due periods' required meetings, each requirement counting at
most its required number), ``缺N`` the requirements not met; requirements not yet due and periods
before the branch's 台账启用日期 (未录入) are left out of the tally and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .compliance import ComplianceReport


@dataclass
class Tally:
    done: int = 0  # required meetings held, of due requirements (at most the required number each)
    due: int = 0  # required meetings of due requirements
    missing: int = 0  # due requirements not met
    pending: int = 0  # requirements not yet due and not yet met

    def add(self, other: Tally) -> None:
        self.done += other.done
        self.due += other.due
        self.missing += other.missing
        self.pending += other.pending

    @property
    def cell(self) -> str:
        """``3/4 缺1``, ``12/12``; ``—`` when nothing of the kind was due (yet)."""
        if not self.due:
            return "—"
        return f"{self.done}/{self.due}" + (f" 缺{self.missing}" if self.missing else "")

    @property
    def rate(self) -> str:
        """落实率 ``92%`` (``—`` when nothing was due)."""
        return f"{round(100 * self.done / self.due)}%" if self.due else "—"


@dataclass
class BranchTally:
    branch: str
    by_kind: dict[str, Tally] = field(default_factory=dict)

    @property
    def total(self) -> Tally:
        out = Tally()
        for t in self.by_kind.values():
            out.add(t)
        return out


def tally(branch: str, report: ComplianceReport) -> BranchTally:
    out = BranchTally(branch)
    for item in report.items:
        t = out.by_kind.setdefault(item.requirement.kind, Tally())
        required = item.requirement.required_count
        if item.status in ("held", "missing"):
            t.due += required
            t.done += min(item.held, required)
            t.missing += item.status == "missing"
        elif item.status == "pending":
            t.pending += 1
    return out


def kinds_of(tallies: list[BranchTally]) -> list[str]:
    """Every kind any branch owes, in the order the branches' reports first name them."""
    kinds: list[str] = []
    for t in tallies:
        kinds += [k for k in t.by_kind if k not in kinds]
    return kinds


def committee_total(tallies: list[BranchTally], kinds: list[str]) -> BranchTally:
    out = BranchTally("合计", {k: Tally() for k in kinds})
    for t in tallies:
        for k, v in t.by_kind.items():
            out.by_kind[k].add(v)
    return out
