"""The Print and Scanner tabs of the device detail pane: shown when the device has an IPP
URI or an eSCL URL, built the first time they are opened, swapped when the selection moves.

The IPP/eSCL modules and their network clients load only when a tab is first opened, so
the window starts without them. Each built tab is shut down (its tasks cancelled) when
another device is selected or the window closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from wardfleet.domain.device import Device
from wardfleet.ui import texts
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:  # loaded with the first tab, not with the window
    import httpx

    from wardfleet.protocols.escl import EsclClient
    from wardfleet.protocols.ipp import IppClient
    from wardfleet.services.print_queues import PrintQueues
    from wardfleet.store import Store

log = logging.getLogger(__name__)

SHOW_JOB_NAMES_KEY = "privacy/showJobNames"


def show_job_names(settings: QSettings | None) -> bool:
    """This desktop's choice; off unless someone turned it on here (names may be patients')."""
    if settings is None:
        return False
    return str(settings.value(SHOW_JOB_NAMES_KEY, "false")).lower() in ("true", "1")


class TabClients:
    """The network clients the tabs share, made on first use and closed at the end.

    TLS pins are the store's (shared with the monitor, so a certificate trusted in a tab
    counts for polling at once); without a store they live in memory.
    """

    def __init__(
        self,
        store: Store | None,
        *,
        queues: Callable[[], PrintQueues | None] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._store = store
        self._queues_factory = queues
        self._timeout_s = timeout_s
        self._http: httpx.AsyncClient | None = None
        self._ipp: IppClient | None = None
        self._escl: EsclClient | None = None
        self._lock = asyncio.Lock()

    async def _shared(self) -> tuple[httpx.AsyncClient, Any]:
        import httpx

        from wardfleet.protocols.ipp_tls import MemoryPins

        pins: Any = MemoryPins()
        if self._store is not None:
            from wardfleet.services.tls_watch import shared_pins

            pins = shared_pins(self._store)
            await asyncio.to_thread(pins.load)
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self._timeout_s)
        return self._http, pins

    async def ipp(self) -> IppClient:
        async with self._lock:
            if self._ipp is None:
                from wardfleet.protocols.ipp import IppClient

                http, pins = await self._shared()
                self._ipp = IppClient(http, pins=pins, timeout=self._timeout_s)
            return self._ipp

    async def escl(self) -> EsclClient:
        async with self._lock:
            if self._escl is None:
                from wardfleet.protocols.escl import EsclClient

                http, pins = await self._shared()
                self._escl = EsclClient(http, pins=pins, timeout=self._timeout_s)
            return self._escl

    def queues(self) -> PrintQueues | None:
        if self._queues_factory is not None:
            return self._queues_factory()
        from wardfleet.services.print_queues import for_this_workstation

        return for_this_workstation()

    async def aclose(self) -> None:
        for client in (self._ipp, self._escl):
            if client is not None:
                await client.aclose()
        if self._http is not None:
            await self._http.aclose()
        self._ipp = self._escl = self._http = None


class _Page(QWidget):
    """A tab page holding a placeholder until its real content is built."""

    def __init__(self, waiting: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._waiting_text = waiting
        self.content: Any = None  # a PrintTab or ScannerTab once built
        self.key: tuple[str, str] | None = None  # (device id, URL) the content is for
        self.task: asyncio.Task[None] | None = None
        self._placeholder = plain_label(waiting)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._layout.addWidget(self._placeholder)

    def set_content(self, widget: QWidget) -> None:
        self._placeholder.hide()
        self._layout.addWidget(widget)
        self.content = widget

    def say(self, text: str) -> None:
        self._placeholder.setText(text)
        self._placeholder.show()

    def clear(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None
        if self.content is not None:
            self.content.shutdown()
            self._layout.removeWidget(self.content)
            self.content.hide()
            self.content.deleteLater()
            self.content = None
        self.key = None
        self.say(self._waiting_text)


class DeviceTabs(QObject):
    """Adds the Print and Scanner pages to ``tabs`` (whose page 0 is the overview)."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.clients: TabClients | None = None
        self.settings: QSettings | None = None
        self._device: Device | None = None
        self.print_page = _Page(self.tr("Asking the printer…"))
        self.print_page.setObjectName("printPage")
        self.print_page.setAccessibleName(self.tr("Print"))
        self.scan_page = _Page(self.tr("Asking the scanner…"))
        self.scan_page.setObjectName("scannerPage")
        self.scan_page.setAccessibleName(self.tr("Scanner"))
        self.print_index = tabs.addTab(self.print_page, self.tr("Print"))
        self.scan_index = tabs.addTab(self.scan_page, self.tr("Scanner"))
        tabs.setTabVisible(self.print_index, False)
        tabs.setTabVisible(self.scan_index, False)
        tabs.currentChanged.connect(self._build_current)
        # Ctrl+PgUp/PgDn move between the visible tabs from anywhere in the pane.
        for keys, step in ((QKeySequence("Ctrl+PgDown"), 1), (QKeySequence("Ctrl+PgUp"), -1)):
            shortcut = QShortcut(keys, tabs)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step(s))

    # Public ---------------------------------------------------------------------------------
    def show_device(self, device: Device | None) -> None:
        """Show the tabs ``device`` has; rebuild a tab whose device or URL changed."""
        self._device = device
        enabled = self.clients is not None and device is not None
        uri = device.ipp_uri if enabled and device is not None else None
        url = device.escl_url if enabled and device is not None else None
        for page, index, target in (
            (self.print_page, self.print_index, uri),
            (self.scan_page, self.scan_index, url),
        ):
            key = (device.id, target) if device is not None and target is not None else None
            if page.key != key:
                page.clear()
                page.key = key
            self.tabs.setTabVisible(index, key is not None)
        if not self.tabs.isTabVisible(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(0)
        # A lone "Overview" tab is noise; setTabBarAutoHide counts hidden tabs too.
        visible = sum(self.tabs.isTabVisible(i) for i in range(self.tabs.count()))
        self.tabs.tabBar().setVisible(visible > 1)
        self._build_current(self.tabs.currentIndex())

    def set_show_job_names(self, show: bool) -> None:
        if self.print_page.content is not None:
            self.print_page.content.set_show_job_names(show)

    def step(self, direction: int) -> None:
        visible = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if len(visible) < 2:
            return
        position = (
            visible.index(self.tabs.currentIndex()) if self.tabs.currentIndex() in visible else 0
        )
        self.tabs.setCurrentIndex(visible[(position + direction) % len(visible)])

    def tasks(self) -> list[asyncio.Task[Any]]:
        """Every task the tabs run now (the leak checks of the tests look here)."""
        out: list[asyncio.Task[Any]] = []
        for page in (self.print_page, self.scan_page):
            if page.task is not None and not page.task.done():
                out.append(page.task)
            if page.content is not None:
                out.extend(page.content.tasks())
        return out

    async def shutdown(self) -> None:
        """Stop every tab and close the clients; safe to call twice."""
        self.print_page.clear()
        self.scan_page.clear()
        if self.clients is not None:
            with contextlib.suppress(Exception):  # closing must not stop the window closing
                await self.clients.aclose()

    # Building -------------------------------------------------------------------------------
    def _build_current(self, index: int) -> None:
        device = self._device
        if device is None or self.clients is None:
            return
        page = self.tabs.widget(index)
        if page is self.print_page and self.print_page.key is not None:
            self._start(self.print_page, self._build_print(device, self.print_page.key[1]))
        elif page is self.scan_page and self.scan_page.key is not None:
            self._start(self.scan_page, self._build_scanner(self.scan_page.key[1]))

    def _start(self, page: _Page, build: Coroutine[Any, Any, None]) -> None:
        if page.content is not None or (page.task is not None and not page.task.done()):
            build.close()  # built or being built already
            return
        page.task = asyncio.ensure_future(build)
        page.task.add_done_callback(functools.partial(self._built, page))

    def _built(self, page: _Page, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        log.warning("a device tab could not open: %s", type(exc).__name__)
        page.say(texts.fill(self.tr("This tab could not open: %1"), exc))

    async def _build_print(self, device: Device, uri: str) -> None:
        from wardfleet.ui.print_tab import PrintTab

        assert self.clients is not None
        client = await self.clients.ipp()
        tab = PrintTab(
            client,
            uri,
            ward=device.ward,
            device_name=device.display_name,
            show_job_names=show_job_names(self.settings),
            queues=self.clients.queues(),
        )
        tab.setObjectName("printTab")
        self.print_page.set_content(tab)
        tab.refresh()

    async def _build_scanner(self, url: str) -> None:
        from wardfleet.ui.scanner_tab import ScannerTab

        assert self.clients is not None
        client = await self.clients.escl()
        tab = ScannerTab(client, url)
        tab.setObjectName("scannerTab")
        self.scan_page.set_content(tab)
        tab.refresh()
