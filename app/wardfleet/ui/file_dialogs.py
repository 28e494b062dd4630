"""Save-as prompts that never block the loop.

``QFileDialog.getSaveFileName`` runs a nested event loop; under qasync that re-enters
running tasks and stalls polling while the dialog is up. This opens the same dialog
window-modally and calls back when the user picks a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget, title: str, default: str, name_filter: str, chosen: Callable[[Path], object]
) -> QFileDialog:
    """Open a save dialog; ``chosen`` gets the path if the user accepts, nothing otherwise."""
    dialog = QFileDialog(parent, title, default, name_filter)
    dialog.setObjectName("saveAsDialog")
    dialog.setAccessibleName(title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)) if name else None)
    dialog.open()
    return dialog
