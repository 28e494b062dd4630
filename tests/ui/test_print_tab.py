"""The printing tab against a real IPP Everywhere printer (and a private cupsd for "Add to
this PC"), on the qasync loop like the app."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget

from tests.peers.cupsd import CupsServer
from tests.peers.ipp import IppPrinter, start_ippeveprinter
from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.ipp_tls import MemoryPins
from wardfleet.services.print_queues import CupsQueues
from wardfleet.ui.print_tab import PrintTab

pytestmark = pytest.mark.peer("ippeveprinter")
PATIENT_JOB = "X-ray request for Ms Mary Major"


@pytest.fixture
def client(qloop: qasync.QEventLoop, qtbot: Any) -> Iterator[IppClient]:
    http = httpx.AsyncClient()
    ipp = IppClient(http, pins=MemoryPins(), timeout=10)
    yield ipp
    closing = asyncio.ensure_future(asyncio.gather(ipp.aclose(), http.aclose()))
    qtbot.waitUntil(closing.done, timeout=5000)


@pytest.fixture
def make_tab(qtbot: Any, client: IppClient) -> Iterator[Any]:
    made: list[PrintTab] = []

    def make(uri: str, **kwargs: Any) -> PrintTab:
        tab = PrintTab(client, uri, auto_refresh_ms=0, **kwargs)
        qtbot.addWidget(tab)
        tab.show()
        made.append(tab)
        return tab

    yield make
    for tab in made:
        tab.shutdown()
        qtbot.waitUntil(lambda t=tab: not t.busy, timeout=5000)


def settle(qtbot: Any, tab: PrintTab) -> None:
    qtbot.waitUntil(lambda: not tab.busy, timeout=20_000)


def test_state_in_words_and_every_control_named(
    qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter
) -> None:
    tab = make_tab(ippeveprinter_host.uri)
    tab.refresh()
    settle(qtbot, tab)
    assert tab.state_label.text() in ("Ready", "Printing")
    assert tab.state_label.accessibleName().startswith("Printer state: ")
    assert tab.reasons_label.text() == "No problems reported"
    assert tab.message_label.text() in ("Idle.", "Printing.") or tab.message_label.text()
    for widget in tab.findChildren(QAbstractButton) + tab.findChildren(QTableWidget):
        if not widget.objectName().startswith("qt_"):  # Qt's own table corner button
            assert widget.accessibleName(), widget
    for label in tab.findChildren(QLabel):
        assert label.textFormat() in (Qt.TextFormat.PlainText, Qt.TextFormat.AutoText)
        if label in (tab.message_label, tab.reasons_label, tab.state_label):
            assert label.textFormat() == Qt.TextFormat.PlainText  # device text stays text
    assert not tab.add_button.isVisible()  # no queue deployment given
    # An empty job list says so in words instead of showing a blank table.
    assert tab.no_jobs_label.isVisible() == (not tab.jobs)
    assert tab.jobs_table.isVisible() == bool(tab.jobs)
    if not tab.jobs:
        assert tab.no_jobs_label.text() == "No jobs waiting or printing."


def test_buttons_wrap_in_a_narrow_pane_instead_of_clipping(
    qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter
) -> None:
    tab = make_tab(ippeveprinter_host.uri)
    tab.resize(300, 500)  # the detail pane's width in the window
    buttons = [tab.refresh_button, tab.test_page_button, tab.pause_button, tab.resume_button]
    qtbot.waitUntil(lambda: tab.test_page_button.geometry().bottom() > 0, timeout=2000)
    qtbot.wait(50)  # one more layout pass
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() < tab.width(), button.text()
    rows = {button.geometry().top() for button in buttons}
    assert len(rows) >= 2  # wrapped onto a second line


def test_test_page_then_listed(qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter) -> None:
    tab = make_tab(ippeveprinter_host.uri, ward="Ward 3")
    qtbot.mouseClick(tab.test_page_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.result_label.text().startswith("Test page sent as job ")
    job_id = tab.result_label.text().split("job ", 1)[1].split(" ", 1)[0]
    tab.completed_check.setChecked(True)  # finished jobs as well as, not instead of, active
    settle(qtbot, tab)
    shown = [tab.jobs_table.item(r, 0).text() for r in range(tab.jobs_table.rowCount())]
    assert job_id in shown  # whether still printing or done
    assert tab.jobs_table.isVisible() and not tab.no_jobs_label.isVisible()


def test_cancel_a_held_job_with_names_hidden_then_shown(
    qtbot: Any, make_tab: Any, client: IppClient, tmp_path: Path
) -> None:
    with start_ippeveprinter(tmp_path / "held", name="Held Printer") as handle:
        uri = handle.info.uri
        created = asyncio.ensure_future(client.create_job(uri, PATIENT_JOB))
        qtbot.waitUntil(created.done, timeout=10_000)
        job_id = created.result()

        shown_tab = make_tab(uri, show_job_names=True)
        shown_tab.refresh()
        settle(qtbot, shown_tab)
        assert shown_tab.jobs_table.columnCount() == 6
        assert shown_tab.jobs_table.item(0, 5).text() == PATIENT_JOB

        tab = make_tab(uri)
        tab.refresh()
        settle(qtbot, tab)
        assert tab.jobs_table.columnCount() == 5  # no name column at all
        cells = [
            tab.jobs_table.item(r, c).text()
            for r in range(tab.jobs_table.rowCount())
            for c in range(tab.jobs_table.columnCount())
        ]
        assert PATIENT_JOB not in cells and str(job_id) in cells and "Held" in cells
        assert not tab.cancel_button.isEnabled()
        tab.jobs_table.selectRow(0)
        assert tab.cancel_button.isEnabled()
        qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
        settle(qtbot, tab)
        assert tab.result_label.text() == f"Job {job_id} cancelled."
        assert tab.jobs_table.rowCount() == 0


def test_pause_on_a_printer_without_it_says_so(
    qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter
) -> None:
    tab = make_tab(ippeveprinter_host.uri)
    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.result_label.text().startswith("Not supported by this printer: ")


def test_unreachable_printer(qtbot: Any, make_tab: Any) -> None:
    tab = make_tab("ipp://127.0.0.1:9/ipp/print")
    tab.refresh()
    settle(qtbot, tab)
    assert tab.state_label.text() == "Not answering"
    assert "connection refused" in tab.result_label.text()


def test_first_use_trust_banner(qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter) -> None:
    tab = make_tab(f"ipps://127.0.0.1:{ippeveprinter_host.port}/ipp/print")
    tab.refresh()
    settle(qtbot, tab)
    banner = tab.trust_banner
    assert banner.isVisible() and len(banner.fingerprint.text()) == 95
    assert banner.fingerprint.accessibleName().endswith(banner.fingerprint.text())
    assert tab.state_label.text() == ""  # nothing was asked of the printer yet
    qtbot.mouseClick(banner.trust_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert not banner.isVisible()
    assert tab.state_label.text() in ("Ready", "Printing")


@pytest.mark.peer("cupsd")
def test_add_to_this_pc(
    qtbot: Any, make_tab: Any, ippeveprinter_host: IppPrinter, cupsd_server: CupsServer
) -> None:
    queues = CupsQueues(server=cupsd_server.server, error_log=cupsd_server.error_log)
    tab = make_tab(ippeveprinter_host.uri, queues=queues, device_name="Ward 3 Nurses")
    tab.refresh()
    settle(qtbot, tab)
    assert tab.add_button.isVisible()
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    try:
        assert tab.result_label.text() == "Added to this PC as Ward_3_Nurses, the default printer."
        assert "Ward_3_Nurses" in cupsd_server.run(["lpstat", "-v"]).stdout
    finally:
        cupsd_server.run(["lpadmin", "-x", "Ward_3_Nurses"])
