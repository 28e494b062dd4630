"""The detail pane's Print and Scanner tabs against a real ippeveprinter and real eSCL
captures on loopback: shown only for devices with the endpoint, built on first open,
swapped and shut down cleanly, trust on first use from the tab, live privacy setting."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QTabWidget

from tests.peers.ipp import IppPrinter
from tests.protocols.test_escl import Scanners, capture
from wardfleet.domain.device import Device, DeviceOverview, ServiceEndpoint
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.store import Store
from wardfleet.ui.detail_pane import DetailPane
from wardfleet.ui.detail_tabs import SHOW_JOB_NAMES_KEY, TabClients
from wardfleet.ui.dialogs import PreferencesDialog

HOSTILE = "<b>Ward 3</b><img src=x onerror=alert(1)>"


def overview(
    device_id: str, name: str, endpoints: tuple[ServiceEndpoint, ...] = ()
) -> DeviceOverview:
    device = Device(
        device_id, name, DeviceKind.PRINTER, Identity(), address="127.0.0.1",
        ward="Ward 3", endpoints=endpoints,
    )  # fmt: skip
    return DeviceOverview(device)


def printer_at(printer: IppPrinter, device_id: str = "p1", name: str = HOSTILE) -> DeviceOverview:
    return overview(device_id, name, (ServiceEndpoint("ipp", printer.port, "ipp/print"),))


@pytest.fixture
def pane(
    qloop: qasync.QEventLoop, qtbot: Any, store: Store, settings: QSettings
) -> Iterator[DetailPane]:
    detail = DetailPane()  # not qtbot.addWidget: it would delete the pane before shutdown
    detail.set_tab_clients(TabClients(store, queues=lambda: None), settings)
    detail.resize(700, 600)
    detail.show()
    yield detail
    closing = qloop.create_task(detail.shutdown())
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()
    qtbot.waitUntil(lambda: not detail.device_tabs.tasks(), timeout=2000)
    detail.close()
    detail.deleteLater()


def tab_texts(tabs: QTabWidget) -> list[str]:
    return [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]


def open_print(qtbot: Any, pane: DetailPane) -> Any:
    pane.tabs.setCurrentIndex(pane.device_tabs.print_index)
    qtbot.waitUntil(lambda: pane.device_tabs.print_page.content is not None, timeout=10_000)
    tab = pane.device_tabs.print_page.content
    qtbot.waitUntil(lambda: not tab.busy and tab.report is not None, timeout=20_000)
    return tab


@pytest.mark.peer("ippeveprinter")
def test_print_tab_only_for_a_printer_with_an_ipp_uri_and_swapped_cleanly(
    qtbot: Any, pane: DetailPane, ippeveprinter_host: IppPrinter
) -> None:
    printer = ippeveprinter_host
    pane.show_overview(overview("plain", "No IPP here"))
    assert tab_texts(pane.tabs) == ["Overview"]
    assert pane.tabs.tabBar().isHidden()  # a lone "Overview" tab is not shown
    assert pane.device_tabs.print_page.content is None  # nothing built while hidden

    pane.show_overview(printer_at(printer))
    assert tab_texts(pane.tabs) == ["Overview", "Print"]
    assert not pane.tabs.tabBar().isHidden()
    assert pane.device_tabs.print_page.content is None  # built on first open only
    tab = open_print(qtbot, pane)
    assert tab.uri == printer.uri and tab.ward == "Ward 3" and tab.device_name == HOSTILE
    assert tab.state_label.text() in ("Ready", "Printing")
    assert tab.report.make_and_model == printer.make_and_model
    # The hostile name stays text everywhere the pane shows it.
    assert pane.name_label.text() == HOSTILE
    assert pane.name_label.textFormat() == Qt.TextFormat.PlainText
    for label in pane.findChildren(QLabel):
        if HOSTILE in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()

    # Another printer: the old tab is shut down (no tasks left), a new one is built.
    pane.show_overview(printer_at(printer, "p2", "Second printer"))
    assert pane.device_tabs.print_page.content is not tab
    qtbot.waitUntil(lambda: not tab.busy, timeout=2000)  # its tasks were cancelled
    second = pane.device_tabs.print_page.content or open_print(qtbot, pane)
    qtbot.waitUntil(lambda: second.report is not None, timeout=20_000)
    assert second.device_name == "Second printer"

    # A device without IPP: the Print tab goes away and the overview shows.
    pane.show_overview(overview("plain", "No IPP here"))
    assert tab_texts(pane.tabs) == ["Overview"] and pane.tabs.currentIndex() == 0
    assert pane.tabs.tabBar().isHidden()
    assert pane.device_tabs.print_page.content is None
    qtbot.waitUntil(lambda: not second.busy, timeout=2000)
    pane.show_overview(None)
    assert tab_texts(pane.tabs) == ["Overview"]


@pytest.mark.peer("ippeveprinter")
def test_keyboard_moves_between_tabs_and_tabs_are_named(
    qtbot: Any, pane: DetailPane, ippeveprinter_host: IppPrinter
) -> None:
    pane.show_overview(printer_at(ippeveprinter_host))
    pane.poll_button.setFocus()
    qtbot.keyClick(pane.poll_button, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert pane.tabs.currentIndex() == pane.device_tabs.print_index
    tab = open_print(qtbot, pane)
    qtbot.keyClick(tab.refresh_button, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert pane.tabs.currentIndex() == 0
    assert pane.tabs.accessibleName() and pane.device_tabs.print_page.accessibleName() == "Print"


PATIENT_JOB = "Discharge letter - Mr Peter Patient 1957"


@pytest.mark.peer("ippeveprinter")
def test_job_names_follow_the_preference_live_and_never_leave_the_screen(
    qtbot: Any,
    qloop: qasync.QEventLoop,
    pane: DetailPane,
    settings: QSettings,
    store: Store,
    ippeveprinter_host: IppPrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    pane.show_overview(printer_at(ippeveprinter_host))
    tab = open_print(qtbot, pane)
    assert tab.jobs_table.columnCount() == 5 and not tab.show_job_names  # off by default
    # A held job (Create-Job without a document) stays listed until cancelled.
    created = qloop.create_task(tab.client.create_job(tab.uri, PATIENT_JOB))
    qtbot.waitUntil(created.done, timeout=10_000)
    job_id = created.result()

    dialog = PreferencesDialog(settings, None, None)
    qtbot.addWidget(dialog)
    assert not dialog.show_job_names.isChecked() and dialog.show_job_names.accessibleName()
    dialog.show_job_names.setChecked(True)
    dialog.accept()
    assert str(settings.value(SHOW_JOB_NAMES_KEY)).lower() == "true"
    pane.set_show_job_names(True)  # what the main window does when the dialog is accepted
    assert tab.show_job_names and tab.jobs_table.columnCount() == 6
    assert tab.jobs_table.horizontalHeaderItem(5).text() == "Name"
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)
    names = [tab.jobs_table.item(r, 5).text() for r in range(tab.jobs_table.rowCount())]
    assert PATIENT_JOB in names
    pane.set_show_job_names(False)
    assert tab.jobs_table.columnCount() == 5
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)
    assert all(j.name is None for j in tab.jobs)  # not even kept in memory once hidden
    cancelled = qloop.create_task(tab.client.cancel_job(tab.uri, job_id))
    qtbot.waitUntil(cancelled.done, timeout=10_000)
    cancelled.result()
    # Shown here only: never logged, never queued for the hub, not in the settings file.
    assert not [r for r in caplog.records if PATIENT_JOB in r.getMessage()]
    assert not [c for c in store.outbox_pending() if PATIENT_JOB in str(c.payload)]
    settings.sync()
    assert PATIENT_JOB not in Path(settings.fileName()).read_text(encoding="utf-8")


@pytest.mark.peer("ippeveprinter")
def test_certificate_is_trusted_from_the_tab_and_kept_for_polling(
    qtbot: Any, pane: DetailPane, store: Store, ippeveprinter_tls: IppPrinter
) -> None:
    endpoint = ServiceEndpoint("ipps", ippeveprinter_tls.port, "ipp/print")
    pane.show_overview(overview("tls", "Encrypted printer", (endpoint,)))
    pane.tabs.setCurrentIndex(pane.device_tabs.print_index)
    qtbot.waitUntil(lambda: pane.device_tabs.print_page.content is not None, timeout=10_000)
    tab = pane.device_tabs.print_page.content
    qtbot.waitUntil(lambda: tab.trust_banner.isVisible(), timeout=20_000)
    fingerprint = tab.trust_banner.fingerprint.text()
    assert len(fingerprint.split(":")) == 32
    qtbot.mouseClick(tab.trust_banner.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.report is not None and not tab.busy, timeout=20_000)
    assert not tab.trust_banner.isVisible() and tab.state_label.text() in ("Ready", "Printing")
    # The pin is the store's: the monitor's IPP source and later runs trust it too.
    from wardfleet.store.local import TlsPins

    assert TlsPins(store).get_pin(f"127.0.0.1:{ippeveprinter_tls.port}") == fingerprint


@pytest.fixture
def scanner() -> Iterator[str]:
    server = Scanners(
        {
            "/m283/eSCL/ScannerCapabilities": capture("hp-clj-mfp-m283fdw-caps.xml"),
            "/m283/eSCL/ScannerStatus": capture("hp-clj-mfp-m283fdw-status.xml"),
        }
    )
    try:
        yield server.base
    finally:
        server.close()


def test_scanner_tab_for_a_device_with_an_escl_url(
    qtbot: Any, pane: DetailPane, scanner: str
) -> None:
    port = urlsplit(scanner).port
    assert port is not None
    endpoints = (ServiceEndpoint("escl", port, "m283/eSCL"),)
    pane.show_overview(overview("mfp", "Ward MFP", endpoints))
    assert tab_texts(pane.tabs) == ["Overview", "Scanner"]
    pane.tabs.setCurrentIndex(pane.device_tabs.scan_index)
    qtbot.waitUntil(lambda: pane.device_tabs.scan_page.content is not None, timeout=10_000)
    tab = pane.device_tabs.scan_page.content
    qtbot.waitUntil(lambda: tab.report is not None and not tab.busy, timeout=10_000)
    assert tab.url == f"{scanner}/m283/eSCL"
    assert tab.report.capabilities.make_and_model


def test_the_window_starts_without_the_ipp_and_escl_modules() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from wardfleet.ui.detail_pane import DetailPane\n"
        "pane = DetailPane()\n"
        "loaded = [m for m in ('wardfleet.protocols.ipp', 'wardfleet.protocols.escl',"
        " 'wardfleet.ui.print_tab', 'wardfleet.ui.scanner_tab') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.peer("ippeveprinter")
def test_in_the_window_a_discovered_printer_gets_its_print_tab_and_the_preference_applies(
    qtbot: Any, make_window: Any, store: Store, ippeveprinter_host: IppPrinter
) -> None:
    import time

    from wardfleet.domain.observation import Observation, Protocol
    from wardfleet.services.discovery import merge_observation

    printer = ippeveprinter_host
    obs = Observation(
        Protocol.IPP, printer.host, Identity.of(uuid="0f0e0d0c-0b0a-4900-8800-000000000001"),
        time.time(), port=printer.port, name=HOSTILE, kind=DeviceKind.PRINTER,
        attributes={"ipp-uri": printer.uri},
    )  # fmt: skip
    device_id = merge_observation(store, obs).device_id
    window = make_window(store, rows=1)
    assert window.select_device(device_id)
    detail = window.detail
    qtbot.waitUntil(lambda: detail.tabs.isTabVisible(detail.device_tabs.print_index), timeout=5000)
    tab = open_print(qtbot, detail)
    assert tab.uri == printer.uri and not tab.show_job_names

    dialog = window.show_preferences()
    dialog.show_job_names.setChecked(True)
    dialog.accept()
    assert tab.show_job_names and tab.jobs_table.columnCount() == 6
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)


def test_values_from_says_which_protocol_gave_what(qtbot: Any) -> None:
    from wardfleet.domain.kinds import DeviceState
    from wardfleet.domain.status import DeviceStatus, Supply
    from wardfleet.services.status_combine import combine

    snmp = DeviceStatus(
        DeviceState.OK, 1.0, supplies=(Supply("1.1", "Black", level=5, capacity=10),),
        page_count=4711,
    )  # fmt: skip
    ipp = DeviceStatus(DeviceState.OK, 2.0, printer_status="idle")
    detail = DetailPane()
    qtbot.addWidget(detail)
    shown = overview("both", "SNMP and IPP printer")
    detail.show_overview(DeviceOverview(shown.device, combine(snmp, ipp)))
    assert detail.status_form.values["sources"].text() == (
        "IPP: state and reasons, alerts\nSNMP: supplies, page count"
    )
    detail.show_overview(DeviceOverview(shown.device, snmp))  # one protocol: no row
    assert detail.status_form.values["sources"].isHidden()


def test_values_from_names_the_scanner_on_an_mfd(qtbot: Any) -> None:
    """An MFD whose scanner answered eSCL (a real capture): "eSCL: scanner state"."""
    from wardfleet.domain.kinds import DeviceState
    from wardfleet.domain.status import DeviceStatus, Supply
    from wardfleet.protocols.escl import device_status, parse_status
    from wardfleet.services.status_combine import combine

    snmp = DeviceStatus(
        DeviceState.OK, 1.0, supplies=(Supply("1.1", "Black", level=5, capacity=10),),
        page_count=4711,
    )  # fmt: skip
    ipp = DeviceStatus(DeviceState.OK, 2.0, printer_status="idle")
    scanner = parse_status(capture("hp-clj-mfp-m283fdw-status.xml"))  # real: Processing
    escl = device_status(scanner, polled_at=3.0)
    combined = combine(snmp, ipp, escl)
    assert combined.sources["scanner"] == "escl"
    detail = DetailPane()
    qtbot.addWidget(detail)
    shown = overview("mfd", "SNMP, IPP and eSCL MFD")
    detail.show_overview(DeviceOverview(shown.device, combined))
    assert detail.status_form.values["sources"].text() == (
        "eSCL: state and reasons, scanner state\nIPP: alerts\nSNMP: supplies, page count"
    )
