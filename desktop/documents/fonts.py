"""Which font prints each role (title, body, heading, kai, song), and which characters it has.

Order per role: the ledger settings (``overrides``: a family name or a file path), then the
fonts offices have (by their Windows file names, in the Windows font folders and the usual
Unix ones), then any TrueType Chinese font fontconfig lists. reportlab embeds TrueType
(``glyf``) outlines only: CFF/OpenType fonts are skipped with a recorded reason, as are
fonts that forbid embedding. The resolved set is cached per process; reportlab
registration happens once per font file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("title", "body", "heading", "kai", "song")
ROLE_LABELS = {"title": "标题（小标宋）", "body": "正文（仿宋）", "heading": "一级标题（黑体）", "kai": "二级标题（楷体）", "song": "页码（宋体）"}

# (family names a user may type, file names) per role, best first.
OFFICE_FONTS: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "title": [(("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"), ("FZXBSJW.TTF", "FZXBSK.TTF", "方正小标宋简体.ttf")),
              (("华文中宋", "STZhongsong"), ("STZHONGS.TTF",)), (("黑体", "SimHei"), ("simhei.ttf",))],
    "body": [(("仿宋_GB2312", "FangSong_GB2312"), ("FS_GB2312.ttf", "仿宋_GB2312.ttf", "SIMFANG_GB2312.TTF")),
             (("仿宋", "FangSong"), ("simfang.ttf",)), (("华文仿宋", "STFangsong"), ("STFANGSO.TTF",))],
    "heading": [(("黑体", "SimHei"), ("simhei.ttf",)), (("华文黑体", "STHeiti"), ("STXIHEI.TTF",)),
                (("微软雅黑", "Microsoft YaHei"), ("msyh.ttc", "msyh.ttf"))],
    "kai": [(("楷体_GB2312", "KaiTi_GB2312"), ("KAI_GB2312.ttf", "楷体_GB2312.ttf")), (("楷体", "KaiTi"), ("simkai.ttf",)),
            (("华文楷体", "STKaiti"), ("STKAITI.TTF",))],
    "song": [(("宋体", "SimSun"), ("simsun.ttc", "simsun.ttf")), (("华文宋体", "STSong"), ("STSONG.TTF",))],
}
# Extra fonts used only for characters the role font lacks (Ext-B names, symbols, emoji).
FALLBACK_FILES = ("simsunb.ttf", "SimSun-ExtG.ttf", "seguisym.ttf", "seguiemj.ttf", "Deng.ttf", "msyh.ttc")
# Preferred words in fontconfig family names, per role.
FC_PREFERENCE = {"title": ("Song", "Ming", "Hei"), "body": ("Fang", "Song", "Ming"), "heading": ("Hei", "Sans"),
                 "kai": ("Kai",), "song": ("Song", "Ming", "Sung")}


class DocumentFontError(RuntimeError):
    """No usable TrueType Chinese font: raised before any file is written."""


@dataclass
class FontFace:
    path: str
    index: int  # subfont index inside a .ttc
    family: str  # the name Word and WPS know it by
    rl_name: str  # the name registered with reportlab
    cmap: frozenset[int]

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap


@dataclass
class FontSet:
    roles: dict[str, FontFace]
    fallbacks: list[FontFace]  # every other usable face, searched per character
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (font, reason)
    fc_queries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _by_char: dict[str, FontFace | None] = field(default_factory=dict, repr=False)

    def face_for(self, role: str, ch: str) -> FontFace | None:
        """The role's face if it has ``ch``, else the first other face that has it, else None."""
        face = self.roles[role]
        if ord(ch) in face.cmap or ch in "\n\t ":
            return face
        if ch not in self._by_char:
            with self._lock:
                self._by_char[ch] = _find_fallback(self, ch)
        return self._by_char[ch]


def font_dirs() -> list[Path]:
    dirs = []
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    dirs += [Path.home() / ".fonts", Path.home() / ".local/share/fonts", Path("/usr/share/fonts/truetype/windows"),
             Path("/usr/local/share/fonts")]
    return [d for d in dirs if d.is_dir()]


def _find_file(name: str) -> Path | None:
    for d in font_dirs():
        for cand in (d / name, d / name.lower(), d / name.upper()):
            if cand.is_file():
                return cand
    return None


def _fontconfig(pattern: str = ":lang=zh") -> list[tuple[str, int, str]]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\t%{family}\n", pattern],
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in sorted(set(out.splitlines())):
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            rows.append((parts[0], int(parts[1]), parts[2]))
    return rows


_faces: dict[tuple[str, int], FontFace | str] = {}
_faces_lock = threading.Lock()


def load_face(path: str, index: int = 0) -> FontFace | str:
    """A usable face, or the reason it is not usable. Registered with reportlab once."""
    key = (os.path.abspath(path), index)
    with _faces_lock:
        if key not in _faces:
            _faces[key] = _load(*key)
        return _faces[key]


def _load(path: str, index: int) -> FontFace | str:
    from fontTools.ttLib import TTFont as FTFont
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        ft = FTFont(path, fontNumber=index, lazy=True)  # reads the table directory only
        if "glyf" not in ft:
            return "不是 TrueType 轮廓字体（CFF/PostScript 轮廓，reportlab 无法嵌入）"
        if "OS/2" in ft and ft["OS/2"].fsType & 0x0002 and not ft["OS/2"].fsType & 0x000C:
            return "字体许可禁止嵌入"
        family = (ft["name"].getDebugName(1) or Path(path).stem).strip()
        ft.close()
    except Exception as exc:  # a broken file is a reason, not a crash
        return f"无法读取：{exc}"
    rl_name = f"zb{len(_faces)}_{abs(hash((path, index))) % 10**8}"
    try:
        ttf = TTFont(rl_name, path, subfontIndex=index)
    except Exception as exc:
        return f"reportlab 无法载入：{exc}"
    cmap = frozenset(ttf.face.charToGlyph)  # what reportlab itself will map
    if not any(0x4E00 <= c <= 0x9FFF for c in cmap) and len(cmap) < 100:
        return "字符太少"
    pdfmetrics.registerFont(ttf)
    return FontFace(path, index, family, rl_name, cmap)


def _subfont_for(path: Path, names: tuple[str, ...]) -> int:
    if path.suffix.lower() != ".ttc":
        return 0
    for file, index, fams in _fontconfig_all():
        if os.path.abspath(file) == os.path.abspath(path) and any(n in fams.split(",") for n in names):
            return index
    return 0


_fc_cache: list[tuple[str, int, str]] | None = None


def _fontconfig_all() -> list[tuple[str, int, str]]:
    global _fc_cache
    if _fc_cache is None:
        _fc_cache = _fontconfig(":lang=zh")
    return _fc_cache


def _candidates(role: str, override: str | None) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if override:
        p = Path(override)
        if p.is_file():
            out.append((str(p), 0))
        for names, files in [x for r in OFFICE_FONTS.values() for x in r]:
            if override in names:
                out += [(str(f), _subfont_for(f, names)) for f in map(_find_file, files) if f]
        out += [(f, i) for f, i, fams in _fontconfig_all() if override in fams.split(",")]
    for names, files in OFFICE_FONTS[role]:
        out += [(str(f), _subfont_for(f, names)) for f in map(_find_file, files) if f]
    fc = _fontconfig_all()
    for word in FC_PREFERENCE[role]:
        out += [(f, i) for f, i, fams in fc if word.lower() in fams.lower()]
    out += [(f, i) for f, i, _ in fc]
    return out


_sets: dict[tuple, FontSet] = {}


def resolve_fonts(overrides: dict[str, str] | None = None) -> FontSet:
    """The fonts for every role; raises :class:`DocumentFontError` when there are none."""
    key = tuple(sorted((overrides or {}).items()))
    with _faces_lock:
        cached = _sets.get(key)
    if cached:
        return cached
    roles: dict[str, FontFace] = {}
    skipped: list[tuple[str, str]] = []
    seen_bad: set[tuple[str, int]] = set()
    for role in ROLES:
        for path, index in _candidates(role, (overrides or {}).get(role)):
            face = load_face(path, index)
            if isinstance(face, FontFace):
                roles[role] = face
                break
            if (path, index) not in seen_bad:
                seen_bad.add((path, index))
                skipped.append((f"{path}#{index}", face))
    if not roles:
        detail = "；".join(f"{p}：{r}" for p, r in skipped) or "未找到任何中文字体文件"
        raise DocumentFontError(
            "无法生成文档：本机没有可嵌入的 TrueType 中文字体（需要宋体 simsun.ttc、黑体 simhei.ttf、"
            f"仿宋 simfang.ttf 或楷体 simkai.ttf 之一，或在台账设置中指定字体文件）。已检查：{detail}")
    any_face = next(iter(roles.values()))
    for role in ROLES:  # a role without its own font prints in whatever was found
        roles.setdefault(role, roles.get("body") or roles.get("song") or any_face)
    fallbacks = []
    for f in [_find_file(n) for n in FALLBACK_FILES]:
        if f:
            face = load_face(str(f), 0)
            if isinstance(face, FontFace):
                fallbacks.append(face)
    fset = FontSet(roles, fallbacks, skipped)
    with _faces_lock:
        _sets[key] = fset
    return fset


MAX_FC_QUERIES = 40  # per font set: a text full of different emoji must not run fc-list hundreds of times


def _find_fallback(fset: FontSet, ch: str) -> FontFace | None:
    for face in list(fset.roles.values()) + fset.fallbacks:
        if face.has(ch):
            return face
    fset.fc_queries += 1
    if fset.fc_queries > MAX_FC_QUERIES:
        return None
    for path, index, _ in _fontconfig(f":charset={ord(ch):x}"):
        face = load_face(path, index)
        if isinstance(face, FontFace) and face.has(ch):
            fset.fallbacks.append(face)
            return face
    return None
