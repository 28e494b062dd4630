"""Unexpected errors: log them, then show what happened and where the log is.

``sys.excepthook``, ``threading.excepthook`` and the asyncio loop's handler all end in
``CrashReporter.report``. Reports from other threads are queued to the UI thread by a
signal. A full disk is not a crash: it gets its own calm message (nothing was lost).
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import wardfleet
from wardfleet.store.db import DiskFullError
from wardfleet.ui import texts

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def format_details(exc_info: ExcInfo, log_path: Path | None) -> str:
    """Everything a helpdesk needs, as plain text for the clipboard.

    Deliberately untranslated: it is read by developers and searched for in logs.
    """
    trace = "".join(traceback.format_exception(exc_info[1]))
    lines = [
        f"Wardfleet {wardfleet.__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Log file: {log_path}" if log_path else "Log file: (none)",
        "",
        trace.rstrip(),
    ]
    return "\n".join(lines)


class CrashDialog(QDialog):
    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.setWindowTitle(self.tr("Wardfleet ran into a problem"))
        self.setAccessibleName(self.tr("Error report"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)

        intro = QLabel(
            self.tr(
                "Something went wrong that Wardfleet did not expect. Your data is safe: "
                "changes are saved as they happen. You can keep working; if the problem "
                "comes back, send the details below to your helpdesk."
            )
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.log_label = QLabel(
            texts.fill(self.tr("Log file: %1"), str(log_path))
            if log_path
            else self.tr("No log file could be written.")
        )
        self.log_label.setObjectName("crashLogPath")
        self.log_label.setTextFormat(Qt.TextFormat.PlainText)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.log_label)

        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName(self.tr("Error details"))
        self.text.setMinimumHeight(220)
        layout.addWidget(self.text)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy details"))
        self.copy_button.setAccessibleName(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAccessibleName(self.tr("Close"))
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))


def disk_full_message(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(QCoreApplication.translate("Messages", "Disk full"))
    box.setText(
        QCoreApplication.translate(
            "Messages",
            "The disk is full, so Wardfleet could not save the latest change. "
            "Nothing already saved was lost.",
        )
    )
    box.setInformativeText(
        QCoreApplication.translate("Messages", "Free some space on this computer, then try again.")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


class CrashReporter(QObject):
    """Logs every unexpected exception and shows one dialog per report (non-blocking)."""

    _reported = Signal(object)

    def __init__(
        self,
        log_path: Path | None,
        parent_widget: Callable[[], QWidget | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._parent_widget = parent_widget
        self.dialogs: list[QDialog] = []
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous_hooks: tuple[Any, Any] | None = None

    # Hooks ---------------------------------------------------------------------------
    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report((exc_type, exc, tb))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.report((args.exc_type, args.exc_value, args.exc_traceback))

    def loop_exception_handler(self, loop: object, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.report((type(exc), exc, exc.__traceback__))
        else:
            log.error("event loop: %s", context.get("message", context))

    # Reporting -----------------------------------------------------------------------
    def report(self, exc_info: ExcInfo) -> None:
        """Safe from any thread: logs here, shows the dialog in the UI thread."""
        log.critical("unexpected error", exc_info=exc_info)
        self._reported.emit(exc_info)

    def _show(self, exc_info: ExcInfo) -> None:
        self.show_now(exc_info)

    def show_now(self, exc_info: ExcInfo) -> QDialog:
        parent = self._parent_widget()
        dialog: QDialog
        if isinstance(exc_info[1], DiskFullError):
            dialog = disk_full_message(parent)
        else:
            dialog = CrashDialog(format_details(exc_info, self.log_path), self.log_path, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        self.dialogs.append(dialog)
        dialog.show()  # never exec(): a nested loop inside qasync would re-enter tasks
        return dialog

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
