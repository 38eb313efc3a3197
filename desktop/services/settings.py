"""Ledger settings: kept in the ledger file (table ``setting``, JSON values), so they travel
with the file between PCs. Window geometry and recent files are per PC (QSettings, UI layer).

Keys:
- ``unit_name``: the unit printed on covers and headers (also mirrored to Committee.unit_name);
- ``fonts``: {role: family name or font file path} overrides for printing
  (roles: desktop.documents.fonts.ROLES); missing role = automatic choice;
- ``reminder_days``: 整改措施 due within this many days are listed on 首页 (default 14);
- ``soon_days``: a required meeting still missing this many days before its period ends is
  flagged on 首页 as urgent (default 7);
- ``lecture_frequency`` / ``lecture_custom_per_year``: the 党课 default for new branches;
- ``backup_interval_minutes``: an automatic backup after this many minutes of changes;
  ``backup_keep_last`` / ``backup_keep_daily`` / ``backup_keep_monthly``: what rotation keeps
  (desktop.store.backups.Retention);
- ``print_reopen_note``: printed minutes of a record reopened after 定稿 carry
  「本记录于…重新编辑，原因：…」 (default on).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import select

from desktop.domain.enums import LectureFrequency
from desktop.domain.errors import ErrorCollector
from desktop.domain.text import clean_line
from desktop.store.models import Committee, Setting
from desktop.store.queries import live

from .organization import reading
from .setting_guard import changed_meanwhile, lock_settings

DEFAULT_REMINDER_DAYS = 14
DEFAULT_SOON_DAYS = 7


@dataclass(frozen=True)
class LedgerSettings:
    unit_name: str = ""
    fonts: dict[str, str] = field(default_factory=dict)
    reminder_days: int = DEFAULT_REMINDER_DAYS
    soon_days: int = DEFAULT_SOON_DAYS
    lecture_frequency: str = LectureFrequency.QUARTER
    lecture_custom_per_year: int | None = None
    backup_interval_minutes: int = 10
    backup_keep_last: int = 10
    backup_keep_daily: int = 14
    backup_keep_monthly: int = 12
    print_reopen_note: bool = True


_KEYS = tuple(f.name for f in fields(LedgerSettings))
LABELS = {  # what a conflict names (the 设置 page's labels)
    "unit_name": "单位名称", "fonts": "打印字体", "reminder_days": "整改提醒天数", "soon_days": "会议提醒天数",
    "lecture_frequency": "党课频次", "lecture_custom_per_year": "党课频次", "backup_interval_minutes": "自动备份间隔",
    "backup_keep_last": "保留最近备份", "backup_keep_daily": "按天保留备份", "backup_keep_monthly": "按月保留备份",
    "print_reopen_note": "打印重新编辑说明",
}


def get_settings(source: Any) -> LedgerSettings:
    """Read settings from a Ledger or Session; unknown or broken values fall back to defaults."""
    with reading(source) as s:
        raw: dict[str, Any] = {}
        for row in s.scalars(live(Setting).where(Setting.key.in_(_KEYS))):
            try:
                raw[row.key] = json.loads(row.value)
            except (TypeError, ValueError):
                continue
        committee = s.scalars(live(Committee)).first()
        committee_unit = committee.unit_name if committee is not None else ""
    base = LedgerSettings()
    unit = raw.get("unit_name")
    if not isinstance(unit, str) or not unit:
        unit = committee_unit
    fonts = raw.get("fonts")
    fonts = {str(k): str(v) for k, v in fonts.items() if v} if isinstance(fonts, dict) else {}

    def _int(key: str, default: int | None, lo: int, hi: int) -> int | None:
        value = raw.get(key, default)
        return value if isinstance(value, int) and lo <= value <= hi else default

    freq = raw.get("lecture_frequency", base.lecture_frequency)
    if freq not in {f.value for f in LectureFrequency}:
        freq = base.lecture_frequency
    return LedgerSettings(
        unit_name=unit,
        fonts=fonts,
        reminder_days=_int("reminder_days", DEFAULT_REMINDER_DAYS, 1, 365),
        soon_days=_int("soon_days", DEFAULT_SOON_DAYS, 0, 31),
        lecture_frequency=freq,
        lecture_custom_per_year=_int("lecture_custom_per_year", None, 1, 24),
        backup_interval_minutes=_int("backup_interval_minutes", base.backup_interval_minutes, 1, 1440),
        backup_keep_last=_int("backup_keep_last", base.backup_keep_last, 1, 1000),
        backup_keep_daily=_int("backup_keep_daily", base.backup_keep_daily, 0, 366),
        backup_keep_monthly=_int("backup_keep_monthly", base.backup_keep_monthly, 0, 120),
        print_reopen_note=raw.get("print_reopen_note", True) is not False,
    )


def _values(settings: LedgerSettings) -> dict:
    """The stored form of each setting."""
    return {
        "unit_name": clean_line(settings.unit_name),
        "fonts": {k: clean_line(v) for k, v in settings.fonts.items() if clean_line(v)},
        "reminder_days": int(settings.reminder_days),
        "soon_days": int(settings.soon_days),
        "lecture_frequency": str(settings.lecture_frequency),
        "lecture_custom_per_year": settings.lecture_custom_per_year
        if settings.lecture_frequency == LectureFrequency.CUSTOM else None,
        "backup_interval_minutes": int(settings.backup_interval_minutes),
        "backup_keep_last": int(settings.backup_keep_last),
        "backup_keep_daily": int(settings.backup_keep_daily),
        "backup_keep_monthly": int(settings.backup_keep_monthly),
        "print_reopen_note": bool(settings.print_reopen_note),
    }


def save_settings(ledger, settings: LedgerSettings, shown: LedgerSettings | None = None) -> None:
    """Store ``settings``. ``shown``: what the 设置 page showed when it was loaded; then only what
    the user changed is written, a setting another program changed meanwhile (a server ledger)
    keeps its value, and one the user changed too is a RecordConflict (desktop.services.setting_guard:
    the stored value compared with ``shown`` under a row lock), nothing written. 另存为新版本:
    save again with :func:`seen_now`."""
    errs = ErrorCollector()
    if not 1 <= settings.reminder_days <= 365:
        errs.add("整改提醒天数", "应在1–365天之间")
    if not 0 <= settings.soon_days <= 31:
        errs.add("会议提醒天数", "应在0–31天之间")
    if settings.lecture_frequency not in {f.value for f in LectureFrequency}:
        errs.add("党课频次", f"“{settings.lecture_frequency}”不是可选的频次")
    if settings.lecture_frequency == LectureFrequency.CUSTOM and not (settings.lecture_custom_per_year or 0) >= 1:
        errs.add("党课频次", "自定义时请填写每年次数（1–24）")
    for label, value, lo, hi in (
        ("自动备份间隔", settings.backup_interval_minutes, 1, 1440),
        ("保留最近备份", settings.backup_keep_last, 1, 1000),
        ("按天保留备份", settings.backup_keep_daily, 0, 366),
        ("按月保留备份", settings.backup_keep_monthly, 0, 120),
    ):
        if not (isinstance(value, int) and lo <= value <= hi):
            errs.add(label, f"应在{lo}–{hi}之间")
    errs.raise_if_any()
    values = _values(settings)
    if shown is not None:  # only what the page changed (the same rule as its 「尚未保存」)
        before = _values(shown)
        values = {k: values[k] for k in changed_settings(shown, settings)}
    with ledger.write() as s:
        if shown is not None and values:
            lock_settings(s, values)
            stored = _values(get_settings(s))
            for key in values:  # theirs since the page showed it, unless they stored what we would
                if stored[key] != before[key] and stored[key] != values[key]:
                    raise changed_meanwhile(s, key, LABELS[key], committee=key == "unit_name")
        # keys are unique, tombstoned rows included: revive instead of inserting twice
        existing = {row.key: row for row in s.scalars(select(Setting).where(Setting.key.in_(_KEYS)))}
        for key, value in values.items():
            text = json.dumps(value, ensure_ascii=False)
            row = existing.get(key)
            if row is None:
                s.add(Setting(key=key, value=text))
            else:
                if row.deleted_at is not None:
                    row.restore()
                if row.value != text:
                    row.value = text
        committee = s.scalars(live(Committee)).first()
        if committee is not None and "unit_name" in values and committee.unit_name != values["unit_name"]:
            committee.unit_name = values["unit_name"]


def seen_now(ledger, settings: LedgerSettings, shown: LedgerSettings) -> LedgerSettings:
    """另存为新版本 after a conflict: what the page showed, with the settings its user changed taken
    as stored now, so saving ``settings`` from it writes the user's changes on top of theirs (and
    asks again only about a change made after this)."""
    return with_keys(shown, get_settings(ledger), changed_settings(shown, settings))


def changed_settings(before: LedgerSettings, after: LedgerSettings) -> set[str]:
    """The settings (field names) ``after`` changes from ``before``, as stored; 党课频次 and its
    custom count go together."""
    old, new = _values(before), _values(after)
    keys = {k for k in _KEYS if old[k] != new[k]}
    if keys & {"lecture_frequency", "lecture_custom_per_year"}:
        keys |= {"lecture_frequency", "lecture_custom_per_year"}
    return keys


def with_keys(base: LedgerSettings, source: LedgerSettings, keys: set[str]) -> LedgerSettings:
    """``base`` with the settings ``keys`` taken from ``source``."""
    return replace(base, **{k: getattr(source, k) for k in keys})
