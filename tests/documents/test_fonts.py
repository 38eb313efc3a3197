"""Font resolution: TrueType only, reasons for what is skipped, a clear error when nothing is usable."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.documents import fonts


def _cff_font(path: Path) -> Path:
    """A tiny OpenType font with CFF (PostScript) outlines covering 中 and 文."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    glyphs = [".notdef", "uni4E2D", "uni6587"]
    fb.setupGlyphOrder(glyphs)
    fb.setupCharacterMap({0x4E2D: "uni4E2D", 0x6587: "uni6587"})
    charstrings = {}
    for g in glyphs:
        pen = T2CharStringPen(1000, None)
        pen.moveTo((100, 100))
        pen.lineTo((900, 100))
        pen.lineTo((900, 900))
        pen.closePath()
        charstrings[g] = pen.getCharString()
    fb.setupCFF("TestCFF", {"FullName": "Test CFF"}, charstrings, {})
    fb.setupHorizontalMetrics({g: (1000, 100) for g in glyphs})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Test CFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))
    return path


def test_cff_font_is_skipped_with_a_reason(tmp_path):
    otf = _cff_font(tmp_path / "test-cff.otf")
    reason = fonts.load_face(str(otf))
    assert isinstance(reason, str) and "CFF" in reason
    fonts._sets.clear()
    fset = fonts.resolve_fonts({"body": str(otf)})
    assert any(str(otf) in where and "CFF" in why for where, why in fset.skipped)
    assert fset.roles["body"].path != str(otf)  # fell back to a TrueType font
    fonts._sets.clear()


def test_no_usable_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(fonts, "_candidates", lambda role, override: [])
    fonts._sets.clear()
    with pytest.raises(fonts.DocumentFontError, match="没有可嵌入的 TrueType 中文字体"):
        fonts.resolve_fonts({"body": "不存在的字体"})
    fonts._sets.clear()


def test_export_with_no_font_writes_nothing(monkeypatch, tmp_path):
    from desktop.documents import blocks as b
    from desktop.documents.render import render

    monkeypatch.setattr(fonts, "_candidates", lambda role, override: [])
    fonts._sets.clear()
    with pytest.raises(fonts.DocumentFontError):
        render(b.Document("无字体", [b.Paragraph("正文")], "无字体"), tmp_path / "out", font_overrides={"x": "y"})
    assert not (tmp_path / "out").exists()
    fonts._sets.clear()


def test_every_role_resolves_to_a_truetype_face(fonts):
    for role in fonts.roles.values():
        assert role.cmap and ord("中") in role.cmap
        assert not role.rl_name.startswith("STSong")


def test_fallback_font_prints_what_the_role_font_lacks(fonts):
    from desktop.documents.textruns import Runs

    runs = Runs(fonts)
    body = fonts.roles["body"]
    others = [f for f in list(fonts.roles.values()) + fonts.fallbacks if f is not body]
    missing = next((chr(c) for f in others for c in sorted(f.cmap) if c > 0x4E00 and c not in body.cmap), None)
    if missing is None:
        pytest.skip("every installed font covers the same characters")
    parts = runs.split("甲" + missing + "乙", "body", "测试")
    assert [p[0] for p in parts] == ["甲", missing, "乙"] and parts[1][1] is not body
    assert runs.warnings == []
