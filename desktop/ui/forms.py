"""The one helper that loads Qt Designer forms (``forms/*.ui``) with QUiLoader."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from .resources import forms_dir


class FormError(RuntimeError):
    pass


def form_names() -> list[str]:
    return sorted(p.stem for p in forms_dir().glob("*.ui"))


def custom_widgets() -> tuple[type, ...]:
    """Our widget classes that forms name (``<customwidgets>`` in the .ui files)."""
    from .datefield import DateField

    return (DateField,)


def load_form(name: str, parent: QWidget | None = None, *, require: tuple[str, ...] = ()) -> QWidget:
    """Load ``forms/<name>.ui``; check that every object name in ``require`` exists.

    Child widgets are reached with ``widget.findChild(QType, "objectName")`` or :func:`child`.
    """
    path = forms_dir() / f"{name}.ui"
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"cannot open form {path}: {file.errorString()}")
    try:
        loader = QUiLoader()
        for cls in custom_widgets():
            loader.registerCustomWidget(cls)
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise FormError(f"cannot load form {path}: {loader.errorString()}")
    missing = [n for n in require if widget.findChild(QWidget, n) is None and widget.findChild(object, n) is None]
    if missing:
        raise FormError(f"form {name} lacks widgets: {', '.join(missing)}")
    return widget


def child(widget: QWidget, cls: type, name: str):
    """``widget.findChild(cls, name)`` that raises instead of returning None."""
    found = widget.findChild(cls, name)
    if found is None:
        raise FormError(f"{widget.objectName() or type(widget).__name__} has no {cls.__name__} '{name}'")
    return found
