"""Photos and scans (e.g. the signed sign-in sheet) stored inside the ledger, so they travel with it."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from sqlalchemy import func, select

from desktop.domain.enums import MeetingState
from desktop.domain.errors import DomainValidationError
from desktop.domain.text import clean_line
from desktop.store.ledger import open_ledger_at
from desktop.store.models import Attachment
from desktop.store.queries import live

from .data import MAX_ATTACHMENT_BYTES, AttachmentInfo
from .listing import _meeting


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def add_attachment(ledger, meeting_id: str, path: Path | str, caption: str = "") -> AttachmentInfo:
    """Copy the file into the ledger (at most 10 MB). The record must be a saved draft."""
    path = Path(path)
    if open_ledger_at(path) is not None:
        # reading an open ledger's file with plain open()/close() would drop SQLite's lock on it
        raise DomainValidationError("附件", f"{path.name} 是正在使用的台账文件，不能作为附件")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DomainValidationError("附件", f"无法读取文件 {path.name}：{exc.strerror or exc}") from None
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainValidationError(
            "附件", f"{path.name} 有 {_mb(size)}，超过单个附件 {_mb(MAX_ATTACHMENT_BYTES)} 的上限；"
            "照片请先压缩或缩小后再添加")
    if size == 0:
        raise DomainValidationError("附件", f"{path.name} 是空文件")
    data = path.read_bytes()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    with ledger.write() as s:
        m = _meeting(s, meeting_id)
        if m.state == MeetingState.FINAL:
            raise DomainValidationError("附件", "该记录已定稿，需先重新打开才能添加附件")
        seq = s.execute(select(func.coalesce(func.max(Attachment.seq), -1)).where(Attachment.meeting_id == m.id)).scalar()
        a = Attachment(meeting_id=m.id, seq=seq + 1, filename=clean_line(path.name)[:260], mime=mime,
                       size=len(data), data=data, caption=clean_line(caption))
        s.add(a)
        s.flush()
        return AttachmentInfo(a.id, a.filename, a.mime, a.size, a.caption)


def attachment_data(ledger, attachment_id: str) -> bytes:
    with ledger.read() as s:
        a = s.execute(live(Attachment).where(Attachment.id == attachment_id)).scalar_one_or_none()
        if a is None:
            raise DomainValidationError("附件", "该附件不存在或已删除")
        return a.data


def save_attachment_as(ledger, attachment_id: str, dest: Path | str) -> Path:
    """Write an attachment out to a file (temp file, then renamed: never half-written)."""
    dest = Path(dest)
    data = attachment_data(ledger, attachment_id)
    tmp = dest.with_name(dest.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return dest


def remove_attachment(ledger, attachment_id: str) -> None:
    with ledger.write() as s:
        a = s.execute(live(Attachment).where(Attachment.id == attachment_id)).scalar_one_or_none()
        if a is None:
            return
        if _meeting(s, a.meeting_id).state == MeetingState.FINAL:
            raise DomainValidationError("附件", "该记录已定稿，需先重新打开才能删除附件")
        a.tombstone()
