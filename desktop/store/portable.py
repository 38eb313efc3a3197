"""SQL functions the services use that SQLite and PostgreSQL spell differently.

Registering a ``GenericFunction`` makes ``func.<name>`` build it everywhere; ``@compiles`` writes
the PostgreSQL spelling, SQLite keeps its own: ``instr(a, b)`` → ``strpos(a, b)``,
``group_concat(x, sep)`` → ``string_agg(x, sep)``.
"""

from __future__ import annotations

from sqlalchemy import Integer, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class instr(GenericFunction):  # noqa: N801 (SQL function name)
    type = Integer()
    inherit_cache = True


class group_concat(GenericFunction):  # noqa: N801
    type = Text()
    inherit_cache = True


@compiles(instr, "postgresql")
def _instr_pg(element, compiler, **kw):
    return f"strpos({compiler.process(element.clauses, **kw)})"


@compiles(group_concat, "postgresql")
def _group_concat_pg(element, compiler, **kw):
    args = list(element.clauses)
    if len(args) == 1:
        return f"string_agg({compiler.process(args[0], **kw)}, ',')"
    return f"string_agg({compiler.process(args[0], **kw)}, {compiler.process(args[1], **kw)})"


class strftime(GenericFunction):  # noqa: N801
    """``strftime(format, date)``; on PostgreSQL ``to_char`` with the format translated (the
    format must be a literal or a bound constant: %Y %m %d %H %M %S and plain characters)."""

    type = Text()
    inherit_cache = True


_PG_FORMAT = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH24", "%M": "MI", "%S": "SS", "%%": "%"}


def _pg_format(fmt: str) -> str:
    out, i = [], 0
    while i < len(fmt):
        two = fmt[i:i + 2]
        if two in _PG_FORMAT:
            out.append(_PG_FORMAT[two])
            i += 2
        else:
            c = fmt[i]
            out.append(c if c in "-:/ ." else f'"{c}"')
            i += 1
    return "".join(out)


@compiles(strftime, "postgresql")
def _strftime_pg(element, compiler, **kw):
    fmt, value = list(element.clauses)
    pattern = _pg_format(getattr(fmt, "value", None) or getattr(fmt, "text", ""))
    return f"to_char({compiler.process(value, **kw)}, '{pattern}')"
