"""Pages print through desktop.services.export: replace it with a recorder for page tests."""

from __future__ import annotations

import sys
import types

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.services.export import ExportFilters


def fake_export_service(monkeypatch, tmp_path, warnings: tuple[str, ...] = ()) -> tuple[list, list]:
    """The export service records its calls ``(kind, fmt, filters, out_dir)`` and writes
    ``tmp_path/<kind>.<fmt>``; the folder dialog answers ``tmp_path``; message boxes record their
    text instead of showing. Returns (calls, shown texts)."""
    calls: list[tuple] = []
    shown: list[str] = []

    def export(led, kind, out_dir, fmt, filters, progress=None, cancel=None):
        calls.append((kind, fmt, filters, out_dir))
        out = tmp_path / f"{kind}.{fmt}"
        out.write_bytes(b"%PDF")
        return types.SimpleNamespace(paths=[out], warnings=list(warnings))

    fake = types.ModuleType("desktop.services.export")
    fake.export, fake.ExportFilters = export, ExportFilters
    monkeypatch.setitem(sys.modules, "desktop.services.export", fake)
    import desktop.services as services_pkg

    monkeypatch.setattr(services_pkg, "export", fake, raising=False)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return calls, shown
