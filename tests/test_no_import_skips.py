"""A project module that fails to import is a failure, never a skip.

``pytest.importorskip("desktop....")`` (or a ``try: import desktop... except ImportError:`` that
skips) turns a broken module into a quiet "s" in the summary. Third-party extras may still be
skipped that way; the project's own modules may not.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _project_import_skips(source: str) -> list[int]:
    tree = ast.parse(source)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "importorskip":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and str(arg.value).split(".")[0] == "desktop":
                lines.append(node.lineno)
        if isinstance(node, ast.Try):
            imports_project = any(
                isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "desktop"
                or isinstance(n, ast.Import) and any(a.name.split(".")[0] == "desktop" for a in n.names)
                for stmt in node.body for n in ast.walk(stmt))
            catches_import_error = any(
                h.type is not None and any(isinstance(t, ast.Name) and t.id in ("ImportError", "ModuleNotFoundError")
                                           for t in ast.walk(h.type))
                for h in node.handlers)
            if imports_project and catches_import_error:
                lines.append(node.lineno)
    return lines


def test_detector_sees_both_forms():
    assert _project_import_skips('import pytest\npytest.importorskip("desktop.services.compliance")\n') == [2]
    assert _project_import_skips("try:\n    from desktop.ui import app\nexcept ImportError:\n    pass\n") == [1]
    assert _project_import_skips('import pytest\npytest.importorskip("openpyxl")\n') == []


def test_no_test_skips_when_a_project_module_fails_to_import():
    found = {str(p.relative_to(TESTS)): lines for p in sorted(TESTS.rglob("*.py"))
             if p.name != Path(__file__).name and (lines := _project_import_skips(p.read_text(encoding="utf-8")))}
    assert not found, f"import the project's modules directly (a broken module must fail): {found}"
