"""A page's inline edit fields (组织's 党组织名称 / 单位名称 …) kept across a refresh that another
program's save causes (server polling → ``dataChanged``): the lists refresh, a field the user is
typing in keeps the typing, a field left alone shows what is stored now.

Each field remembers the value it showed (``shown``), which is what its page's save is based on: a
field whose stored value moved while the user typed keeps the old ``shown``, so the page keeps the
record version it had and its save asks 「该记录已被 <谁> 于 <时间> 修改」 instead of overwriting.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


class KeptEdits:
    def __init__(self, fields: dict[str, QLineEdit]):
        self.fields = fields
        self.shown: dict[str, str] = dict.fromkeys(fields, "")

    def typed(self, key: str) -> bool:
        """The user changed ``key`` since it was shown (and has not saved it)."""
        return self.fields[key].text() != self.shown[key]

    def show(self, stored: dict[str, str], keep_typing: bool = False) -> bool:
        """Show ``stored`` (key → value). ``keep_typing``: a field the user typed in keeps its text
        (unless it is what is stored now). Returns True when every kept field is still based on what
        is stored (nobody changed it meanwhile): the page may take the record's current version."""
        current = True
        for key, edit in self.fields.items():
            value, text = stored[key], edit.text()
            if keep_typing and self.typed(key) and text != value:
                current = current and value == self.shown[key]
                continue
            self.shown[key] = value
            if text != value:
                edit.setText(value)
        return current
