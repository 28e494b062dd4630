"""The "Scanning" tab of one eSCL scanner: state and feeder in words, capabilities, jobs.

Self-contained like the printing tab: it takes an ``EsclClient`` and the scanner's base
URL, runs every request as a qasync task, and shows device text as plain text only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardfleet.protocols.escl import EsclClient, EsclError, EsclNoAnswer, ScannerReport
from wardfleet.protocols.ipp_tls import CertificateChanged, TlsTrustError, TrustDecisionNeeded
from wardfleet.ui import texts
from wardfleet.ui.device_tab_base import AsyncTabMixin
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.widgets import ValueLabel, plain_label, section_font

log = logging.getLogger(__name__)

_STATE_WORDS = {
    "Idle": QT_TRANSLATE_NOOP("ScannerTab", "Ready"),
    "Processing": QT_TRANSLATE_NOOP("ScannerTab", "Scanning"),
    "Testing": QT_TRANSLATE_NOOP("ScannerTab", "Testing"),
    "Stopped": QT_TRANSLATE_NOOP("ScannerTab", "Stopped: needs attention"),
    "Down": QT_TRANSLATE_NOOP("ScannerTab", "Out of service"),
}
_ADF_WORDS = {
    "ScannerAdfEmpty": QT_TRANSLATE_NOOP("ScannerTab", "Empty"),
    "ScannerAdfLoaded": QT_TRANSLATE_NOOP("ScannerTab", "Loaded"),
    "ScannerAdfProcessing": QT_TRANSLATE_NOOP("ScannerTab", "Feeding"),
    "ScannerAdfJam": QT_TRANSLATE_NOOP("ScannerTab", "Document feeder jam"),
    "ScannerAdfHatchOpen": QT_TRANSLATE_NOOP("ScannerTab", "Document feeder cover open"),
    "ScannerAdfMispick": QT_TRANSLATE_NOOP("ScannerTab", "Document feeder mis-pick"),
    "ScannerAdfMultipickDetected": QT_TRANSLATE_NOOP("ScannerTab", "Several sheets fed at once"),
}
_JOB_WORDS = {
    "Pending": QT_TRANSLATE_NOOP("ScannerTab", "Waiting"),
    "Processing": QT_TRANSLATE_NOOP("ScannerTab", "Scanning"),
    "Completed": QT_TRANSLATE_NOOP("ScannerTab", "Done"),
    "Canceled": QT_TRANSLATE_NOOP("ScannerTab", "Cancelled"),
    "Aborted": QT_TRANSLATE_NOOP("ScannerTab", "Aborted"),
}
_COLOUR_MODE_WORDS = {
    "RGB24": QT_TRANSLATE_NOOP("ScannerTab", "Colour"),
    "RGB48": QT_TRANSLATE_NOOP("ScannerTab", "Colour (high depth)"),
    "Grayscale8": QT_TRANSLATE_NOOP("ScannerTab", "Greyscale"),
    "Grayscale16": QT_TRANSLATE_NOOP("ScannerTab", "Greyscale (high depth)"),
    "BlackAndWhite1": QT_TRANSLATE_NOOP("ScannerTab", "Black and white"),
}
# Job reasons in words; "" where the reason only repeats the job's state.
_JOB_REASON_WORDS = {
    "JobScanning": "",
    "JobCompletedSuccessfully": "",
    "JobCanceledAtDevice": QT_TRANSLATE_NOOP("ScannerTab", "Cancelled at the scanner"),
    "JobCanceledByUser": QT_TRANSLATE_NOOP("ScannerTab", "Cancelled by the user"),
    "JobTimedOut": QT_TRANSLATE_NOOP("ScannerTab", "Timed out"),
    "AbortedBySystem": QT_TRANSLATE_NOOP("ScannerTab", "Stopped by the scanner"),
}


class ScannerTab(AsyncTabMixin, QWidget):
    """Scanning tab for one eSCL scanner.

    ``client``: the app's EsclClient; ``url``: the scanner's base URL (``http://host:port``
    or ``.../eSCL``); ``auto_refresh_ms``: 0 = manual refresh only.
    """

    def __init__(
        self,
        client: EsclClient,
        url: str,
        *,
        auto_refresh_ms: int = 15_000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = set()
        self.client, self.url = client, url
        self.report: ScannerReport | None = None
        self.setAccessibleName(self.tr("Scanning"))
        self._build()
        self.start_auto_refresh(auto_refresh_ms)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.state_label = self.add_heading(layout, "scanState")
        self.alerts_label = plain_label()
        self.alerts_label.setObjectName("scanAlerts")
        self.alerts_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        layout.addWidget(self.alerts_label)

        form = QFormLayout()
        # Top-aligned like the overview's forms, next to values that wrap onto two lines.
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.values: dict[str, ValueLabel] = {}
        for key, field in (
            ("adf", self.tr("Document feeder")),
            ("model", self.tr("Make and model")),
            ("serial", self.tr("Serial number")),
            ("sources", self.tr("Scans from")),
            ("colour", self.tr("Colour modes")),
            ("resolutions", self.tr("Resolutions (dpi)")),
            ("formats", self.tr("File formats")),
        ):
            value = ValueLabel(field)
            value.setObjectName(f"scan-{key}")
            name = plain_label(f"{field}:")
            name.setBuddy(value)
            form.addRow(name, value)
            self.values[key] = value
        layout.addLayout(form)

        bar = QHBoxLayout()
        title = QLabel(self.tr("Recent scan jobs"))
        title.setAccessibleName(self.tr("Recent scan jobs"))
        title.setFont(section_font(title.font()))  # the same heading as the Print tab's Jobs
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh scanner status"))
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        headers = [
            self.tr("Job"),
            self.tr("State"),
            self.tr("Details"),
            self.tr("Pages"),
            self.tr("Age"),
        ]
        self.jobs_table = QTableWidget(0, len(headers), self)
        self.jobs_table.setObjectName("scanJobsTable")
        self.jobs_table.setAccessibleName(self.tr("Scan jobs"))
        self.jobs_table.setHorizontalHeaderLabels(headers)
        self.jobs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.jobs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.jobs_table.verticalHeader().setVisible(False)
        self.jobs_table.setCornerButtonEnabled(False)
        header = self.jobs_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Details take what is left and wrap: the narrow pane never scrolls sideways.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.jobs_table.setWordWrap(True)
        # Rows grow when the wrapped column narrows (the pane's width is known only later).
        header.sectionResized.connect(lambda *_: self.jobs_table.resizeRowsToContents())
        layout.addWidget(self.jobs_table, 1)
        self.no_jobs_label = plain_label(self.tr("Reading the jobs…"))
        self.no_jobs_label.setObjectName("noScanJobs")
        self.no_jobs_label.setWordWrap(True)
        self.no_jobs_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.no_jobs_label, 1)
        self.jobs_table.hide()

        self.result_label = plain_label()
        self.result_label.setObjectName("scanResult")
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(self.tr("Result"))
        layout.addWidget(self.result_label)

    def refresh(self) -> None:
        self.spawn(self._refresh())

    def shutdown(self) -> None:
        self._timer.stop()
        self.cancel_tasks()

    async def _refresh(self) -> None:
        try:
            report = await self.client.status(self.url)
        except Exception as exc:  # noqa: BLE001 - every failure becomes words on the tab
            self._show_error(exc)
            return
        self.trust_banner.hide()
        self.report = report
        self._show(report)

    def _trust(self, fingerprint: str) -> None:
        self.spawn(self._trust_async(fingerprint))

    async def _trust_async(self, fingerprint: str) -> None:
        try:
            await self.client.trust(self.url, fingerprint)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        await self._refresh()

    def _words(self, table: dict[str, str], key: str | None) -> str:
        if key is None:
            return self.tr("Not reported")
        return self.tr(table[key]) if key in table else key

    def _show(self, report: ScannerReport) -> None:
        scanner, caps = report.scanner, report.capabilities
        state = self._words(_STATE_WORDS, scanner.state)
        self.state_label.setText(state)
        self.state_label.setAccessibleName(texts.fill(self.tr("Scanner state: %1"), state))
        alerts = ", ".join(
            self._words(_ADF_WORDS, a.code) if a.code in _ADF_WORDS else a.description
            for a in report.status.alerts
        )
        self.alerts_label.setText(alerts or self.tr("No problems reported"))
        self.alerts_label.setAccessibleName(
            texts.fill(self.tr("Alerts: %1"), self.alerts_label.text())
        )
        sources = [self.tr("Glass")] if caps.has_platen else []
        if caps.has_adf:
            sources.append(self.tr("Feeder, two-sided") if caps.adf_duplex else self.tr("Feeder"))
        adf = self._words(_ADF_WORDS, scanner.adf_state) if caps.has_adf else self.tr("None")
        for key, value in (
            ("adf", adf),
            ("model", caps.make_and_model or self.tr("Not reported")),
            ("serial", caps.serial or self.tr("Not reported")),
            ("sources", ", ".join(sources) or self.tr("Not reported")),
            ("colour", ", ".join(self._words(_COLOUR_MODE_WORDS, m) for m in caps.color_modes)),
            ("resolutions", ", ".join(str(r) for r in caps.resolutions)),
            ("formats", ", ".join(caps.document_formats)),
        ):
            self.values[key].set_value(value)
        self.jobs_table.setRowCount(len(scanner.jobs))
        for row, job in enumerate(scanner.jobs):
            cells = [
                (job.uuid or job.uri or "")[:8],
                self._words(_JOB_WORDS, job.state),
                ", ".join(w for r in job.reasons if (w := self._reason_words(r))),
                "" if job.images_completed is None else str(job.images_completed),
                "" if job.age_s is None else texts.fill(self.tr("%1 s"), job.age_s),
            ]
            for column, value in enumerate(cells):
                self.jobs_table.setItem(row, column, QTableWidgetItem(value))
        self.jobs_table.resizeRowsToContents()
        self.jobs_table.setVisible(bool(scanner.jobs))
        self.no_jobs_label.setVisible(not scanner.jobs)
        self.no_jobs_label.setText(self.tr("No recent scan jobs."))
        self.result_label.setText("")

    def _reason_words(self, reason: str) -> str:
        if reason not in _JOB_REASON_WORDS:
            return reason  # the scanner's own word, shown as it is
        words = _JOB_REASON_WORDS[reason]
        return self.tr(words) if words else ""

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, TrustDecisionNeeded):
            self.trust_banner.first_use(exc)
        elif isinstance(exc, CertificateChanged):
            self.trust_banner.changed(exc)
            self.result_label.setText(self.tr("Connection blocked: the certificate changed."))
        elif isinstance(exc, EsclNoAnswer):
            self.state_label.setText(self.tr("Not answering"))
            self.result_label.setText(texts.fill(self.tr("The scanner did not answer: %1"), exc))
        elif isinstance(exc, EsclError | TlsTrustError):
            self.result_label.setText(
                texts.fill(self.tr("The scanner sent something unusable: %1"), exc)
            )
        else:
            log.warning("scanning tab: unexpected %s", type(exc).__name__)
            self.result_label.setText(
                texts.fill(self.tr("Something went wrong: %1"), type(exc).__name__)
            )
        self.result_label.setAccessibleName(
            texts.fill(self.tr("Result: %1"), self.result_label.text())
        )
