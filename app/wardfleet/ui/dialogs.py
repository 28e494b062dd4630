"""Secondary windows: preferences, about, and where the user guide is (the network scan is
in scan_dialog.py)."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

import wardfleet
from wardfleet.ui import texts
from wardfleet.ui.conformance_prefs import ConformancePrefs
from wardfleet.ui.detail_tabs import SHOW_JOB_NAMES_KEY, show_job_names
from wardfleet.ui.theme import ThemeChoice
from wardfleet.ui.widgets import ValueLabel, plain_label

log = logging.getLogger(__name__)

THEME_KEY = "ui/theme"
NOTIFICATIONS_KEY = "ui/notifications"  # desktop messages for new alerts (default on)
translate = QCoreApplication.translate


class PreferencesDialog(QDialog):
    """Appearance now; where the files are, so a helpdesk call can find them."""

    def __init__(
        self,
        settings: QSettings,
        data_dir: Path | None,
        log_path: Path | None,
        parent: QWidget | None = None,
        conformance: ConformancePrefs | None = None,  # this desktop's scheduled check
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.conformance = conformance
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
        self.notifications = QCheckBox(self.tr("Show a &desktop notification for new alerts"))
        self.notifications.setAccessibleName(self.tr("Desktop notifications for new alerts"))
        self.notifications.setChecked(notifications_enabled(settings))
        form.addRow(self.notifications)
        # Job names often hold patients' names: shown only where someone chose so, and
        # never logged, queued for the hub or synced whatever this says.
        self.show_job_names = QCheckBox(self.tr("Show print &job names on this desktop"))
        self.show_job_names.setAccessibleName(self.tr("Show print job names on this desktop"))
        self.show_job_names.setToolTip(
            self.tr("Job names may contain patient names. Only this desktop is affected.")
        )
        self.show_job_names.setChecked(show_job_names(settings))
        form.addRow(self.show_job_names)
        data_value = ValueLabel(self.tr("Data folder"))
        data_value.set_value(str(data_dir) if data_dir else texts.not_reported())
        form.addRow(plain_label(self.tr("Data folder:")), data_value)
        log_value = ValueLabel(self.tr("Log file"))
        log_value.set_value(str(log_path) if log_path else self.tr("No log file"))
        form.addRow(plain_label(self.tr("Log file:")), log_value)
        layout.addLayout(form)
        if conformance is not None:
            layout.addWidget(conformance)
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
        self._settings.setValue(NOTIFICATIONS_KEY, self.notifications.isChecked())
        self._settings.setValue(SHOW_JOB_NAMES_KEY, self.show_job_names.isChecked())
        if self.conformance is not None:
            self.conformance.save()
        super().accept()


def notifications_enabled(settings: QSettings) -> bool:
    """On unless turned off; INI files give the stored bool back as text."""
    value = settings.value(NOTIFICATIONS_KEY, True)
    return str(value).lower() not in ("false", "0", "no")


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
