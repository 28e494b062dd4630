"""Hub connection settings: address, ward, token (in the keyring), CA file, a connection test.

Saving stores the settings in the local database and the token in the OS keyring, then
asks the runtime to restart its sync loop. Network, keyring and database calls run off
the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wardfleet.store import Store
from wardfleet.sync import secrets
from wardfleet.sync.settings import (
    HubConfigError,
    HubIdentity,
    HubSettings,
    forget_identity,
    load_identity,
    load_settings,
    save_identity,
    save_settings,
)
from wardfleet.ui import texts
from wardfleet.ui.runtime_api import UiRuntime
from wardfleet.ui.status_bar import identity_text, role_words
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:
    from wardfleet.services.hub_check import HubCheck
    from wardfleet.sync.wire import Me

log = logging.getLogger(__name__)


class HubDialog(QDialog):
    def __init__(self, store: Store, runtime: UiRuntime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runtime = runtime
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stored_token = False  # a token for the loaded URL is in the keyring
        self._loaded_url = ""
        self._checked: tuple[str, str, Me] | None = None  # (url, token, who) of a good test
        self.setWindowTitle(self.tr("Hub connection"))
        self.setAccessibleName(self.tr("Hub connection"))
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        intro = plain_label(
            self.tr(
                "The hub keeps the wards' desktops in step. Without it this desktop works "
                "on its own and queues its changes. The token is kept only in the "
                "operating system's keyring."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setObjectName("hubUrl")
        self.url.setPlaceholderText("https://hub.example.org:8470")
        self._row(form, self.tr("Hub &address:"), self.url, self.tr("Hub address"))
        self.ward = QLineEdit()
        self.ward.setObjectName("hubWard")
        self.ward.setPlaceholderText(self.tr("e.g. Ward 3 (empty for a helpdesk desktop)"))
        self._row(form, self.tr("&Ward:"), self.ward, self.tr("Ward"))
        self.token = QLineEdit()
        self.token.setObjectName("hubToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(form, self.tr("&Token:"), self.token, self.tr("Hub token"))
        self.ca_file = QLineEdit()
        self.ca_file.setObjectName("hubCaFile")
        self.ca_file.setPlaceholderText(self.tr("optional: the hospital's CA, in PEM"))
        self.ca_file.setAccessibleName(self.tr("CA file"))
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.setAccessibleName(self.tr("Choose a CA file"))
        self.browse_button.setAutoDefault(False)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse_button)
        ca_label = QLabel(self.tr("&CA file:"))
        ca_label.setBuddy(self.ca_file)
        form.addRow(ca_label, ca_row)
        layout.addLayout(form)

        self.identity = plain_label(identity_text(None))
        self.identity.setObjectName("hubIdentity")
        self.identity.setWordWrap(True)
        layout.addWidget(self.identity)

        self.message = plain_label()
        self.message.setObjectName("hubMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QDialogButtonBox()
        self.test_button = QPushButton(self.tr("Test co&nnection"))
        self.test_button.setAccessibleName(self.tr("Test connection"))
        self.test_button.setAutoDefault(False)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.browse_button.clicked.connect(self.browse_ca_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.busy = self._spawn(self._load())

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget, name: str) -> None:
        field.setAccessibleName(name)
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.test_button, self.save_button, self.url, self.token):
            widget.setEnabled(not busy)

    # Loading -------------------------------------------------------------------------
    async def _load(self) -> None:
        self.identity.setText(identity_text(await asyncio.to_thread(load_identity, self._store)))
        try:
            current = await asyncio.to_thread(load_settings, self._store)
        except HubConfigError as exc:
            self.message.setText(texts.fill(self.tr("The saved settings are not usable: %1"), exc))
            return
        if current is None:
            return
        self._loaded_url = current.url
        self.url.setText(current.url)
        self.ward.setText(current.ward or "")
        self.ca_file.setText(str(current.ca_file) if current.ca_file else "")
        try:
            self._stored_token = bool(await asyncio.to_thread(secrets.load_token, current.url))
        except secrets.KeyringUnavailable:
            self._stored_token = False
        if self._stored_token:
            self.token.setPlaceholderText(self.tr("Unchanged: kept in the keyring"))

    def browse_ca_file(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Choose the hospital's CA file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [self.tr("Certificates (*.pem *.crt *.cer)"), self.tr("All files (*)")]
        )
        dialog.fileSelected.connect(self.ca_file.setText)
        dialog.open()  # window-modal; no nested event loop under qasync
        return dialog

    # Checking ------------------------------------------------------------------------
    def _settings(self) -> HubSettings | None:
        ca = self.ca_file.text().strip()
        try:
            return HubSettings(
                url=self.url.text().strip(),
                ward=self.ward.text().strip() or None,
                ca_file=Path(ca) if ca else None,
            )
        except HubConfigError as exc:
            self.message.setText(texts.fill(self.tr("Check the settings: %1"), exc))
            return None

    async def _token_for(self, settings: HubSettings) -> str | None:
        typed = self.token.text().strip()
        if typed:
            return typed
        if self._stored_token and settings.url == self._loaded_url:
            try:
                return await asyncio.to_thread(secrets.load_token, settings.url)
            except secrets.KeyringUnavailable as exc:
                self._keyring_problem(exc)
                return None
        self.message.setText(self.tr("Enter the token your hub admin gave you."))
        self.token.setFocus()
        return None

    def test_connection(self) -> asyncio.Task[Any] | None:
        settings = self._settings()
        if settings is None:
            return None
        return self._spawn(self._test(settings))

    async def _test(self, settings: HubSettings) -> HubCheck | None:
        from wardfleet.services.hub_check import check_hub

        token = await self._token_for(settings)
        if token is None:
            return None
        self._set_busy(True)
        self.message.setText(self.tr("Testing the connection…"))
        try:
            result = await check_hub(settings, token)
        finally:
            self._set_busy(False)
        self.message.setText(self.describe(result))
        await self._learn_identity(settings, token, result)
        return result

    async def _learn_identity(self, settings: HubSettings, token: str, result: HubCheck) -> None:
        """A test of the saved settings updates the stored role at once (a revoked token
        forgets it); a test of new ones is kept until they are saved."""
        from wardfleet.services.hub_check import HubProblem

        self._checked = (settings.url, token, result.me) if result.me is not None else None
        saved = settings.url == self._loaded_url and not self.token.text().strip()
        if not saved:
            return
        if result.me is not None:
            identity = await asyncio.to_thread(save_identity, self._store, result.me)
            self.identity.setText(identity_text(identity))
        elif result.problem is HubProblem.UNAUTHORIZED:
            await asyncio.to_thread(forget_identity, self._store)
            self.identity.setText(identity_text(HubIdentity("", "")))

    def describe(self, result: HubCheck) -> str:
        from wardfleet.services.hub_check import HubProblem

        problem = result.problem
        if problem is None and result.me is not None:
            return texts.fill(
                self.tr("Connected to the hub (version %1). The token is good: %2, role %3."),
                result.version,
                result.me.name,
                role_words(result.me.role.value),
            )
        if problem is None:
            return texts.fill(
                self.tr("Connected to the hub (version %1). The token is good."), result.version
            )
        if problem is HubProblem.UNAUTHORIZED:
            return self.tr(
                "Wrong token: the hub did not accept it (mistyped or revoked). Ask a hub "
                "admin for a new one."
            )
        if problem is HubProblem.TLS:
            return texts.fill(
                self.tr(
                    "The hub's certificate was not accepted. Check the address; if the "
                    "hospital runs its own certificate authority, choose its CA file. (%1)"
                ),
                result.detail,
            )
        if problem is HubProblem.UNREACHABLE:
            return texts.fill(
                self.tr("The hub did not answer: %1. Check the address and the network."),
                result.detail,
            )
        if problem is HubProblem.WARD_NOT_ALLOWED:
            return texts.fill(
                self.tr("The token is good, but it does not give access to the ward “%1”."),
                result.detail,
            )
        if problem is HubProblem.CA_FILE:
            return texts.fill(self.tr("The CA file cannot be used: %1"), result.detail)
        if problem is HubProblem.NOT_A_HUB:
            return texts.fill(
                self.tr("Something answered, but it is not a Wardfleet hub (%1)."), result.detail
            )
        return texts.fill(self.tr("The hub refused: %1"), result.detail)

    # Saving --------------------------------------------------------------------------
    def save(self) -> asyncio.Task[Any] | None:
        settings = self._settings()
        if settings is None:
            return None
        return self._spawn(self._save(settings))

    async def _save(self, settings: HubSettings) -> bool:
        typed = self.token.text().strip()
        keep = self._stored_token and settings.url == self._loaded_url
        if not typed and not keep:
            self.message.setText(self.tr("Enter the token your hub admin gave you."))
            self.token.setFocus()
            return False
        self._set_busy(True)
        try:
            if typed:
                await asyncio.to_thread(secrets.save_token, settings.url, typed)
            await asyncio.to_thread(save_settings, self._store, settings)
            await self._save_identity(settings, typed)
        except secrets.KeyringUnavailable as exc:
            self._keyring_problem(exc)
            return False
        finally:
            self._set_busy(False)
        self.message.setText(self.tr("Saved. Connecting to the hub…"))
        await self._runtime.reload_sync()
        self.accept()
        return True

    async def _save_identity(self, settings: HubSettings, typed: str) -> None:
        """The role that goes with the saved token: the tested one, else none until the
        first sync names it (a new token must not inherit the old token's rights)."""
        checked = self._checked
        if checked is not None and checked[0] == settings.url and checked[1] == typed:
            await asyncio.to_thread(save_identity, self._store, checked[2])
        elif typed or settings.url != self._loaded_url:
            await asyncio.to_thread(forget_identity, self._store)

    def _keyring_problem(self, exc: Exception) -> None:
        log.warning("hub token: %s", exc)
        self.message.setText(
            texts.fill(
                self.tr(
                    "Nothing was saved: the hub token can only be kept in the operating "
                    "system's keyring, and none is available. Install or unlock one (GNOME "
                    "Keyring or KWallet on Linux, the Windows Credential Manager), then try "
                    "again. (%1)"
                ),
                exc,
            )
        )

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            if task is not asyncio.current_task():
                task.cancel()
        super().done(result)
