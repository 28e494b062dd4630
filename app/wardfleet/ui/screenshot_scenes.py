"""The screenshots past the main window: print-tab, alerts, profile-editor, deploy-wizard.

Each scene drives the real window the way a person would (select, open, click) and waits
for the real peers: the demo's loopback ippeveprinter, the demo SNMP agents, the store.
With ``WARDFLEET_SCREENSHOT_SEED=1`` (set by ``make screenshot`` for its throwaway data
folder under build/) it also saves an example profile and an SNMP credential set whose
secret lives in an in-process keyring, so the Deploy wizard can reach its dry-run page.
Only then does a scene write (alerts raised from the polled statuses, a test page to the
demo's loopback printer) or read devices (the dry run, loopback only); without it the
scenes only open and look. Never set it against a real data folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from keyring.backend import KeyringBackend
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QWidget

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.kinds import DeviceKind
from wardfleet.services.alerts import AlertService

if TYPE_CHECKING:
    from wardfleet.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SEED_ENV = "WARDFLEET_SCREENSHOT_SEED"
IPP_DEMO_NAME = "Demo ward printer (IPP)"
PROFILE_NAME = "Ward 7 printers"
PROFILE_SETTINGS = [("location", "Ward 7"), ("contact", "Ward 7 IT lead, ext. 4417")]
CREDENTIAL_SET = "Demo ward"
WAIT_S = 8.0
SaveFn = Callable[[QWidget, Path], Path | None]


def seeding() -> bool:
    return os.environ.get(SEED_ENV, "") not in ("", "0")


async def wait_for(check: Callable[[], bool], timeout_s: float = WAIT_S) -> bool:
    """Look a few times a second (no processEvents: qasync refuses re-entry)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not check():
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def capture_panes(window: MainWindow, out_dir: Path, save: SaveFn) -> list[Path]:
    """print-tab.png and alerts.png: before the graphs shot, which leaves the docks tall."""
    return await _run(window, out_dir, save, (_print_tab, _alerts))


async def capture_dialogs(window: MainWindow, out_dir: Path, save: SaveFn) -> list[Path]:
    """profile-editor.png and deploy-wizard.png (seeding the example profile when asked)."""
    if seeding():
        await asyncio.to_thread(_seed_store, window)
    return await _run(window, out_dir, save, (_profile_editor, _deploy_wizard))


Scene = Callable[["MainWindow", Path, SaveFn], Coroutine[Any, Any, Path | None]]


async def _run(
    window: MainWindow, out_dir: Path, save: SaveFn, scenes: tuple[Scene, ...]
) -> list[Path]:
    saved: list[Path] = []
    for scene in scenes:
        try:
            path = await scene(window, out_dir, save)
        except Exception:  # one broken scene must not cost the others
            log.exception("screenshot scene %s failed", scene.__name__)
            continue
        if path is not None:
            saved.append(path)
    return saved


# Seeding (throwaway store only) ------------------------------------------------------------
def _seed_store(window: MainWindow) -> None:
    import keyring

    from wardfleet.protocols.snmp_credentials import SnmpVersion
    from wardfleet.services import credential_sets
    from wardfleet.store import profiles

    store = window.store
    if profiles.find_profile(store, PROFILE_NAME) is None:
        profile = profiles.new_profile(PROFILE_NAME, PROFILE_SETTINGS, DeviceKind.PRINTER.value)
        ward_printers = [
            d
            for d in store.list_devices()
            if d.kind is DeviceKind.PRINTER and (d.location or "").startswith("Ward 7")
        ]
        with store.transaction() as tx:
            profiles.save(tx, profile, actor="screenshot")
            profiles.assign(tx, profiles.ward_target("Ward 7"), profile.id, actor="screenshot")
            for device in ward_printers:
                target = profiles.device_target(device.id)
                profiles.assign(tx, target, profile.id, actor="screenshot")
    keyring.set_keyring(_MemoryKeyring())
    names = {s.name for s in credential_sets.load_sets(store)}
    if CREDENTIAL_SET not in names:
        credential = credential_sets.build_set(CREDENTIAL_SET, SnmpVersion.V2C)
        credential_sets.put_set(store, credential, credential_sets.Secrets(community="public"))


class _MemoryKeyring(KeyringBackend):
    """Secrets in a dict for this process: the screenshot never touches a real keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it untyped
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


# Scenes ------------------------------------------------------------------------------------
def _find(window: MainWindow, test: Callable[[DeviceOverview], bool]) -> list[DeviceOverview]:
    return [o for o in window.model.overviews() if test(o)]


async def _print_tab(window: MainWindow, out_dir: Path, save: SaveFn) -> Path | None:
    """The demo IPP printer's Print tab with a test page in its jobs (finished ones shown)."""
    found = _find(window, lambda o: o.device.name == IPP_DEMO_NAME and bool(o.device.ipp_uri))
    if not found:
        log.warning("print-tab.png skipped: the demo IPP printer is not in the inventory")
        return None
    window.select_device(found[0].device.id)
    tabs = window.detail.device_tabs
    window.detail.tabs.setCurrentIndex(tabs.print_index)
    if not await wait_for(lambda: tabs.print_page.content is not None):
        log.warning("print-tab.png: the Print tab did not open in time")
    tab = tabs.print_page.content
    if tab is not None:
        await wait_for(lambda: tab.report is not None)
        tab.completed_check.setChecked(True)
        if seeding() and _on_loopback(tab.uri):  # paper only ever to the demo's own printer
            tab.print_test_page()
            await wait_for(lambda: bool(tab.jobs) and not tab.busy)
    await asyncio.sleep(0.3)
    return save(window.detail, out_dir / "print-tab.png")


async def _alerts(window: MainWindow, out_dir: Path, save: SaveFn) -> Path | None:
    """The Alerts dock; when the demo raised none yet, the runtime's AlertService is fed the
    statuses polled so far (its real damping path) until they are raised."""
    dock = window.alerts
    dock.bring_forward()
    panel = dock.ensure_panel()
    opened = await asyncio.to_thread(window.store.list_alerts)
    if not opened and seeding():  # writes alerts: the throwaway store only
        alerts = _alert_service(window)
        results = [(o.device.id, o.status) for o in window.model.overviews() if o.status]
        for _ in range(alerts.damper.policy.raise_after):
            await asyncio.to_thread(alerts.on_round, results)
        log.info("screenshot: fed %d polled statuses to the alert service", len(results))
    reading = panel.reload()
    if reading is not None:
        await asyncio.shield(reading)
    if panel.view.model().rowCount():
        panel.view.selectRow(0)  # the buttons read as they do in use, not all greyed out
    await asyncio.sleep(0.3)
    window.resizeDocks([dock.dock], [300], Qt.Orientation.Vertical)
    await asyncio.sleep(0.2)
    return save(dock.dock, out_dir / "alerts.png")


def _alert_service(window: MainWindow) -> AlertService:
    """The running ward's service (the demo wraps it), else one on the same store."""
    runtime: object = window.runtime
    for holder in (runtime, getattr(runtime, "_runtime", None)):
        service = getattr(holder, "alerts", None)
        if isinstance(service, AlertService):
            return service
    return AlertService(window.store)


async def _profile_editor(window: MainWindow, out_dir: Path, save: SaveFn) -> Path | None:
    from wardfleet.ui.profile_editor import ProfileEditor

    dialog = window.show_profile_editor()
    try:
        assert isinstance(dialog, ProfileEditor)
        await asyncio.shield(dialog.load_task)
        if dialog.table.rowCount():
            dialog.table.selectRow(0)
        await asyncio.sleep(0.3)
        return save(dialog, out_dir / "profile-editor.png")
    finally:
        _close(dialog)


async def _deploy_wizard(window: MainWindow, out_dir: Path, save: SaveFn) -> Path | None:
    """Three demo SNMP printers, the example profile, then the dry run when it can run."""
    printers = _find(
        window,
        lambda o: (
            o.device.kind is DeviceKind.PRINTER
            and not o.device.ipp_uri
            and o.status is not None
            and o.status.reachable
        ),
    )[:3]
    if not printers:
        log.warning("deploy-wizard.png skipped: no reachable demo printers")
        return None
    _select_devices(window, [o.device.id for o in printers])
    from wardfleet.store import profiles
    from wardfleet.ui.deploy_dialog import DeployDialog

    dialog = window.show_deploy_dialog()
    if dialog is None:
        return None
    try:
        assert isinstance(dialog, DeployDialog)
        if dialog.profiles_loaded is not None:
            await asyncio.shield(dialog.profiles_loaded)
        profile = await asyncio.to_thread(profiles.find_profile, window.store, PROFILE_NAME)
        # The dry run reads the devices over SNMP: only the demo ward's, on loopback.
        loopback = all(_on_loopback(f"//{o.device.address}") for o in printers)
        if seeding() and loopback and profile and dialog.choose.choose_profile(profile.id):
            dialog._next()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(dialog.preview(), WAIT_S)
        await asyncio.sleep(0.3)
        return save(dialog, out_dir / "deploy-wizard.png")
    finally:
        _close(dialog)


def _on_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return host == "localhost"


def _select_devices(window: MainWindow, device_ids: list[str]) -> None:
    selection = QItemSelection()
    for device_id in device_ids:
        row = window.model.row_of(device_id)
        if row is None:
            continue
        index = window.proxy.mapFromSource(window.model.index(row, 0))
        if index.isValid():
            selection.select(index, index)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    window.table.selectionModel().select(selection, flags)


def _close(dialog: QDialog) -> None:
    # Later, outside this task: closing runs the dialog's own finished handlers.
    asyncio.get_running_loop().call_soon(dialog.reject)
