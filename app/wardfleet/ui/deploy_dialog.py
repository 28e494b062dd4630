"""Deploy dialog: settings → dry-run table → confirm → progress with Cancel → results.

A thin face on ``services.deploy.Deployer``. The caller gives ``make_jobs``, which turns
the desired settings into one ``DeviceJob`` per device (it knows the devices and their
credentials). All device-supplied text is shown as plain text.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.services.deploy import (
    SNMP_CONTACT,
    SNMP_LOCATION,
    SNMP_NAME,
    Deployer,
    DeviceJob,
    DeviceResult,
    Plan,
    Setting,
    SettingError,
    SnmpEndpoint,
    can_apply,
    parse_expert,
)
from wardfleet.store import Store
from wardfleet.ui import texts

MakeJobs = Callable[
    [Sequence[tuple[Setting, str]]], Sequence[DeviceJob] | Awaitable[Sequence[DeviceJob]]
]


class DeployUnavailable(Exception):
    """The device cannot be reached for a deploy (no address, no credential answers)."""


def snmp_jobs_for(store: Store, device: Device) -> MakeJobs:
    """Jobs for one inventory device over SNMP, with the first saved credential set it
    answers (the scan's try order)."""

    async def make(desired: Sequence[tuple[Setting, str]]) -> Sequence[DeviceJob]:
        from wardfleet.protocols.snmp import SnmpError, SnmpTarget, first_answering
        from wardfleet.protocols.snmp_credentials import CredentialError, resolve
        from wardfleet.services.credential_sets import load_sets

        if not device.address:
            raise DeployUnavailable(QCoreApplication.translate("Deploy", "No address known."))

        def resolved() -> list[Any]:
            out = []
            for credential_set in load_sets(store):
                with contextlib.suppress(CredentialError):  # skipped, like a scan does
                    out.append(resolve(credential_set))
            return out

        credentials = await asyncio.to_thread(resolved)
        if not credentials:
            raise DeployUnavailable(
                QCoreApplication.translate("Deploy", "No SNMP credential sets are saved.")
            )
        target = SnmpTarget(device.address, device.port or 161, 2.0, 1)
        try:
            session = await first_answering(target, credentials)
        except SnmpError as exc:
            raise DeployUnavailable(str(exc)) from exc
        return [DeviceJob(SnmpEndpoint(session, device.id), tuple(desired))]

    return make


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)  # plain text: never interpreted as markup
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class DeployDialog(QDialog):
    """Emits ``finishedDeploy`` with the results once an apply has ended."""

    finishedDeploy = Signal(object)

    def __init__(
        self,
        deployer: Deployer,
        make_jobs: MakeJobs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.deployer = deployer
        self.make_jobs = make_jobs
        self.plan: Plan | None = None
        self.results: list[DeviceResult] | None = None
        self.cancel_event = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setWindowTitle(self.tr("Change device settings"))
        self.setAccessibleName(self.tr("Change device settings"))
        self.resize(820, 460)

        self.pages = QStackedWidget(self)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Deploy status"))

        # 1. settings
        settings_page = QWidget(self)
        form = QFormLayout(settings_page)
        self.name_edit = QLineEdit(settings_page)
        self.location_edit = QLineEdit(settings_page)
        self.contact_edit = QLineEdit(settings_page)
        self.expert_edit = QPlainTextEdit(settings_page)
        self.expert_edit.setPlaceholderText("1.3.6.1.2.1.1.6.0 = s:Ward 4")
        for edit, label, name in (
            (self.name_edit, self.tr("&Name (sysName):"), self.tr("Device name")),
            (self.location_edit, self.tr("&Location (sysLocation):"), self.tr("Location")),
            (self.contact_edit, self.tr("&Contact (sysContact):"), self.tr("Contact")),
            (self.expert_edit, self.tr("&Expert (OID = type:value):"), self.tr("Expert SETs")),
        ):
            edit.setAccessibleName(name)
            form.addRow(label, edit)
        hint = QLabel(self.tr("Leave a field empty to keep what the device has."), settings_page)
        form.addRow(hint)
        self.pages.addWidget(settings_page)

        # 2. plan (dry run)
        self.plan_table = _table(
            self,
            [
                self.tr("Device"),
                self.tr("Setting"),
                self.tr("Current"),
                self.tr("New"),
                self.tr("Protocol"),
                self.tr("Credential"),
            ],
            self.tr("Planned changes"),
        )
        self.pages.addWidget(self.plan_table)

        # 3. progress
        progress_page = QWidget(self)
        progress_layout = QVBoxLayout(progress_page)
        self.progress = QProgressBar(progress_page)
        self.progress.setAccessibleName(self.tr("Deploy progress"))
        progress_layout.addWidget(self.progress)
        progress_layout.addStretch(1)
        self.pages.addWidget(progress_page)

        # 4. results
        self.results_table = _table(
            self,
            [
                self.tr("Device"),
                self.tr("Setting"),
                self.tr("Result"),
                self.tr("Read back"),
                self.tr("Reason"),
            ],
            self.tr("Deploy results"),
        )
        self.pages.addWidget(self.results_table)

        self.back_button = QPushButton(self.tr("&Back"), self)
        self.preview_button = QPushButton(self.tr("&Preview changes"), self)
        self.apply_button = QPushButton(self.tr("&Apply"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (self.back_button, self.preview_button, self.apply_button,
                       self.cancel_button, self.close_button):  # fmt: skip
            button.setAccessibleName(button.text().replace("&", ""))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.preview_button, self.apply_button, self.cancel_button,
                       self.close_button):  # fmt: skip
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.preview_button.clicked.connect(lambda: self._spawn(self.preview()))
        self.apply_button.clicked.connect(lambda: self._spawn(self.apply()))
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(self._back)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _r: self._stop_tasks())
        self._show_page(0)

    # plumbing ----------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _stop_tasks(self) -> None:
        self.cancel_event.set()  # a running apply stops cleanly (and rolls back)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index == 1)
        self.preview_button.setVisible(index == 0)
        self.apply_button.setVisible(index == 1)
        self.cancel_button.setVisible(index == 2)
        self.close_button.setVisible(index != 2)

    def _back(self) -> None:
        self.message.clear()
        self._show_page(0)

    def desired(self) -> list[tuple[Setting, str]]:
        """The settings asked for, in order; SettingError when an expert line is bad."""
        out: list[tuple[Setting, str]] = []
        for setting, edit in ((SNMP_NAME, self.name_edit), (SNMP_LOCATION, self.location_edit),
                              (SNMP_CONTACT, self.contact_edit)):  # fmt: skip
            if edit.text():
                out.append((setting, edit.text()))
        for line in self.expert_edit.toPlainText().splitlines():
            if line.strip():
                out.append(parse_expert(line))
        return out

    # steps -------------------------------------------------------------------------------
    async def preview(self) -> Plan | None:
        try:
            desired = self.desired()
        except SettingError as exc:
            self.message.setText(str(exc))
            return None
        if not desired:
            self.message.setText(self.tr("Nothing to change: fill in at least one setting."))
            return None
        self.preview_button.setEnabled(False)
        self.message.setText(self.tr("Reading the current values…"))
        try:
            made = self.make_jobs(desired)
            jobs = await made if inspect.isawaitable(made) else made
            plan = await self.deployer.plan(jobs)
        except DeployUnavailable as exc:
            self.message.setText(str(exc))
            return None
        finally:
            self.preview_button.setEnabled(True)
        self.plan = plan
        rows = [
            [r.device, r.setting.label, r.current if r.current is not None else "",
             r.new, r.protocol, r.credential]
            for r in plan.rows
        ]  # fmt: skip
        errors = [f"{d.job.endpoint.device}: {d.error}" for d in plan.devices if d.error]
        _fill(self.plan_table, rows)
        allowed = can_apply(self.deployer.role)
        self.apply_button.setEnabled(plan.change_count > 0 and allowed)
        lines = [texts.fill(self.tr("%1 change(s) to apply."), plan.change_count), *errors]
        if not allowed:
            lines.append(self.tr("Only a ward lead or an administrator may apply changes."))
        self.message.setText("\n".join(lines))
        self._show_page(1)
        return plan

    async def apply(self) -> list[DeviceResult] | None:
        if self.plan is None:
            return None
        self.cancel_event = asyncio.Event()
        self.progress.setRange(0, max(1, len(self.plan.devices)))
        self.progress.setValue(0)
        self.message.setText(self.tr("Applying…"))
        self._show_page(2)

        def progress(done: int, total: int, _result: DeviceResult) -> None:
            self.progress.setMaximum(max(1, total))
            self.progress.setValue(done)

        results = await self.deployer.apply(self.plan, progress=progress, cancel=self.cancel_event)
        self.results = results
        rows = []
        for result in results:
            for s in result.settings:
                rows.append([
                    result.device, s.setting.label, s.status,
                    s.verified if s.verified is not None else "", s.error or result.reason or "",
                ])  # fmt: skip
            if not result.settings:
                rows.append([result.device, "", result.outcome.value, "", result.reason or ""])
        _fill(self.results_table, rows)
        summary = ", ".join(f"{r.device}: {r.outcome.value}" for r in results)
        self.message.setText(summary)
        self._show_page(3)
        self.finishedDeploy.emit(results)
        return results

    def cancel(self) -> None:
        self.cancel_event.set()
        self.message.setText(self.tr("Cancelling: finishing the current setting, then undoing…"))
