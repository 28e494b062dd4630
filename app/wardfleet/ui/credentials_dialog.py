"""SNMP credential sets: list, add, edit, remove and order them (the order is the try order).

Secrets go only to the OS keyring (service ``wardfleet-snmp``); this desktop's database
keeps the names, versions, users, protocols and keyring references. Every keyring and
database call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wardfleet.protocols.snmp_credentials import (
    DEFAULT_COMMUNITIES,
    AuthProtocol,
    CommunityCredential,
    CredentialError,
    CredentialSet,
    PrivProtocol,
    SnmpVersion,
)
from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.widgets import plain_label

log = logging.getLogger(__name__)


class CredentialsDialog(QDialog):
    """The list on the left, the selected set's editor on the right."""

    setsChanged = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._sets: list[CredentialSet] = []
        self._editing: str | None = None  # name of the set in the editor; None: a new one
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setWindowTitle(self.tr("SNMP credential sets"))
        self.setAccessibleName(self.tr("SNMP credential sets"))
        self.setMinimumWidth(720)

        layout = QVBoxLayout(self)
        intro = plain_label(
            self.tr(
                "Scans try these in order, top first. Community strings and keys are kept "
                "only in the operating system's keyring, never in Wardfleet's files."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        body = QHBoxLayout()
        left = QVBoxLayout()
        list_label = QLabel(self.tr("&Credential sets:"))
        self.list = QListWidget()
        self.list.setObjectName("credentialSets")
        self.list.setAccessibleName(self.tr("Credential sets, in try order"))
        list_label.setBuddy(self.list)
        left.addWidget(list_label)
        left.addWidget(self.list, 1)
        order = QHBoxLayout()
        self.new_button = self._button(self.tr("&New"), self.tr("New credential set"))
        self.remove_button = self._button(self.tr("&Remove"), self.tr("Remove credential set"))
        self.up_button = self._button(self.tr("&Up"), self.tr("Try earlier"))
        self.down_button = self._button(self.tr("Do&wn"), self.tr("Try later"))
        for button in (self.new_button, self.remove_button, self.up_button, self.down_button):
            order.addWidget(button)
        left.addLayout(order)
        body.addLayout(left, 1)

        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("credentialName")
        self._row(form, self.tr("N&ame:"), self.name, self.tr("Set name"))
        self.version = QComboBox()
        self.version.setObjectName("credentialVersion")
        for version, label in (
            (SnmpVersion.V2C, self.tr("SNMP v2c (community)")),
            (SnmpVersion.V1, self.tr("SNMP v1 (community)")),
            (SnmpVersion.V3, self.tr("SNMP v3 (user)")),
        ):
            self.version.addItem(label, version.value)
        self._row(form, self.tr("&Version:"), self.version, self.tr("SNMP version"))
        self.community = self._secret_edit("credentialCommunity")
        self._row(form, self.tr("Co&mmunity:"), self.community, self.tr("Community string"))
        self.user = QLineEdit()
        self.user.setObjectName("credentialUser")
        self._row(form, self.tr("Us&er:"), self.user, self.tr("SNMPv3 user"))
        self.auth_protocol = QComboBox()
        self.auth_protocol.setObjectName("credentialAuthProtocol")
        self.auth_protocol.addItem(self.tr("None"), "")
        for auth in AuthProtocol:
            self.auth_protocol.addItem(auth.value, auth.value)
        self._row(
            form,
            self.tr("Au&thentication:"),
            self.auth_protocol,
            self.tr("Authentication protocol"),
        )
        self.auth_key = self._secret_edit("credentialAuthKey")
        self._row(
            form, self.tr("Authentication &key:"), self.auth_key, self.tr("Authentication key")
        )
        self.priv_protocol = QComboBox()
        self.priv_protocol.setObjectName("credentialPrivProtocol")
        self.priv_protocol.addItem(self.tr("None"), "")
        for priv in PrivProtocol:
            self.priv_protocol.addItem(priv.value, priv.value)
        self._row(form, self.tr("&Privacy:"), self.priv_protocol, self.tr("Privacy protocol"))
        self.priv_key = self._secret_edit("credentialPrivKey")
        self._row(form, self.tr("Privacy ke&y:"), self.priv_key, self.tr("Privacy key"))
        self.save_button = self._button(self.tr("&Save set"), self.tr("Save credential set"))
        self.save_button.setDefault(True)
        form.addRow(self.save_button)
        self._form = form
        body.addLayout(form, 2)
        layout.addLayout(body, 1)

        self.message = plain_label()
        self.message.setObjectName("credentialMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setAccessibleName(self.tr("Close"))
            close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.list.currentRowChanged.connect(self._show_row)
        self.version.currentIndexChanged.connect(self._update_fields)
        self.auth_protocol.currentIndexChanged.connect(self._update_fields)
        self.priv_protocol.currentIndexChanged.connect(self._update_fields)
        self.community.textChanged.connect(self._warn_default_community)
        self.new_button.clicked.connect(self.new_set)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move_set(-1))
        self.down_button.clicked.connect(lambda: self.move_set(1))
        self.new_set()
        self.busy = self.spawn(self._load())

    # Construction helpers ------------------------------------------------------------
    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        return button

    def _secret_edit(self, object_name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget, name: str) -> None:
        field.setAccessibleName(name)
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    # Showing -------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _load(self) -> None:
        from wardfleet.services.credential_sets import load_sets

        self._show_sets(await asyncio.to_thread(load_sets, self._store))

    def _show_sets(self, sets: list[CredentialSet], select: str | None = None) -> None:
        self._sets = sets
        self.list.blockSignals(True)
        self.list.clear()
        for credential in sets:
            self.list.addItem(self._describe(credential))  # plain-text items
        self.list.blockSignals(False)
        names = [s.name for s in sets]
        if select in names:
            self.list.setCurrentRow(names.index(select))
        self._update_buttons()

    def _describe(self, credential: CredentialSet) -> str:
        if isinstance(credential, CommunityCredential):
            return texts.fill(self.tr("%1 — SNMP v%2"), credential.name, credential.version.value)
        level = (
            self.tr("auth and privacy")
            if credential.priv_protocol
            else self.tr("auth")
            if credential.auth_protocol
            else self.tr("no auth")
        )
        return texts.fill(
            self.tr("%1 — SNMP v3, user %2, %3"), credential.name, credential.user, level
        )

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)

    def _show_row(self, row: int) -> None:
        self._update_buttons()
        if not 0 <= row < len(self._sets):
            return
        credential = self._sets[row]
        self._editing = credential.name
        self.name.setText(credential.name)
        keep = self.tr("Unchanged: kept in the keyring")
        for edit in (self.community, self.auth_key, self.priv_key):
            edit.clear()
            edit.setPlaceholderText(keep)
        if isinstance(credential, CommunityCredential):
            self.version.setCurrentIndex(self.version.findData(credential.version.value))
            self.user.clear()
        else:
            self.version.setCurrentIndex(self.version.findData(SnmpVersion.V3.value))
            self.user.setText(credential.user)
            auth = credential.auth_protocol.value if credential.auth_protocol else ""
            priv = credential.priv_protocol.value if credential.priv_protocol else ""
            self.auth_protocol.setCurrentIndex(self.auth_protocol.findData(auth))
            self.priv_protocol.setCurrentIndex(self.priv_protocol.findData(priv))
        self._update_fields()
        self.message.clear()

    def new_set(self) -> None:
        self._editing = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        for edit in (self.name, self.community, self.user, self.auth_key, self.priv_key):
            edit.clear()
            edit.setPlaceholderText("")
        self.version.setCurrentIndex(0)
        self.auth_protocol.setCurrentIndex(self.auth_protocol.findData(AuthProtocol.SHA.value))
        self.priv_protocol.setCurrentIndex(self.priv_protocol.findData(PrivProtocol.AES128.value))
        self._update_fields()
        self._update_buttons()
        self.name.setFocus()

    def _update_fields(self, *_args: object) -> None:
        v3 = self.version.currentData() == SnmpVersion.V3.value
        has_auth = bool(self.auth_protocol.currentData())
        self._set_row_visible(self.community, not v3)
        for field in (self.user, self.auth_protocol, self.priv_protocol):
            self._set_row_visible(field, v3)
        self._set_row_visible(self.auth_key, v3 and has_auth)
        self.priv_protocol.setEnabled(has_auth)
        self._set_row_visible(
            self.priv_key, v3 and has_auth and bool(self.priv_protocol.currentData())
        )
        self._warn_default_community()

    def _warn_default_community(self, *_args: object) -> None:
        value = self.community.text().strip()
        if (
            self.version.currentData() != SnmpVersion.V3.value
            and value.lower() in DEFAULT_COMMUNITIES
        ):
            self.message.setText(
                texts.fill(
                    self.tr(
                        "Warning: “%1” is a default community that anyone on the network "
                        "may know. Prefer a community of your own, or SNMPv3."
                    ),
                    value,
                )
            )
        elif self.message.text().startswith(self.tr("Warning:")):
            self.message.clear()

    # Changing ------------------------------------------------------------------------
    def _edited(self) -> tuple[CredentialSet, Any]:
        from wardfleet.services.credential_sets import Secrets, build_set

        v3 = self.version.currentData() == SnmpVersion.V3.value
        auth = self.auth_protocol.currentData() if v3 else ""
        priv = self.priv_protocol.currentData() if v3 and auth else ""
        credential = build_set(
            self.name.text(),
            SnmpVersion(self.version.currentData()),
            user=self.user.text(),
            auth_protocol=AuthProtocol(auth) if auth else None,
            priv_protocol=PrivProtocol(priv) if priv else None,
        )
        secrets = Secrets(
            community=self.community.text() or None if not v3 else None,
            auth_key=self.auth_key.text() or None if auth else None,
            priv_key=self.priv_key.text() or None if priv else None,
        )
        return credential, secrets

    def save(self) -> asyncio.Task[Any] | None:
        try:
            credential, secrets = self._edited()
        except CredentialError as exc:
            self._fail(exc)
            return None
        from wardfleet.services.credential_sets import put_set

        replacing = self._editing

        def work() -> list[CredentialSet]:
            return put_set(self._store, credential, secrets, replacing=replacing)

        return self._run(work, credential.name, self.tr("Saved “%1”."))

    def remove(self) -> asyncio.Task[Any] | None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._sets):
            return None
        from wardfleet.services.credential_sets import remove_set

        name = self._sets[row].name
        task = self._run(
            lambda: remove_set(self._store, name), None, self.tr("Removed “%1”."), name
        )
        self.new_set()
        return task

    def move_set(self, offset: int) -> asyncio.Task[Any] | None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._sets):
            return None
        from wardfleet.services.credential_sets import move_set

        name = self._sets[row].name
        return self._run(lambda: move_set(self._store, name, offset), name, "")

    def _run(
        self,
        work: Callable[[], list[CredentialSet]],
        select: str | None,
        done_text: str,
        about: str | None = None,
    ) -> asyncio.Task[Any]:
        async def run() -> None:
            self.setEnabled(False)
            try:
                sets = await asyncio.to_thread(work)
            except CredentialError as exc:
                self._fail(exc)
                return
            finally:
                self.setEnabled(True)
            self._show_sets(sets, select)
            if select is not None:
                self._editing = select
            for edit in (self.community, self.auth_key, self.priv_key):
                edit.clear()
            self.message.setText(texts.fill(done_text, about or select or ""))
            self.setsChanged.emit()

        self.busy = self.spawn(run())
        return self.busy

    def _fail(self, exc: CredentialError) -> None:
        from wardfleet.services.credential_sets import NO_KEYRING

        if str(exc) == NO_KEYRING:
            self.message.setText(
                self.tr(
                    "No keyring is available, so nothing was saved. Wardfleet keeps SNMP "
                    "community strings and keys only in the operating system's keyring, "
                    "never in a plain file. Install or unlock a keyring (GNOME Keyring or "
                    "KWallet on Linux, the Windows Credential Manager), then try again."
                )
            )
        else:
            self.message.setText(texts.fill(self.tr("Not saved: %1"), exc))

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            task.cancel()
        super().done(result)
