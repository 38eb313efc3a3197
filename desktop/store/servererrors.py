"""What a PostgreSQL error means for the user of a server ledger: the server unreachable, the login
refused, the database missing, the connection lost, a write the roles refuse — each a plain
Chinese message naming the server (never the password) — and anything else left to the caller."""

from __future__ import annotations

import re

from sqlalchemy.exc import OperationalError

from . import errors
from .serverroles import SCOPED, LoginRights
from .target import parts_of, without_password

# libpq's words for why a connection failed → what the user is told (after 无法连接台账服务器 …)
_REASONS = (
    ("connection refused", "服务器没有响应这个端口（台账服务器没有运行，或端口不对）"),
    ("no such file or directory", "本机上没有运行台账服务器（或端口不对）"),
    ("could not translate host name", "找不到这个服务器地址（地址写错，或网络不通）"),
    ("name or service not known", "找不到这个服务器地址（地址写错，或网络不通）"),
    ("timeout expired", "服务器在规定时间内没有响应（网络不通，或服务器太忙）"),
    ("network is unreachable", "网络不通"),
    ("no route to host", "网络不通"),
    ("no pg_hba.conf entry", "服务器不允许从这台电脑用这个用户名登录（请管理员在 pg_hba.conf 中开放）"),
    ("too many clients", "服务器的连接数已满，请稍后再试"),
    ("the database system is starting up", "服务器正在启动，请稍后再试"),
    ("the database system is shutting down", "服务器正在关闭"),
    ("permission denied for database", "这个用户没有使用该数据库的权限"),
    ("does not exist", "服务器上找不到这个数据库（可能已被改名或删除）"),
)


def _reason(low: str) -> str:
    """What libpq's (lower-cased) words say went wrong, for the user; "" when none is known."""
    return next((text for key, text in _REASONS if key in low), "")


def unavailable(url: str, exc: BaseException) -> errors.ServerUnavailable:
    orig = getattr(exc, "orig", exc)
    detail = str(orig).strip()
    low = detail.lower()
    where = without_password(url)
    p = parts_of(url)
    login = False
    if "does not exist" in low and "database" in low:
        msg = f"服务器上没有这个数据库：{p['dbname']}（{where}）。"
    elif "no password supplied" in low:
        msg, login = f"服务器要求输入用户 {p['user']} 的密码：{where}。", True
    elif "password" in low or "authentication" in low:
        msg, login = f"服务器拒绝了登录（用户名或密码不对）：{where}。", True
    else:
        reason = _reason(low)
        msg = f"无法连接台账服务器：{where}" + (f"：{reason}。" if reason else "。")
    err = errors.ServerUnavailable(where, msg, detail)
    err.login_refused = login
    return err


def map_error(url: str, user: str, rights: LoginRights, exc: BaseException) -> errors.LedgerFileError | None:
    """A database error as the user's environment: a refused write (roles / row-level security) or
    a lost connection; None for anything else (a bug: the crash report)."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if sqlstate == "42501" or "row-level security" in str(orig):
        err = errors.PermissionDenied(url, refusal(user, rights, str(orig)), str(orig))
        err.advice = ""  # the message says who may change it
        return err
    if isinstance(exc, OperationalError) or sqlstate.startswith("08"):
        return errors.ServerUnavailable(  # the server is named beside the message (status bar, box)
            url, f"与台账服务器的连接中断：{_reason(str(orig).lower()) or '服务器没有应答'}。", str(orig))
    return None


def refusal(user: str, rights: LoginRights, detail: str, head: str = "服务器拒绝了这次修改，什么都没有保存：") -> str:
    """Why the server refused a write, from the table it names and what this login may change,
    after ``head``."""
    found = re.search(r'(?:for table |row-level security policy for table "|（)([a-z_]+)', detail)
    table = found.group(1) if found else ""
    if rights.read_only:
        return f"{head}登录用户 {user} 只能查看台账，不能修改（机关党委办公室的登录是只读的）。"
    if table and table not in SCOPED:  # 机关党委, 整改清单, 设置, 议题模板: the whole committee's
        return f"{head}这是全委共用的记录（党组织、整改清单、设置、议题模板等），只有台账管理员能修改。"
    if rights.branches:
        return f"{head}这是其他党支部的记录；登录用户 {user} 只能修改{rights.branch_names}的记录。如需修改请联系该支部。"
    return f"{head}登录用户 {user} 没有修改这条记录的权限。"
