"""The network scan dialog: sweep address ranges for SNMP devices and add what answers.

The sweep runs on the app's asyncio loop (never the UI thread's blocking calls); the
keyring and the store are read in worker threads. What a device says about itself is
shown as plain text only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wardfleet.protocols.snmp_credentials import (
    DEFAULT_COMMUNITIES,
    CredentialError,
    CredentialSet,
    ResolvedCredential,
    community,
)
from wardfleet.protocols.snmp_sweep import (
    DEFAULT_CONCURRENCY,
    DEFAULT_RATE,
    TargetError,
    parse_targets,
)
from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.runtime_api import UiRuntime
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:
    from wardfleet.services.scan import Found, ScanSummary

log = logging.getLogger(__name__)

TARGETS_KEY = "scan/targets"
EXCLUDE_KEY = "scan/exclude"
ONE_OFF = "__one_off__"
ALL_SETS = "__all_sets__"


def name_inner_edits(widget: QWidget, name: str) -> None:
    """Spin boxes hold a line edit of their own: give it the same accessible name."""
    widget.setAccessibleName(name)
    for edit in widget.findChildren(QLineEdit):
        edit.setAccessibleName(name)


def split_specs(text: str) -> list[str]:
    """Targets as typed: separated by commas, spaces, semicolons or new lines."""
    return [part for part in text.replace(";", ",").replace(",", " ").split() if part]


class ScanDialog(QDialog):
    """Targets, credentials and pace in; a live list of devices out. Non-blocking."""

    devicesFound = Signal(list)  # device ids merged into the inventory
    scanFinished = Signal()

    def __init__(
        self,
        store: Store,
        runtime: UiRuntime,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runtime = runtime
        self._settings = settings
        self._task: asyncio.Task[ScanSummary] | None = None
        self._helpers: set[asyncio.Task[Any]] = set()
        self._sets: list[CredentialSet] = []
        self._set_names: list[str] = []
        self.setWindowTitle(self.tr("Scan network"))
        self.setAccessibleName(self.tr("Scan network"))
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        intro = plain_label(
            self.tr(
                "Wardfleet asks each address for SNMP, gently, and adds the devices that "
                "answer as New devices. They are watched from then on."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.targets = QLineEdit()
        self.targets.setObjectName("scanTargets")
        self.targets.setPlaceholderText(self.tr("e.g. 10.3.0.0/24, 10.3.1.5-40, printer.ward3"))
        self.targets.setAccessibleName(self.tr("Addresses to scan"))
        self.targets.setAccessibleDescription(
            self.tr("CIDR blocks, ranges, single addresses or host names, separated by commas")
        )
        self.targets.setText(str(settings.value(TARGETS_KEY, "") or ""))
        self._add_row(form, self.tr("&Addresses:"), self.targets)
        self.exclude = QLineEdit()
        self.exclude.setObjectName("scanExclude")
        self.exclude.setPlaceholderText(self.tr("optional, e.g. 10.3.0.1, 10.3.0.200-254"))
        self.exclude.setAccessibleName(self.tr("Addresses to leave out"))
        self.exclude.setText(str(settings.value(EXCLUDE_KEY, "") or ""))
        self._add_row(form, self.tr("&Leave out:"), self.exclude)
        self.target_error = plain_label()
        self.target_error.setObjectName("scanTargetError")
        self.target_error.setWordWrap(True)
        self.target_error.hide()
        form.addRow(self.target_error)

        self.credential = QComboBox()
        self.credential.setObjectName("scanCredential")
        self.credential.setAccessibleName(self.tr("Credentials"))
        self.manage_button = QPushButton(self.tr("Mana&ge…"))
        self.manage_button.setObjectName("scanManageCredentials")
        self.manage_button.setAccessibleName(self.tr("Manage SNMP credential sets"))
        self.manage_button.setAutoDefault(False)
        chooser = QHBoxLayout()
        chooser.addWidget(self.credential, 1)
        chooser.addWidget(self.manage_button)
        credential_label = QLabel(self.tr("C&redentials:"))
        credential_label.setBuddy(self.credential)
        form.addRow(credential_label, chooser)
        self.community = QLineEdit()
        self.community.setObjectName("scanCommunity")
        self.community.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.community.setAccessibleName(self.tr("Community for this scan only"))
        self.community.setAccessibleDescription(
            self.tr("Used for this scan and kept in memory only, never saved")
        )
        self._add_row(form, self.tr("Co&mmunity (this scan only):"), self.community)
        self.warning = plain_label()
        self.warning.setObjectName("scanWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        form.addRow(self.warning)

        pace = QHBoxLayout()
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("scanRate")
        self.rate.setRange(1.0, 500.0)
        self.rate.setDecimals(0)
        self.rate.setValue(DEFAULT_RATE)
        self.rate.setSuffix(self.tr(" packets/s"))
        self.rate.setMinimumWidth(
            self.rate.fontMetrics().horizontalAdvance("500" + self.rate.suffix()) + 40
        )
        name_inner_edits(self.rate, self.tr("Packets per second"))
        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("scanConcurrency")
        self.concurrency.setRange(1, 128)
        self.concurrency.setValue(DEFAULT_CONCURRENCY)
        name_inner_edits(self.concurrency, self.tr("Addresses asked at once"))
        self.port = QSpinBox()
        self.port.setObjectName("scanPort")
        self.port.setRange(1, 65535)
        self.port.setValue(161)
        self.port.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        name_inner_edits(self.port, self.tr("UDP port"))
        pace.addWidget(self.rate)
        pace.addSpacing(12)
        at_once = QLabel(self.tr("At &once:"))
        at_once.setBuddy(self.concurrency)
        pace.addWidget(at_once)
        pace.addWidget(self.concurrency)
        pace.addStretch(1)
        rate_label = QLabel(self.tr("Rat&e:"))
        rate_label.setBuddy(self.rate)
        form.addRow(rate_label, pace)
        self._add_row(form, self.tr("UDP &port:"), self.port)
        layout.addLayout(form)

        self.progress = QProgressBar()
        self.progress.setObjectName("scanProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v of %m addresses"))
        self.progress.setAccessibleName(self.tr("Scan progress"))
        layout.addWidget(self.progress)
        self.status = plain_label()
        self.status.setObjectName("scanStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        found_label = QLabel(self.tr("&Devices found:"))
        layout.addWidget(found_label)
        self.found = QListWidget()
        self.found.setObjectName("scanFound")
        self.found.setAccessibleName(self.tr("Devices found"))
        self.found.setMinimumHeight(110)
        found_label.setBuddy(self.found)
        layout.addWidget(self.found, 1)

        buttons = QDialogButtonBox()
        self.start_button = QPushButton(self.tr("&Start scan"))
        self.start_button.setAccessibleName(self.tr("Start scan"))
        self.start_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("S&top"))
        self.stop_button.setAccessibleName(self.tr("Stop the scan"))
        self.stop_button.setEnabled(False)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(self.tr("Close"))
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.credential.currentIndexChanged.connect(self._credential_changed)
        self.manage_button.clicked.connect(self.manage_credentials)
        self.community.textChanged.connect(self._update_warning)
        self.targets.textChanged.connect(lambda _text: self.target_error.hide())
        self._fill_credentials([])
        self._spawn(self._load_sets())

    # Construction helpers ------------------------------------------------------------
    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def _fill_credentials(self, sets: Sequence[CredentialSet]) -> None:
        self._sets = list(sets)
        self.credential.blockSignals(True)
        self.credential.clear()
        if sets:
            self.credential.addItem(self.tr("All saved credential sets, in order"), ALL_SETS)
            for credential in sets:
                self.credential.addItem(credential.name, credential.name)
        self.credential.addItem(self.tr("A community for this scan only"), ONE_OFF)
        self.credential.blockSignals(False)
        self._credential_changed()

    async def _load_sets(self) -> None:
        from wardfleet.services.credential_sets import load_sets

        self._fill_credentials(await asyncio.to_thread(load_sets, self._store))

    def reload_credential_sets(self) -> asyncio.Task[Any]:
        return self._spawn(self._load_sets())

    def manage_credentials(self) -> QDialog:
        from wardfleet.ui.credentials_dialog import CredentialsDialog

        dialog = CredentialsDialog(self._store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setsChanged.connect(self.reload_credential_sets)
        dialog.open()  # window-modal, no nested event loop
        return dialog

    def _credential_changed(self, _index: int = 0) -> None:
        one_off = self.credential.currentData() == ONE_OFF
        self.community.setEnabled(one_off)
        self._update_warning()

    def _update_warning(self, *_args: object) -> None:
        text = self.community.text().strip()
        if self.credential.currentData() == ONE_OFF and text.lower() in DEFAULT_COMMUNITIES:
            self._show_default_community_warning(text)
        else:
            self.warning.hide()

    def _show_default_community_warning(self, value: str) -> None:
        self.warning.setText(
            texts.fill(
                self.tr(
                    "Warning: “%1” is a default community. Anyone on the network can read "
                    "devices that answer to it (or change them, with “private”). Set a "
                    "community of your own on the devices, or use SNMPv3."
                ),
                value,
            )
        )
        self.warning.show()

    # Scanning ------------------------------------------------------------------------
    @property
    def task(self) -> asyncio.Task[ScanSummary] | None:
        return self._task

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._helpers.add(task)
        task.add_done_callback(self._helper_done)
        return task

    def _helper_done(self, task: asyncio.Task[Any]) -> None:
        self._helpers.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("scan dialog helper failed", exc_info=task.exception())

    def _check_targets(self) -> tuple[list[str], list[str]] | None:
        targets, exclude = split_specs(self.targets.text()), split_specs(self.exclude.text())
        try:
            parse_targets(targets, exclude=exclude)
        except TargetError as exc:
            self.target_error.setText(
                texts.fill(self.tr("These addresses cannot be scanned: %1"), exc)
            )
            self.target_error.show()
            self.targets.setFocus()
            return None
        self.target_error.hide()
        return targets, exclude

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        checked = self._check_targets()
        if checked is None:
            return
        choice = self.credential.currentData()
        if choice == ONE_OFF and not self.community.text().strip():
            self.status.setText(self.tr("Enter a community, or choose a saved credential set."))
            self.community.setFocus()
            return
        self._settings.setValue(TARGETS_KEY, self.targets.text().strip())
        self._settings.setValue(EXCLUDE_KEY, self.exclude.text().strip())
        self.found.clear()
        self._set_running(True)
        self.status.setText(self.tr("Scanning…"))
        self._task = asyncio.ensure_future(self._run(*checked, choice))
        self._task.add_done_callback(self._finished)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        for field in (
            self.targets,
            self.exclude,
            self.credential,
            self.manage_button,
            self.rate,
            self.concurrency,
        ):
            field.setEnabled(not running)
        self.port.setEnabled(not running)
        self.community.setEnabled(not running and self.credential.currentData() == ONE_OFF)
        if running:
            self.stop_button.setFocus()
        else:
            self.start_button.setFocus()

    async def _credentials(self, choice: object) -> list[ResolvedCredential]:
        if choice == ONE_OFF:
            return [community(self.community.text().strip())]
        from wardfleet.services.credential_sets import resolve_sets

        chosen = [s for s in self._sets if choice in (ALL_SETS, s.name)]
        resolved = await asyncio.to_thread(resolve_sets, chosen)
        weak = [c.community for c in resolved if c.warnings and c.community]
        if weak:
            self._show_default_community_warning(weak[0])
        return resolved

    async def _run(self, targets: list[str], exclude: list[str], choice: object) -> ScanSummary:
        from wardfleet.services.scan import scan

        credentials = await self._credentials(choice)
        # Saved sets are remembered by name with each device found (a one-off is not).
        self._set_names = [c.label for c in credentials] if choice != ONE_OFF else []
        return await scan(
            self._store,
            targets,
            exclude,
            credentials,
            port=self.port.value(),
            rate=self.rate.value(),
            concurrency=self.concurrency.value(),
            progress=self._on_progress,
            on_found=self._on_found,
            register=self._runtime.add_snmp_endpoints,
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_found(self, found: Found) -> None:
        self.found.addItem(found.text)  # a list item is plain text: no markup is rendered
        self.devicesFound.emit([found.outcome.device_id, *found.outcome.absorbed])
        self._spawn(self._runtime.poll_now(found.outcome.device_id))
        if self._set_names:
            from wardfleet.services.credential_sets import remember_endpoint

            answered = found.hit.credential.label
            names = [answered, *(n for n in self._set_names if n != answered)]
            self._spawn(
                asyncio.to_thread(
                    remember_endpoint, self._store, found.hit.address, self.port.value(), names
                )
            )

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self.status.setText(self.tr("Stopping…"))
            self._task.cancel()

    def _finished(self, task: asyncio.Task[ScanSummary]) -> None:
        self._set_running(False)
        self.scanFinished.emit()
        if task.cancelled():
            self.status.setText(
                texts.fill(self.tr("Scan stopped. Devices found so far: %1"), self.found.count())
            )
            return
        exc = task.exception()
        if isinstance(exc, CredentialError):
            self.status.setText(texts.fill(self.tr("Cannot use the credentials: %1"), exc))
            return
        if exc is not None:
            log.warning("network scan failed", exc_info=exc)
            self.status.setText(texts.fill(self.tr("The scan failed: %1"), exc))
            return
        summary = task.result()
        self.status.setText(
            texts.fill(
                self.tr("Scan finished: %1 addresses asked, %2 devices answered, %3 of them new."),
                summary.total,
                len(summary.found),
                summary.created,
            )
        )

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            # The dialog may be deleted before the task ends: no callback into it.
            self._task.remove_done_callback(self._finished)
            self._task.cancel()
        for task in list(self._helpers):
            task.cancel()
        super().done(result)
