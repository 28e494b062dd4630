"""The "Printing" tab of one printer: state and reasons in words, its jobs (with cancel),
test page, pause/resume, and "Add to this PC".

Self-contained: it takes the async API objects (an ``IppClient`` and the printer's URI,
optionally ``PrintQueues``) and never blocks the UI thread; every network call is a task
on the qasync loop. Device-supplied text is shown as plain text only. Job names are shown
only when the desktop's setting allows (``show_job_names``); they are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardfleet.protocols.ipp import IppClient, IppError, IppNoAnswer, IppNotSupported
from wardfleet.protocols.ipp_spec import split_reason
from wardfleet.protocols.ipp_status import IppJob, PrinterReport
from wardfleet.protocols.ipp_tls import (
    CertificateChanged,
    TlsTrustError,
    TrustDecisionNeeded,
)
from wardfleet.services.print_queues import PrintQueueError, PrintQueues, QueueSpec
from wardfleet.ui import texts
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.widgets import plain_label

log = logging.getLogger(__name__)

_STATE_WORDS = {
    "idle": QT_TRANSLATE_NOOP("PrintTab", "Ready"),
    "processing": QT_TRANSLATE_NOOP("PrintTab", "Printing"),
    "stopped": QT_TRANSLATE_NOOP("PrintTab", "Stopped"),
    "unknown": QT_TRANSLATE_NOOP("PrintTab", "Unknown"),
}
_JOB_STATE_WORDS = {
    "pending": QT_TRANSLATE_NOOP("PrintTab", "Waiting"),
    "pending-held": QT_TRANSLATE_NOOP("PrintTab", "Held"),
    "processing": QT_TRANSLATE_NOOP("PrintTab", "Printing"),
    "processing-stopped": QT_TRANSLATE_NOOP("PrintTab", "Stopped"),
    "canceled": QT_TRANSLATE_NOOP("PrintTab", "Cancelled"),
    "aborted": QT_TRANSLATE_NOOP("PrintTab", "Aborted"),
    "completed": QT_TRANSLATE_NOOP("PrintTab", "Printed"),
    "unknown": QT_TRANSLATE_NOOP("PrintTab", "Unknown"),
}
_REASON_WORDS = {
    "other": QT_TRANSLATE_NOOP("PrintTab", "Needs attention"),
    "media-needed": QT_TRANSLATE_NOOP("PrintTab", "Load paper"),
    "media-empty": QT_TRANSLATE_NOOP("PrintTab", "Out of paper"),
    "media-low": QT_TRANSLATE_NOOP("PrintTab", "Paper low"),
    "media-jam": QT_TRANSLATE_NOOP("PrintTab", "Paper jam"),
    "paused": QT_TRANSLATE_NOOP("PrintTab", "Paused"),
    "moving-to-paused": QT_TRANSLATE_NOOP("PrintTab", "Pausing"),
    "shutdown": QT_TRANSLATE_NOOP("PrintTab", "Shut down"),
    "connecting-to-device": QT_TRANSLATE_NOOP("PrintTab", "Connecting to the printer"),
    "timed-out": QT_TRANSLATE_NOOP("PrintTab", "Not answering"),
    "toner-low": QT_TRANSLATE_NOOP("PrintTab", "Toner low"),
    "toner-empty": QT_TRANSLATE_NOOP("PrintTab", "Toner empty"),
    "cover-open": QT_TRANSLATE_NOOP("PrintTab", "Cover open"),
    "door-open": QT_TRANSLATE_NOOP("PrintTab", "A door is open"),
    "input-tray-missing": QT_TRANSLATE_NOOP("PrintTab", "Paper tray missing"),
    "output-area-full": QT_TRANSLATE_NOOP("PrintTab", "Output tray full"),
    "marker-supply-low": QT_TRANSLATE_NOOP("PrintTab", "Ink or toner low"),
    "marker-supply-empty": QT_TRANSLATE_NOOP("PrintTab", "Ink or toner empty"),
    "marker-waste-almost-full": QT_TRANSLATE_NOOP("PrintTab", "Waste container almost full"),
    "marker-waste-full": QT_TRANSLATE_NOOP("PrintTab", "Waste container full"),
    "offline": QT_TRANSLATE_NOOP("PrintTab", "Offline"),
    "spool-area-full": QT_TRANSLATE_NOOP("PrintTab", "Spool area full"),
}


class TrustBanner(QWidget):
    """First-use and changed-certificate notices with the fingerprint, and the decision."""

    trusted = Signal(str)  # the fingerprint the person accepted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._presented = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self.message.setObjectName("trustMessage")
        self.fingerprint = plain_label()
        self.fingerprint.setObjectName("trustFingerprint")
        self.fingerprint.setFont(QFont("monospace"))
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust_button = QPushButton(self.tr("&Trust this certificate"))
        self.trust_button.setAccessibleName(self.tr("Trust this certificate"))
        self.trust_button.clicked.connect(lambda: self.trusted.emit(self._presented))
        layout.addWidget(self.message)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.trust_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.hide()

    def first_use(self, error: TrustDecisionNeeded) -> None:
        self._presented = error.fingerprint
        self.message.setText(
            texts.fill(
                self.tr(
                    "%1 uses an encrypted connection Wardfleet has not seen before. Compare "
                    "this fingerprint with the one on the device's own page or display, "
                    "then trust it."
                ),
                error.endpoint,
            )
        )
        self._show(error.fingerprint, self.tr("Certificate fingerprint (SHA-256)"), alarm=False)

    def changed(self, error: CertificateChanged) -> None:
        self._presented = error.fingerprint
        self.message.setText(
            texts.fill(
                self.tr(
                    "WARNING: the certificate of %1 has CHANGED. The connection is blocked. "
                    "If the device was replaced or reset, trust the new certificate; "
                    "otherwise someone may be intercepting the connection. Pinned: %2"
                ),
                error.endpoint,
                error.pinned,
            )
        )
        self._show(error.fingerprint, self.tr("New certificate fingerprint (SHA-256)"), alarm=True)

    def _show(self, fingerprint: str, label: str, *, alarm: bool) -> None:
        self.fingerprint.setText(fingerprint)
        self.fingerprint.setAccessibleName(f"{label}: {fingerprint}")
        self.message.setAccessibleName(self.message.text())
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if alarm else "")
        self.trust_button.setText(
            self.tr("&Trust the new certificate") if alarm else self.tr("&Trust this certificate")
        )
        self.trust_button.setAccessibleName(self.trust_button.text().replace("&", ""))
        self.show()


class AsyncTabMixin:
    """Task bookkeeping shared by the tabs: keep references, report, cancel on close."""

    _tasks: set[asyncio.Task[Any]]

    def spawn(
        self, coro: Coroutine[Any, Any, Any], done: Callable[[], None] | None = None
    ) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def finished(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if done is not None and not t.cancelled():  # cancelled: the tab is closing
                done()

        task.add_done_callback(finished)
        return task

    @property
    def busy(self) -> bool:
        return any(not t.done() for t in self._tasks)

    def tasks(self) -> list[asyncio.Task[Any]]:
        return list(self._tasks)

    def cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def start_auto_refresh(self, auto_refresh_ms: int) -> None:
        """A timer calling ``refresh`` every ``auto_refresh_ms`` (0: refresh by hand only)."""
        self._timer = QTimer(self)  # type: ignore[arg-type]
        self._timer.timeout.connect(self.refresh)  # type: ignore[attr-defined]
        if auto_refresh_ms > 0:
            self._timer.start(auto_refresh_ms)

    def add_heading(self, layout: QVBoxLayout, object_name: str) -> QLabel:
        """The trust banner, then a large state line; returns the state label."""
        self.trust_banner = TrustBanner(self)  # type: ignore[arg-type]
        self.trust_banner.trusted.connect(self._trust)  # type: ignore[attr-defined]
        layout.addWidget(self.trust_banner)
        label = plain_label()
        label.setObjectName(object_name)
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        label.setFont(font)
        return label


class PrintTab(AsyncTabMixin, QWidget):
    """Printing tab for one IPP printer.

    ``client``: the app's IppClient (shared, long-lived); ``uri``: the printer's ipp(s)://
    URI; ``queues``: print queue deployment on this PC, or None to hide "Add to this PC";
    ``show_job_names``: this desktop's privacy setting; ``auto_refresh_ms``: 0 = manual.
    """

    def __init__(
        self,
        client: IppClient,
        uri: str,
        *,
        ward: str | None = None,
        device_name: str | None = None,
        show_job_names: bool = False,
        queues: PrintQueues | None = None,
        auto_refresh_ms: int = 15_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = set()
        self.client, self.uri, self.ward, self.device_name = client, uri, ward, device_name
        self.queues = queues
        self.show_job_names = show_job_names
        self.report: PrinterReport | None = None
        self.jobs: list[IppJob] = []
        self.setAccessibleName(self.tr("Printing"))
        self._build()
        self.start_auto_refresh(auto_refresh_ms)

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.state_label = self.add_heading(layout, "printState")
        self.reasons_label = plain_label()
        self.reasons_label.setObjectName("printReasons")
        self.reasons_label.setWordWrap(True)
        self.message_label = plain_label()
        self.message_label.setObjectName("printMessage")
        self.message_label.setWordWrap(True)
        for label in (self.state_label, self.reasons_label, self.message_label):
            layout.addWidget(label)

        buttons = QHBoxLayout()
        self.refresh_button = self._button(self.tr("&Refresh"), self.tr("Refresh printer status"))
        self.test_page_button = self._button(
            self.tr("Print &test page"), self.tr("Print a test page")
        )
        self.pause_button = self._button(self.tr("&Pause"), self.tr("Pause the printer"))
        self.resume_button = self._button(self.tr("Res&ume"), self.tr("Resume the printer"))
        self.add_button = self._button(
            self.tr("&Add to this PC"), self.tr("Add this printer to this PC")
        )
        self.add_button.setVisible(self.queues is not None)
        self.refresh_button.clicked.connect(self.refresh)
        self.test_page_button.clicked.connect(self.print_test_page)
        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.add_button.clicked.connect(self.add_to_this_pc)
        for button in (
            self.refresh_button, self.test_page_button, self.pause_button,
            self.resume_button, self.add_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        jobs_bar = QHBoxLayout()
        title = QLabel(self.tr("Jobs"))
        title.setAccessibleName(self.tr("Jobs"))
        self.completed_check = QCheckBox(self.tr("Show &finished jobs"))
        self.completed_check.setAccessibleName(self.tr("Show finished jobs"))
        self.completed_check.toggled.connect(lambda _on: self.refresh_jobs())
        self.cancel_button = self._button(
            self.tr("&Cancel job"), self.tr("Cancel the selected job")
        )
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_selected)
        jobs_bar.addWidget(title)
        jobs_bar.addStretch(1)
        jobs_bar.addWidget(self.completed_check)
        jobs_bar.addWidget(self.cancel_button)
        layout.addLayout(jobs_bar)

        headers = self._job_headers()
        self.jobs_table = QTableWidget(0, len(headers), self)
        self.jobs_table.setObjectName("jobsTable")
        self.jobs_table.setAccessibleName(self.tr("Print jobs"))
        self.jobs_table.setHorizontalHeaderLabels(headers)
        self.jobs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.jobs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.jobs_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.jobs_table.verticalHeader().setVisible(False)
        self.jobs_table.setCornerButtonEnabled(False)
        self.jobs_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.jobs_table.horizontalHeader().setStretchLastSection(True)
        self.jobs_table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.jobs_table, 1)

        self.result_label = plain_label()
        self.result_label.setObjectName("printResult")
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(self.tr("Result"))
        layout.addWidget(self.result_label)

    def _job_headers(self) -> list[str]:
        headers = [
            self.tr("Job"),
            self.tr("State"),
            self.tr("User"),
            self.tr("Pages"),
            self.tr("Submitted"),
        ]
        if self.show_job_names:
            headers.append(self.tr("Name"))
        return headers

    def set_show_job_names(self, show: bool) -> None:
        """The desktop's privacy setting changed: add or drop the Name column at once.

        Names already on screen go with the column; they are asked of the printer again
        only while shown.
        """
        if show == self.show_job_names:
            return
        self.show_job_names = show
        self._show_jobs([])
        headers = self._job_headers()
        self.jobs_table.setColumnCount(len(headers))
        self.jobs_table.setHorizontalHeaderLabels(headers)
        self.refresh_jobs()

    def _button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible)
        return button

    # --- actions ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.spawn(self._refresh())

    def refresh_jobs(self) -> None:
        self.spawn(self._refresh_jobs())

    def print_test_page(self) -> None:
        self.test_page_button.setEnabled(False)
        self.spawn(self._print_test_page(), lambda: self.test_page_button.setEnabled(True))

    def pause(self) -> None:
        self.spawn(self._admin(self.client.pause, self.tr("Paused.")))

    def resume(self) -> None:
        self.spawn(self._admin(self.client.resume, self.tr("Resumed.")))

    def cancel_selected(self) -> None:
        job = self.selected_job()
        if job is not None:
            self.spawn(self._cancel(job.id))

    def add_to_this_pc(self) -> None:
        if self.queues is None:
            return
        self.add_button.setEnabled(False)
        self.spawn(self._add(), lambda: self.add_button.setEnabled(True))

    def selected_job(self) -> IppJob | None:
        rows = {i.row() for i in self.jobs_table.selectedIndexes()}
        return (
            self.jobs[rows.pop()]
            if len(rows) == 1 and rows and max(rows) < len(self.jobs)
            else None
        )

    def shutdown(self) -> None:
        self._timer.stop()
        self.cancel_tasks()

    # --- coroutines -------------------------------------------------------------------------

    async def _refresh(self) -> None:
        try:
            report = await self.client.status(self.uri)
        except Exception as exc:  # noqa: BLE001 - every failure becomes words on the tab
            self._show_error(exc)
            return
        self.trust_banner.hide()
        self.report = report
        self._show_report(report)
        await self._refresh_jobs()

    async def _refresh_jobs(self) -> None:
        try:
            jobs = await self.client.jobs(
                self.uri, completed=self.completed_check.isChecked(), show_names=self.show_job_names
            )
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._show_jobs(jobs)

    async def _print_test_page(self) -> None:
        self._say(self.tr("Sending a test page…"))
        try:
            result = await self.client.print_test_page(
                self.uri,
                ward=self.ward,
                device_name=self.device_name,
                sent_from=socket.gethostname(),
            )
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._say(
            texts.fill(
                self.tr("Test page sent as job %1 (%2)."), result.job_id, result.document_format
            )
        )
        await self._refresh_jobs()

    async def _admin(
        self, operation: Callable[[str], Coroutine[Any, Any, None]], done: str
    ) -> None:
        try:
            await operation(self.uri)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._say(done)
        await self._refresh()

    async def _cancel(self, job_id: int) -> None:
        try:
            await self.client.cancel_job(self.uri, job_id)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._say(texts.fill(self.tr("Job %1 cancelled."), job_id))
        await self._refresh_jobs()

    async def _add(self) -> None:
        assert self.queues is not None
        report = self.report
        name = self.device_name or (report.info or report.name if report else None) or "Printer"
        spec = QueueSpec(
            name=name,
            device_uri=self.uri,
            info=report.make_and_model if report else None,
            location=report.location if report else None,
        )
        self._say(self.tr("Adding the printer to this PC…"))
        try:
            result = await self.queues.deploy(spec)
        except PrintQueueError as exc:
            self._say(
                texts.fill(self.tr("Could not add the printer to this PC: %1"), exc), error=True
            )
            return
        self._say(texts.fill(self.tr("Added to this PC as %1, the default printer."), result.name))

    async def _trust_async(self, fingerprint: str) -> None:
        try:
            await self.client.trust(self.uri, fingerprint)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self.trust_banner.hide()
        await self._refresh()

    def _trust(self, fingerprint: str) -> None:
        self.spawn(self._trust_async(fingerprint))

    # --- showing ---------------------------------------------------------------------------

    def state_words(self, state: str) -> str:
        return self.tr(_STATE_WORDS.get(state, _STATE_WORDS["unknown"]))

    def reason_words(self, reason: str, fallback: str) -> str:
        base, _ = split_reason(reason)
        return self.tr(_REASON_WORDS[base]) if base in _REASON_WORDS else fallback

    def _show_report(self, report: PrinterReport) -> None:
        self.state_label.setText(self.state_words(report.state))
        self.state_label.setAccessibleName(
            texts.fill(self.tr("Printer state: %1"), self.state_label.text())
        )
        words = [
            self.reason_words(r, w)
            for r, w in zip(
                [r for r in report.reasons if r != "none"], report.reason_words(), strict=True
            )
        ]
        if report.accepting_jobs is False:
            words.append(self.tr("Not accepting jobs"))
        reasons = ", ".join(words) if words else self.tr("No problems reported")
        self.reasons_label.setText(reasons)
        self.reasons_label.setAccessibleName(texts.fill(self.tr("Reasons: %1"), reasons))
        self.message_label.setText(report.message or "")
        self.message_label.setAccessibleName(
            texts.fill(self.tr("Printer message: %1"), report.message or self.tr("none"))
        )
        stopped = report.state == "stopped"
        self.pause_button.setEnabled(not stopped)
        self.resume_button.setEnabled(stopped or report.accepting_jobs is False)

    def _show_jobs(self, jobs: list[IppJob]) -> None:
        self.jobs = jobs
        self.jobs_table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            created = job.created.astimezone().strftime("%H:%M:%S") if job.created else ""
            cells = [
                str(job.id),
                self.tr(_JOB_STATE_WORDS.get(job.state, _JOB_STATE_WORDS["unknown"])),
                job.user or "",
                "" if job.pages is None else str(job.pages),
                created,
            ]
            if self.show_job_names:
                cells.append(job.name or "")
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)  # item views never interpret HTML
                self.jobs_table.setItem(row, column, item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        job = self.selected_job()
        self.cancel_button.setEnabled(job is not None and job.active)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setAccessibleName(texts.fill(self.tr("Result: %1"), text))
        self.result_label.setStyleSheet("color: #b00020;" if error else "")

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, TrustDecisionNeeded):
            self.trust_banner.first_use(exc)
            self._say(self.tr("Waiting for your decision about the certificate."))
        elif isinstance(exc, CertificateChanged):
            self.trust_banner.changed(exc)
            self._say(self.tr("Connection blocked: the certificate changed."), error=True)
        elif isinstance(exc, IppNotSupported):
            self._say(texts.fill(self.tr("Not supported by this printer: %1"), exc), error=True)
        elif isinstance(exc, IppNoAnswer):
            self.state_label.setText(self.tr("Not answering"))
            self._say(texts.fill(self.tr("The printer did not answer: %1"), exc), error=True)
        elif isinstance(exc, IppError | TlsTrustError | ValueError):
            self._say(texts.fill(self.tr("The printer refused: %1"), exc), error=True)
        else:
            log.warning("printing tab: unexpected %s", type(exc).__name__)
            self._say(
                texts.fill(self.tr("Something went wrong: %1"), type(exc).__name__), error=True
            )
