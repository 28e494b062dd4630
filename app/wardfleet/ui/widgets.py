"""Small widgets shared by the panes: plain-text labels and a supply level bar."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QSizePolicy, QWidget

from wardfleet.domain.status import Supply
from wardfleet.ui.texts import LOW_SUPPLY_PERCENT
from wardfleet.ui.theme import WARNING_COLOUR, is_dark, supply_colour


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never interprets its text as HTML (device text may hold ``<b>``)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


class ValueLabel(QLabel):
    """A read-only value next to a field name: plain text, selectable, wraps.

    Its accessible name carries both field and value ("IP address: 10.0.0.5"), so a
    screen reader reading the focus or the form does not lose the field name.
    """

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_value("")

    def set_value(self, value: str) -> None:
        self.setText(value)
        self.setAccessibleName(f"{self._field}: {value}" if value else self._field)


def section_font(font: QFont, scale: float = 1.05) -> QFont:
    """Bold and a touch larger: the look of every section title in the panes; a larger
    ``scale`` for a heading or a figure."""
    font = QFont(font)
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    return font


class SectionTitle(QLabel):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        self.setFont(section_font(self.font()))
        self.setContentsMargins(0, 8, 0, 2)


def separator(parent: QWidget | None = None) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setForegroundRole(QPalette.ColorRole.Mid)
    return line


class SupplyBar(QWidget):
    """A horizontal level bar in the supply's colour; the words sit in a label beside it."""

    def __init__(self, supply: Supply, accessible_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._supply = supply
        self.setAccessibleName(accessible_text)
        self.setToolTip("")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)

    def sizeHint(self) -> QSize:
        return QSize(140, 12)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 12)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 1.5, -0.5, -1.5)
        radius = rect.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRoundedRect(rect, radius, radius)
        percent = self._supply.percent
        outline = palette.color(QPalette.ColorRole.Dark)
        if percent is None:
            painter.setBrush(QBrush(outline, Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, radius, radius)
        elif percent > 0:
            filled = QRectF(rect)
            filled.setWidth(max(rect.height(), rect.width() * percent / 100))
            painter.setBrush(supply_colour(self._supply, is_dark(palette)))
            painter.drawRoundedRect(filled, radius, radius)
        low = (
            percent is not None and not self._supply.is_receptacle and percent < LOW_SUPPLY_PERCENT
        )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QColor(WARNING_COLOUR) if low else outline)
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()


def select_row_only(view: QAbstractItemView, index: QModelIndex) -> None:
    """Make ``index``'s row the one selected, current row, whatever keys are held.

    ``selectRow``/``setCurrentIndex`` follow the held keyboard modifiers (Ctrl toggles),
    which is right for a click but wrong when the program selects a row for the user.
    """
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.selectionModel().setCurrentIndex(index, flags)
    view.scrollTo(index)
