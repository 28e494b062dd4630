"""The scanning tab over real eSCL captures served on loopback, on the qasync loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget

from tests.protocols.test_escl import Scanners, capture
from wardfleet.protocols.escl import EsclClient
from wardfleet.ui.scanner_tab import ScannerTab


@pytest.fixture(scope="module")
def scanners() -> Iterator[str]:
    jam = capture("hp-smart-tank-plus-570-status.xml").replace(b"ScannerAdfEmpty", b"ScannerAdfJam")
    hostile = b"<scan:ScannerStatus xmlns:scan='http://schemas.hp.com/imaging/escl/2011/05/03'"
    hostile += b" xmlns:pwg='http://www.pwg.org/schemas/2010/12/sm'>"
    hostile += b"<pwg:State>Idle</pwg:State><scan:AdfState>&lt;b&gt;Jam&lt;/b&gt;</scan:AdfState>"
    hostile += b"</scan:ScannerStatus>"
    server = Scanners(
        {
            "/m283/eSCL/ScannerCapabilities": capture("hp-clj-mfp-m283fdw-caps.xml"),
            "/m283/eSCL/ScannerStatus": capture("hp-clj-mfp-m283fdw-status.xml"),
            "/jam/eSCL/ScannerCapabilities": capture("hp-smart-tank-plus-570-caps.xml"),
            "/jam/eSCL/ScannerStatus": jam,
            "/html/eSCL/ScannerCapabilities": capture("brother-mfc-l8690cdw-caps.xml"),
            "/html/eSCL/ScannerStatus": hostile,
        }
    )
    try:
        yield server.base
    finally:
        server.close()


@pytest.fixture
def make_tab(qloop: qasync.QEventLoop, qtbot: Any) -> Iterator[Any]:
    http = httpx.AsyncClient()
    client = EsclClient(http, timeout=2)
    made: list[ScannerTab] = []

    def make(url: str) -> ScannerTab:
        tab = ScannerTab(client, url, auto_refresh_ms=0)
        qtbot.addWidget(tab)
        tab.show()
        made.append(tab)
        return tab

    yield make
    for tab in made:
        tab.shutdown()
        qtbot.waitUntil(lambda t=tab: not t.busy, timeout=5000)
    closing = asyncio.ensure_future(asyncio.gather(client.aclose(), http.aclose()))
    qtbot.waitUntil(closing.done, timeout=5000)


def refreshed(qtbot: Any, tab: ScannerTab) -> ScannerTab:
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy, timeout=10_000)
    return tab


def test_busy_scanner_with_jobs(qtbot: Any, make_tab: Any, scanners: str) -> None:
    tab = refreshed(qtbot, make_tab(f"{scanners}/m283"))
    assert tab.state_label.text() == "Scanning"
    assert tab.state_label.accessibleName() == "Scanner state: Scanning"
    assert tab.alerts_label.text() == "No problems reported"
    assert tab.values["adf"].text() == "Empty"
    assert tab.values["model"].text() == "HP Color LaserJet MFP M283fdw"
    assert tab.values["serial"].text() == "Not reported"  # the capture says "NULL"
    assert tab.values["sources"].text() == "Glass, Feeder"
    assert tab.values["resolutions"].text() == "75, 150, 200, 300, 600, 1200"
    rows = [
        [tab.jobs_table.item(r, c).text() for c in range(tab.jobs_table.columnCount())]
        for r in range(tab.jobs_table.rowCount())
    ]
    assert rows == [
        ["5aae756a", "Scanning", "", "1", "110 s"],  # the reason only repeated the state
        ["9a945b93", "Aborted", "Cancelled at the scanner", "1", "100 s"],
    ]
    assert tab.jobs_table.isVisible() and not tab.no_jobs_label.isVisible()
    assert tab.values["colour"].text() == "Colour, Greyscale"  # not RGB24, Grayscale8
    for widget in tab.findChildren(QAbstractButton) + tab.findChildren(QTableWidget):
        if not widget.objectName().startswith("qt_"):
            assert widget.accessibleName(), widget


def test_feeder_jam_in_words(qtbot: Any, make_tab: Any, scanners: str) -> None:
    tab = refreshed(qtbot, make_tab(f"{scanners}/jam"))
    assert tab.state_label.text() == "Ready"
    assert tab.alerts_label.text() == "Document feeder jam"
    assert tab.values["adf"].text() == "Document feeder jam"


def test_device_text_is_plain(qtbot: Any, make_tab: Any, scanners: str) -> None:
    tab = refreshed(qtbot, make_tab(f"{scanners}/html"))
    assert tab.values["adf"].text() == "<b>Jam</b>"  # shown literally, never as bold
    for label in tab.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or not label.text().startswith("<")
    assert tab.values["sources"].text() == "Glass, Feeder, two-sided"
    # The hostile status lists no jobs: the tab says so instead of a blank table.
    assert tab.no_jobs_label.isVisible() and not tab.jobs_table.isVisible()
    assert tab.no_jobs_label.text() == "No recent scan jobs."


def test_unreachable_scanner(qtbot: Any, make_tab: Any) -> None:
    tab = refreshed(qtbot, make_tab("http://127.0.0.1:9"))
    assert tab.state_label.text() == "Not answering"
    assert tab.result_label.text().startswith("The scanner did not answer: ")
