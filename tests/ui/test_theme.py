"""The theme's style: Fusion, with check boxes that stay visible on the dark palette."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionViewItem

from wardfleet.ui.theme import WardStyle, build_palette, error_colour

Role = build_palette(True).ColorRole


def _outline_contrast(style: QStyle, dark: bool) -> int:
    """Largest lightness gap between an unticked item check box and the list's Base."""
    palette = build_palette(dark)
    base = palette.color(Role.Base)
    image = QImage(24, 24, QImage.Format.Format_ARGB32)
    image.fill(base)
    option = QStyleOptionViewItem()
    option.rect = QRect(4, 4, 14, 14)
    option.palette = palette
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Off
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, option, painter)
    painter.end()
    return max(
        abs(QColor(image.pixel(x, y)).lightness() - base.lightness())
        for x in range(24)
        for y in range(24)
    )


def test_unticked_boxes_show_on_the_dark_palette(qapp: Any) -> None:
    style = WardStyle()
    assert style.name() == "fusion"
    plain_fusion = QStyleFactory.create("Fusion")
    assert _outline_contrast(plain_fusion, dark=True) < 20  # what made them vanish
    assert _outline_contrast(style, dark=True) >= 60
    assert _outline_contrast(style, dark=False) >= 40  # light: Fusion's own, unchanged


def test_error_colour_follows_the_palette() -> None:
    light, dark = error_colour(build_palette(False)), error_colour(build_palette(True))
    assert light != dark
    assert QColor(dark).lightness() > QColor(light).lightness()  # soft red on dark Base
