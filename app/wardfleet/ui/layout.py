"""Window layout numbers: first-start sizes, column widths, and the settings keys."""

from __future__ import annotations

from PySide6.QtCore import QSize

from wardfleet.ui.device_model import Column

# First-start column widths in average character widths (so they scale with font and
# DPI): (narrowest, widest). The _SHRINKABLE ones give way until the table fits its pane.
WIDTH_LIMITS = {
    Column.NAME: (16, 26),
    Column.KIND: (10, 15),
    Column.PLACE: (12, 34),
    Column.ADDRESS: (11, 16),
    Column.MODEL: (10, 32),
    Column.STATE: (11, 16),
    Column.SUPPLIES: (12, 40),
    Column.LAST_SEEN: (9, 13),
}
# How readily a column gives way: vendor/model matters least, the name most.
_SHRINKABLE = {Column.MODEL: 2.0, Column.PLACE: 1.0, Column.SUPPLIES: 1.0}


def fit_widths(
    ideal: dict[Column, int], minimum: dict[Column, int], available: int
) -> dict[Column, int]:
    """Shrink the shrinkable columns, by weight and slack, until the total fits."""
    widths = dict(ideal)
    excess = sum(widths.values()) - available
    while excess > 0:
        slack = {c: widths[c] - minimum[c] for c in _SHRINKABLE if widths[c] > minimum[c]}
        if not slack:
            break
        weight = sum(_SHRINKABLE[c] for c in slack)
        step = max(1, int(excess / weight))
        for column, room in slack.items():
            give = min(room, int(step * _SHRINKABLE[column] + 0.5), excess)
            widths[column] -= give
            excess -= give
    return widths


def first_start_size(available: QSize) -> QSize:
    """Fill a small screen (1280 x 800 laptops); on a big one leave room around."""
    width = available.width()
    height = available.height()
    if width > 1400:
        width = min(1600, int(width * 0.85))
    height = min(1000, int(height * 0.85)) if height > 900 else max(480, height - 20)
    return QSize(width, height)


DETAIL_WIDTH = 330


class SettingsKey:
    GEOMETRY = "window/geometry"
    STATE = "window/state"
    SPLITTER = "window/splitter"
    HEADER = "table/header"
    DETAIL_VISIBLE = "view/detailVisible"
    STATE_FILTER = "view/stateFilter"
