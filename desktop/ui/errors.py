"""What the user sees when something goes wrong, and the log that goes with it.

- File problems (:class:`~desktop.store.errors.LedgerFileError`): a plain Chinese message that
  says what happened and what to do (title / message / advice).
- Input problems (DomainValidationError / ValidationErrors): shown as they are.
- Anything else is a bug: logged with its traceback, and a dialog with copyable details and
  the log file's path. ``install_excepthook`` routes uncaught exceptions (including those
  raised in Qt slots, which PySide6 passes to ``sys.excepthook``) here.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QWidget

from desktop import APP_NAME, __version__
from desktop.domain.errors import DomainValidationError, ValidationErrors
from desktop.store.errors import LedgerFileError
from desktop.store.paths import log_dir

from .formdialog import FormDialog

log = logging.getLogger("desktop")
LOG_NAME = "zhibu.log"
_log_file: Path | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Rotating log in log_dir() (1 MB × 5 files); returns the log file's path. Idempotent."""
    global _log_file
    path = log_dir() / LOG_NAME
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_zhibu", False):
            if Path(h.baseFilename) == path:
                _log_file = path
                return path
            root.removeHandler(h)  # the log dir changed (tests, or ZHIBU_LOG_DIR): move the log
            h.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._zhibu = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    _log_file = path
    log.info("%s %s starting (Python %s, %s)", APP_NAME, __version__, platform.python_version(), platform.platform())
    return path


def log_file() -> Path:
    return _log_file or (log_dir() / LOG_NAME)


def _parent() -> QWidget | None:
    app = QApplication.instance()
    return app.activeWindow() if isinstance(app, QApplication) else None


def error_text(exc: BaseException) -> str:
    """A user-facing message: validation and file errors carry Chinese text already."""
    message = getattr(exc, "message", None)
    if isinstance(exc, DomainValidationError | ValidationErrors):
        return str(exc)
    if isinstance(message, str) and message:
        advice = getattr(exc, "advice", "")
        return f"{message}\n{advice}" if advice else message
    return str(exc) or exc.__class__.__name__


def show_file_error(parent: QWidget | None, exc: LedgerFileError, action: str = "") -> None:
    """A file problem: what happened (with the file), and what to do."""
    log.warning("file problem%s: %s (%s) %s", f" while {action}" if action else "", type(exc).__name__,
                exc.path, exc.detail)
    box = QMessageBox(parent or _parent())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(exc.title)
    box.setText(exc.message)
    info = exc.advice
    if exc.path is not None:
        from desktop.store.target import is_server_url, without_password

        where = f"服务器台账：{without_password(exc.where)}" if is_server_url(exc.where) else f"文件：{exc.path}"
        info = f"{info}\n\n{where}" if info else where
    box.setInformativeText(info)
    if exc.detail:
        box.setDetailedText(exc.detail)
    box.exec()


def show_validation_error(parent: QWidget | None, exc: DomainValidationError | ValidationErrors,
                          title: str = "请检查填写的内容") -> None:
    QMessageBox.warning(parent or _parent(), title, str(exc))


class CrashDialog(FormDialog):
    """Copyable details of a bug, with the log file's path."""

    form_name = "crash"

    def __init__(self, summary: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.w(QLabel, "messageLabel").setText(summary)
        self.w(QPlainTextEdit, "detailsText").setPlainText(details)
        self.w(QLabel, "logPathLabel").setText(f"日志文件：{log_file()}")
        self.w(QPushButton, "copyButton").clicked.connect(self.copy)
        self.w(QPushButton, "openLogButton").clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent))))
        self.w(QPushButton, "closeButton").clicked.connect(self.dialog.accept)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def bug_details(exc: BaseException, tb_text: str = "") -> str:
    tb_text = tb_text or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (f"{APP_NAME} {__version__}\nPython {platform.python_version()} · {platform.platform()}\n"
            f"日志：{log_file()}\n\n{tb_text}")


def show_bug(parent: QWidget | None, exc: BaseException, tb_text: str = "") -> None:
    details = bug_details(exc, tb_text)
    log.error("unexpected error: %s", details)
    dialog = CrashDialog(f"{type(exc).__name__}: {exc}", details, parent or _parent())
    dialog.exec()


def show_error(parent: QWidget | None, exc: BaseException, tb_text: str = "", action: str = "") -> None:
    """The one entry point for errors coming back from actions and background tasks."""
    if isinstance(exc, LedgerFileError):
        show_file_error(parent, exc, action)
    elif isinstance(exc, DomainValidationError | ValidationErrors):
        show_validation_error(parent, exc)
    else:
        show_bug(parent, exc, tb_text)


_in_hook = False


def _excepthook(exc_type, exc, tb) -> None:
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    if _in_hook or QApplication.instance() is None:
        log.error("uncaught exception: %s", text)
        sys.__excepthook__(exc_type, exc, tb)
        return
    _in_hook = True
    try:
        show_error(None, exc, text)
    except Exception:  # noqa: BLE001 - never let the hook itself crash the program
        log.exception("error while reporting an error")
    finally:
        _in_hook = False


def install_excepthook() -> None:
    sys.excepthook = _excepthook
