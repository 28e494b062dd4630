"""What the Print and Scanner tabs share: the certificate trust banner and the task
bookkeeping (spawn, cancel on close, auto-refresh, the heading with the state line)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from wardfleet.protocols.ipp_tls import CertificateChanged, TrustDecisionNeeded
from wardfleet.ui import texts
from wardfleet.ui.theme import error_colour
from wardfleet.ui.widgets import plain_label, section_font


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
        self.message.setStyleSheet(
            f"color: {error_colour(self.palette())}; font-weight: bold;" if alarm else ""
        )
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
        label.setFont(section_font(label.font(), 1.2))
        return label
