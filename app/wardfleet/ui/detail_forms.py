"""The detail pane's building blocks: titled forms of values and titled lists of lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from wardfleet.ui.widgets import SectionTitle, ValueLabel, plain_label


class ValueForm(QWidget):
    """A titled form of ValueLabels, keyed by a stable field id."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(SectionTitle(title))
        self._layout = QFormLayout()
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._layout.setHorizontalSpacing(12)
        self._layout.setVerticalSpacing(3)
        outer.addLayout(self._layout)
        self.values: dict[str, ValueLabel] = {}
        self._names: dict[str, QLabel] = {}

    def name_labels(self) -> list[QLabel]:
        return list(self._names.values())

    def add(self, key: str, field: str) -> ValueLabel:
        name = plain_label(f"{field}:")
        # Top-aligned next to multi-line values ("Seen by", "Earlier addresses").
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        name.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        value = ValueLabel(field)
        value.setObjectName(f"detail-{key}")
        name.setBuddy(value)
        self._layout.addRow(name, value)
        self.values[key] = value
        self._names[key] = name
        return value

    def set(self, key: str, value: str) -> None:
        self.values[key].set_value(value)

    def set_row_visible(self, key: str, visible: bool) -> None:
        self.values[key].setVisible(visible)
        self._names[key].setVisible(visible)


class ListSection(QWidget):
    """A titled block of plain-text lines (trays, alerts, read errors); hidden when empty."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(SectionTitle(title))
        self.lines = ValueLabel(title)
        layout.addWidget(self.lines)

    def set_lines(self, lines: list[str]) -> None:
        self.lines.set_value("\n".join(lines))
        self.setVisible(bool(lines))
