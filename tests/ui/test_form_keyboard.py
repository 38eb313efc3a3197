"""Keyboard use of every form in forms/*.ui: each field label of a form layout has a buddy (the
field it names) and an Alt+letter mnemonic, mnemonics are unique within a form, and Tab moves
through the fields in the order they are shown (top to bottom)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.ui.forms import form_names, load_form

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QCheckBox, QAbstractItemView)
MNEMONIC = re.compile(r"&([^&])")


def _inputs_in(item) -> list[QWidget]:
    """Input widgets of a form-layout field (a widget or a nested layout), in layout order."""
    if item is None:
        return []
    w = item.widget()
    if w is not None:
        return [w] if isinstance(w, INPUTS) else [c for c in w.findChildren(QWidget) if isinstance(c, INPUTS)]
    lay = item.layout()
    out: list[QWidget] = []
    if isinstance(lay, QLayout):
        for i in range(lay.count()):
            out += _inputs_in(lay.itemAt(i))
    return out


def _form_rows(root: QWidget) -> list[tuple[QFormLayout, int, QLabel, list[QWidget]]]:
    rows = []
    for lay in root.findChildren(QFormLayout):
        for r in range(lay.rowCount()):
            label = lay.itemAt(r, QFormLayout.ItemRole.LabelRole)
            field = lay.itemAt(r, QFormLayout.ItemRole.FieldRole)
            if label is None or not isinstance(label.widget(), QLabel):
                continue
            inputs = _inputs_in(field)
            if inputs:
                rows.append((lay, r, label.widget(), inputs))
    return rows


def _focus_chain(root: QWidget) -> list[QWidget]:
    chain, w = [], root.nextInFocusChain()
    while w is not None and w is not root and len(chain) < 2000:
        chain.append(w)
        w = w.nextInFocusChain()
    return chain


def test_the_rule_finds_form_labels(qapp):
    """The checks below look at something: the dialogs have dozens of labelled fields."""
    total = 0
    for name in form_names():
        widget = load_form(name)
        total += len(_form_rows(widget))
        widget.deleteLater()
    assert total >= 80


@pytest.mark.parametrize("name", form_names())
def test_labels_have_buddies_and_mnemonics(qapp, name):
    widget = load_form(name)
    try:
        letters: dict[str, str] = {}
        for _lay, _r, label, inputs in _form_rows(widget):
            text = label.text()
            assert label.buddy() is not None, f"{name}: “{text}” has no buddy"
            assert label.buddy() in inputs, f"{name}: “{text}” is the buddy of {label.buddy().objectName()}"
            m = MNEMONIC.search(text)
            assert m, f"{name}: “{text}” has no Alt+letter"
            key = m.group(1).upper()
            assert key not in letters, f"{name}: Alt+{key} is used by “{letters[key]}” and “{text}”"
            letters[key] = text
    finally:
        widget.deleteLater()


@pytest.mark.parametrize("name", form_names())
def test_tab_order_follows_the_rows(qapp, name):
    widget = load_form(name)
    try:
        chain = _focus_chain(widget)
        position = {id(w): i for i, w in enumerate(chain)}
        by_layout: dict[int, list[tuple[int, int, str]]] = {}
        for lay, r, label, inputs in _form_rows(widget):
            first = inputs[0]
            if id(first) in position:
                by_layout.setdefault(id(lay), []).append((r, position[id(first)], label.text()))
        for rows in by_layout.values():
            order = [p for _r, p, _t in sorted(rows)]
            assert order == sorted(order), f"{name}: Tab order {[t for _r, _p, t in sorted(rows, key=lambda x: x[1])]}"
    finally:
        widget.deleteLater()
