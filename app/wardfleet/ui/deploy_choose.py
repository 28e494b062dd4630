"""The Deploy wizard's first page: a saved profile (or ad-hoc settings) and the devices.

Devices are listed with checkboxes, ticked by default; a device of another kind than the
chosen profile is flagged in words and unticked (the user may tick it again). Names come
from devices and people, so they are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind
from wardfleet.store.profiles import Profile
from wardfleet.ui import texts

DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_mismatch(profile: Profile | None, device: Device) -> bool:
    return profile is not None and profile.device_kind not in (None, device.kind.value)


class ChoosePage(QWidget):
    """Emits ``profileChosen`` (a Profile, or None for ad-hoc) when the choice changes."""

    profileChosen = Signal(object)

    def __init__(
        self, devices: Sequence[Device], profiles: Sequence[Profile], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.devices = list(devices)
        self.profiles = list(profiles)
        form = QFormLayout(self)
        self.profile_combo = QComboBox(self)
        self.profile_combo.addItem(self.tr("Ad-hoc settings (type them on the next page)"), None)
        for profile in self.profiles:
            self.profile_combo.addItem(profile.name, profile.id)  # combo items are plain text
        self.profile_combo.setAccessibleName(self.tr("Profile"))
        form.addRow(self.tr("&Profile:"), self.profile_combo)
        self.device_list = QListWidget(self)
        self.device_list.setAccessibleName(self.tr("Devices to change"))
        form.addRow(self.tr("&Devices:"), self.device_list)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Chosen devices"))
        form.addRow(self.summary)
        self.profile_combo.currentIndexChanged.connect(self._on_profile)
        self.device_list.itemChanged.connect(lambda _item: self._update_summary())
        self._fill()

    def set_profiles(self, profiles: Sequence[Profile]) -> None:
        """Offer ``profiles`` (loaded off the UI thread after the page is shown)."""
        current = self.profile_combo.currentData()
        self.profiles = list(profiles)
        self.profile_combo.blockSignals(True)
        while self.profile_combo.count() > 1:
            self.profile_combo.removeItem(1)
        for profile in self.profiles:
            self.profile_combo.addItem(profile.name, profile.id)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(current)))
        self.profile_combo.blockSignals(False)

    def profile(self) -> Profile | None:
        profile_id = self.profile_combo.currentData()
        return next((p for p in self.profiles if p.id == profile_id), None)

    def choose_profile(self, profile_id: str) -> bool:
        index = self.profile_combo.findData(profile_id)
        if index >= 0:
            self.profile_combo.setCurrentIndex(index)
        return index >= 0

    def chosen(self) -> list[Device]:
        ids = {
            self.device_list.item(i).data(DEVICE_ROLE)
            for i in range(self.device_list.count())
            if self.device_list.item(i).checkState() == Qt.CheckState.Checked
        }
        return [d for d in self.devices if d.id in ids]

    def _fill(self) -> None:
        profile = self.profile()
        self.device_list.blockSignals(True)
        self.device_list.clear()
        for device in self.devices:
            text = f"{device.display_name} — {texts.kind_text(device.kind)}"
            if device.address:
                text += f" — {device.address}"
            mismatch = kind_mismatch(profile, device)
            if mismatch and profile is not None and profile.device_kind:
                wanted = texts.kind_text(DeviceKind(profile.device_kind))
                text += " — " + texts.fill(self.tr("another kind: the profile is for %1"), wanted)
            item = QListWidgetItem(text, self.device_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if mismatch else Qt.CheckState.Checked)
            item.setData(DEVICE_ROLE, device.id)
        self.device_list.blockSignals(False)
        self._update_summary()

    def _on_profile(self) -> None:
        self._fill()
        self.profileChosen.emit(self.profile())

    def _update_summary(self) -> None:
        chosen = len(self.chosen())
        flagged = sum(kind_mismatch(self.profile(), d) for d in self.devices)
        lines = [texts.fill(self.tr("%1 of %2 devices chosen."), chosen, len(self.devices))]
        if flagged:
            lines.append(texts.fill(self.tr("Of another kind than the profile's: %1."), flagged))
        self.summary.setText(" ".join(lines))
