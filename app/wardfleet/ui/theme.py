"""Fusion with a calm palette that follows the system's light or dark scheme."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from wardfleet.domain.status import Supply

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


class ThemeChoice(Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_LIGHT = {
    Role.Window: "#f3f5f7",
    Role.WindowText: "#1f2933",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f6f8fa",
    Role.Text: "#1f2933",
    Role.Button: "#eceff2",
    Role.ButtonText: "#1f2933",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f6f9f",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#fdfdf6",
    Role.ToolTipText: "#1f2933",
    Role.PlaceholderText: "#6b7785",
    Role.Link: "#1f5f8f",
    Role.Mid: "#c5ccd3",
    Role.Midlight: "#e3e7eb",
    Role.Dark: "#9aa5b1",
    Role.Shadow: "#7b8794",
    Role.Light: "#ffffff",
}

_DARK = {
    Role.Window: "#22272d",
    Role.WindowText: "#e4e8ec",
    Role.Base: "#1a1e23",
    Role.AlternateBase: "#20252b",
    Role.Text: "#e4e8ec",
    Role.Button: "#2c323a",
    Role.ButtonText: "#e4e8ec",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#3d7fb3",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#2c323a",
    Role.ToolTipText: "#e4e8ec",
    Role.PlaceholderText: "#8a96a3",
    Role.Link: "#7db7e6",
    Role.Mid: "#3a414a",
    Role.Midlight: "#333a42",
    Role.Dark: "#15181c",
    Role.Shadow: "#0d0f12",
    Role.Light: "#3f4750",
}

_DISABLED_TEXT = {"light": "#9aa5b1", "dark": "#6b7785"}


_CHECK_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
)


class WardStyle(QProxyStyle):
    """Fusion, with check box outlines that show on the dark palette.

    Fusion darkens the Window colour for the box outline, which on the dark palette is
    darker than Base: unticked boxes (devices in the profile editor) vanish.
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def name(self) -> str:  # the proxy itself has no name
        return self.baseStyle().name()

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _CHECK_INDICATORS and is_dark(option.palette):
            painter.save()
            painter.setPen(option.palette.color(Role.PlaceholderText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def build_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT["dark" if dark else "light"])
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
    """Set Fusion and the palette now; with SYSTEM, follow later scheme changes too."""
    if not isinstance(app.style(), WardStyle):
        app.setStyle(WardStyle())
    dark = system_is_dark() if choice is ThemeChoice.SYSTEM else choice is ThemeChoice.DARK
    app.setPalette(build_palette(dark))
    app.setProperty("wardfleetTheme", choice.value)
    if not app.property("wardfleetFollowsScheme"):
        app.setProperty("wardfleetFollowsScheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _on_scheme_changed(app))


def _on_scheme_changed(app: QApplication) -> None:
    if app.property("wardfleetTheme") == ThemeChoice.SYSTEM.value:
        app.setPalette(build_palette(system_is_dark()))


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < 128


# Supply colours: the colourant's own colour; other parts a neutral slate.
_SUPPLY_COLOURS = {
    "black": "#2b2f33",
    "matte black": "#2b2f33",
    "photo black": "#2b2f33",
    "cyan": "#0096d6",
    "magenta": "#d0217b",
    "yellow": "#f0c419",
}
_NEUTRAL = "#6f8faf"
_RECEPTACLE = "#8a939c"
WARNING_COLOUR = "#d98e04"
_ERROR_COLOURS = {"light": "#b00020", "dark": "#ff8a80"}  # both readable on their Base


def error_colour(palette: QPalette) -> str:
    """Red for error words: deep on the light palette, soft on the dark one."""
    return _ERROR_COLOURS["dark" if is_dark(palette) else "light"]


def supply_colour(supply: Supply, dark: bool = False) -> QColor:
    if supply.is_receptacle:
        return QColor(_RECEPTACLE)
    colour = QColor(_SUPPLY_COLOURS.get((supply.colour or "").casefold(), _NEUTRAL))
    if dark and colour.lightness() < 80:
        colour = QColor("#c9d1d9")  # black toner drawn light on a dark background
    return colour
