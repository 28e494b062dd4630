"""Where icons and compiled translations live, installed or in a source checkout."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from PySide6.QtGui import QIcon

from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.services.events import HubState

_PACKAGE_RESOURCES = Path(__file__).resolve().parent.parent / "resources"
_CHECKOUT_RESOURCES = Path(__file__).resolve().parents[3] / "resources"
# PyInstaller unpacks ``--add-data resources:resources`` next to the bundled packages.
_BUNDLE_RESOURCES = Path(getattr(sys, "_MEIPASS", _CHECKOUT_RESOURCES.parent)) / "resources"


def icons_dir() -> Path:
    """Package data, a source checkout's ``resources/icons``, or a PyInstaller bundle's."""
    for root in (_PACKAGE_RESOURCES, _CHECKOUT_RESOURCES, _BUNDLE_RESOURCES):
        folder = root / "icons"
        if (folder / "app.svg").is_file():
            return folder
    return _CHECKOUT_RESOURCES / "icons"


def translations_dir() -> Path:
    return _PACKAGE_RESOURCES / "i18n"


@functools.cache
def icon(name: str) -> QIcon:
    """An icon by file stem (``state-ok``); a missing file gives an empty icon, not a crash."""
    return QIcon(str(icons_dir() / f"{name}.svg"))


_KIND_ICONS = {
    DeviceKind.PRINTER: "kind-printer",
    DeviceKind.LABEL_PRINTER: "kind-label",
    DeviceKind.MFD: "kind-mfd",
    DeviceKind.SCANNER: "kind-scanner",
    DeviceKind.MONITOR: "kind-monitor",
    DeviceKind.UPS: "kind-ups",
}

_HUB_ICONS = {
    HubState.NOT_CONFIGURED: "state-unknown",
    HubState.ONLINE: "state-ok",
    HubState.OFFLINE: "state-unreachable",
    HubState.SYNCING: "state-busy",
    HubState.REFUSED: "state-error",
}


def app_icon() -> QIcon:
    return icon("app")


def kind_icon(kind: DeviceKind) -> QIcon:
    return icon(_KIND_ICONS.get(kind, "kind-other"))


def state_icon(state: DeviceState) -> QIcon:
    return icon(f"state-{state.value}")


def hub_icon(hub: HubState) -> QIcon:
    return icon(_HUB_ICONS.get(hub, "state-unknown"))
