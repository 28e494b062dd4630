"""Deploy wizard: profile → devices → settings → dry-run table → confirm → progress with
Cancel → results per device.

A thin face on ``services.deploy.Deployer``. Two ways to give it work:

- ``device_jobs`` with ``devices`` (the main window's selection): the wizard starts on the
  "profile → devices" page; ``device_jobs(chosen devices, settings)`` returns the jobs and,
  per device id, why some settings cannot go out (no answer, no IPP URI).
- ``make_jobs`` alone (one known target): it starts on the settings page and
  ``make_jobs(settings)`` returns the jobs.

Apply is disabled, with the reason in words, when the role may not apply; the plan is
still shown. All device-supplied text is shown as plain text.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.services.deploy import (
    Deployer,
    DeviceJob,
    DeviceResult,
    Plan,
    Setting,
    SettingError,
    can_apply,
)
from wardfleet.services.deploy_targets import DeployUnavailable
from wardfleet.services.print_queues import PrintQueues
from wardfleet.services.profiles import deploy_print_queues
from wardfleet.store.profiles import Profile
from wardfleet.ui import texts
from wardfleet.ui.deploy_choose import ChoosePage
from wardfleet.ui.deploy_settings import SettingsPage
from wardfleet.ui.deploy_tables import fill, make_table, plan_rows, result_rows
from wardfleet.ui.widgets import section_font

__all__ = ["DeployDialog", "DeployUnavailable", "DeviceJobs", "MakeJobs"]

Desired = Sequence[tuple[Setting, str]]
MakeJobs = Callable[[Desired], Sequence[DeviceJob] | Awaitable[Sequence[DeviceJob]]]
DeviceJobs = Callable[
    [Sequence[Device], Desired], Awaitable[tuple[Sequence[DeviceJob], Mapping[str, str]]]
]

CHOOSE, SETTINGS, PLAN, PROGRESS, RESULTS = range(5)


class DeployDialog(QDialog):
    """Emits ``finishedDeploy`` with the results once an apply has ended."""

    finishedDeploy = Signal(object)

    def __init__(
        self,
        deployer: Deployer,
        make_jobs: MakeJobs | None = None,
        parent: QWidget | None = None,
        *,
        devices: Sequence[Device] = (),
        device_jobs: DeviceJobs | None = None,
        profiles: Sequence[Profile] = (),
        queues: PrintQueues | None = None,
    ) -> None:
        super().__init__(parent)
        if (make_jobs is None) == (device_jobs is None):
            raise ValueError("give either make_jobs or device_jobs")
        self.deployer = deployer
        self.make_jobs = make_jobs
        self.device_jobs = device_jobs
        self.queues = queues  # where a profile's "print queue on this workstation" goes
        self.names = {d.id: d.display_name for d in devices}
        self.plan: Plan | None = None
        self.results: list[DeviceResult] | None = None
        self.cancel_event = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._apply_task: asyncio.Task[Any] | None = None
        self._close_when_applied = False  # closed mid-apply: close once the rollback is done
        self._closing = False  # finished or shutting down: callbacks leave the widgets alone
        self.profiles_loaded: asyncio.Task[Any] | None = None
        self.setWindowTitle(self.tr("Change device settings"))
        self.setAccessibleName(self.tr("Change device settings"))
        self.resize(860, 500)

        self.pages = QStackedWidget(self)
        # Which step this is, in words: the dry run must not look like the result.
        self.step_label = QLabel(self)
        self.step_label.setTextFormat(Qt.TextFormat.PlainText)
        self.step_label.setObjectName("deployStep")
        self.step_label.setFont(section_font(self.step_label.font()))
        self._step_titles = {
            CHOOSE: self.tr("Step 1 of 4: choose a profile and the devices"),
            SETTINGS: self.tr("Step 2 of 4: the settings to send"),
            PLAN: self.tr("Step 3 of 4: check the planned changes (dry run)"),
            PROGRESS: self.tr("Step 4 of 4: applying"),
            RESULTS: self.tr("Step 4 of 4: results"),
        }
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Deploy status"))

        # 0. profile → devices
        self.choose = ChoosePage(devices, profiles, self)
        self.choose.profileChosen.connect(self.show_profile)
        self.pages.addWidget(self.choose)

        # 1. settings
        self.settings_page = SettingsPage(self)
        page = self.settings_page
        self.name_edit, self.location_edit = page.name_edit, page.location_edit
        self.contact_edit, self.expert_edit = page.contact_edit, page.expert_edit
        self.ipp_location_edit, self.ipp_info_edit = page.ipp_location_edit, page.ipp_info_edit
        self.pages.addWidget(page)

        # 2. plan (dry run)
        self.plan_table = make_table(
            self,
            [self.tr("Device"), self.tr("Setting"), self.tr("Current"), self.tr("New"),
             self.tr("Protocol"), self.tr("Credential")],
            self.tr("Planned changes"),
        )  # fmt: skip
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
        self.results_table = make_table(
            self,
            [self.tr("Device"), self.tr("Setting"), self.tr("Result"), self.tr("Read back"),
             self.tr("Reason")],
            self.tr("Deploy results"),
        )  # fmt: skip
        self.pages.addWidget(self.results_table)

        self.back_button = QPushButton(self.tr("&Back"), self)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.preview_button = QPushButton(self.tr("&Preview changes"), self)
        self.apply_button = QPushButton(self.tr("&Apply"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self._buttons = (self.next_button, self.preview_button, self.apply_button,
                         self.cancel_button, self.close_button)  # fmt: skip
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.back_button, *self._buttons):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAutoDefault(False)
        for button in self._buttons:
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.next_button.clicked.connect(self._next)
        self.preview_button.clicked.connect(lambda: self._spawn(self.preview()))
        self.apply_button.clicked.connect(lambda: self._spawn(self.apply()))
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(self._back)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(lambda _r: self._stop_tasks())
        self._show_page(CHOOSE if device_jobs is not None else SETTINGS)

    # plumbing ----------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _stop_tasks(self) -> None:
        self._closing = True
        self.cancel_event.set()  # a running apply stops cleanly (and rolls back)
        closer = getattr(self.device_jobs, "aclose", None)
        if closer is not None:
            self._spawn(closer())  # the IPP client's connections

    def applying(self) -> bool:
        return self._apply_task is not None and not self._apply_task.done()

    def reject(self) -> None:
        """Esc or Close: while an apply runs this is Cancel (roll back), and the dialog
        stays open until the device is back as it was; it closes itself then."""
        if self.applying():
            self._close_when_applied = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        # QDialog turns a close into reject() only when visible; a hidden one would be
        # deleted (WA_DeleteOnClose) under its running apply.
        if self.applying():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    async def shutdown(self, grace_s: float) -> None:
        """The app is quitting: roll back an apply in progress (bounded by ``grace_s``),
        then wait for this dialog's tasks, so nothing writes after the store closes."""
        self._closing = True
        self.cancel_event.set()
        left = await self.deployer.stop(grace_s)
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            if left or task is not self._apply_task:  # the apply ends by itself when clean
                task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        closer = getattr(self.device_jobs, "aclose", None)
        if closer is not None:
            await closer()

    def _alive(self) -> bool:
        return not self._closing and shiboken6.isValid(self)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        wizard = self.device_jobs is not None
        self.step_label.setText(self._step_titles[index])
        self.step_label.setVisible(wizard)  # one-target mode has no steps to count
        self.step_label.setAccessibleName(self.step_label.text())
        self.back_button.setVisible(index == PLAN or (wizard and index == SETTINGS))
        self.next_button.setVisible(index == CHOOSE)
        self.preview_button.setVisible(index == SETTINGS)
        self.apply_button.setVisible(index == PLAN)
        self.cancel_button.setVisible(index == PROGRESS)
        self.close_button.setVisible(index != PROGRESS)
        first: dict[int, QWidget] = {
            CHOOSE: self.choose.profile_combo, SETTINGS: self.name_edit,
            PLAN: self.plan_table, PROGRESS: self.cancel_button, RESULTS: self.results_table,
        }  # fmt: skip
        first[index].setFocus(Qt.FocusReason.OtherFocusReason)  # keyboard users start here

    def _back(self) -> None:
        self.message.clear()
        self._show_page(SETTINGS if self.pages.currentIndex() == PLAN else CHOOSE)

    def _next(self) -> None:
        if not self.choose.chosen():
            self.message.setText(self.tr("Choose at least one device."))
            return
        self.message.clear()
        self._show_page(SETTINGS)

    def show_profile(self, profile: Profile | None) -> None:
        """Fill the settings page from ``profile`` (None: ad-hoc, fields cleared)."""
        self.settings_page.show_profile(profile)

    def desired(self) -> list[tuple[Setting, str]]:
        """The settings asked for, in order; SettingError when an expert line is bad."""
        return self.settings_page.desired()

    def queue_devices(self) -> list[Device]:
        """Printers to get a queue on this workstation: the chosen profile asks for it."""
        profile = self.choose.profile() if self.device_jobs is not None else None
        if self.queues is None or profile is None or not profile.print_queue:
            return []
        return [d for d in self.choose.chosen() if d.ipp_uri]

    # steps -------------------------------------------------------------------------------
    async def _jobs(self, desired: Desired) -> tuple[Sequence[DeviceJob], Mapping[str, str]]:
        if self.device_jobs is not None:
            return await self.device_jobs(self.choose.chosen(), desired)
        assert self.make_jobs is not None
        made = self.make_jobs(desired)
        return (await made if inspect.isawaitable(made) else made), {}

    async def preview(self) -> Plan | None:
        try:
            desired = self.desired()
        except SettingError as exc:
            self.message.setText(str(exc))
            return None
        queued = self.queue_devices()
        if not desired and not queued:
            self.message.setText(self.tr("Nothing to change: fill in at least one setting."))
            return None
        self.preview_button.setEnabled(False)
        self.message.setText(self.tr("Reading the current values…"))
        try:
            jobs, problems = await self._jobs(desired) if desired else ([], {})
            plan = await self.deployer.plan(jobs)
        except DeployUnavailable as exc:
            self.message.setText(str(exc))
            return None
        finally:
            self.preview_button.setEnabled(True)
        self.plan = plan
        fill(self.plan_table, plan_rows(plan, self.names))
        allowed = can_apply(self.deployer.role)
        self.apply_button.setEnabled((plan.change_count > 0 or bool(queued)) and allowed)
        lines = [
            texts.fill(self.tr("Changes to apply: %1. Nothing has been changed yet."),
                       plan.change_count)
        ]  # fmt: skip
        if queued:
            names = ", ".join(d.display_name for d in queued)
            lines.append(texts.fill(self.tr("A print queue will be set up here for: %1"), names))
        lines += [f"{self.names.get(i, i)}: {why}" for i, why in problems.items()]
        lines += [
            f"{self.names.get(d.job.endpoint.device_id or '', d.job.endpoint.device)}: {d.error}"
            for d in plan.devices
            if d.error
        ]
        if not allowed:
            lines.append(
                texts.fill(
                    self.tr(
                        "You can see the plan, but your role (%1) may not apply changes: "
                        "only a ward lead or an administrator may."
                    ),
                    self.deployer.role,
                )
            )
        self.message.setText("\n".join(lines))
        self._show_page(PLAN)
        return plan

    async def apply(self) -> list[DeviceResult] | None:
        if self.plan is None or not can_apply(self.deployer.role) or self.applying():
            return None
        self._apply_task = asyncio.current_task()
        self.cancel_event = asyncio.Event()
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, max(1, len(self.plan.devices)))
        self.progress.setValue(0)
        self.message.setText(self.tr("Applying…"))
        self._show_page(PROGRESS)

        def progress(done: int, total: int, result: DeviceResult) -> None:
            if not self._alive():  # closed or quitting: the widgets may be gone
                return
            if self.cancel_event.is_set():
                self.progress.setValue(done)
                return  # keep saying that it is undoing
            self.progress.setMaximum(max(1, total))
            self.progress.setValue(done)
            name = self.names.get(result.device_id or "", result.device)
            self.message.setText(
                texts.fill(self.tr("%1 of %2 done; %3: %4"), done, total, name,
                           result.outcome.value)
            )  # fmt: skip

        results = await self.deployer.apply(self.plan, progress=progress, cancel=self.cancel_event)
        self.results = results
        if not shiboken6.isValid(self):
            return results
        rows = result_rows(results, self.names)
        queued = self.queue_devices()
        if queued and self.queues is not None and not self.cancel_event.is_set():
            self.message.setText(self.tr("Setting up print queues on this workstation…"))
            outcomes = await deploy_print_queues(
                self.queues, queued, store=self.deployer.store, actor=self.deployer.actor,
                cancel=self.cancel_event,
            )  # fmt: skip
            rows += [
                [o.device.display_name, self.tr("print queue"),
                 self.tr("applied") if o.ok else self.tr("failed"), o.queue, o.detail]
                for o in outcomes
            ]  # fmt: skip
        fill(self.results_table, rows)
        summary = ", ".join(
            f"{self.names.get(r.device_id or '', r.device)}: {r.outcome.value}" for r in results
        )
        self.message.setText(summary)
        self._show_page(RESULTS)
        self.finishedDeploy.emit(results)
        if self._close_when_applied and not self._closing:
            self._apply_task = None  # applying() is False: reject() closes now
            self.reject()
        return results

    def cancel(self) -> None:
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.message.setText(self.tr("Cancelling — undoing changes already made…"))
