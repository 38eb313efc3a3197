"""The PyInstaller one-folder bundle builds from build.spec and passes ``--self-check``."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bundle_builds_and_self_checks(tmp_path):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [str(pyinstaller), str(ROOT / "build.spec"), "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    folder = tmp_path / "dist" / f"{project['name']}-{project['version']}"
    exe = folder / ("zhibu.exe" if sys.platform == "win32" else "zhibu")
    assert exe.exists() and (folder / "_internal" / "forms" / "main_window.ui").exists()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ZHIBU_DATA_DIR=str(tmp_path / "data"),
               ZHIBU_LOG_DIR=str(tmp_path / "logs"))
    run = subprocess.run([str(exe), "--self-check"], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "self-check passed" in run.stdout
    assert "documents: 自检.pdf, 自检.docx" in run.stdout
    assert "translations: qtbase_zh_CN.qm" in run.stdout
    assert "preview: 1 page rendered" in run.stdout
    assert "window: " in run.stdout and "members" in run.stdout
