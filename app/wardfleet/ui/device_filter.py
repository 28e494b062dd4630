"""Search and state filter over the device table, with sorting by real values."""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.kinds import DeviceState
from wardfleet.ui.device_model import DeviceTableModel, ModelIndex, Role
from wardfleet.ui.texts import QT_TRANSLATE_NOOP


class StateFilter(Enum):
    ALL = QT_TRANSLATE_NOOP("StateFilter", "All devices")
    NEEDS_ATTENTION = QT_TRANSLATE_NOOP("StateFilter", "Needs attention")
    ERRORS = QT_TRANSLATE_NOOP("StateFilter", "Errors")
    WARNINGS = QT_TRANSLATE_NOOP("StateFilter", "Warnings")
    UNREACHABLE = QT_TRANSLATE_NOOP("StateFilter", "Unreachable")
    NEW = QT_TRANSLATE_NOOP("StateFilter", "New (not reviewed)")

    @property
    def label(self) -> str:
        return QCoreApplication.translate("StateFilter", self.value)

    def accepts(self, overview: DeviceOverview) -> bool:
        state = overview.device.state
        if self is StateFilter.ALL:
            return True
        if self is StateFilter.NEEDS_ATTENTION:
            return needs_attention(overview)
        if self is StateFilter.ERRORS:
            return state is DeviceState.ERROR
        if self is StateFilter.WARNINGS:
            return state is DeviceState.WARNING
        if self is StateFilter.UNREACHABLE:
            return state is DeviceState.UNREACHABLE
        return overview.device.is_new


def needs_attention(overview: DeviceOverview) -> bool:
    return overview.device.state.urgency >= DeviceState.WARNING.urgency


class DeviceFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self._state_filter = StateFilter.ALL
        self.setSortRole(Role.SORT)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        """Every whitespace-separated term must match somewhere (case-insensitive)."""
        terms = text.casefold().split()
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_state_filter(self, state_filter: StateFilter) -> None:
        if state_filter is not self._state_filter:
            self.beginFilterChange()
            self._state_filter = state_filter
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def state_filter(self) -> StateFilter:
        return self._state_filter

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DeviceTableModel) or source_parent.isValid():
            return True
        if not self._state_filter.accepts(model.overview_at(source_row)):
            return False
        haystack = model.search_text_at(source_row)
        return all(term in haystack for term in self._terms)
