"""Two people changing the same ledger setting (a server ledger): compare-and-set on the value.

Settings are key/value rows (``setting``, JSON text), read and written as a whole page of values, so
an editor remembers the *value* it showed, not a row version (a setting not stored yet has no row
to carry one). Saving locks the setting rows and the committee row (``SELECT … FOR UPDATE``; the
committee row makes two first saves of a key wait for each other) and then reads the stored value
again in the same transaction: if another program stored a different one since it was shown, the
save raises :class:`~desktop.domain.errors.RecordConflict` naming who and when, and nothing is
written. A file has one writer at a time anyway; the check is the same. The 议题模板 (rows keyed
by meeting kind) are guarded the same way: ``key=AgendaTemplate.kind``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.errors import RecordConflict
from desktop.store.models import Committee, Setting

from .conflicts import last_change


def lock_settings(session: Session, keys: Iterable[str], key=Setting.key) -> None:
    """Hold the committee row and the rows of ``keys`` (values of the column ``key``) until the
    transaction ends (a server); what is read after this is what another program committed before,
    never a value it may still change."""
    session.execute(select(Committee.id).where(Committee.deleted_at.is_(None)).with_for_update())
    session.execute(select(key.class_.id).where(key.in_(list(keys))).with_for_update())


def changed_meanwhile(session: Session, value: str, label: str, *, committee: bool = False,
                      key=Setting.key) -> RecordConflict:
    """The conflict for the row whose column ``key`` is ``value`` (shown as ``label``), stored by
    someone else since it was shown: who and when from the change history of its row
    (``committee``: or of the committee row, where the value is mirrored, whichever changed last)."""
    ids = list(session.scalars(select(key.class_.id).where(key == value)))
    if committee:
        ids += list(session.scalars(select(Committee.id).where(Committee.deleted_at.is_(None))))
    best = ("其他用户", None)
    for record_id in ids:
        who, when = last_change(session, record_id)
        if when is not None and (best[1] is None or when > best[1]):
            best = (who, when)
    return RecordConflict(label, best[0], best[1], ids[0] if ids else "")
