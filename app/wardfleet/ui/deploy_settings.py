"""The Deploy wizard's settings page: what to send, filled from a profile or typed in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from wardfleet.services.deploy import (
    IPP_INFO,
    IPP_LOCATION,
    SNMP_CONTACT,
    SNMP_LOCATION,
    SNMP_NAME,
    Setting,
    parse_expert,
)
from wardfleet.store.profiles import Profile


def _tr(text: str) -> str:
    # The dialog's translation context: these strings were translated there first.
    return QCoreApplication.translate("DeployDialog", text)


class SettingsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.name_edit = QLineEdit(self)
        self.location_edit = QLineEdit(self)
        self.contact_edit = QLineEdit(self)
        self.ipp_location_edit = QLineEdit(self)
        self.ipp_info_edit = QLineEdit(self)
        self.expert_edit = QPlainTextEdit(self)
        self.expert_edit.setPlaceholderText("1.3.6.1.2.1.1.6.0 = s:Ward 4")
        self.expert_edit.setTabChangesFocus(True)
        # Expert SETs are rare: a few lines, not half the page (as in the profile editor).
        self.expert_edit.setFixedHeight(self.expert_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.fields: list[tuple[Setting, QLineEdit]] = [
            (SNMP_NAME, self.name_edit), (SNMP_LOCATION, self.location_edit),
            (SNMP_CONTACT, self.contact_edit), (IPP_LOCATION, self.ipp_location_edit),
            (IPP_INFO, self.ipp_info_edit),
        ]  # fmt: skip
        for edit, label, name in (
            (self.name_edit, _tr("&Name (sysName):"), _tr("Device name")),
            (self.location_edit, _tr("&Location (sysLocation):"), _tr("Location")),
            (self.contact_edit, _tr("&Contact (sysContact):"), _tr("Contact")),
            (self.ipp_location_edit, _tr("IPP printer-l&ocation:"), _tr("IPP location")),
            (self.ipp_info_edit, _tr("IPP printer-&info:"), _tr("IPP info")),
            (self.expert_edit, _tr("&Expert (OID = type:value):"), _tr("Expert SETs")),
        ):
            edit.setAccessibleName(name)
            form.addRow(label, edit)
        form.addRow(QLabel(_tr("Leave a field empty to keep what the device has."), self))

    def show_profile(self, profile: Profile | None) -> None:
        """Fill the fields from ``profile`` (None: ad-hoc, fields cleared)."""
        values = dict(profile.settings) if profile else {}
        for setting, edit in self.fields:
            edit.setText(values.get(setting.key, ""))
        expert = [v for k, v in profile.settings if k == "expert"] if profile else []
        self.expert_edit.setPlainText("\n".join(expert))

    def desired(self) -> list[tuple[Setting, str]]:
        """The settings asked for, in order; SettingError when an expert line is bad."""
        out = [(setting, edit.text()) for setting, edit in self.fields if edit.text()]
        for line in self.expert_edit.toPlainText().splitlines():
            if line.strip():
                out.append(parse_expert(line))
        return out
