"""Secondary windows: network scan, preferences, about, and where the user guide is."""

from __future__ import annotations

import asyncio
import html
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import wardfleet
from wardfleet.ui import texts
from wardfleet.ui.runtime_api import UiRuntime
from wardfleet.ui.theme import ThemeChoice
from wardfleet.ui.widgets import ValueLabel, plain_label

log = logging.getLogger(__name__)

THEME_KEY = "ui/theme"
translate = QCoreApplication.translate


class ScanDialog(QDialog):
    """Starts ``runtime.rescan()`` and says how it went; closing stops waiting for it."""

    def __init__(self, runtime: UiRuntime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._task: asyncio.Task[object] | None = None
        self.setWindowTitle(self.tr("Scan network"))
        self.setAccessibleName(self.tr("Scan network"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = plain_label(
            self.tr(
                "Wardfleet looks for printers, scanners and monitors on the networks it is "
                "set up to watch, and adds the ones it has not seen before as New devices."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Scan progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = plain_label()
        self.status.setObjectName("scanStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        buttons = QDialogButtonBox()
        self.start_button = QPushButton(self.tr("&Start scan"))
        self.start_button.setAccessibleName(self.tr("Start scan"))
        self.start_button.setDefault(True)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(self.tr("Close"))
        self.start_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def task(self) -> asyncio.Task[object] | None:
        return self._task

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self.start_button.setEnabled(False)
        self.progress.show()
        self.status.setText(self.tr("Scanning…"))
        self._task = asyncio.ensure_future(self._runtime.rescan())
        self._task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[object]) -> None:
        self.progress.hide()
        self.start_button.setEnabled(True)
        if task.cancelled():
            self.status.setText(self.tr("Scan stopped."))
            return
        exc = task.exception()
        if exc is not None:
            log.warning("network scan failed", exc_info=exc)
            self.status.setText(texts.fill(self.tr("The scan failed: %1"), exc))
            return
        found = task.result()
        if isinstance(found, int) and not isinstance(found, bool):
            self.status.setText(texts.fill(self.tr("Scan finished. Devices found: %1"), found))
        else:
            # WardRuntime.rescan() only starts a round and returns at once.
            self.status.setText(
                self.tr(
                    "Scan started. New devices appear in the list as they are found, marked New."
                )
            )

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)


class PreferencesDialog(QDialog):
    """Appearance now; where the files are, so a helpdesk call can find them."""

    def __init__(
        self,
        settings: QSettings,
        data_dir: Path | None,
        log_path: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.tr("Preferences"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Colour scheme"))
        for choice, label in (
            (ThemeChoice.SYSTEM, self.tr("Follow the system")),
            (ThemeChoice.LIGHT, self.tr("Light")),
            (ThemeChoice.DARK, self.tr("Dark")),
        ):
            self.theme.addItem(label, choice.value)
        current = str(settings.value(THEME_KEY, ThemeChoice.SYSTEM.value))
        self.theme.setCurrentIndex(max(0, self.theme.findData(current)))
        theme_label = QLabel(self.tr("&Colour scheme:"))
        theme_label.setBuddy(self.theme)
        form.addRow(theme_label, self.theme)
        data_value = ValueLabel(self.tr("Data folder"))
        data_value.set_value(str(data_dir) if data_dir else texts.not_reported())
        form.addRow(plain_label(self.tr("Data folder:")), data_value)
        log_value = ValueLabel(self.tr("Log file"))
        log_value.set_value(str(log_path) if log_path else self.tr("No log file"))
        form.addRow(plain_label(self.tr("Log file:")), log_value)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for which, name in (
            (QDialogButtonBox.StandardButton.Ok, self.tr("OK")),
            (QDialogButtonBox.StandardButton.Cancel, self.tr("Cancel")),
        ):
            button = buttons.button(which)
            if button is not None:
                button.setAccessibleName(name)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_theme(self) -> ThemeChoice:
        return ThemeChoice(self.theme.currentData())

    def accept(self) -> None:
        self._settings.setValue(THEME_KEY, self.chosen_theme().value)
        super().accept()


def about_html(data_dir: Path | None, log_path: Path | None) -> str:
    """Our own text, so rich text is fine here; paths are escaped all the same."""
    rows = [
        f"<h3>Wardfleet {html.escape(wardfleet.__version__)}</h3>",
        "<p>"
        + html.escape(
            translate(
                "About",
                "Watches a ward's printers, label printers, scanners and monitors, offline first.",
            )
        )
        + "</p>",
        "<p>" + html.escape(translate("About", "Licence: GPL-3.0-or-later")) + "</p>",
    ]
    if data_dir:
        rows.append(
            "<p>"
            + html.escape(texts.fill(translate("About", "Data folder: %1"), data_dir))
            + "<br>"
            + html.escape(
                texts.fill(
                    translate("About", "Log file: %1"), log_path or translate("About", "none")
                )
            )
            + "</p>"
        )
    return "".join(rows)


def user_guide_path() -> Path | None:
    """``docs/user-guide.md`` of a source checkout, when there is one."""
    here = Path(__file__).resolve()
    for candidate in (
        here.parents[1] / "docs" / "user-guide.md",
        here.parents[3] / "docs" / "user-guide.md",
    ):
        if candidate.is_file():
            return candidate
    return None
