"""设置: ledger settings (saved in the ledger file, desktop.services.settings) and which font
prints each role on this PC (desktop.documents.fonts; detected in the background)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.fonts import OFFICE_FONTS, ROLE_LABELS, ROLES
from desktop.domain.enums import LectureFrequency
from desktop.domain.errors import DomainValidationError, RecordConflict, ValidationErrors
from desktop.services.settings import (
    LedgerSettings,
    changed_settings,
    get_settings,
    save_settings,
    seen_now,
    with_keys,
)
from desktop.store.changes import ChangeEvent, RecordKind

from .. import conflicts
from ..context import AppContext
from ..errors import log_file, show_validation_error
from ..forms import child, load_form
from ..rights import committee_locked
from .base import Page

AUTO = "（自动选择）"


def describe_face(role: str, override: str, fset) -> tuple[str, bool]:
    """(text for the 实际使用 column, True when it is what was asked for)."""
    face = fset.roles.get(role)
    if face is None:
        return "无可用字体", False
    text = f"{face.family}（{Path(face.path).name}）"
    if not override:
        return text, True
    matched = override in face.family or Path(override).name == Path(face.path).name or override == face.path
    return (text if matched else f"未找到“{override}”，改用 {text}"), matched


class SettingsPage(Page):
    title = "设置"
    icon_name = "settings"
    write_buttons = ("generalBox", "saveButton")  # a read-only login sees the ledger's settings, changes none
    committee_buttons = write_buttons  # the settings are committee-wide: a secretary changes none either

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.form = load_form("settings", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)  # the page is taller than a 768-pixel screen allows
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        layout.addWidget(scroll)
        f = self.form
        self.unit: QLineEdit = child(f, QLineEdit, "unitNameEdit")
        self.lecture: QComboBox = child(f, QComboBox, "lectureCombo")
        self.lecture_spin: QSpinBox = child(f, QSpinBox, "lectureSpin")
        self.reminder_days: QSpinBox = child(f, QSpinBox, "reminderDaysSpin")
        self.soon_days: QSpinBox = child(f, QSpinBox, "soonDaysSpin")
        self.backup_spins: dict[str, QSpinBox] = {  # LedgerSettings field → spin box
            "backup_interval_minutes": child(f, QSpinBox, "backupIntervalSpin"),
            "backup_keep_last": child(f, QSpinBox, "backupKeepLastSpin"),
            "backup_keep_daily": child(f, QSpinBox, "backupKeepDailySpin"),
            "backup_keep_monthly": child(f, QSpinBox, "backupKeepMonthlySpin"),
        }
        self.fonts: QTableWidget = child(f, QTableWidget, "fontTable")
        self.status: QLabel = child(f, QLabel, "statusLabel")
        self.file_label: QLabel = child(f, QLabel, "fileLabel")
        self.log_label: QLabel = child(f, QLabel, "logDirLabel")
        self.loaded: LedgerSettings | None = None
        self.form.setEnabled(False)  # nothing to type into before the ledger's values are shown
        for freq in LectureFrequency:
            self.lecture.addItem(freq.value, freq.value)
        self.lecture.currentIndexChanged.connect(
            lambda: self.lecture_spin.setVisible(self.lecture.currentData() == LectureFrequency.CUSTOM))
        self._setup_font_table()
        from ..workcopy import settings_box

        f.layout().insertWidget(2, settings_box(f))  # per-PC: working copy for sticks and shares
        child(f, QPushButton, "saveButton").clicked.connect(self.save)
        child(f, QPushButton, "revertButton").clicked.connect(self.reload)
        child(f, QPushButton, "refreshFontsButton").clicked.connect(self.detect_fonts)
        child(f, QPushButton, "openLogDirButton").clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent))))
        self.log_label.setText(str(log_file().parent))

    def _setup_font_table(self) -> None:
        t = self.fonts
        t.setColumnCount(3)
        t.setHorizontalHeaderLabels(["用途", "指定字体（名称或文件路径）", "本机实际使用"])
        t.setRowCount(len(ROLES))
        t.verticalHeader().setVisible(False)
        header = t.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)
        header.setStretchLastSection(True)
        self.font_combos: dict[str, QComboBox] = {}
        for row, role in enumerate(ROLES):
            item = QTableWidgetItem(ROLE_LABELS.get(role, role))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            t.setItem(row, 0, item)
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItem(AUTO)
            for names, _files in OFFICE_FONTS.get(role, []):
                combo.addItem(names[0])
            self.font_combos[role] = combo
            t.setCellWidget(row, 1, combo)
            result = QTableWidgetItem("")
            result.setFlags(Qt.ItemFlag.ItemIsEnabled)
            t.setItem(row, 2, result)
        t.resizeRowsToContents()

    # ------------------------------------------------------------------ load / save
    def held_while_loading(self) -> list[QWidget]:
        return [self.form]

    def reload(self) -> None:
        ledger = self.ctx.ledger
        self.form.setEnabled(ledger is not None)
        for name in self.write_buttons:  # the whole form is disabled without a ledger
            self.form.findChild(QWidget, name).setEnabled(True)
        self.lock_writes()
        if ledger is None:
            self.file_label.setText("未打开台账")
            return
        self._show(get_settings(ledger))
        server = getattr(ledger, "is_server", False)
        # a server is backed up by its administrator (pg_dump): this PC's automatic backups and
        # working copy are about files
        for name in ("backupBox", "workingCopyBox"):
            self.form.findChild(QWidget, name).setVisible(not server)
        child(self.form, QGroupBox, "generalBox").setTitle(
            "台账设置（保存在服务器台账中，各支部共用）" if server else "台账设置（保存在台账文件中，随文件带走）")
        child(self.form, QGroupBox, "fileBox").setTitle("台账" if server else "文件")
        if not server:
            self._show_backup_folder(ledger)
        self.file_label.setText(ledger.description)
        self.status.setText("")
        self.detect_fonts()

    def _show(self, s: LedgerSettings, keep: set[str] = frozenset()) -> None:
        """Show ``s`` except the settings ``keep`` (unsaved edits: they stay as typed, and
        ``loaded`` keeps what they were based on, which the save compares with what is stored)."""
        self.loaded = with_keys(s, self.loaded, keep) if keep else s
        if "unit_name" not in keep:
            self.unit.setText(s.unit_name)
        if "lecture_frequency" not in keep:
            self.lecture.setCurrentIndex(max(0, self.lecture.findData(s.lecture_frequency)))
            self.lecture_spin.setValue(s.lecture_custom_per_year or 4)
            self.lecture_spin.setVisible(s.lecture_frequency == LectureFrequency.CUSTOM)
        for key, spin in {"reminder_days": self.reminder_days, "soon_days": self.soon_days, **self.backup_spins}.items():
            if key not in keep:
                spin.setValue(getattr(s, key))
        if "fonts" not in keep:
            for role, combo in self.font_combos.items():
                combo.setCurrentText(s.fonts.get(role, "") or AUTO)

    def on_data_changed(self, event: ChangeEvent) -> None:
        if not event.touches(RecordKind.SETTING, RecordKind.COMMITTEE) or self.ctx.ledger is None:
            return
        if not self.is_dirty():
            self.reload()
        else:  # another program's save: the other settings refresh, what the user is changing stays
            self._show(get_settings(self.ctx.ledger), keep=changed_settings(self.loaded, self.current()))

    def current(self) -> LedgerSettings:
        fonts = {role: combo.currentText().strip() for role, combo in self.font_combos.items()
                 if combo.currentText().strip() and combo.currentText().strip() != AUTO}
        custom = self.lecture.currentData() == LectureFrequency.CUSTOM
        return replace(self.loaded or LedgerSettings(),  # what the page does not show stays as loaded
                       unit_name=self.unit.text(), fonts=fonts, reminder_days=self.reminder_days.value(),
                       soon_days=self.soon_days.value(), lecture_frequency=self.lecture.currentData(),
                       lecture_custom_per_year=self.lecture_spin.value() if custom else None,
                       **{key: spin.value() for key, spin in self.backup_spins.items()})

    def _show_backup_folder(self, ledger) -> None:
        from desktop.services.backups import backup_folder
        from desktop.store.errors import LedgerFileError

        label = child(self.form, QLabel, "backupDirLabel")
        try:
            label.setText(str(backup_folder(ledger)))
        except LedgerFileError as exc:
            label.setText(exc.message)

    def is_dirty(self) -> bool:
        if (self.loaded is None or self.ctx.ledger is None or self.read_only
                or committee_locked(self.ctx.ledger)):  # a font picked, or none may be saved: nothing to save
            return False
        return bool(changed_settings(self.loaded, self.current()))

    def save(self) -> bool:
        if self.ctx.ledger is None:
            return False
        ours, shown = self.current(), self.loaded
        while True:
            try:
                save_settings(self.ctx.ledger, ours, shown=shown)  # only what was changed here
                break
            except RecordConflict as exc:  # the same setting saved by someone else since it was shown
                choice = conflicts.ask_conflict(self, exc)
                if choice == "save_new":  # ours on top of theirs; theirs stays in 修改历史
                    shown = seen_now(self.ctx.ledger, ours, shown)
                    continue
                if choice == "reload":
                    self.reload()
                    self.status.setText(conflicts.reloaded_text(exc))
                else:  # 取消: which setting it was, the typing stays
                    self.status.setText(f"{exc.field}：{exc.message}，设置未保存。")
                return False
            except (ValidationErrors, DomainValidationError) as exc:
                show_validation_error(self, exc)
                return False
        self.reload()  # what is stored now: ours, and what others changed meanwhile
        self.status.setText("设置已保存到服务器台账。" if getattr(self.ctx.ledger, "is_server", False)
                            else "设置已保存到台账文件。")
        return True

    def maybe_close(self) -> bool:
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, "设置尚未保存", "设置页有修改尚未保存。要保存吗？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.loaded = None
            return True
        return False

    # ------------------------------------------------------------------ fonts
    def detect_fonts(self) -> None:
        overrides = self.current().fonts
        for row in range(len(ROLES)):
            self.fonts.item(row, 2).setText("正在检测 …")

        def work(progress):
            from desktop.documents.fonts import resolve_fonts

            return resolve_fonts(overrides)

        self.ctx.tasks.run(work, on_done=lambda fset: self._show_fonts(overrides, fset),
                           on_error=lambda exc, tb: self._fonts_failed(exc))

    def _show_fonts(self, overrides: dict[str, str], fset) -> None:
        for row, role in enumerate(ROLES):
            text, ok = describe_face(role, overrides.get(role, ""), fset)
            item = self.fonts.item(row, 2)
            item.setText(text)
            item.setToolTip(fset.roles[role].path if role in fset.roles else "")
            item.setForeground(QBrush(QColor("#222222" if ok else "#b71c1c")))

    def _fonts_failed(self, exc: BaseException) -> None:
        for row in range(len(ROLES)):
            item = self.fonts.item(row, 2)
            item.setText("无可用字体")
            item.setForeground(QBrush(QColor("#b71c1c")))
            item.setToolTip(str(exc))
        self.status.setText(str(exc)[:200])
