"""DateField: the one date box of every form.

A line edit that takes a whole date as typed (``2027-06-30``, ``2027/6/30``, ``2027.6.30``,
``20270630``, ``2027年6月30日`` — the rule is ``domain.dates.parse_date``), says inside the box
what it understood (``→ 2027-06-30 周三`` while typing, ``周三`` once written in the standard
form, ``无法识别`` in red) and writes the standard form back when the user leaves the box. A
calendar button opens a month calendar. It replaces QDateEdit, whose section editing kept the
old year when the whole text was selected and retyped, and ignored ``20261112``.

API shared with QDateEdit where forms used it: ``date()``/``setDate()`` (QDate; an invalid QDate
while the text is blank or unreadable) and ``dateChanged(QDate)``, emitted when a new date is
settled (leaving the box, Enter, a calendar click, ``setDate``), not on every keystroke. Forms
read ``checked_date(field)``, which raises the same ``DomainValidationError`` the services raise.
Dialogs that keep dates as text (member editor) go on using ``text()``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from desktop.domain.dates import parse_date
from desktop.domain.errors import DomainValidationError

WEEKDAYS = "一二三四五六日"
STANDARD = "%Y-%m-%d"


def understood(text: str) -> tuple[date | None, str]:
    """(the date ``text`` means or None, what the box shows about it)."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        d = parse_date(text, "日期")
    except DomainValidationError:
        return None, "无法识别"
    weekday = f"周{WEEKDAYS[d.weekday()]}"
    if text == d.strftime(STANDARD):
        return d, weekday
    return d, f"→ {d:%Y-%m-%d} {weekday}"


def _calendar_icon() -> QIcon:
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setPen(QColor("#5d1a1a"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(2, 3, 12, 3, QColor("#8e1b1b"))
    for x in (4, 7, 10):
        for y in (8, 11):
            p.drawPoint(x, y)
    p.end()
    return QIcon(pix)


class DateField(QLineEdit):
    """A date typed in full, with what was understood shown inside the box."""

    dateChanged = Signal(QDate)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._settled: date | None = None
        self._hint = ""
        self.setPlaceholderText("如 2027-06-30")
        self.setToolTip("可输入 2027-06-30、2027/6/30、2027.6.30、20270630 或 2027年6月30日")
        self.calendar_action = QAction(_calendar_icon(), "选择日期", self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None
        self.textChanged.connect(self._update_hint)
        self.editingFinished.connect(self._settle)

    # ------------------------------------------------------------------ values
    def value(self) -> date | None:
        """The date the text means now, or None (blank or unreadable)."""
        return understood(self.text())[0]

    def date(self) -> QDate:
        d = self.value()
        return QDate(d.year, d.month, d.day) if d else QDate()

    def checked_date(self, field: str = "日期") -> date:
        """The date typed, or DomainValidationError(field, why not) like the services."""
        return parse_date(self.text(), field)

    def setDate(self, value: QDate | date | None) -> None:  # noqa: N802 - QDateEdit's name
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day()) if value.isValid() else None
        self.setText(value.strftime(STANDARD) if value else "")
        self._settle()

    def hint(self) -> str:
        """What the box shows about its text (``周三``, ``→ 2027-06-30 周三``, ``无法识别``)."""
        return self._hint

    # ------------------------------------------------------------------ behaviour
    def _update_hint(self, text: str) -> None:
        self._hint = understood(text)[1]
        self.setProperty("invalid", self._hint == "无法识别")
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def _settle(self) -> None:
        d = self.value()
        if d is not None and self.text() != d.strftime(STANDARD):
            self.setText(d.strftime(STANDARD))  # show the standard form of what was understood
        if d != self._settled:
            self._settled = d
            self.dateChanged.emit(self.date())

    def show_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setGridVisible(True)
            self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
        current = self.date()
        self.calendar.setSelectedDate(current if current.isValid() else QDate.currentDate())
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self.setDate(day)
        self.setFocus()

    # ------------------------------------------------------------------ look
    def sizeHint(self):  # noqa: N802 - Qt override
        hint = super().sizeHint()
        fm = QFontMetrics(self.font())
        hint.setWidth(max(hint.width(), fm.horizontalAdvance("2027-06-30 → 2027-06-30 周三") + 40))
        return hint

    def minimumSizeHint(self):  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        fm = QFontMetrics(self.font())
        hint.setWidth(max(hint.width(), fm.horizontalAdvance("2027-06-30 周三") + 40))
        return hint

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._hint:
            return
        fm = QFontMetrics(self.font())
        text_end = self.cursorRect().left() if not self.text() else fm.horizontalAdvance(self.text()) + 8
        rect = self.rect().adjusted(text_end + 6, 0, -26, 0)
        if rect.width() < fm.horizontalAdvance(self._hint):
            if self._hint.startswith("→"):
                return  # no room: the standard form is written back when the user leaves the box
            rect = self.rect().adjusted(text_end + 6, 0, -26, 0)
        p = QPainter(self)
        p.setPen(QColor("#c62828") if self._hint == "无法识别" else QColor("#777777"))
        p.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), self._hint)
        p.end()
