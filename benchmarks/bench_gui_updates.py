"""The meetings page after a save, and GUI-thread calls while the search index is built.

Usage: ``python -m benchmarks.bench_gui_updates [FILE] [--runs N]`` (offscreen Qt). Without FILE
the ten-year ledger is generated (benchmarks/generate.py). Prints min/median/max in ms of:

1. one saved meeting shown in the list: the baseline reads the whole list again (what the page did:
   ``list_meetings`` + ``set_rows``, a model reset) vs the page's update of that one row
   (``meeting_rows`` + ``replace_row``). Same save in both; the save itself is not timed.
2. the index build (``ensure_search_index`` on a file without it) — how long the GUI thread used to
   wait — vs the GUI-thread ``request_reload`` of two pages while a worker builds it.
Results are recorded in docs/performance-gui.md.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

from benchmarks.guibench import gui_ledger
from benchmarks.timing import stats


def main(argv: list[str] | None = None) -> int:
    app, ledger, ctx, path, args = gui_ledger(argv)
    from sqlalchemy import text

    from desktop.services import meetings as svc
    from desktop.ui.pages.home import HomePage
    from desktop.ui.pages.meetings import MeetingsPage

    page = MeetingsPage(ctx)
    page.reload()
    ctx.tasks.wait(600000)
    app.processEvents()
    page.year.setCurrentIndex(page.year.findData(None))  # 全部年度: the longest list the page shows
    first = page.model.rows[len(page.model.rows) // 2]
    draft = svc.new_meeting(ledger, first.branch_id, "支部委员会", first.date)
    target = svc.save_meeting(ledger, draft)
    app.processEvents()
    page._refresh_now()
    print(f"ledger: {path.name}, {len(page.model.rows)} meetings in the list (全部年度)")
    full, one = [], []
    for i in range(args.runs):
        inp = svc.get_meeting(ledger, target).to_input()
        inp.title = f"研究湿地保护修复方案（第{i}次修改）"
        svc.save_meeting(ledger, inp)
        t0 = time.perf_counter()  # baseline: the whole list again
        page._refresh_now()
        full.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()  # now: the one row
        assert page._update_rows({target})
        one.append((time.perf_counter() - t0) * 1000)
        app.processEvents()
    print("| after one save | min / median / max ms |")
    print("|---|---|")
    print(f"| whole list read again (baseline) | {stats(full)} |")
    print(f"| the saved row updated | {stats(one)} |")
    print(f"| ratio (median) | {statistics.median(full) / statistics.median(one):.0f}× |")

    build, gui = [], []
    home = HomePage(ctx)
    for _ in range(max(3, args.runs // 5)):
        with ledger.write() as s:
            s.execute(text("DELETE FROM meeting_search"))
        svc.listing._VERIFIED.discard(ledger)
        started = threading.Event()

        def work(started=started):
            with ledger.write() as s:  # what the build holds: the ledger, for its whole duration
                started.set()
                svc.listing.fts.rebuild_index(s)

        t = threading.Thread(target=work)
        t0 = time.perf_counter()
        t.start()
        started.wait()
        g0 = time.perf_counter()
        page.request_reload()
        home.request_reload()
        gui.append((time.perf_counter() - g0) * 1000)
        t.join()
        build.append((time.perf_counter() - t0) * 1000)
        ctx.tasks.wait(60000)
        app.processEvents()
    print()
    print("| during the index build | min / median / max ms |")
    print("|---|---|")
    print(f"| build holding the ledger (the old GUI-thread wait, baseline) | {stats(build)} |")
    print(f"| GUI-thread request_reload of two pages while it runs | {stats(gui)} |")
    ctx.tasks.wait(60000)
    ctx.set_ledger(None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
