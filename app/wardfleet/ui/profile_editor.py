"""Device profiles: list, create, duplicate, rename, delete, edit, and assign.

Every save, delete and assignment goes through ``store.profiles`` with the desktop user as
``actor``, so each is an audit entry and an outbox row in one transaction. All store work
runs in a worker thread; the dialog stays responsive and Save is disabled while it runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind
from wardfleet.services.profiles import setting_label
from wardfleet.store import Store, profiles
from wardfleet.store.profiles import Profile
from wardfleet.ui import texts
from wardfleet.ui.profile_form import ProfileForm
from wardfleet.ui.widgets import select_row_only

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ProfileEditor(QDialog):
    def __init__(
        self,
        store: Store,
        actor: str,
        parent: QWidget | None = None,
        *,
        preselect_devices: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.preselect = set(preselect_devices)
        self.profiles: list[Profile] = []
        self.devices: list[Device] = []
        self.assigned: dict[str, str] = {}  # target → profile id
        self.opted_out: set[str] = set()  # targets explicitly on no profile
        self.editing: Profile | None = None  # the saved profile shown, None for a draft
        self.draft_id: str | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._busy = False
        self.setWindowTitle(self.tr("Device profiles"))
        self.setAccessibleName(self.tr("Device profiles"))
        self.resize(980, 620)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Device kind"), self.tr("Sets"), self.tr("Assigned to")]
        )
        self.table.setAccessibleName(self.tr("Profiles"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Name and kind as wide as they need; what a profile sets, and where, share the rest
        # and wrap: no sideways scrolling to see what a profile does.
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch)):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        self.table.setWordWrap(True)
        self.new_button = QPushButton(self.tr("&New"), self)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"), self)
        self.rename_button = QPushButton(self.tr("&Rename"), self)
        self.delete_button = QPushButton(self.tr("Dele&te…"), self)
        self.form = ProfileForm(self)
        self.problems = QLabel(self)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("Why the profile cannot be saved"))
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        for button in (self.new_button, self.duplicate_button, self.rename_button,
                       self.delete_button, self.save_button, self.close_button):  # fmt: skip
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.setAutoDefault(False)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.table, 1)
        list_buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.rename_button,
                       self.delete_button):  # fmt: skip
            list_buttons.addWidget(button)
        left_layout.addLayout(list_buttons)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setSizes([520, 460])  # the list shows what each profile sets, not only names
        buttons = QHBoxLayout()
        buttons.addWidget(self.problems, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.table.itemSelectionChanged.connect(self._on_selection)
        self.new_button.clicked.connect(self.new_profile)
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.rename_button.clicked.connect(self.rename_profile)
        self.delete_button.clicked.connect(self.confirm_delete)
        self.save_button.clicked.connect(lambda: self._spawn(self.save()))
        self.close_button.clicked.connect(self.reject)
        self.form.edited.connect(self._update_state)
        self.form.setEnabled(False)
        self._update_state()
        self.load_task = self._spawn(self.reload())

    # plumbing ----------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _update_state(self) -> None:
        editing = self.form.isEnabled()
        taken = {p.name for p in self.profiles if p.id != self._current_id()}
        problems = self.form.problems(taken) if editing else []
        self.problems.setText("\n".join(problems))
        self.save_button.setEnabled(editing and not problems and not self._busy)
        saved = self.editing is not None and not self._busy
        self.duplicate_button.setEnabled(saved)
        self.rename_button.setEnabled(editing)
        self.delete_button.setEnabled(saved)

    def _current_id(self) -> str | None:
        return self.editing.id if self.editing else self.draft_id

    def _targets_of(self, profile_id: str | None) -> set[str]:
        return {t for t, p in self.assigned.items() if p == profile_id}

    # loading -----------------------------------------------------------------------------
    async def reload(self, select: str | None = None) -> None:
        def read() -> tuple[list[Profile], list[Device], dict[str, str], set[str]]:
            return (
                profiles.list_profiles(self.store),
                self.store.list_devices(),
                profiles.assignments(self.store),
                profiles.opted_out(self.store),
            )

        found = await asyncio.to_thread(read)
        self.profiles, self.devices, self.assigned, self.opted_out = found
        names = {d.id: d.display_name for d in self.devices}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.profiles))
        for row, profile in enumerate(self.profiles):
            kind = (
                texts.kind_text(DeviceKind(profile.device_kind))
                if profile.device_kind in {k.value for k in DeviceKind}
                else self.tr("Any kind")
            )
            sets = [setting_label(k, v) for k, v in profile.settings]
            if profile.print_queue:
                sets.append(self.tr("print queue on each workstation"))
            targets = [self._target_text(t, names) for t in sorted(self._targets_of(profile.id))]
            cells = [profile.name, kind, "; ".join(sets), ", ".join(targets)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text
                item.setToolTip(text)
                item.setData(ID_ROLE, profile.id)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()  # "Sets" and "Assigned to" wrap in their columns
        self.table.blockSignals(False)
        if select is not None:
            for row, profile in enumerate(self.profiles):
                if profile.id == select:
                    select_row_only(self.table, self.table.model().index(row, 0))
                    return
        self._on_selection()

    def _target_text(self, target: str, names: dict[str, str]) -> str:
        kind, _, value = target.partition(":")
        if kind == "ward":
            return texts.fill(self.tr("ward %1"), value)
        return names.get(value, value)

    def selected_profile(self) -> Profile | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        profile_id = item.data(ID_ROLE) if item is not None else None
        return next((p for p in self.profiles if p.id == profile_id), None)

    def _on_selection(self) -> None:
        profile = self.selected_profile()
        if profile is None and self.draft_id is not None:
            return  # keep the draft being typed
        self.editing, self.draft_id = profile, None
        self.form.setEnabled(profile is not None)
        self.form.show_profile(
            profile,
            self.devices,
            self._targets_of(profile.id if profile else None),
            opted_out=self.opted_out,
        )
        self._update_state()

    # list commands ------------------------------------------------------------------------
    def _start_draft(self, template: Profile | None, name: str) -> None:
        self.editing, self.draft_id = None, str(uuid.uuid4())
        self.table.clearSelection()
        self.form.setEnabled(True)
        self.form.show_profile(template, self.devices, set(), self.preselect, self.opted_out)
        self.form.name_edit.setText(name)
        self.form.name_edit.selectAll()
        self.form.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_state()

    def new_profile(self) -> None:
        self._start_draft(None, self.tr("New profile"))

    def duplicate_profile(self) -> None:
        if self.editing is not None:
            source = self.editing
            self._start_draft(source, texts.fill(self.tr("%1 (copy)"), source.name))

    def rename_profile(self) -> None:
        """Rename in place: the name field takes the focus; Save keeps the new name."""
        self.form.name_edit.selectAll()
        self.form.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_delete(self) -> QMessageBox | None:
        profile = self.editing
        if profile is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete profile"),
            texts.fill(
                self.tr("Delete the profile %1? Devices and wards that follow it will follow "
                        "no profile."), profile.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name is typed by people
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self._spawn(self.delete(profile))

        box.finished.connect(answered)
        box.open()
        self.delete_box = box
        return box

    # store writes (off the UI thread) ------------------------------------------------------
    def draft(self) -> Profile:
        profile_id = self._current_id() or str(uuid.uuid4())
        return Profile(
            profile_id,
            self.form.name_edit.text().strip(),
            self.form.device_kind(),
            tuple(self.form.settings()),
            self.form.print_queue.isChecked(),
        )

    async def _write(self, work: Callable[[], None]) -> None:
        """Run ``work`` off the UI thread, with Save and friends disabled meanwhile."""
        self._busy = True
        self._update_state()
        try:
            await asyncio.to_thread(work)
        finally:
            self._busy = False

    async def save(self) -> Profile | None:
        self._update_state()
        if not self.save_button.isEnabled():
            return None
        profile = self.draft()
        old_targets = self._targets_of(profile.id)
        new_targets = self.form.targets()
        listed = {profiles.device_target(d.id) for d in self.devices}  # wards stay as they are
        old_none, new_none = self.opted_out & listed, self.form.opted_out()
        unchanged = self.editing is not None and dataclasses.astuple(
            self.editing
        ) == dataclasses.astuple(profile)

        def write() -> None:
            with self.store.transaction() as tx:
                if not unchanged:
                    profiles.save(tx, profile, actor=self.actor)
                for target in sorted(new_targets - old_targets):
                    profiles.assign(tx, target, profile.id, actor=self.actor)
                for target in sorted(new_none - old_none):
                    profiles.assign(tx, target, None, actor=self.actor)  # ignore the ward
                # Unticked (no longer this profile's, or no longer "none"): follow the ward.
                for target in sorted((old_targets | old_none) - new_targets - new_none):
                    profiles.inherit(tx, target, actor=self.actor)

        await self._write(write)
        self.draft_id = None
        await self.reload(select=profile.id)
        self.problems.setText(texts.fill(self.tr("Saved %1."), profile.name))
        return profile

    async def delete(self, profile: Profile) -> None:
        # Its assignments stay, pointing at a tombstone: they lapse (profile_for skips
        # deleted profiles) without blocking a ward's profile the way "none" would.
        def write() -> None:
            with self.store.transaction() as tx:
                profiles.save(tx, profile, deleted=True, actor=self.actor)

        await self._write(write)
        self.editing = None
        self.table.clearSelection()
        await self.reload()
        self.problems.setText(texts.fill(self.tr("Deleted %1."), profile.name))
