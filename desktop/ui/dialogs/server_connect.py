"""文件 › 连接服务器…: open a ledger on the committee's PostgreSQL server.

The connection (server, port, database, user) can be remembered in this PC's settings; the
password never is (asked each time, kept only in the open connection's memory).
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QLineEdit, QSpinBox, QWidget

from desktop.store.target import parts_of, without_password

from ..formdialog import FormDialog

SETTINGS_KEY = "server/connection"


def connection_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    if host.startswith("/"):  # a unix socket folder (a server on this PC)
        return f"postgresql://{auth}@/{quote(database, safe='')}?host={quote(host)}&port={int(port)}"
    host = f"[{host}]" if ":" in host else host
    return f"postgresql://{auth}@{host}:{int(port)}/{quote(database, safe='')}"


def connection_of(url: str) -> dict:
    """Server, port, database and user of a URL (never its password)."""
    p = parts_of(url)
    return {"host": unquote(p["host"]), "port": p["port"], "database": unquote(p["dbname"]), "user": unquote(p["user"])}


def saved_connection(settings) -> dict | None:
    """The remembered connection (no password), or None."""
    text = settings.value(SETTINGS_KEY, "") if settings is not None else ""
    return connection_of(str(text)) if text else None


class ServerConnectDialog(FormDialog):
    form_name = "server_connect"

    def __init__(self, settings, parent: QWidget | None = None, url: str | None = None, error: str = ""):
        """``url``: fill in this connection instead of the remembered one (its password asked
        again); ``error``: why it is asked again (the server refused the login)."""
        super().__init__(parent)
        self.settings = settings
        self.url: str | None = None
        saved = connection_of(url) if url else saved_connection(settings)
        if saved:
            self.w(QLineEdit, "hostEdit").setText(saved["host"])
            self.w(QSpinBox, "portSpin").setValue(int(saved["port"]))
            self.w(QLineEdit, "databaseEdit").setText(saved["database"])
            self.w(QLineEdit, "userEdit").setText(saved["user"])
        if error:
            label = self.w(QLabel, "errorLabel")
            label.setText(error)
            label.show()
            self.w(QLineEdit, "passwordEdit").setFocus()
        box = self.button_box()
        box.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self._accept)
        box.rejected.connect(self.dialog.reject)

    def _accept(self) -> None:
        host = self.w(QLineEdit, "hostEdit").text().strip()
        database = self.w(QLineEdit, "databaseEdit").text().strip()
        user = self.w(QLineEdit, "userEdit").text().strip()
        missing = [label for label, value in (("服务器地址", host), ("数据库", database), ("用户名", user)) if not value]
        if missing:
            error = self.w(QLabel, "errorLabel")
            error.setText(f"请填写{'、'.join(missing)}。")
            error.show()
            return
        port = self.w(QSpinBox, "portSpin").value()
        self.url = connection_url(host, port, database, user, self.w(QLineEdit, "passwordEdit").text())
        if self.w(QCheckBox, "rememberCheck").isChecked():
            self.settings.setValue(SETTINGS_KEY, connection_url(host, port, database, user))  # never the password
        else:
            self.settings.remove(SETTINGS_KEY)
        self.dialog.accept()


def ask_server(window, url: str | None = None, error: str = "") -> str | None:
    """The URL the user connects to (None: cancelled). A function, so tests can answer it."""
    dialog = ServerConnectDialog(window.settings, window, url, error)
    return dialog.url if dialog.exec() else None


def connect_to_server(window) -> None:
    if not window.maybe_close_pages():
        return
    url = ask_server(window)
    if url:
        open_server(window, url)


def open_server(window, url: str) -> None:
    """Open the server ledger in the background; the current ledger stays open until it is ready."""
    from desktop.store.opening import open_ledger

    def work(progress):
        progress(0, 0, f"正在连接 {without_password(url)} …")
        return open_ledger(url)

    def failed(exc, tb) -> None:
        from desktop.store.errors import ServerUnavailable

        if isinstance(exc, ServerUnavailable) and exc.login_refused:  # no or a wrong password: ask for it
            window._open_failed(exc, tb, quiet=True)
            again = ask_server(window, url, exc.message)
            if again:
                open_server(window, again)
            return
        window._open_failed(exc, tb)

    window.ctx.tasks.run(work, on_done=window._opened, title="正在连接台账服务器", parent=window, cancellable=False,
                         on_error=failed)
