"""Autosave of the editor (MeetingDraft): a crash loses only the last few seconds.

The payload is the editor's :class:`MeetingInput` as JSON. One draft row per open editor is
rewritten on every autosave; saving the record or discarding the edits tombstones it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date, time

from desktop.domain.text import clean_line, clean_text
from desktop.store.base import utcnow
from desktop.store.models import Branch, Meeting, MeetingDraft
from desktop.store.queries import live

from .data import AttendanceData, DraftInfo, GuestData, MeetingInput, MotionData, SpeechData


def _plain(v):
    if isinstance(v, date | time):
        return v.isoformat()
    return v


_LINE_FIELDS = ("title", "place", "host", "recorder", "lecturer", "lecturer_title", "lecture_title", "theme")
_TEXT_FIELDS = ("summary", "required_actions", "followup", "content", "resolution")


def cleaned_input(inp: MeetingInput) -> MeetingInput:
    """A copy of ``inp`` with every text through the input rule (clean_text / clean_line),
    field by field as ``save_meeting`` stores it: an autosave never holds what a record cannot
    (a lone surrogate pasted from a broken source would make SQLite refuse the whole row)."""
    return replace(
        inp,
        **{f: clean_line(getattr(inp, f)) for f in _LINE_FIELDS},
        **{f: clean_text(getattr(inp, f)) for f in _TEXT_FIELDS},
        agenda=[clean_text(x) for x in inp.agenda],
        speeches=[replace(x, speaker=clean_line(x.speaker), section=clean_line(x.section), text=clean_text(x.text))
                  for x in inp.speeches],
        motions=[replace(x, title=clean_text(x.title)) for x in inp.motions],
        attendance=[replace(x, name=clean_line(x.name), reason=clean_line(x.reason)) for x in inp.attendance],
        guests=[replace(x, name=clean_line(x.name), title=clean_line(x.title)) for x in inp.guests],
    )


def input_to_json(inp: MeetingInput) -> str:
    d = asdict(cleaned_input(inp))
    return json.dumps({k: _plain(v) for k, v in d.items()}, ensure_ascii=False)


def input_from_json(payload: str) -> MeetingInput:
    d = json.loads(payload)
    d["speeches"] = [SpeechData(**x) for x in d.get("speeches", [])]
    d["motions"] = [MotionData(**x) for x in d.get("motions", [])]
    d["attendance"] = [AttendanceData(**x) for x in d.get("attendance", [])]
    d["guests"] = [GuestData(**x) for x in d.get("guests", [])]
    known = MeetingInput.__dataclass_fields__
    inp = MeetingInput(**{k: v for k, v in d.items() if k in known})
    if isinstance(inp.date, str):
        try:
            inp.date = date.fromisoformat(inp.date)
        except ValueError:
            pass
    for f in ("start_time", "end_time"):
        v = getattr(inp, f)
        if isinstance(v, str):
            try:
                setattr(inp, f, time.fromisoformat(v))
            except ValueError:
                pass
    return inp


def save_draft(ledger, inp: MeetingInput, draft_id: str | None = None) -> str:
    """Write (or rewrite) the autosave of an editor; returns the draft id."""
    payload = input_to_json(inp)
    with ledger.write() as s:
        row = s.get(MeetingDraft, draft_id) if draft_id else None
        if row is None:
            row = MeetingDraft(saved_at=utcnow())
            s.add(row)
        row.meeting_id = inp.id
        row.branch_id = inp.branch_id or None
        row.saved_at = utcnow()
        row.payload = payload
        row.deleted_at = None
        s.flush()
        return row.id


def discard_draft(ledger, draft_id: str | None) -> None:
    """Tombstone an autosave once its edits are saved or deliberately thrown away."""
    if not draft_id:
        return
    with ledger.write() as s:
        row = s.get(MeetingDraft, draft_id)
        if row is not None and row.deleted_at is None:
            row.tombstone()


def list_drafts(ledger) -> list[DraftInfo]:
    """Autosaves left behind (by a crash or a killed program), newest first."""
    with ledger.read() as s:
        out: list[DraftInfo] = []
        for row in s.execute(live(MeetingDraft).order_by(MeetingDraft.saved_at.desc())).scalars():
            try:
                inp = input_from_json(row.payload)
            except (ValueError, TypeError, KeyError):
                continue
            branch = s.get(Branch, row.branch_id) if row.branch_id else None
            when = inp.date.isoformat() if isinstance(inp.date, date) else str(inp.date)
            label = f"{branch.name if branch else ''} {when} {inp.kind} {inp.title}".strip()
            if row.meeting_id and (m := s.get(Meeting, row.meeting_id)) is not None and m.deleted_at is not None:
                continue
            out.append(DraftInfo(row.id, row.meeting_id, row.branch_id, row.saved_at, label))
        return out


def load_draft(ledger, draft_id: str) -> MeetingInput:
    with ledger.read() as s:
        row = s.get(MeetingDraft, draft_id)
        if row is None:
            raise KeyError(draft_id)
        return input_from_json(row.payload)
