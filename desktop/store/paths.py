"""Where things live on the user's machine (platformdirs; no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "ZhibuLedger"


def data_dir() -> Path:
    override = os.environ.get("ZHIBU_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_ledger_path() -> Path:
    return data_dir() / "支部台账.zhibu"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("ZHIBU_LOG_DIR")
    path = Path(override) if override else Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
