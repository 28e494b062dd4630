"""Log files for the desktop app: a rotating text log and a faulthandler dump file.

Qt-free on purpose, so the CLI's headless commands can use it too.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import TextIO

LOG_FILE_NAME = "wardfleet.log"
FAULT_FILE_NAME = "faulthandler.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# faulthandler writes to the file descriptor at crash time: the file must outlive us.
_fault_file: TextIO | None = None
_our_handlers: list[logging.Handler] = []


def configure_logging(
    log_dir: Path,
    *,
    level: int = logging.INFO,
    max_bytes: int = 2_000_000,
    backup_count: int = 5,
    also_stderr: bool = True,
) -> Path | None:
    """Log to ``log_dir/wardfleet.log`` (rotating) and stderr; return the file's path.

    An unwritable log folder must not stop the app: it then logs to stderr only and
    returns None. Calling this again replaces the handlers it installed before.
    """
    root = logging.getLogger()
    for handler in _our_handlers:
        root.removeHandler(handler)
        handler.close()
    _our_handlers.clear()
    root.setLevel(level)
    formatter = logging.Formatter(_FORMAT)

    if also_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(formatter)
        stream.setLevel(logging.WARNING)
        _our_handlers.append(stream)

    log_path = log_dir / LOG_FILE_NAME
    written: Path | None = log_path
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        rotating = logging.handlers.RotatingFileHandler(
            log_path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    except OSError as exc:
        written = None
        print(f"wardfleet: cannot write logs to {log_dir}: {exc}", file=sys.stderr)
    else:
        rotating.setFormatter(formatter)
        _our_handlers.append(rotating)

    for handler in _our_handlers:
        root.addHandler(handler)
    return written


def enable_faulthandler(log_dir: Path) -> Path | None:
    """Dump Python tracebacks of a hard crash (segfault, abort) into the log folder."""
    global _fault_file
    path = log_dir / FAULT_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        fault_file = path.open("a", encoding="utf-8")
    except OSError:
        faulthandler.enable()  # stderr is still better than nothing
        return None
    faulthandler.enable(file=fault_file, all_threads=True)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = fault_file
    return path


def disable_faulthandler() -> None:
    """Stop dumping to the log folder and close the file (tests, embedding)."""
    global _fault_file
    faulthandler.disable()
    if _fault_file is not None:
        _fault_file.close()
        _fault_file = None
