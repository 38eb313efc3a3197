"""Two people editing the same record: who saved it last, and the typed conflict error.

An editor keeps the ``version`` of the record it opened. Saving checks it against the stored
version *under a row lock* (``SELECT … FOR UPDATE`` on a server; a file has one writer at a
time anyway), so of two saves that started from the same version exactly one wins and the other
gets :class:`~desktop.domain.errors.RecordConflict` naming who saved and when (from the change
history: the database user on a server, the computer for a file copy).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, inspect, select, text
from sqlalchemy.orm import ONETOMANY, Session

from desktop.domain.errors import RecordConflict
from desktop.store.history import read_place
from desktop.store.models import Member, ProbationEvent

# parts that are not relationships of the model: a 预备期 decision moves the member's version
EXTRA_PARTS = {Member: (ProbationEvent.member_id,)}


def _who(place: str | None) -> str:
    kind, who, _file = read_place(place)
    if not who:
        return "其他用户"
    if kind == "server":
        return who
    if kind == "push":  # a file merged into the server by this login (desktop.services.merge.delta)
        return f"{who}（合并到服务器）"
    return f"另一台电脑（{who}）"


def _family(session: Session, model, record_id: str) -> list[str]:
    """``record_id`` and the ids of its parts (a meeting's agenda items, a celebration's celebrants —
    delete-orphan relationships —, a member's 预备期 decisions): an edit of a part only moves the
    record's version, and the history has the part's change. Records that merely point at it (a
    branch's groups, a problem's measures) are not parts: their edits do not move its version."""
    ids = [record_id]
    if model is None:
        return ids
    for rel in inspect(model).relationships:
        if rel.direction is ONETOMANY and rel.cascade.delete_orphan and len(rel.local_remote_pairs) == 1:
            child, fk = rel.mapper.class_, rel.local_remote_pairs[0][1]
            ids += session.execute(select(child.id).where(fk == record_id)).scalars().all()
    for fk in EXTRA_PARTS.get(model, ()):
        ids += session.execute(select(fk.class_.id).where(fk == record_id)).scalars().all()
    return ids


def last_change(session: Session, record_id: str, model=None) -> tuple[str, datetime | None]:
    """(who, when — local time) of the last recorded change of ``record_id`` (with its parts, given
    its ``model``)."""
    row = session.execute(text(
        "SELECT s.at, k.place FROM change c JOIN change_set s ON s.id = c.set_id"
        " JOIN ledger_copy k ON k.id = s.copy_id WHERE c.record_id IN :rids ORDER BY s.id DESC LIMIT 1")
        .bindparams(bindparam("rids", expanding=True)),
        {"rids": _family(session, model, record_id)}).first()
    if row is None:
        return "其他用户", None
    at = row[0]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return _who(row[1]), at.replace(tzinfo=UTC).astimezone()


def check_version(session: Session, model, record_id: str | None, expected: int | None, label: str) -> None:
    """Raise :class:`RecordConflict` when ``record_id`` is no longer at version ``expected``
    (None: the caller does not guard). Locks the row until the transaction ends on a server.
    A record deleted meanwhile is left to the caller, whose lookup says 「不存在或已删除」."""
    if expected is None or not record_id:
        return
    row = session.execute(
        select(model.version, model.deleted_at).where(model.id == record_id).with_for_update()
    ).first()
    if row is not None and row[1] is None and row[0] != expected:
        who, when = last_change(session, record_id, model)
        raise RecordConflict(label, who, when, record_id, row[0])
