"""wardfleet.logsetup (Qt-free; tested here because the GUI is its first user)."""

from __future__ import annotations

import logging
from pathlib import Path

from wardfleet import logsetup


def test_rotating_log_file(tmp_path: Path) -> None:
    path = logsetup.configure_logging(tmp_path / "logs", max_bytes=2000, backup_count=2)
    try:
        assert path == tmp_path / "logs" / "wardfleet.log"
        for i in range(200):
            logging.getLogger("wardfleet.test").info("line %d with some padding", i)
        names = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert names == ["wardfleet.log", "wardfleet.log.1", "wardfleet.log.2"]
    finally:
        logsetup.configure_logging(tmp_path / "other", also_stderr=False)


def test_unwritable_log_dir_falls_back_to_stderr(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    try:
        assert logsetup.configure_logging(blocker / "logs") is None
    finally:
        logsetup.configure_logging(tmp_path / "other", also_stderr=False)


def test_faulthandler_file_is_kept_open(tmp_path: Path) -> None:
    import faulthandler

    path = logsetup.enable_faulthandler(tmp_path)
    try:
        assert path == tmp_path / "faulthandler.log"
        assert faulthandler.is_enabled()
        assert logsetup._fault_file is not None and not logsetup._fault_file.closed
    finally:
        logsetup.disable_faulthandler()
    assert logsetup._fault_file is None and not faulthandler.is_enabled()
