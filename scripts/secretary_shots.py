"""Screenshots of the secretary's screens added for issue 12 (docs/screenshots), on the sample ledger.

    QT_QPA_PLATFORM=offscreen python scripts/secretary_shots.py OUT_DIR [WIDTHxHEIGHT]

Adds one 预备党员 whose 预备期 ends a few days after the sample's day and sets a 台账启用日期 on
the third branch, then grabs: 首页 (预备期满 and 未录入), the 预备期 dialog, the branch dialog
with 台账启用日期, 三会一课 search with highlighted matches, 全局搜索, 完成并销号, the member form's
党内职务 (post holdings) and the 任职 dialog for a 党小组组长, the pages whose columns were fitted
(组织, 整改清单, 首页), 使用说明.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out: Path, size: tuple[int, int]) -> None:
    from PySide6.QtCore import QSettings

    from desktop.services import rectification as rect
    from desktop.services.demo import DEMO_TODAY, build_demo
    from desktop.services.members import MemberInput, list_members, save_member
    from desktop.services.organization import BranchInput, list_branches, save_branch
    from desktop.ui.app import create_app
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zhibu-shots-"))
    app = create_app()
    from desktop.store.ledger import Ledger

    ledger = Ledger.open(build_demo(tmp / "示例台账.zhibu").path)
    branches = list_branches(ledger)
    first, third = branches[0], branches[-1]
    save_member(ledger, MemberInput(name="吴晓雪", gender="女", branch_id=first.id, birth_date="1996-08-12",
                                    join_date="2025-11-28", category="预备党员", education="硕士研究生"),
                today=DEMO_TODAY)
    save_branch(ledger, BranchInput(third.name, id=third.id, has_committee=third.has_committee,
                                    has_groups=third.has_groups, lecture_frequency=third.lecture_frequency,
                                    lecture_custom_per_year=third.lecture_custom_per_year,
                                    theme_day_of_month=third.theme_day_of_month, established_on=third.established_on,
                                    notes=third.notes, ledger_start="2026-11-01",
                                    start_numbers={"支部党员大会": 4, "主题党日": 11}))
    ctx = AppContext(ledger)
    window = MainWindow(ctx, QSettings(str(tmp / "shots.ini"), QSettings.Format.IniFormat))
    window.resize(*size)
    window.show()
    tag = f"{size[0]}x{size[1]}"

    def settle() -> None:
        for _ in range(3):
            app.processEvents()
            ctx.tasks.wait(30000)
            app.processEvents()

    def grab(widget, name: str) -> None:
        settle()
        path = out / f"{name}-{tag}.png" if size != (1366, 768) else out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    home = window.show_page("home")
    home._today = DEMO_TODAY
    home.reload()
    grab(window, "issue12-home-probation")
    if size != (1366, 768):  # the 1280×720 check: every page
        for name, _cls in window.page_specs:
            window.show_page(name)
            grab(window, f"issue12-page-{name}")
    members = window.show_page("members")
    members.select_member(next(m.id for m in list_members(ledger) if m.name == "吴晓雪"))
    grab(window, "issue12-members-probationer")
    from desktop.ui.dialogs.member_probation import ProbationDialog

    dialog = ProbationDialog(ledger, members.selected(), window)
    dialog.dialog.show()
    grab(dialog.dialog, "issue12-probation-dialog")
    dialog.dialog.reject()
    from desktop.ui.dialogs.branch_editor import BranchEditor

    editor = BranchEditor(ledger, window, next(b for b in list_branches(ledger) if b.id == third.id))
    editor.dialog.show()
    grab(editor.dialog, "issue12-branch-start-date")
    editor.dialog.reject()
    org = window.show_page("organization")
    org.select_branch(third.id)
    grab(window, "issue12-organization-start-date")
    meetings = window.show_page("meetings")
    meetings.search.setText("整改")
    meetings.refresh()
    grab(window, "issue12-meetings-search-snippets")
    from desktop.ui.dialogs.global_search import GlobalSearchDialog

    search = GlobalSearchDialog(ledger, window, "学习")
    search.run()
    search.dialog.resize(900, 560)
    search.dialog.show()
    grab(search.dialog, "issue12-global-search")
    search.dialog.reject()
    from desktop.ui.rectification.editors import CloseDialog

    campaign = rect.list_campaigns(ledger)[0]
    tree = rect.get_campaign_tree(ledger, campaign.id, today=DEMO_TODAY)
    measure = next(m for _c, _p, m in tree.measures() if m.status == "整改中")
    close = CloseDialog(ledger, measure, window)
    close.dialog.show()
    grab(close.dialog, "issue12-finish-and-close")
    close.dialog.reject()
    # 党内职务 entered once: the member form shows the posts held (组织 › 任职) with 任职…/离任…
    from desktop.services.members import get_member
    from desktop.ui.dialogs.branch_editor import PostEditor
    from desktop.ui.dialogs.member_editor import MemberEditor

    secretary = next(m for m in list_members(ledger) if m.party_post == "支部书记" and m.branch_id == first.id)
    form = MemberEditor(ledger, window, detail=get_member(ledger, secretary.id))
    form.dialog.show()
    grab(form.dialog, "issue12-member-posts")
    form.dialog.reject()
    post = PostEditor(ledger, first, window)  # a 党小组组长 is picked from the group's members
    post.post.setCurrentIndex(post.post.findData("党小组组长"))
    post.dialog.show()
    grab(post.dialog, "issue12-post-editor-leader")
    post.dialog.reject()
    for name in ("organization", "rectification", "home"):  # the columns fitted at 1280×720 and 1366×768
        page = window.show_page(name)
        if name == "organization":
            page.select_branch(first.id)
        grab(window, f"issue12-columns-{name}")
    from desktop.ui.dialogs.user_guide import UserGuideDialog

    guide = UserGuideDialog(window, "first")
    guide.dialog.show()
    grab(guide.dialog, "issue12-user-guide")
    guide.dialog.reject()
    ctx.tasks.wait(30000)
    window.close()
    ctx.set_ledger(None)


if __name__ == "__main__":
    w, h = (int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "1366x768").split("x"))
    main(Path(sys.argv[1]), (w, h))
