"""Opens the Deploy wizard for inventory devices, the way the main window does."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from wardfleet.domain.device import Device
from wardfleet.services.deploy import Deployer
from wardfleet.services.deploy_targets import InventoryJobs
from wardfleet.services.print_queues import PrintQueues, for_this_workstation
from wardfleet.store import Store
from wardfleet.store import profiles as stored_profiles
from wardfleet.ui.deploy_dialog import DeployDialog


def deploy_wizard(
    store: Store,
    devices: Sequence[Device],
    *,
    actor: str,
    role: str | None,
    parent: QWidget | None = None,
    queues: PrintQueues | None = None,
) -> DeployDialog:
    """The wizard for ``devices`` with the saved credential sets and this workstation's
    print queues; the saved profiles are loaded off the UI thread once it is open."""
    dialog = DeployDialog(
        Deployer(store, actor=actor, role=role),
        parent=parent,
        devices=devices,
        device_jobs=InventoryJobs(store),
        queues=queues or for_this_workstation(),
    )

    async def load() -> None:
        found = await asyncio.to_thread(stored_profiles.list_profiles, store)
        dialog.choose.set_profiles(found)

    dialog.profiles_loaded = dialog._spawn(load())
    return dialog
