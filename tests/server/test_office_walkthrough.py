"""What a new 机关党委 office user met on a server ledger, each a defect found by walking through
the program (the window under QT_QPA_PLATFORM=offscreen, a real PostgreSQL ledger):

- 设置 crashed on a server (its 备份 folder asked SQLite's ``rowid``); it showed 备份 and 工作副本
  boxes that do nothing there and said the settings were kept 「在台账文件中」;
- 文件 › 打开 (or a recent file, or a dropped one) while a server ledger was open crashed
  (a server has no file path to compare);
- the title and status bar named the server by a URL with ``***`` and did not say who is logged
  in nor what they may change;
- a server that wants a password (``zhibu --db postgresql://user@host/db``) or got a wrong one was
  a dead end: 「用户名或密码不对」 and 「文件：postgresql:/…」, the password never asked;
- a server that accepts the connection but never answers hung the window forever.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QMessageBox, QWidget

from desktop.store import server as server_mod
from desktop.store.errors import ServerUnavailable
from desktop.store.opening import open_ledger
from tests.conftest import wait_tasks


def test_settings_page_on_a_server_says_server_and_hides_file_only_boxes(qtbot, main_window, app_ctx):
    main_window.show_page("settings")  # raised UndefinedColumn "rowid" before
    wait_tasks(qtbot, app_ctx)
    page = main_window.page("settings")
    form = page.form
    assert not form.findChild(QWidget, "backupBox").isVisibleTo(page)
    assert not form.findChild(QWidget, "workingCopyBox").isVisibleTo(page)
    assert "随文件带走" not in form.findChild(QGroupBox, "generalBox").title()
    assert form.findChild(QGroupBox, "generalBox").title() == "台账设置（保存在服务器台账中，各支部共用）"
    text = form.findChild(QLabel, "fileLabel").text()
    assert text.startswith("服务器 本机") and "的数据库 " in text and text.endswith("登录用户 zhibu")
    page.unit.setText("某某局（改）")
    assert page.save()
    assert page.status.text() == "设置已保存到服务器台账。"


def test_settings_page_on_a_file_keeps_its_backup_boxes(qtbot, app_ctx, tmp_path):
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    led = open_ledger(tmp_path / "f.zhibu", create=True)
    app_ctx.set_ledger(led)
    window = MainWindow(app_ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.show_page("settings")
    wait_tasks(qtbot, app_ctx)
    page = window.page("settings")
    qtbot.waitUntil(lambda: page.form.findChild(QLabel, "fileLabel").text() != "", timeout=30000)
    assert page.form.findChild(QWidget, "backupBox").isVisibleTo(page)
    assert page.form.findChild(QGroupBox, "generalBox").title() == "台账设置（保存在台账文件中，随文件带走）"
    assert page.form.findChild(QLabel, "fileLabel").text() == str(tmp_path / "f.zhibu")


def test_opening_a_file_while_a_server_ledger_is_open(qtbot, main_window, app_ctx, tmp_path):
    path = tmp_path / "branch.zhibu"
    open_ledger(path, create=True).close()
    assert app_ctx.ledger.is_server
    assert main_window._start_dir() != "本机"  # file dialogs start in a real folder, not the server's "path"
    main_window.open_path(path)  # AttributeError: 'PurePosixPath' object has no attribute 'resolve' before
    qtbot.waitUntil(lambda: app_ctx.ledger is not None and not app_ctx.ledger.is_server, timeout=30000)
    assert app_ctx.ledger.path == path
    assert main_window.windowTitle().startswith("branch.zhibu")


def test_title_and_status_name_server_database_user_and_rights(qtbot, main_window, org_ledger, pg_cluster):
    dbname = org_ledger.path.name
    assert main_window.windowTitle() == f"{dbname}（服务器 本机，用户 zhibu） — 支部台账"
    status = main_window.file_label.text()
    assert status == f"服务器台账：本机 的数据库 {dbname}，登录用户 zhibu"  # the owner: no 只读
    assert "***" not in status and "postgresql" not in status


def test_status_says_read_only_for_the_committee_and_the_branch_for_a_secretary(org_ledger, pg_cluster):
    from desktop.services.server_roles import setup_roles

    setup_roles(org_ledger, ["office"], [("wangfang", "第一党支部")])
    office = open_ledger(org_ledger.location.replace("zhibu@", "office@"))
    wang = open_ledger(org_ledger.location.replace("zhibu@", "wangfang@"))
    try:
        assert office.access == "只读：可查看各支部，不能修改"
        assert wang.access == "可修改：第一党支部"
        assert org_ledger.access == ""
    finally:
        office.close()
        wang.close()


@pytest.fixture
def password_user(pg_cluster, org_ledger):
    """A login that needs a password (scram), on this session's cluster (trust for every other login)."""
    hba = pg_cluster.data / "pg_hba.conf"
    text = hba.read_text()
    line = "local all pwuser scram-sha-256\n"
    if line not in text:
        hba.write_text(line + text)
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE pwuser LOGIN PASSWORD '正确pw'; EXCEPTION WHEN duplicate_object"
                       " THEN NULL; END $$; SELECT pg_reload_conf()")
    dbname = org_ledger.path.name
    pg_cluster.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO pwuser;"
                       " GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO pwuser", dbname)
    return org_ledger.location.replace("zhibu@", "pwuser@")


def test_a_refused_login_is_said_precisely(password_user):
    with pytest.raises(ServerUnavailable) as no_pw:
        open_ledger(password_user)
    assert no_pw.value.login_refused and "服务器要求输入用户 pwuser 的密码" in no_pw.value.message
    with pytest.raises(ServerUnavailable) as wrong:
        open_ledger(password_user.replace("pwuser@", "pwuser:wrong@"))
    assert wrong.value.login_refused and "用户名或密码不对" in wrong.value.message
    assert "wrong" not in wrong.value.message


def test_window_asks_the_password_again_and_opens(qtbot, app_ctx, password_user, tmp_path, monkeypatch):
    """``zhibu --db postgresql://pwuser@…/db``: the connection dialog asks for the password (the
    rest filled in, the reason shown); a wrong one asks again; the right one opens the ledger."""
    from PySide6.QtCore import QSettings

    from desktop.ui.dialogs import server_connect as sc
    from desktop.ui.main_window import MainWindow

    window = MainWindow(app_ctx, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    asked: list[tuple[str, str, str]] = []
    answers = iter(["wrong", "正确pw"])

    def answer(self):
        asked.append((self.w(QLineEdit, "userEdit").text(), self.w(QLineEdit, "databaseEdit").text(),
                      self.w(QLabel, "errorLabel").text()))
        self.w(QLineEdit, "passwordEdit").setText(next(answers))
        self._accept()
        return self.dialog.result()

    monkeypatch.setattr(sc.ServerConnectDialog, "exec", answer)
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box.text()) or 0)
    sc.open_server(window, password_user)
    qtbot.waitUntil(lambda: app_ctx.ledger is not None, timeout=30000)
    wait_tasks(qtbot, app_ctx)
    assert app_ctx.ledger.user == "pwuser" and boxes == []  # no error box, no crash dialog
    dbname = app_ctx.ledger.path.name
    assert [a[:2] for a in asked] == [("pwuser", dbname)] * 2
    assert "服务器要求输入用户 pwuser 的密码" in asked[0][2]
    assert "用户名或密码不对" in asked[1][2]
    saved = window.settings.value(sc.SETTINGS_KEY)
    assert "正确pw" not in str(saved) and "%E6%AD%A3" not in str(saved)  # never the password


def test_error_box_names_the_server_not_a_mangled_file(qtbot, app_ctx, pg_cluster, monkeypatch):
    from desktop.ui.errors import show_error

    seen = {}
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.update(info=box.informativeText()) or 0)
    try:
        open_ledger(pg_cluster.url("no_such_db", password="秘密"))
    except ServerUnavailable as exc:
        show_error(None, exc, "")
    assert "服务器台账：postgresql://zhibu:***@/no_such_db" in seen["info"]
    assert "文件：" not in seen["info"] and "秘密" not in seen["info"]


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers (a hung server, a half-open firewall)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()
    yield sock.getsockname()[1]
    stop.set()
    sock.close()


def test_a_server_that_never_answers_is_reported_not_waited_for(silent_server, monkeypatch):
    import time

    monkeypatch.setattr(server_mod, "CONNECT_TIMEOUT", 2)
    t0 = time.monotonic()
    with pytest.raises(ServerUnavailable) as exc:
        open_ledger(f"postgresql://u:p@127.0.0.1:{silent_server}/x")
    assert time.monotonic() - t0 < 15
    assert "服务器在规定时间内没有响应" in exc.value.message and ":***@" in exc.value.message


def test_a_stopped_server_says_so(pg_cluster):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    with pytest.raises(ServerUnavailable) as exc:
        open_ledger(f"postgresql://u@127.0.0.1:{port}/x")
    assert "台账服务器没有运行，或端口不对" in exc.value.message
    assert not exc.value.login_refused


def test_screenshots_of_a_server_ledger(qtbot, org_ledger, tmp_path):
    """``zhibu screenshots DIR --db URL``: every page of a server ledger (it took only files)."""
    from desktop.cli.screenshots import render_all

    (tmp_path / "shots").mkdir()
    written = render_all(org_ledger.location, tmp_path / "shots", None, settings_dir=tmp_path, dialogs=True)
    names = [p.name for p in written]
    assert "08-settings.png" in names and "01-home.png" in names and "dialog-server-connect.png" in names
    assert all(Path(p).stat().st_size > 10_000 for p in written)


def test_a_refused_write_says_why(org_ledger):
    """Was one sentence for every refusal, whose advice (「书记只能修改本支部」) was wrong for a
    secretary saving the committee's 设置 and for the read-only office."""
    from dataclasses import replace

    from desktop.services.server_roles import setup_roles
    from desktop.services.settings import get_settings, save_settings
    from desktop.store.errors import PermissionDenied
    from desktop.store.models import Member

    setup_roles(org_ledger, ["office"], [("wangfang", "第一党支部")])
    ids = org_ledger.ids
    for user, record, expected in (
        ("wangfang", "member2", "这是其他党支部的记录；登录用户 wangfang 只能修改第一党支部的记录。如需修改请联系该支部。"),
        ("wangfang", "settings", "这是全委共用的记录（党组织、整改清单、设置、议题模板等），只有台账管理员能修改。"),
        ("office", "member1", "登录用户 office 只能查看台账，不能修改（机关党委办公室的登录是只读的）。"),
    ):
        led = open_ledger(org_ledger.location.replace("zhibu@", f"{user}@"))
        try:
            with pytest.raises(PermissionDenied) as refused:
                if record == "settings":
                    save_settings(led, replace(get_settings(led), unit_name="改"))
                else:
                    with led.write() as s:
                        s.get(Member, ids["陈志强" if record == "member2" else "张建国"]).phone = "13900000000"
            assert refused.value.full_message() == "服务器拒绝了这次修改，什么都没有保存：" + expected
        finally:
            led.close()


def test_window_says_when_the_server_goes_away_and_comes_back(qtbot, main_window, app_ctx, org_ledger, pg_cluster):
    """Was: nothing while polling failed (a page read then said 「修改没有保存」 though nothing
    was being saved). The status bar says the connection is lost, then that it is back; what
    another program saved meanwhile arrives with the first poll that works."""
    from datetime import date

    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as svc
    from desktop.store.changes import RecordKind

    dbname = org_ledger.path.name
    lost = f"{dbname}_away"
    pg_cluster.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{dbname}';"
                       f" ALTER DATABASE {dbname} RENAME TO {lost}")
    try:
        app_ctx.poll_server()
        message = main_window.statusBar().currentMessage()
        assert message.startswith("与台账服务器的连接中断：服务器上找不到这个数据库（可能已被改名或删除）。")
        assert "程序每 3 秒重试一次，恢复后自动刷新" in message
        app_ctx.poll_server()  # said once, not again every 3 s
    finally:
        pg_cluster.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{lost}';"
                           f" ALTER DATABASE {lost} RENAME TO {dbname}")
    other = open_ledger(org_ledger.location)
    try:
        inp = svc.new_meeting(other, org_ledger.ids["branch2"], MeetingKind.THEME_DAY, date(2026, 6, 10))
        svc.save_meeting(other, inp)
    finally:
        other.close()
    seen = []
    app_ctx.dataChanged.connect(seen.append)
    app_ctx.poll_server()
    assert main_window.statusBar().currentMessage() == "已重新连接台账服务器，页面已刷新。"
    assert seen and any(r.kind == RecordKind.MEETING for e in seen for r in e.records)


def test_meeting_editor_of_a_read_only_login_does_not_claim_its_draft_saved(qtbot, org_ledger):
    """Was: autosave failed silently and the label kept its last 「已自动保存草稿」 (or nothing), so the
    committee's office typed on believing the text kept."""
    from datetime import date

    from desktop.domain.enums import MeetingKind
    from desktop.services import meetings as svc
    from desktop.services.server_roles import setup_roles
    from desktop.ui.context import AppContext
    from desktop.ui.pages.meetings import MeetingsPage

    inp = svc.new_meeting(org_ledger, org_ledger.ids["branch1"], MeetingKind.THEME_DAY, date(2026, 6, 10))
    inp.content = "原稿"
    mid = svc.save_meeting(org_ledger, inp)
    setup_roles(org_ledger, ["office"], [])
    office = open_ledger(org_ledger.location.replace("zhibu@", "office@"))
    ctx = AppContext(office)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.reload()
    wait_tasks(qtbot, ctx)
    try:
        assert page.open_record("meeting", mid)
        editor = page.editor
        from PySide6.QtWidgets import QPlainTextEdit

        editor.form.w(QPlainTextEdit, "contentEdit").setPlainText("办公室想改")
        editor.autosave()
        assert editor.form.w(QLabel, "autosaveLabel").text() == "草稿没有自动保存：没有修改这条记录的权限"
    finally:
        ctx.tasks.wait(30000)
        ctx._poll.stop()
        ctx.set_ledger(None)


def test_polling_a_database_that_lost_its_change_log_says_so_once(qtbot, main_window, app_ctx, org_ledger):
    """Was: a database error that is not a lost connection (here the change log gone: a restore
    gone wrong, an administrator's hand edit) escaped polling and opened the crash report every
    3 s. It is said once in the status bar, like a lost connection, and polling recovers."""
    from sqlalchemy import text

    with org_ledger.engine.begin() as conn:
        conn.execute(text("ALTER TABLE zhibu_change_log RENAME TO zhibu_change_log_away"))
        conn.execute(text("UPDATE zhibu_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'changes'"))
    try:
        app_ctx.poll_server()  # raised psycopg's UndefinedTable out of the timer
        message = main_window.statusBar().currentMessage()
        assert "服务器上的台账读不出其他人的修改" in message and "zhibu_change_log" not in message
        app_ctx.poll_server()
        assert app_ctx.server_lost
    finally:
        with org_ledger.engine.begin() as conn:
            conn.execute(text("ALTER TABLE zhibu_change_log_away RENAME TO zhibu_change_log"))
    app_ctx.poll_server()
    assert not app_ctx.server_lost
    assert main_window.statusBar().currentMessage() == "已重新连接台账服务器，页面已刷新。"
