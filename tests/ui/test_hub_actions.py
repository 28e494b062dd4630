"""Sync now, the hub connection and credential-set dialogs from the main window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget, QWidget

from wardfleet.ui.credentials_dialog import CredentialsDialog
from wardfleet.ui.hub_dialog import HubDialog
from wardfleet.ui.main_window import MainWindow

from .conftest import FakeRuntime


def menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for menu in window.menuBar().actions() for a in menu.menu().actions()]


def test_sync_now_from_the_keyboard_and_the_status_bar(
    window: MainWindow, runtime: FakeRuntime, qtbot: Any
) -> None:
    assert window.commands.sync_now.shortcut() == QKeySequence("Ctrl+Shift+S")
    window.activateWindow()
    QTest.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: runtime.sync_nows == 1, timeout=2000)
    assert window.sync_button.accessibleName() == "Sync now"
    window.sync_button.click()
    assert runtime.sync_nows == 2
    assert "S&ync now" in menu_texts(window) and "&Hub connection…" in menu_texts(window)


def unnamed(root: QWidget) -> list[str]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QListWidget)
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in root.findChildren(QWidget)
        if w.isVisible() and isinstance(w, kinds) and not w.accessibleName().strip()
    ]


def test_menu_opens_the_hub_and_credential_dialogs(window: MainWindow, qtbot: Any) -> None:
    window.commands.hub_settings.trigger()
    window.commands.credentials.trigger()
    hub = next(d for d in window._dialogs if isinstance(d, HubDialog))
    credentials = next(d for d in window._dialogs if isinstance(d, CredentialsDialog))
    qtbot.waitUntil(lambda: hub.busy.done() and credentials.busy.done(), timeout=3000)
    for dialog in (hub, credentials):
        qtbot.waitExposed(dialog)
        assert unnamed(dialog) == []
        dialog.close()
