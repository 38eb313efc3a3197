"""帮助 › 使用说明 (F1): the user guide in Chinese (resources/guide.html), shown inside the program;
on the first start it opens at 「第一次使用：先做什么」."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QWidget

from ..forms import child, load_form
from ..resources import resource_path

SECTIONS = ("first", "monthly", "inspection", "carry", "keys")
FIRST_START_KEY = "guide/firstStartShown"


def guide_html() -> str:
    return resource_path("guide.html").read_text(encoding="utf-8")


class UserGuideDialog:
    def __init__(self, parent: QWidget | None = None, section: str | None = None):
        self.dialog = load_form("user_guide", parent)
        self.text: QTextBrowser = child(self.dialog, QTextBrowser, "guideText")
        self.text.setHtml(guide_html())
        box = child(self.dialog, QDialogButtonBox, "buttonBox")
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.dialog.reject)
        if section:
            self.text.scrollToAnchor(section)

    def exec(self) -> int:
        return self.dialog.exec()


def show_on_first_start(parent: QWidget, settings) -> bool:
    """Open the guide at 「先做什么」 once per PC; True when it was shown now."""
    if settings.value(FIRST_START_KEY, False, type=bool):
        return False
    settings.setValue(FIRST_START_KEY, True)
    UserGuideDialog(parent, "first").exec()
    return True
