"""Conflicts and changes of reference fields (支部, 党小组, 党员, 会议) are shown by name — in the
conflict list, on the command line and in the printed report — never as record ids."""

from __future__ import annotations

import re

import pypdfium2
from sqlalchemy import select

from desktop.cli import main as cli_main
from desktop.services.merge import merge_files, prepare
from desktop.services.merge.plan import SAME_FIELD
from desktop.services.merge.printing import write_report
from desktop.services.merge.report import report_lines
from desktop.store import models as M
from desktop.store.ledger import Ledger

from .conftest import one, pick

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")


def _names(path):
    with Ledger.open(path) as led, led.read() as s:
        branches = {b.id: b.name for b in s.scalars(select(M.Branch))}
        groups = {g.id: g.name for g in s.scalars(select(M.PartyGroup))}
    return branches, groups


def _diverge(office, home):
    ids = pick(office)
    branches, groups = _names(office)
    b3 = next(b for b in branches if b not in (ids["b1"], ids["b2"]))
    g1, g2 = sorted(groups)
    meetings = [r[0] for r in _rows(office, "SELECT id FROM meeting WHERE deleted_at IS NULL ORDER BY date DESC LIMIT 2")]
    speech_id = one(office, "SELECT id FROM speech WHERE meeting_id NOT IN (?, ?) ORDER BY id LIMIT 1", *meetings)
    post_id = one(office, "SELECT id FROM post_holding WHERE deleted_at IS NULL AND member_id NOT IN (?, ?) "
                          "ORDER BY id LIMIT 1", ids["p2"], ids["p3"])  # fmt: skip
    loner = one(office, "SELECT id FROM member WHERE group_id IS NULL AND deleted_at IS NULL ORDER BY name LIMIT 1")
    for path, branch, group, holder, meeting in ((office, ids["b2"], g1, ids["p2"], meetings[0]),
                                                 (home, b3, g2, ids["p3"], meetings[1])):  # fmt: skip
        with Ledger.open(path) as led, led.write() as s:
            s.get(M.Member, ids["p1"]).branch_id = branch
            s.get(M.Member, loner).group_id = group
            s.get(M.PostHolding, post_id).member_id = holder
            s.get(M.Speech, speech_id).meeting_id = meeting
    with Ledger.open(home) as led, led.write() as s:  # one side only: a plain change in the report
        s.get(M.Member, ids["p2"]).group_id = g2 if s.get(M.Member, ids["p2"]).group_id != g2 else g1
    return ids, branches, groups, meetings


def _rows(path, sql):
    from .conftest import rows

    return rows(path, sql)


def test_reference_conflicts_and_changes_show_names(copies, tmp_path, capsys):
    office, home = copies
    ids, branches, groups, meetings = _diverge(office, home)
    names = {
        "branch": set(branches.values()),
        "group": set(groups.values()),
        "member": {one(office, "SELECT name FROM member WHERE id = ?", ids[p]) for p in ("p2", "p3")},
        "meeting": {one(office, "SELECT title FROM meeting WHERE id = ?", m) for m in meetings},
    }
    session = prepare(office, home, tmp_path / "x.zhibu", backup_dir=tmp_path / "b")
    try:
        shown = {c.rows[0][0]: c.rows[0][1:] for c in session.conflicts if c.kind == SAME_FIELD}
        labels = [c.label for c in session.conflicts]
    finally:
        session.cancel()
    assert set(shown) >= {"所在支部", "党小组", "党员", "会议"}, shown
    for label, kind in (("所在支部", "branch"), ("党小组", "group"), ("党员", "member")):
        mine, theirs = shown[label]
        assert mine in names[kind] and theirs in names[kind] and mine != theirs, (label, shown[label])
    assert all(any(title in side for title in names["meeting"]) for side in shown["会议"]), shown["会议"]
    assert not any(UUID.search(v) for pair in shown.values() for v in pair), shown
    assert any(label.startswith("支委职务（") for label in labels) and not any(UUID.search(x) for x in labels), labels

    # the command line lists them by name too
    base = [str(office), str(home), "--out", str(tmp_path / "cli.zhibu"), "--backup-dir", str(tmp_path / "b")]
    assert cli_main(["merge", *base]) == 1
    listed = capsys.readouterr().out
    assert "所在支部：本方 " in listed and not UUID.search(listed), listed

    # the report: conflicts and the one-sided change of 党小组, in the text and the printed PDF
    result = merge_files(office, home, tmp_path / "合并.zhibu", backup_dir=tmp_path / "b")
    folders = {b.parent.name for b in result.backups}  # the backups' folders are named by the ledger's id

    def without_folders(text: str) -> str:
        for name in folders:
            text = text.replace(name, "")
        return text

    text = without_folders("\n".join(report_lines(result)))
    change = next(c for c in result.applied.changed if c.record_id == ids["p2"] and c.field == "group_id")
    assert set(change.values()) <= names["group"] | {"（空）"} and change.values()[1] in names["group"]
    assert f"党小组：{change.values()[0]} → {change.values()[1]}" in text
    assert not UUID.search(text), [line for line in text.splitlines() if UUID.search(line)]
    pdf = pypdfium2.PdfDocument(write_report(result, tmp_path / "报告.pdf"))
    printed = without_folders("".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", ""))
    assert change.values()[1] in printed and all(b in printed for b in shown["所在支部"])
    assert not UUID.search(printed)
