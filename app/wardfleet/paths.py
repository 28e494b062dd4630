"""Where Wardfleet keeps its data, logs and settings on this platform."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Wardfleet"
APP_AUTHOR = "Wardfleet"


def data_dir() -> Path:
    """``WARDFLEET_DATA_DIR`` wins, so tests, demos and portable installs stay separate."""
    override = os.environ.get("WARDFLEET_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    override = os.environ.get("WARDFLEET_DATA_DIR")
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def database_path() -> Path:
    return data_dir() / "wardfleet.sqlite3"
