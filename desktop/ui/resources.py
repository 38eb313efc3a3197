"""Find forms/ and resources/ both in the source tree and inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def base_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def forms_dir() -> Path:
    return base_dir() / "forms"


def resource_path(*parts: str) -> Path:
    return base_dir().joinpath("resources", *parts)
