"""Unexpected errors end in a dialog with the traceback and the log path."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from wardfleet.store.db import DiskFullError
from wardfleet.ui.crash import CrashDialog, CrashReporter, format_details


def raised(exc: BaseException) -> tuple[type[BaseException], BaseException, Any]:
    try:
        raise exc
    except BaseException:
        info = sys.exc_info()
    assert info[0] is not None and info[1] is not None
    return info[0], info[1], info[2]


@pytest.fixture
def reporter(qapp: Any, tmp_path: Path) -> Any:
    made = CrashReporter(tmp_path / "logs" / "wardfleet.log")
    yield made
    made.uninstall()
    for dialog in list(made.dialogs):
        dialog.close()


def test_excepthook_shows_traceback_and_log_path(reporter: CrashReporter, qtbot: Any) -> None:
    reporter.excepthook(*raised(ValueError("boom")))
    qtbot.waitUntil(lambda: len(reporter.dialogs) == 1, timeout=2000)
    dialog = reporter.dialogs[0]
    assert isinstance(dialog, CrashDialog)
    assert str(reporter.log_path) in dialog.log_label.text()
    assert "ValueError: boom" in dialog.text.toPlainText()
    assert dialog.copy_button.accessibleName() == "Copy details"
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "ValueError: boom" in copied and str(reporter.log_path) in copied


def test_thread_exceptions_reach_the_ui_thread(reporter: CrashReporter, qtbot: Any) -> None:
    reporter.install()
    assert threading.excepthook == reporter.thread_excepthook

    def fail() -> None:
        raise RuntimeError("worker failed")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(reporter.dialogs) == 1, timeout=2000)
    assert "RuntimeError: worker failed" in reporter.dialogs[0].details  # type: ignore[attr-defined]
    reporter.uninstall()
    assert sys.excepthook is not reporter.excepthook


def test_loop_handler_reports_task_exceptions(reporter: CrashReporter, qtbot: Any) -> None:
    _, exc, _ = raised(KeyError("gone"))
    reporter.loop_exception_handler(None, {"message": "Task exception", "exception": exc})
    qtbot.waitUntil(lambda: len(reporter.dialogs) == 1, timeout=2000)
    reporter.loop_exception_handler(None, {"message": "no exception here"})  # only logged


def test_disk_full_is_a_calm_message_not_a_crash(reporter: CrashReporter, qtbot: Any) -> None:
    dialog = reporter.show_now(raised(DiskFullError("database or disk is full")))
    assert isinstance(dialog, QMessageBox)
    assert "Nothing already saved was lost" in dialog.text()


def test_keyboard_interrupt_goes_to_the_default_hook(
    reporter: CrashReporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda t, e, tb: seen.append(t))
    reporter.excepthook(*raised(KeyboardInterrupt()))
    assert seen == [KeyboardInterrupt] and reporter.dialogs == []


def test_details_without_log_file() -> None:
    text = format_details(raised(OSError("x")), None)
    assert "Log file: (none)" in text and "OSError: x" in text
