"""议题模板: the agenda a new meeting of each kind starts from, stored per kind, committee-wide
(on a server only the owner may change them). Saving guards against another user's save since the
dialog showed the templates: compare-and-set on the items, as desktop.services.setting_guard does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.meeting_kinds import find_spec, kind_spec
from desktop.domain.text import clean_line
from desktop.store.models import AgendaTemplate
from desktop.store.queries import live

from ..setting_guard import changed_meanwhile, lock_settings


def get_agenda_template(ledger, kind: str) -> list[str]:
    """The agenda a new meeting of ``kind`` starts from: the stored template, else the default."""
    with ledger.read() as s:
        return _template(s, kind)


def _template(s: Session, kind: str) -> list[str]:
    row = s.execute(live(AgendaTemplate).where(AgendaTemplate.kind == kind)).scalar_one_or_none()
    if row is not None:
        return [x for x in row.items.split("\n") if x.strip()]
    spec = find_spec(kind)
    return list(spec.default_agenda) if spec else []


def template_lines(items: Sequence[str]) -> list[str]:
    """The items as stored: each line cleaned, blank lines dropped."""
    return [x for x in (clean_line(i) for i in items) if x]


def save_agenda_template(ledger, kind: str, items: Sequence[str], shown: Sequence[str] | None = None) -> None:
    """Store the secretary's own agenda template for ``kind`` (one item per entry); ``shown``: the
    items the editor showed (see :func:`save_agenda_templates`)."""
    save_agenda_templates(ledger, {kind: items}, None if shown is None else {kind: shown})


def save_agenda_templates(ledger, templates: Mapping[str, Sequence[str]],
                          shown: Mapping[str, Sequence[str]] | None = None) -> None:
    """Store the agenda templates of several kinds in one transaction. ``shown``: what the 议题模板
    dialog showed of each kind when it was loaded; then only the kinds the user changed are
    written, and a kind another program stored differently since (a server ledger) is a
    RecordConflict naming who and when — compare-and-set under a row lock as
    desktop.services.setting_guard does (a template not stored yet has no row to carry a version) —
    and nothing is written. 另存为新版本: save again with ``shown`` = the stored items."""
    wanted = {kind: template_lines(items) for kind, items in templates.items()}
    for kind in wanted:
        kind_spec(kind)
    if shown is not None:
        wanted = {k: v for k, v in wanted.items() if v != template_lines(shown.get(k, ()))}
    if not wanted:
        return
    with ledger.write() as s:
        if shown is not None:
            lock_settings(s, wanted, key=AgendaTemplate.kind)
            for kind, lines in wanted.items():
                stored = _template(s, kind)
                if stored != template_lines(shown.get(kind, ())) and stored != lines:
                    raise changed_meanwhile(s, kind, f"议题模板（{kind}）", key=AgendaTemplate.kind)
        for kind, lines in wanted.items():
            row = s.execute(select(AgendaTemplate).where(AgendaTemplate.kind == kind)).scalar_one_or_none()
            if row is None:
                s.add(AgendaTemplate(kind=kind, items="\n".join(lines)))
            else:
                row.items = "\n".join(lines)
                row.restore()
