"""The profile editor's form: what a profile sets, checked live, and what follows it.

Expert lines are checked with ``services.deploy.parse_expert`` on every keystroke; each bad
line is listed by number with the reason, and ``problems()`` is non-empty until every line
is good, so the dialog keeps Save disabled. Device and ward names are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind
from wardfleet.services.profiles import expert_errors
from wardfleet.store.profiles import Profile, device_target, ward_target
from wardfleet.ui import texts

# Stored setting keys for the plain fields, in the order a profile applies them.
FIELD_ORDER = ("name", "location", "contact", "ipp:location", "ipp:info")
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2  # the item's text without a kind warning
KIND_ROLE = Qt.ItemDataRole.UserRole + 3


def _checkable(
    list_widget: QListWidget, text: str, target: str, state: Qt.CheckState, tristate: bool = False
) -> QListWidgetItem:
    item = QListWidgetItem(text, list_widget)  # plain text: device names are not markup
    flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
    if tristate:
        flags |= Qt.ItemFlag.ItemIsUserTristate
    item.setFlags(flags)
    item.setCheckState(state)
    item.setData(TARGET_ROLE, target)
    return item


def checked_targets(
    list_widget: QListWidget, state: Qt.CheckState = Qt.CheckState.Checked
) -> set[str]:
    return {
        str(list_widget.item(i).data(TARGET_ROLE))
        for i in range(list_widget.count())
        if list_widget.item(i).checkState() == state
    }


class ProfileForm(QWidget):
    """Emits ``edited`` whenever anything the user can change changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.name_edit = QLineEdit(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("Any kind"), None)
        for kind in DeviceKind:
            self.kind_combo.addItem(texts.kind_text(kind), kind.value)
        self.fields: dict[str, QLineEdit] = {key: QLineEdit(self) for key in FIELD_ORDER}
        self.expert_edit = QPlainTextEdit(self)
        self.expert_edit.setPlaceholderText("1.3.6.1.2.1.1.6.0 = s:Ward 4")
        self.expert_edit.setTabChangesFocus(True)  # keyboard users can leave the box
        self.expert_errors = QLabel(self)
        self.expert_errors.setTextFormat(Qt.TextFormat.PlainText)
        self.expert_errors.setWordWrap(True)
        self.expert_errors.setAccessibleName(self.tr("Expert line problems"))
        self.print_queue = QCheckBox(self.tr("Deploy a print &queue on this workstation"), self)
        self.devices_list = QListWidget(self)
        self.wards_list = QListWidget(self)
        for targets in (self.devices_list, self.wards_list):
            # Long lines ("… another kind: will not follow") wrap rather than scroll away.
            targets.setWordWrap(True)
            targets.setResizeMode(QListWidget.ResizeMode.Adjust)
            targets.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.devices_list.setMinimumHeight(180)  # the list people tick most gets the room
        self.wards_list.setMinimumHeight(60)
        self.wards_list.setMaximumHeight(110)
        # Expert SETs are rare: a few lines tall leaves room for the device list.
        self.expert_edit.setFixedHeight(self.expert_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.no_wards = QLabel(
            self.tr("No wards yet: a ward is listed once a device reports it."), self
        )
        self.no_wards.setTextFormat(Qt.TextFormat.PlainText)
        self.no_wards.setWordWrap(True)
        wards = QWidget(self)
        wards_layout = QVBoxLayout(wards)
        wards_layout.setContentsMargins(0, 0, 0, 0)
        wards_layout.addWidget(self.wards_list)
        wards_layout.addWidget(self.no_wards)
        rows: list[tuple[QWidget, str, str]] = [
            (self.name_edit, self.tr("&Profile name:"), self.tr("Profile name")),
            (self.kind_combo, self.tr("Device &kind:"), self.tr("Device kind")),
            (self.fields["name"], self.tr("N&ame (sysName):"), self.tr("SNMP sysName")),
            (
                self.fields["location"],
                self.tr("&Location (sysLocation):"),
                self.tr("SNMP sysLocation"),
            ),
            (self.fields["contact"], self.tr("&Contact (sysContact):"), self.tr("SNMP sysContact")),
            (
                self.fields["ipp:location"],
                self.tr("IPP printer-l&ocation:"),
                self.tr("IPP location"),
            ),
            (self.fields["ipp:info"], self.tr("IPP printer-&info:"), self.tr("IPP info")),
            (self.expert_edit, self.tr("&Expert (OID = type:value):"), self.tr("Expert SETs")),
        ]
        for widget, label, name in rows:
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        form.addRow(self.expert_errors)
        self.print_queue.setAccessibleName(self.tr("Deploy a print queue on this workstation"))
        form.addRow(self.print_queue)
        self.devices_list.setAccessibleName(self.tr("Devices that follow this profile"))
        self.follow_words = self.tr(
            "Ticked: follows this profile. Empty: follows its ward's profile. "
            "Half-ticked: no profile at all, not even its ward's."
        )
        self.devices_list.setAccessibleDescription(self.follow_words)
        self.wards_list.setAccessibleName(self.tr("Wards that follow this profile"))
        form.addRow(self.tr("Assign to &devices:"), self.devices_list)
        wards_label = QLabel(self.tr("Assign to &wards:"), self)
        wards_label.setBuddy(self.wards_list)
        form.addRow(wards_label, wards)
        hint = QLabel(
            self.tr(
                "Leave a field empty to keep what the device has. A device's own assignment "
                "wins over its ward's. Devices: ticked follows this profile; empty follows "
                "its ward's profile; half-ticked follows no profile at all, not even its "
                "ward's. Click or press Space to go round the three."
            ),
            self,
        )
        hint.setWordWrap(True)
        form.addRow(hint)

        self.name_edit.textChanged.connect(self.edited)
        self.kind_combo.currentIndexChanged.connect(self._flag_kinds)
        self.kind_combo.currentIndexChanged.connect(self.edited)
        for edit in self.fields.values():
            edit.textChanged.connect(self.edited)
        self.expert_edit.textChanged.connect(self._check_expert)
        self.print_queue.toggled.connect(self.edited)
        self.devices_list.itemChanged.connect(self.edited)
        self.wards_list.itemChanged.connect(self.edited)
        self._expert_problems: list[tuple[int, str]] = []

    # loading ------------------------------------------------------------------------------
    def show_profile(
        self,
        profile: Profile | None,
        devices: Sequence[Device],
        assigned: set[str],
        preselect: Collection[str] = (),
        opted_out: Collection[str] = (),
    ) -> None:
        """Fill the form; ``assigned``: targets following ``profile`` now; ``preselect``:
        device ids to tick for a new profile (the main window's selection); ``opted_out``:
        targets explicitly on no profile (shown half-ticked)."""
        was_blocked = self.blockSignals(True)  # one "edited" after loading, not dozens
        self.name_edit.setText(profile.name if profile else "")
        index = self.kind_combo.findData(profile.device_kind if profile else None)
        self.kind_combo.setCurrentIndex(max(0, index))
        values = dict(profile.settings) if profile else {}
        for key, edit in self.fields.items():
            edit.setText(values.get(key, ""))
        expert = [v for k, v in profile.settings if k == "expert"] if profile else []
        self.expert_edit.setPlainText("\n".join(expert))
        self.print_queue.setChecked(bool(profile and profile.print_queue))
        self.devices_list.clear()
        for device in sorted(devices, key=lambda d: d.display_name.lower()):
            target = device_target(device.id)
            label = f"{device.display_name} — {texts.kind_text(device.kind)}"
            if device.ward:
                label += f" — {device.ward}"
            state = (
                Qt.CheckState.Checked
                if target in assigned or device.id in preselect
                else Qt.CheckState.PartiallyChecked
                if target in opted_out
                else Qt.CheckState.Unchecked
            )
            item = _checkable(self.devices_list, label, target, state, tristate=True)
            item.setToolTip(self.follow_words)
            item.setData(LABEL_ROLE, label)
            item.setData(KIND_ROLE, device.kind.value)
        self.wards_list.clear()
        # Wards the profile is assigned to stay listed even when no device reports them
        # now: otherwise saving would silently drop the assignment.
        prefix = ward_target("")
        assigned_wards = {t.removeprefix(prefix) for t in assigned if t.startswith(prefix)}
        for ward in sorted({d.ward for d in devices if d.ward} | assigned_wards):
            target = ward_target(ward)
            state = Qt.CheckState.Checked if target in assigned else Qt.CheckState.Unchecked
            _checkable(self.wards_list, ward, target, state)
        self.wards_list.setVisible(self.wards_list.count() > 0)
        self.no_wards.setVisible(self.wards_list.count() == 0)
        self.blockSignals(was_blocked)
        self._flag_kinds()
        self._check_expert()

    def _flag_kinds(self) -> None:
        """Say which ticked devices will not follow: a profile applies to its kind only."""
        kind = self.device_kind()
        was_blocked = self.devices_list.blockSignals(True)
        for i in range(self.devices_list.count()):
            item = self.devices_list.item(i)
            text = str(item.data(LABEL_ROLE))
            if kind is not None and item.data(KIND_ROLE) != kind:
                text += " — " + self.tr("another kind: will not follow this profile")
            item.setText(text)
        self.devices_list.blockSignals(was_blocked)

    # reading ------------------------------------------------------------------------------
    def _check_expert(self) -> None:
        self._expert_problems = expert_errors(self.expert_edit.toPlainText().splitlines())
        self.expert_errors.setText(
            "\n".join(
                texts.fill(self.tr("Line %1: %2"), number, why)
                for number, why in self._expert_problems
            )
        )
        self.expert_errors.setHidden(not self._expert_problems)  # no blank gap when all good
        self.edited.emit()

    def settings(self) -> list[tuple[str, str]]:
        out = [(key, self.fields[key].text()) for key in FIELD_ORDER if self.fields[key].text()]
        for line in self.expert_edit.toPlainText().splitlines():
            if line.strip():
                out.append(("expert", line.strip()))
        return out

    def device_kind(self) -> str | None:
        data = self.kind_combo.currentData()
        return data if isinstance(data, str) else None

    def targets(self) -> set[str]:
        return checked_targets(self.devices_list) | checked_targets(self.wards_list)

    def opted_out(self) -> set[str]:
        """Devices half-ticked: explicitly no profile, their ward's ignored."""
        return checked_targets(self.devices_list, Qt.CheckState.PartiallyChecked)

    def problems(self, taken_names: set[str]) -> list[str]:
        """Why the profile cannot be saved as it stands (empty: it can)."""
        out = [
            texts.fill(self.tr("Expert line %1: %2"), n, why) for n, why in self._expert_problems
        ]
        name = self.name_edit.text().strip()
        if not name:
            out.append(self.tr("Give the profile a name."))
        elif name in taken_names:
            out.append(texts.fill(self.tr("A profile called %1 exists already."), name))
        if not self.settings() and not self.print_queue.isChecked():
            out.append(self.tr("Fill in at least one setting."))
        return out
