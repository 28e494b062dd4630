"""Painting helpers for the device table: a "New" badge and tiny supply bars.

Both only add pictures: the words stay in DisplayRole, ToolTipRole and
AccessibleTextRole, so screen readers and copy/export see the same information.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.status import Supply
from wardfleet.ui.device_model import Role
from wardfleet.ui.texts import LOW_SUPPLY_PERCENT
from wardfleet.ui.theme import WARNING_COLOUR, is_dark, supply_colour

ModelIndex = QModelIndex | QPersistentModelIndex

_PAD = 4


def _style(option: QStyleOptionViewItem) -> QStyle:
    widget = option.widget
    return widget.style() if widget is not None else QApplication.style()


def _text_colour(option: QStyleOptionViewItem) -> QColor:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return option.palette.color(role)


class NameDelegate(QStyledItemDelegate):
    """Bold name plus a small "New" badge until the device is marked as reviewed."""

    def _badge_font(self, option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        return font

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        if not index.data(Role.IS_NEW):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        badge_text = self.tr("New")
        font = self._badge_font(opt)
        metrics = QFontMetrics(font)
        badge_w = metrics.horizontalAdvance(badge_text) + 10
        badge_h = metrics.height() + 2
        rect: QRect = opt.rect
        text_width = max(0, rect.width() - badge_w - 3 * _PAD)
        opt.text = opt.fontMetrics.elidedText(opt.text, Qt.TextElideMode.ElideRight, text_width)
        _style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        name_w = opt.fontMetrics.horizontalAdvance(opt.text)
        x = min(rect.left() + 2 * _PAD + name_w + _PAD, rect.right() - badge_w - _PAD)
        badge = QRectF(x, rect.center().y() - badge_h / 2 + 1, badge_w, badge_h)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        fill = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        )
        ink = palette.color(
            QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.HighlightedText
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, badge_h / 2, badge_h / 2)
        painter.setPen(ink)
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(Role.IS_NEW):
            metrics = QFontMetrics(self._badge_font(option))
            size.setWidth(size.width() + metrics.horizontalAdvance(self.tr("New")) + 10 + 2 * _PAD)
        return size


_BAR_W = 5
_BAR_GAP = 2
_MAX_BARS = 5


def bar_supplies(overview: DeviceOverview | None) -> list[Supply]:
    """The consumables worth a bar (receptacles fill up and would read backwards)."""
    if overview is None or overview.status is None or not overview.status.reachable:
        return []
    return [s for s in overview.status.supplies if not s.is_receptacle][:_MAX_BARS]


class SuppliesDelegate(QStyledItemDelegate):
    """Small vertical level bars in the supplies' colours, then the summary text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        overview: Any = index.data(Role.OVERVIEW)
        supplies = bar_supplies(overview if isinstance(overview, DeviceOverview) else None)
        if not supplies:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text: str = opt.text
        opt.text = ""
        widget = opt.widget
        _style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect: QRect = opt.rect
        palette: QPalette = opt.palette
        dark = is_dark(palette)
        height = max(8, rect.height() - 10)
        top = rect.center().y() - height / 2 + 1
        x = rect.left() + _PAD + 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = palette.color(QPalette.ColorRole.Dark)
        for supply in supplies:
            frame = QRectF(x, top, _BAR_W, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
            painter.drawRoundedRect(frame, 1.5, 1.5)
            percent = supply.percent
            if percent is None:
                painter.setBrush(QBrush(outline, Qt.BrushStyle.Dense6Pattern))  # level unknown
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawRoundedRect(frame, 1.5, 1.5)
            elif percent > 0:
                filled = max(1.5, height * percent / 100)
                painter.setBrush(supply_colour(supply, dark))
                painter.drawRoundedRect(QRectF(x, top + height - filled, _BAR_W, filled), 1.5, 1.5)
            low = percent is not None and percent < LOW_SUPPLY_PERCENT
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QColor(WARNING_COLOUR) if low else outline)
            painter.drawRoundedRect(frame, 1.5, 1.5)
            x += _BAR_W + _BAR_GAP

        text_rect = QRect(rect)
        text_rect.setLeft(int(x) + _PAD)
        text_rect.setRight(rect.right() - _PAD)
        painter.setPen(_text_colour(opt))
        painter.setFont(opt.font)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        overview: Any = index.data(Role.OVERVIEW)
        bars = bar_supplies(overview if isinstance(overview, DeviceOverview) else None)
        if bars:
            size.setWidth(size.width() + len(bars) * (_BAR_W + _BAR_GAP) + 2 * _PAD)
        return size
