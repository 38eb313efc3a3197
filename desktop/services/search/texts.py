"""A meeting's searchable text and list columns, read with plain SQL from the flushed state of the
transaction (the meeting and its agenda, speeches, motions, guests and attendance)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.domain.enums import AttendanceStatus

from .tokens import normalize

M_COLS = ("id", "branch_id", "kind", "state", "date", "deleted_at", "number", "title", "start_time", "end_time",
           "place", "host", "recorder", "lecture_title", "theme", "content", "resolution", "lecturer", "summary",
           "required_actions", "followup")


@dataclass
class Doc:
    """One meeting as the index stores it (raw column values, texts gathered from its children)."""

    m: dict
    agenda: list[str]
    speeches: list[tuple[str, str, str]]
    motions: list[str]
    guests: list[str] = field(default_factory=list)
    due: int = 0
    present: int = 0
    absent: int = 0

    def texts(self) -> tuple[str, str]:
        """(title, body) as indexed, lower-cased; parts joined with newlines."""
        m = self.m
        title = "\n".join(p for p in (m["title"], m["lecture_title"], m["theme"]) if p)
        parts: list[str] = [*self.agenda, m["content"]]
        for sec, who, said in self.speeches:
            parts.extend((sec, who, said))
        parts.extend(self.motions)
        parts.extend((m["resolution"], m["lecturer"], m["summary"], m["required_actions"], m["followup"]))
        parts.extend(self.guests)
        return normalize(title), normalize("\n".join(p for p in parts if p))


def in_list(ids: list[str]) -> tuple[str, dict]:
    names = [f"i{n}" for n in range(len(ids))]
    return ",".join(f":{n}" for n in names), dict(zip(names, ids, strict=True))


def read_docs(session: Session, ids: list[str]) -> dict[str, Doc]:
    """Read meetings and their children with plain SQL (flushed state of this transaction)."""
    marks, params = in_list(ids)
    docs = {
        r[0]: Doc(dict(zip(M_COLS, r, strict=True)), [], [], [])
        for r in session.execute(text(f"SELECT {', '.join(M_COLS)} FROM meeting WHERE id IN ({marks})"), params)
    }
    live_child = f"meeting_id IN ({marks}) AND deleted_at IS NULL"
    for mid, t in session.execute(text(f"SELECT meeting_id, text FROM agenda_item WHERE {live_child} ORDER BY seq"), params):
        docs[mid].agenda.append(t)
    for mid, sec, who, t in session.execute(
        text(f"SELECT meeting_id, section, speaker, text FROM speech WHERE {live_child} ORDER BY seq"), params
    ):
        docs[mid].speeches.append((sec, who, t))
    for mid, t in session.execute(text(f"SELECT meeting_id, title FROM motion WHERE {live_child} ORDER BY seq"), params):
        docs[mid].motions.append(t)
    for mid, name, title in session.execute(
        text(f"SELECT meeting_id, name, title FROM guest WHERE {live_child} ORDER BY seq"), params
    ):
        docs[mid].guests.append(f"{name} {title}".strip())
    for mid, status, n in session.execute(
        text(f"SELECT meeting_id, status, count(*) FROM attendance WHERE {live_child} GROUP BY meeting_id, status"),
        params,
    ):
        d = docs[mid]
        if status != AttendanceStatus.EXCLUDED:
            d.due += n
        if status == AttendanceStatus.PRESENT:
            d.present += n
        elif status == AttendanceStatus.ABSENT:
            d.absent += n
    return docs
