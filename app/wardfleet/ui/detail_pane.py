"""The right-hand pane: who the selected device is and how it is, in words.

Every device-supplied string goes into plain-text labels. IP, MAC, serial and location
always have a row, with "Not reported" when the device did not say. The overview is the
first tab; a printer with an IPP URI gets a Print tab and a scanner with an eSCL URL a
Scanner tab (ui/detail_tabs.py).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.status import DeviceStatus, Severity
from wardfleet.ui import texts
from wardfleet.ui.detail_forms import ListSection, ValueForm
from wardfleet.ui.detail_tabs import DeviceTabs, TabClients
from wardfleet.ui.resources import kind_icon, state_icon
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.widgets import SectionTitle, SupplyBar, plain_label, separator

_PROTOCOL_NAMES = {
    "snmp": "SNMP",
    "mdns": "mDNS",
    "dns-sd": "DNS-SD",
    "ipp": "IPP",
    "escl": "eSCL",
    "demo": QT_TRANSLATE_NOOP("DetailPane", "Demo"),
}

AddressHistory = list[tuple[str, float, float]]

_SOURCE_WORDS = {  # DeviceStatus.sources keys, in the order they are listed
    "state": QT_TRANSLATE_NOOP("DetailPane", "state and reasons"),
    "scanner": QT_TRANSLATE_NOOP("DetailPane", "scanner state"),
    "alerts": QT_TRANSLATE_NOOP("DetailPane", "alerts"),
    "supplies": QT_TRANSLATE_NOOP("DetailPane", "supplies"),
    "trays": QT_TRANSLATE_NOOP("DetailPane", "paper trays"),
    "page_count": QT_TRANSLATE_NOOP("DetailPane", "page count"),
    "uptime_s": QT_TRANSLATE_NOOP("DetailPane", "up time"),
}


class DetailPane(QWidget):
    pollRequested = Signal(str)
    acknowledgeRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName(self.tr("Device details"))
        self._overview: DeviceOverview | None = None
        self._history: AddressHistory = []
        self._history_for: str | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("detailTabs")
        self.tabs.setAccessibleName(self.tr("Device detail tabs"))
        self.tabs.setDocumentMode(True)
        outer.addWidget(self.tabs)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Long values wrap instead: a sideways scroll bar hides the bottom row.
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setAccessibleName(self.tr("Device details"))
        self.tabs.addTab(self._scroll, self.tr("Overview"))
        self.device_tabs = DeviceTabs(self.tabs)

        body = QWidget()
        body.setObjectName("detailBody")
        self._scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)

        self._placeholder = plain_label(self.tr("Select a device to see its details."))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        layout.addWidget(self._placeholder)

        self._content = QWidget()
        layout.addWidget(self._content)
        layout.addStretch(1)
        content = QVBoxLayout(self._content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(6)

        content.addLayout(self._build_header())
        content.addLayout(self._build_buttons())
        content.addWidget(separator())

        self.identity = ValueForm(self.tr("Identity"))
        # Address, MAC, serial and place first: they are what a helpdesk call asks for.
        for key, field in (
            ("address", self.tr("IP address")),
            ("mac", self.tr("MAC address")),
            ("serial", self.tr("Serial number")),
            ("ward", self.tr("Ward")),
            ("location", self.tr("Location")),
            ("kind", self.tr("Kind")),
            ("vendor", self.tr("Vendor")),
            ("model", self.tr("Model")),
            ("history", self.tr("Earlier addresses")),
            ("protocols", self.tr("Seen by")),
            ("first_seen", self.tr("First seen")),
            ("last_seen", self.tr("Last seen")),
            ("notes", self.tr("Notes")),
        ):
            self.identity.add(key, field)
        content.addWidget(self.identity)

        self.status_form = ValueForm(self.tr("Status"))
        for key, field in (
            ("problems", self.tr("Problems")),
            ("device_status", self.tr("Device reports")),
            ("polled", self.tr("Last polled")),
            ("latency", self.tr("Response time")),
            ("pages", self.tr("Page count")),
            ("uptime", self.tr("Up for")),
            ("sources", self.tr("Values from")),
        ):
            self.status_form.add(key, field)
        content.addWidget(self.status_form)

        self._supplies_title = SectionTitle(self.tr("Supplies"))
        content.addWidget(self._supplies_title)
        self._supplies = QWidget()
        self._supplies_grid = QGridLayout(self._supplies)
        self._supplies_grid.setContentsMargins(0, 0, 0, 0)
        self._supplies_grid.setHorizontalSpacing(10)
        self._supplies_grid.setVerticalSpacing(3)
        self._supplies_grid.setColumnStretch(0, 1)
        content.addWidget(self._supplies)

        self.trays = ListSection(self.tr("Paper trays"))
        content.addWidget(self.trays)
        self.alerts = ListSection(self.tr("Device alerts"))
        content.addWidget(self.alerts)
        self.read_errors = ListSection(self.tr("Could not read"))
        content.addWidget(self.read_errors)

        self._align_forms((self.identity, self.status_form))
        self.show_overview(None)

    # Construction --------------------------------------------------------------------
    def _build_header(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self._kind_icon = plain_label()
        self._kind_icon.setFixedSize(QSize(36, 36))
        self._kind_icon.setAccessibleName(self.tr("Device kind"))
        grid.addWidget(self._kind_icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)

        self.name_label = plain_label()
        self.name_label.setObjectName("detailName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name_label.setFont(font)
        grid.addWidget(self.name_label, 0, 1)

        state_row = QHBoxLayout()
        state_row.setSpacing(6)
        self._state_icon = plain_label()
        self._state_icon.setFixedSize(QSize(16, 16))
        state_row.addWidget(self._state_icon)
        self.state_label = plain_label()
        self.state_label.setObjectName("detailState")
        self.state_label.setWordWrap(True)
        state_row.addWidget(self.state_label, 1)
        grid.addLayout(state_row, 1, 1)

        self.new_label = plain_label(self.tr("New device: check it and mark it as reviewed."))
        self.new_label.setObjectName("detailNew")
        self.new_label.setWordWrap(True)
        font = QFont(self.new_label.font())
        font.setItalic(True)
        self.new_label.setFont(font)
        grid.addWidget(self.new_label, 2, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.poll_button = QPushButton(self.tr("P&oll now"))
        self.poll_button.setAccessibleName(self.tr("Poll now"))
        self.poll_button.setAccessibleDescription(self.tr("Ask the device for its status now"))
        self.poll_button.setToolTip(self.tr("Ask the device for its status now"))
        self.poll_button.clicked.connect(self._on_poll)
        self.ack_button = QPushButton(self.tr("Mark as &reviewed"))
        self.ack_button.setAccessibleName(self.tr("Mark as reviewed"))
        self.ack_button.setAccessibleDescription(
            self.tr("Clear the New flag once you have checked this device")
        )
        self.ack_button.setToolTip(self.tr("Clear the New flag once you have checked this device"))
        self.ack_button.clicked.connect(self._on_acknowledge)
        for button in (self.poll_button, self.ack_button):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        row.addStretch(1)
        return row

    @staticmethod
    def _align_forms(forms: tuple[ValueForm, ...]) -> None:
        """One label column width for all forms, so values line up down the pane."""
        labels = [label for form in forms for label in form.name_labels()]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    # Public --------------------------------------------------------------------------
    @property
    def device_id(self) -> str | None:
        return self._overview.device.id if self._overview else None

    @property
    def overview(self) -> DeviceOverview | None:
        return self._overview

    def set_tab_clients(self, clients: TabClients, settings: QSettings | None) -> None:
        """Enable the Print and Scanner tabs (without clients they never show)."""
        self.device_tabs.clients, self.device_tabs.settings = clients, settings
        self.device_tabs.show_device(self._overview.device if self._overview else None)

    def set_show_job_names(self, show: bool) -> None:
        self.device_tabs.set_show_job_names(show)

    async def shutdown(self) -> None:
        await self.device_tabs.shutdown()

    def set_polling(self, busy: bool) -> None:
        self.poll_button.setEnabled(not busy and self._overview is not None)
        self.poll_button.setText(self.tr("Polling…") if busy else self.tr("P&oll now"))

    def set_address_history(self, device_id: str, history: AddressHistory) -> None:
        self._history_for, self._history = device_id, history
        if self._overview is not None and self._overview.device.id == device_id:
            self._fill_history()

    def refresh(self) -> None:
        """Fill again with the same device, so relative times ("2 min ago") stay true."""
        self.show_overview(self._overview, force=True)

    def show_overview(self, overview: DeviceOverview | None, *, force: bool = False) -> None:
        if overview is not None and overview == self._overview and not force:
            return
        if overview is None or self.device_id != overview.device.id:
            self._history_for, self._history = None, []
        self._overview = overview
        self._placeholder.setVisible(overview is None)
        self._content.setVisible(overview is not None)
        self.poll_button.setEnabled(overview is not None)
        self.device_tabs.show_device(overview.device if overview is not None else None)
        if overview is None:
            return
        self._fill_header(overview)
        self._fill_identity(overview)
        self._fill_status(overview.status, overview)
        self._fill_supplies(overview.status)
        self._fill_trays(overview.status)
        self._fill_alerts(overview.status)
        self._fill_read_errors(overview.status)

    # Filling -------------------------------------------------------------------------
    def _fill_header(self, overview: DeviceOverview) -> None:
        device = overview.device
        self._kind_icon.setPixmap(kind_icon(device.kind).pixmap(QSize(32, 32)))
        self._kind_icon.setToolTip(texts.kind_long_text(device.kind))
        self._kind_icon.setAccessibleName(texts.kind_long_text(device.kind))
        self.name_label.setText(device.display_name)
        self.name_label.setAccessibleName(texts.fill(self.tr("Device %1"), device.display_name))
        self._state_icon.setPixmap(state_icon(device.state).pixmap(QSize(16, 16)))
        self.state_label.setText(self._state_words(overview))
        self.state_label.setAccessibleName(self.state_label.text())
        self.new_label.setVisible(device.is_new)
        self.ack_button.setVisible(device.is_new)

    def _state_words(self, overview: DeviceOverview) -> str:
        words = texts.state_text(overview.device.state)
        status = overview.status
        if status is not None and status.error_bits:
            problems = ", ".join(texts.error_bit_text(bit) for bit in status.error_bits)
            return f"{words} — {problems}"
        if status is not None and not status.reachable and status.errors:
            return f"{words} — {status.errors[0].message}"
        if status is not None and status.alerts:
            return f"{words} — {status.alerts[0].description or status.alerts[0].code}"
        return words

    def _fill_identity(self, overview: DeviceOverview) -> None:
        device, form = overview.device, self.identity
        form.set("kind", texts.kind_long_text(device.kind))
        form.set("vendor", texts.or_not_reported(device.vendor))
        form.set("model", texts.or_not_reported(device.model))
        form.set("serial", texts.or_not_reported(device.identity.serial))
        form.set("mac", texts.or_not_reported(device.identity.mac))
        address = device.address or ""
        if address and device.port:
            address = texts.fill(self.tr("%1 (port %2)"), address, device.port)
        form.set("address", texts.or_not_reported(address))
        form.set("ward", texts.or_not_reported(device.ward))
        form.set("location", texts.or_not_reported(device.location))
        form.set("protocols", self._protocols_text(device.protocols))
        form.set("first_seen", self._when(device.first_seen))
        form.values["first_seen"].setToolTip(texts.absolute_time(device.first_seen))
        form.set("last_seen", self._when(device.last_seen))
        form.values["last_seen"].setToolTip(texts.absolute_time(device.last_seen))
        form.set("notes", device.notes or "")
        form.set_row_visible("notes", bool(device.notes))
        self._fill_history()

    def _fill_history(self) -> None:
        overview = self._overview
        current = overview.device.address if overview else None
        earlier = [
            texts.fill(self.tr("%1 (until %2)"), address, texts.absolute_time(last))
            for address, _first, last in self._history
            if address != current
        ]
        self.identity.set("history", "\n".join(earlier))
        self.identity.set_row_visible("history", bool(earlier))

    def _protocols_text(self, protocols: dict[str, float]) -> str:
        if not protocols:
            return texts.not_reported()
        parts = []
        for name, ts in sorted(protocols.items(), key=lambda item: -item[1]):
            label = _PROTOCOL_NAMES.get(name, name)
            if name == "demo":
                label = self.tr(label)
            parts.append(f"{label} — {texts.relative_time(ts)}")
        return "\n".join(parts)

    @staticmethod
    def _when(ts: float | None) -> str:
        return texts.when_text(ts)

    def _fill_status(self, status: DeviceStatus | None, overview: DeviceOverview) -> None:
        form = self.status_form
        if status is None:
            for key in ("problems", "device_status", "latency", "pages", "uptime", "sources"):
                form.set_row_visible(key, False)
            form.set("polled", self.tr("Not polled yet"))
            return
        locale = QLocale()
        problems = [texts.error_bit_text(bit) for bit in status.error_bits]
        form.set("problems", "\n".join(problems) or self.tr("None reported"))
        form.set(
            "device_status", texts.device_reports_text(status.device_status, status.printer_status)
        )
        form.set("polled", self._when(status.polled_at))
        form.values["polled"].setToolTip(texts.absolute_time(status.polled_at))
        form.set(
            "latency",
            texts.fill(self.tr("%1 ms"), locale.toString(round(status.latency_ms)))
            if status.latency_ms is not None
            else "",
        )
        form.set("pages", locale.toString(status.page_count) if status.page_count else "")
        form.set("uptime", texts.duration_text(status.uptime_s) if status.uptime_s else "")
        form.set("sources", self._sources_text(status.sources))
        form.set_row_visible("problems", status.reachable)
        for key in ("device_status", "latency", "pages", "uptime", "sources"):
            form.set_row_visible(key, bool(form.values[key].text()))

    def _sources_text(self, sources: dict[str, str]) -> str:
        """Lines such as "IPP: state and reasons, alerts" and "SNMP: supplies, page count"."""
        by_protocol: dict[str, list[str]] = {}
        for key, words in _SOURCE_WORDS.items():
            if key in sources:
                by_protocol.setdefault(sources[key], []).append(self.tr(words))
        return "\n".join(
            f"{_PROTOCOL_NAMES.get(p, p)}: {', '.join(what)}" for p, what in by_protocol.items()
        )

    def _fill_supplies(self, status: DeviceStatus | None) -> None:
        grid = self._supplies_grid
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        supplies = status.supplies if status is not None else ()
        self._supplies_title.setVisible(bool(supplies))
        self._supplies.setVisible(bool(supplies))
        # Name and level on one line, the bar under them across the pane: the narrow pane
        # then needs neither a squeezed bar nor a cartridge name broken over two lines.
        for number, supply in enumerate(supplies):
            name = supply.description or texts.supply_name(supply)
            level = texts.supply_level_text(supply)
            name_label = plain_label(name)
            name_label.setWordWrap(True)  # a very long name still wraps, never widens
            if number:
                name_label.setContentsMargins(0, 4, 0, 0)
            level_label = plain_label(level)
            level_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            grid.addWidget(name_label, 2 * number, 0)
            grid.addWidget(level_label, 2 * number, 1)
            grid.addWidget(SupplyBar(supply, f"{name}: {level}"), 2 * number + 1, 0, 1, 2)

    def _fill_trays(self, status: DeviceStatus | None) -> None:
        lines = [texts.tray_text(tray) for tray in (status.trays if status is not None else ())]
        self.trays.set_lines(lines)

    def _fill_alerts(self, status: DeviceStatus | None) -> None:
        severity_words = {
            Severity.INFO: self.tr("Note"),
            Severity.WARNING: self.tr("Warning"),
            Severity.CRITICAL: self.tr("Critical"),
        }
        lines = [
            f"{severity_words[alert.severity]}: {alert.description or alert.code}"
            for alert in (status.alerts if status is not None else ())
        ]
        self.alerts.set_lines(lines)

    def _fill_read_errors(self, status: DeviceStatus | None) -> None:
        lines = [
            f"{error.table}: {error.message}"
            for error in (status.errors if status is not None else ())
            if status is not None and status.reachable
        ]
        self.read_errors.set_lines(lines)

    # Buttons -------------------------------------------------------------------------
    def _on_poll(self) -> None:
        if self._overview is not None:
            self.pollRequested.emit(self._overview.device.id)

    def _on_acknowledge(self) -> None:
        if self._overview is not None:
            self.acknowledgeRequested.emit(self._overview.device.id)
