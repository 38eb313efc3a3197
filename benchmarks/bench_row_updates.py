"""党员, 整改清单 and 政治生日 pages after saving one record: the whole list read again (what the
pages did, baseline) vs the saved row updated in place (what they do now).

Usage: ``python -m benchmarks.bench_row_updates [FILE] [--runs N]`` (offscreen Qt). FILE is a copy
of the ten-year ledger (benchmarks/generate.py; generated when missing). The ten-year ledger has
no 整改清单 or celebrations, so the run adds to it a campaign of 6 categories × 5 problems × 4
measures and one celebration a month for ten years. Prints min/median/max ms; recorded in
docs/performance-gui.md.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import replace
from datetime import date

from benchmarks.guibench import gui_ledger
from benchmarks.timing import stats, time_ms


def main(argv: list[str] | None = None) -> int:
    app, ledger, ctx, path, args = gui_ledger(argv)
    from desktop.services import birthdays as bd
    from desktop.services import rectification as rect
    from desktop.services.members import MemberInput, get_member, list_members, save_member
    from desktop.ui.pages.birthdays import BirthdaysPage
    from desktop.ui.pages.members import MembersPage
    from desktop.ui.pages.rectification import RectificationPage

    members = list_members(ledger)
    cid = rect.save_campaign(ledger, rect.CampaignInput("学习贯彻新时代中国特色社会主义思想主题教育", 2023))
    measure_ids = []
    for c in range(6):
        cat = rect.save_category(ledger, cid, f"类别{c + 1}")
        for p in range(5):
            prob = rect.save_problem(ledger, rect.ProblemInput(cat, f"问题{c}-{p}：学用结合不够紧密", "自查"))
            for m in range(4):
                measure_ids.append(rect.save_measure(ledger, rect.MeasureInput(
                    prob, f"措施{c}-{p}-{m}：制定学习计划并组织研讨", leader="王建军", owner="办公室",
                    deadline=date(2026, 12, 31))))
    event_ids = [bd.save_event(ledger, bd.EventInput(date(2016 + i // 12, i % 12 + 1, 28),
                                                     (bd.CelebrantInput(members[i % len(members)].id),),
                                                     title="集体过政治生日")) for i in range(120)]
    app.processEvents()
    print(f"ledger: {path.name}, {len(members)} members, {len(measure_ids)} measures, {len(event_ids)} celebrations")

    mpage = MembersPage(ctx)
    mpage.show()
    mpage.status_combo.setCurrentIndex(mpage.status_combo.findData(None))  # everyone: the longest list
    mpage.reload()
    rpage = RectificationPage(ctx)
    rpage.reload()
    bpage = BirthdaysPage(ctx)
    bpage.reload()
    app.processEvents()
    target_member = members[len(members) // 2].id
    target_measure = measure_ids[len(measure_ids) // 2]
    target_event = event_ids[-1]
    bpage.set_period(2025, 12)  # the month of the last celebration
    bpage.reload()
    results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("党员", "整改清单", "政治生日")}
    for i in range(args.runs):
        inp = get_member(ledger, target_member)
        r = inp.row
        save_member(ledger, MemberInput(name=r.name, branch_id=r.branch_id, id=r.id, gender=r.gender,
                                        ethnicity=r.ethnicity, birth_date=r.birth_date, education=r.education,
                                        id_number=r.id_number, phone=r.phone, group_id=r.group_id,
                                        job_title=f"科员{i}", category=r.category, status=r.status,
                                        join_date=r.join_date, full_date=r.full_date, notes=inp.notes))
        results["党员"][0].append(time_ms(mpage.reload))
        results["党员"][1].append(time_ms(lambda: mpage._update_rows({target_member}) or sys.exit("no row update")))
        m = rect.get_measure(ledger, target_measure)
        rect.save_measure(ledger, replace(m, content=f"制定学习计划并组织研讨（第{i}次修改）"))
        results["整改清单"][0].append(time_ms(rpage._load_tree))
        results["整改清单"][1].append(time_ms(lambda: rpage._update_measures({target_measure}) or sys.exit("no update")))
        ev = bd.get_event(ledger, target_event)
        bd.save_event(ledger, bd.EventInput(ev.event.date, tuple(bd.CelebrantInput(c.member_id) for c in ev.celebrants),
                                            title=f"集体过政治生日（第{i}次修改）", id=target_event))
        results["政治生日"][0].append(time_ms(bpage.refresh))
        results["政治生日"][1].append(time_ms(lambda: bpage._update_event_rows({target_event}) or sys.exit("no update")))
        app.processEvents()
    print("| after one save | whole list read again (baseline) | the saved row updated | ratio (median) |")
    print("|---|---|---|---|")
    for name, (full, one) in results.items():
        print(f"| {name} | {stats(full)} | {stats(one)} | {statistics.median(full) / statistics.median(one):.0f}× |")
    ctx.tasks.wait(60000)
    ctx.set_ledger(None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
