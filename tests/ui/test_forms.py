"""Every forms/*.ui loads with QUiLoader, and every widget the code looks up is in its form.

One source of truth: the code. The expected widgets are read from desktop/ui itself (the object
names passed to ``child()``, ``self.w()``, ``findChild()`` and in ``FIELD_KEYS``), each checked
against the form(s) of the class that looks it up (``form_name``, ``load_form("...")``, the
classes it builds or inherits from, the mixins of a class with a form). A renamed widget in a .ui
file, or a typo in the code, fails here instead of when a secretary opens the dialog.
"""

from __future__ import annotations

import ast
import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6 import QtWidgets
from PySide6.QtWidgets import QLabel, QWidget

from desktop.ui.forms import custom_widgets, form_names, load_form
from desktop.ui.resources import forms_dir

UI_PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "ui"


def form_objects(name: str) -> set[str]:
    tree = ET.parse(forms_dir() / f"{name}.ui")
    return {e.get("name") for e in tree.iter() if e.tag in ("widget", "action", "layout") and e.get("name")}


def form_root_class(name: str) -> type:
    cls = ET.parse(forms_dir() / f"{name}.ui").getroot().find("widget").get("class")
    custom = {c.__name__: c for c in custom_widgets()}
    return custom.get(cls) or getattr(QtWidgets, cls)


@dataclass
class CodeScan:
    forms: dict[str, set[str]] = field(default_factory=dict)  # class ("module:Class") → forms it loads
    bases: dict[str, list[str]] = field(default_factory=dict)
    builds: dict[str, set[str]] = field(default_factory=dict)  # class → names it calls (classes it builds)
    lookups: list[tuple[str, str | None, str, int]] = field(default_factory=list)  # module, class, name, line
    created: set[str] = field(default_factory=set)  # object names set in code (setObjectName)
    _memo: dict[str, set[str]] = field(default_factory=dict)

    def forms_of(self, key: str, seen: frozenset = frozenset()) -> set[str]:
        """The forms a class works on: its own, those of the classes it builds and its bases,
        and those of the classes that use it as a mixin."""
        if not seen and key in self._memo:
            return self._memo[key]
        out = self._forms_of(key, seen)
        if not seen:
            self._memo[key] = out
        return out

    def _forms_of(self, key: str, seen: frozenset) -> set[str]:
        if key in seen:
            return set()
        seen = seen | {key}
        out = set(self.forms.get(key, ()))
        short = key.split(":")[1]
        for name in (*self.bases.get(key, ()), *self.builds.get(key, ())):
            for other in self._by_short(name):
                out |= self.forms_of(other, seen) if name in self.bases.get(key, ()) else set(self.forms.get(other, ()))
        for other, bases in self.bases.items():
            if short in bases:
                out |= self.forms_of(other, seen)
        return out

    def _by_short(self, name: str) -> list[str]:
        return [k for k in self.forms if k.split(":")[1] == name]


def _text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def scan_source(module: str, source: str, scan: CodeScan) -> None:
    stack: list[str] = []

    def visit(node) -> None:
        if isinstance(node, ast.ClassDef):
            key = f"{module}:{node.name}"
            scan.bases[key] = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            scan.forms.setdefault(key, set())
            for stmt in node.body:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
                names = {getattr(t, "id", "") for t in targets}
                if "form_name" in names and _text(stmt.value):
                    scan.forms[key].add(_text(stmt.value))
                if "FIELD_KEYS" in names and isinstance(stmt.value, ast.Dict):
                    for value in stmt.value.values:
                        for e in getattr(value, "elts", ()):
                            if _text(e):
                                scan.lookups.append((module, key, _text(e), stmt.lineno))
            stack.append(key)
            for child in ast.iter_child_nodes(node):
                visit(child)
            stack.pop()
            return
        if isinstance(node, ast.Call):
            func, args = node.func, node.args
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            current = stack[-1] if stack else None
            if name == "load_form" and args and _text(args[0]):
                scan.forms.setdefault(current or f"{module}:", set()).add(_text(args[0]))
            looked_up = (_text(args[2]) if name == "child" and len(args) == 3 else
                         _text(args[1]) if name in ("w", "findChild") and len(args) == 2 else None)
            if looked_up:
                scan.lookups.append((module, current, looked_up, node.lineno))
            if name == "setObjectName" and args and _text(args[0]):
                scan.created.add(_text(args[0]))
            if isinstance(func, ast.Name) and current:
                scan.builds.setdefault(current, set()).add(func.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))


def missing_lookups(scan: CodeScan, objects: dict[str, set[str]]) -> list[str]:
    out = []
    for module, cls, name, line in scan.lookups:
        if name in scan.created:
            continue
        forms = scan.forms_of(cls) if cls else set()
        forms = forms or scan.forms.get(f"{module}:", set()) or set(objects)  # a helper of no one form: any form
        if not any(name in objects[f] for f in forms if f in objects):
            out.append(f"{module}:{line} looks up '{name}', not in {sorted(forms)[:4]}")
    return out


@functools.cache
def _scan_ui() -> CodeScan:
    scan = CodeScan()
    for path in sorted(UI_PACKAGE.rglob("*.py")):
        scan_source(str(path.relative_to(UI_PACKAGE.parents[1])), path.read_text(encoding="utf-8"), scan)
    return scan


@pytest.fixture(scope="module")
def objects() -> dict[str, set[str]]:
    return {name: form_objects(name) for name in form_names()}


def test_every_widget_the_code_looks_up_is_in_its_form(objects):
    scan = _scan_ui()
    assert len(scan.lookups) > 300  # the scan sees the code
    assert not missing_lookups(scan, objects)


def test_every_form_is_used_by_the_code(objects):
    scan = _scan_ui()
    used = {f for forms in scan.forms.values() for f in forms}
    assert set(objects) - used == set(), "forms no code loads"
    assert used - set(objects) == set(), "code loads forms that do not exist"


def test_the_check_catches_a_renamed_widget(objects):
    source = '''
class Editor(FormDialog):
    form_name = "member_status"
    FIELD_KEYS = {"状态": ("", "statusCombo"), "变动日期": ("err_when", "dateEdit")}

    def fill(self):
        self.w(QComboBox, "statusCombo")
        child(self.dialog, QLineEdit, "dateEditt")

class Part:
    def more(self):
        self.w(QLabel, "hintLabel")
        self.w(QLabel, "nowhere")

class Page(Part, QWidget):
    def __init__(self):
        self.form = load_form("member_status", self)
'''
    scan = CodeScan()
    scan_source("probe.py", source, scan)
    found = missing_lookups(scan, objects)
    assert [m.split("'")[1] for m in found] == ["err_when", "dateEditt", "nowhere"], found


@pytest.mark.parametrize("name", form_names())
def test_form_loads(qapp, name):
    widget = load_form(name)
    try:
        assert widget is not None and widget.objectName()
        cls = form_root_class(name)
        assert isinstance(widget, cls), f"{name}: root is {type(widget).__name__}, the .ui says {cls.__name__}"
        missing = [n for n in form_objects(name) - {widget.objectName()}
                   if widget.findChild(QWidget, n) is None and widget.findChild(object, n) is None]
        assert not missing, f"{name}: QUiLoader did not build {missing}"
    finally:
        widget.deleteLater()


@pytest.mark.parametrize("name", form_names())
def test_form_fits_small_screen(qapp, name):
    """Every dialog and page of the shell fits a 1366×768 screen (minus task bar and window frame)."""
    widget = load_form(name)
    try:
        for label in widget.findChildren(QLabel):
            if label.property("role") == "error":
                label.hide()  # error labels show only next to a field in error (desktop/ui/formdialog.py)
        hint = widget.minimumSizeHint()
        assert hint.width() <= 1366 - 180 and hint.height() <= 768 - 90, f"{name}: {hint}"
    finally:
        widget.deleteLater()
