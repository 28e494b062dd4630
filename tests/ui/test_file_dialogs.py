"""Save-as prompts open window-modally and return at once (no nested loop under qasync)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from wardfleet.ui.main_window import MainWindow


def _open_save_dialog(window: MainWindow) -> QFileDialog:
    dialogs = [d for d in window.findChildren(QFileDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_export_prompt_does_not_block_and_writes_the_chosen_file(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    window.export_csv()  # returns while the dialog is still open
    dialog = _open_save_dialog(window)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.accessibleName()
    target = tmp_path / "devices.csv"
    dialog.fileSelected.emit(str(target))
    qtbot.waitUntil(target.exists, timeout=3000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Name", "Kind", "Ward"]
    assert len(rows) == 1 + window.proxy.rowCount()
    dialog.reject()


def test_cancelled_prompt_writes_nothing(window: MainWindow, tmp_path: Path) -> None:
    window.export_csv()
    dialog = _open_save_dialog(window)
    dialog.reject()
    assert not [d for d in window.findChildren(QFileDialog) if d.isVisible()]
    assert list(tmp_path.rglob("*.csv")) == []
