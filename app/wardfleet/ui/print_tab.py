"""The "Printing" tab of one printer: state and reasons in words, its jobs (with cancel),
test page, pause/resume, and "Add to this PC".

Self-contained: it takes the async API objects (an ``IppClient`` and the printer's URI,
optionally ``PrintQueues``) and never blocks the UI thread; every network call is a task
on the qasync loop. Device-supplied text is shown as plain text only. Job names are shown
only when the desktop's setting allows (``show_job_names``); they are never logged.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
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
from wardfleet.ui.device_tab_base import AsyncTabMixin
from wardfleet.ui.flow_layout import FlowLayout
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.theme import error_colour
from wardfleet.ui.widgets import plain_label, section_font

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

        buttons = FlowLayout()  # wraps in the narrow detail pane instead of clipping
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
        layout.addLayout(buttons)

        jobs_bar = QHBoxLayout()
        title = QLabel(self.tr("Jobs"))
        title.setAccessibleName(self.tr("Jobs"))
        title.setFont(section_font(title.font()))
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
        self._explain_pages_column()
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
        # An empty table says nothing; this says there are no jobs (or not read yet).
        self.no_jobs_label = plain_label(self.tr("Reading the jobs…"))
        self.no_jobs_label.setObjectName("noJobs")
        self.no_jobs_label.setWordWrap(True)
        self.no_jobs_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.no_jobs_label, 1)
        self.jobs_table.hide()

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

    def _explain_pages_column(self) -> None:
        # A short header keeps the narrow pane from scrolling; the tip says what it counts.
        item = self.jobs_table.horizontalHeaderItem(3)
        if item is not None:
            item.setToolTip(self.tr("Pages printed so far (0 while the job waits)"))

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
        self._explain_pages_column()
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
            jobs = await self.client.jobs(self.uri, show_names=self.show_job_names)
            if self.completed_check.isChecked():  # finished ones as well, not instead
                jobs += await self.client.jobs(
                    self.uri, completed=True, show_names=self.show_job_names
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
        await self._refresh()  # the printer's state too: it is printing now, not "Ready"

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
        self.jobs_table.setVisible(bool(jobs))
        self.no_jobs_label.setVisible(not jobs)
        self.no_jobs_label.setText(
            self.tr("No jobs waiting, printing or finished.")
            if self.completed_check.isChecked()
            else self.tr("No jobs waiting or printing.")
        )
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
        # The theme's error colour, readable on the light and the dark palette alike.
        self.result_label.setStyleSheet(f"color: {error_colour(self.palette())};" if error else "")

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
