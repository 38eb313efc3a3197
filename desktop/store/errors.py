"""Problems with a ledger file that the user can act on, each with a plain Chinese message.

Bugs are not listed here: anything else that escapes is a bug and is reported as one
(copyable details) by the UI. ``exit_code`` is what the command line returns.
"""

from __future__ import annotations

from pathlib import Path


class LedgerFileError(Exception):
    """Base: ``message`` is for the user (Chinese), ``detail`` for logs and the command line."""

    title = "无法打开台账文件"
    advice = ""
    exit_code = 2

    def __init__(self, path: Path | str | None, message: str, detail: str = ""):
        self.path = Path(path) if path is not None else None
        self.where = str(path) if path is not None else None  # a server URL stays whole (Path drops a "/")
        self.message = message
        self.detail = detail
        super().__init__(self.full_message())

    def full_message(self) -> str:
        parts = [self.message]
        if self.advice:
            parts.append(self.advice)
        return "".join(parts)


class FileMissing(LedgerFileError):
    advice = "请确认文件位置，或在“文件”菜单中新建台账。"


class FileUnreadable(LedgerFileError):
    advice = "请检查文件权限，或把文件复制到本机后再打开。"


class EmptyFile(LedgerFileError):
    advice = "文件可能在复制过程中中断，请从原来的电脑或备份重新复制。"


class NotSQLite(LedgerFileError):
    advice = "请确认选择的是台账文件（扩展名 .zhibu）。"


class ForeignDatabase(LedgerFileError):
    advice = "这是其他程序的数据库，本程序不会修改它。"


class NewerSchema(LedgerFileError):
    advice = "请把本程序升级到最新版本后再打开。文件未作任何修改。"


class CorruptFile(LedgerFileError):
    advice = "请从备份恢复，或用“检查数据库”查看详情。"


class InUse(LedgerFileError):
    title = "台账正在使用中"
    advice = "请先在另一个窗口或另一台电脑上关闭它，然后重试。"


class ReadOnlyFile(LedgerFileError):
    title = "台账文件只读"
    advice = "请把文件复制到可写的位置（例如“我的文档”），或取消文件的只读属性。"


class DiskFull(LedgerFileError):
    title = "磁盘空间不足"
    advice = "请清理磁盘或把台账保存到其他位置。已保存的数据不受影响。"


class FileExists(LedgerFileError):
    title = "文件已存在"
    advice = "为避免覆盖，请换一个文件名。"


class IsBackup(LedgerFileError):
    title = "这是备份文件"
    advice = "请用“文件 › 从备份恢复…”把它恢复为台账（或先复制一份再打开）。"


class PathTooLong(LedgerFileError):
    title = "文件路径太长"
    advice = "请换一个较短的文件名，或把台账放到路径较短的文件夹（例如 D:\\台账）。"


class LedgerClosed(LedgerFileError):
    """Work queued for a ledger that was closed before it ran (e.g. a background backup)."""


class CopyOntoOpenLedger(FileExists):
    """另存副本 onto the open ledger itself (or another ledger open in this program)."""

    title = "不能覆盖正在使用的台账"
    advice = "请换一个文件名或位置。"

    def __init__(self, path: Path | str | None, message: str = "副本不能保存到正在使用的台账文件上。",
                 detail: str = ""):
        super().__init__(path, message, detail)


class ServerUnavailable(LedgerFileError):
    """The PostgreSQL server cannot be reached, refused the login, or the database is missing."""

    title = "无法连接台账服务器"
    advice = "请检查服务器地址、用户名和密码，或联系机关党委的系统管理员。"
    login_refused = False  # the server wants a (right) password: the window asks for it again


class NoLedgerOnServer(LedgerFileError):
    title = "服务器上没有台账"
    advice = "请先用“zhibu push 文件 服务器地址”把台账放到服务器上，或新建服务器台账。"


class PermissionDenied(LedgerFileError):
    """The server refused a write (roles / row-level security): this user may not change it."""

    title = "没有权限"
    advice = "每个支部的书记只能修改本支部的记录；机关党委只能查看。如需修改请联系该支部。"
