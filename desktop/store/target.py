"""Where a ledger lives: a ``.zhibu`` file (the default) or a PostgreSQL server URL.

``postgresql://user[:password]@host[:port]/dbname`` (also ``postgres://``; a unix socket folder
goes in ``?host=/run/postgresql``). Only what is needed to tell the two apart and to show a URL
without its password lives here (no driver import), so the file code path never loads psycopg.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(target: object) -> bool:
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SCHEMES and "://" in target


def driver_url(url: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) of a ``postgresql://`` URL."""
    rest = url.split("://", 1)[1]
    return f"postgresql+psycopg://{rest}"


def without_password(url: str) -> str:
    """The URL as shown to the user and written in logs: the password replaced by ``***``, before
    the ``@`` or as libpq's ``?password=`` parameter."""
    parts = urlsplit(url)
    items = [item for item in parts.query.split("&") if item]
    query = "&".join("password=***" if item.split("=", 1)[0] == "password" else item for item in items)
    if parts.password is None and query == parts.query:
        return url
    netloc = parts.netloc
    if parts.password is not None:
        user = parts.username or ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{user}:***@{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def parts_of(url: str) -> dict:
    """user, host (or socket folder), port and database name of a server URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host", [""])[0]) or "localhost"
    port = parts.port or int(query.get("port", ["5432"])[0])
    return {"user": parts.username or "", "password": parts.password, "host": host, "port": port,
            "dbname": parts.path.lstrip("/") or (parts.username or "")}
