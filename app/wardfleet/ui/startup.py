"""Problems at start-up (and a missing keyring later) explained in words, with choices.

The decisions live in plain functions that take an ``ask`` callable, so tests drive
them without modal dialogs; ``ask_with_message_box`` is the real one.
Nothing here ever deletes a database: a damaged file is renamed and kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from wardfleet.store import Store
from wardfleet.store.db import CorruptDatabaseError, DataDirError, DiskFullError, move_aside
from wardfleet.ui.texts import QT_TRANSLATE_NOOP, fill

log = logging.getLogger(__name__)


class Choice(Enum):
    MOVE_ASIDE = QT_TRANSLATE_NOOP("Startup", "&Move aside and start fresh")
    RETRY = QT_TRANSLATE_NOOP("Startup", "&Try again")
    QUIT = QT_TRANSLATE_NOOP("Startup", "&Quit")
    CONTINUE = QT_TRANSLATE_NOOP("Startup", "&OK")

    @property
    def label(self) -> str:
        return QCoreApplication.translate("Startup", self.value)


class ProblemKind(Enum):
    DATA_DIR = "data-dir"
    CORRUPT_DATABASE = "corrupt-database"
    DISK_FULL = "disk-full"
    NO_KEYRING = "no-keyring"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    title: str
    text: str
    detail: str
    choices: tuple[Choice, ...]
    default: Choice
    escape: Choice


Ask = Callable[[Problem], Choice]


def data_dir_problem(folder: Path, detail: str) -> Problem:
    return Problem(
        ProblemKind.DATA_DIR,
        QCoreApplication.translate("Startup", "Cannot use the data folder"),
        fill(
            QCoreApplication.translate(
                "Startup",
                "Wardfleet cannot write to its data folder:\n%1\n\n"
                "Check that the folder exists, that your account may write to it and "
                "that its drive is connected. To use another folder, start Wardfleet "
                "with the environment variable WARDFLEET_DATA_DIR set to that folder.",
            ),
            folder,
        ),
        detail,
        (Choice.RETRY, Choice.QUIT),
        Choice.RETRY,
        Choice.QUIT,
    )


def corrupt_problem(path: Path, detail: str) -> Problem:
    return Problem(
        ProblemKind.CORRUPT_DATABASE,
        QCoreApplication.translate("Startup", "The device database is damaged"),
        fill(
            QCoreApplication.translate(
                "Startup",
                "Wardfleet cannot read its database:\n%1\n\n"
                "You can move the damaged file aside and start with an empty database. "
                "The damaged file is kept under a new name, never deleted, so your "
                "helpdesk can try to recover it. Devices reappear with the next scan, "
                "and changes already sent to the hub are safe there.",
            ),
            path,
        ),
        detail,
        (Choice.MOVE_ASIDE, Choice.QUIT),
        Choice.MOVE_ASIDE,
        Choice.QUIT,
    )


def disk_full_problem(detail: str) -> Problem:
    return Problem(
        ProblemKind.DISK_FULL,
        QCoreApplication.translate("Startup", "The disk is full"),
        QCoreApplication.translate(
            "Startup",
            "Wardfleet could not open its database because the disk is full. "
            "Nothing was lost. Free some space on this computer, then choose Try again.",
        ),
        detail,
        (Choice.RETRY, Choice.QUIT),
        Choice.RETRY,
        Choice.QUIT,
    )


def keyring_problem(detail: str) -> Problem:
    return Problem(
        ProblemKind.NO_KEYRING,
        QCoreApplication.translate("Startup", "No keyring available"),
        QCoreApplication.translate(
            "Startup",
            "Wardfleet keeps the hub sign-in token in the system keyring, and no keyring "
            "service is available on this computer. Wardfleet keeps working and queues "
            "changes for the hub until this is fixed.\n\n"
            "To fix it on Linux, install and unlock a Secret Service keyring (GNOME "
            "Keyring or KWallet), then sign in to the hub again. On Windows, the "
            "Credential Manager must be available. Wardfleet never stores the token in "
            "plain text.",
        ),
        detail,
        (Choice.CONTINUE,),
        Choice.CONTINUE,
        Choice.CONTINUE,
    )


def open_store(
    path: Path,
    ask: Ask,
    *,
    opener: Callable[[Path], Store] = Store.open,
    max_attempts: int = 5,
) -> Store | None:
    """Open the store, asking the user what to do about each problem; None means quit."""
    for _ in range(max_attempts):
        try:
            return opener(path)
        except CorruptDatabaseError as exc:
            log.error("database unreadable: %s", exc)
            if ask(corrupt_problem(exc.path, exc.detail)) is not Choice.MOVE_ASIDE:
                return None
            try:
                kept = move_aside(exc.path)
            except OSError as move_exc:
                log.error("could not move %s aside: %s", exc.path, move_exc)
                problem = data_dir_problem(exc.path.parent, str(move_exc))
                if ask(problem) is not Choice.RETRY:
                    return None
            else:
                log.warning("moved damaged database aside to %s", kept)
        except DataDirError as exc:
            log.error("data folder unusable: %s", exc)
            if ask(data_dir_problem(path.parent, str(exc))) is not Choice.RETRY:
                return None
        except DiskFullError as exc:
            log.error("disk full opening the database: %s", exc)
            if ask(disk_full_problem(str(exc))) is not Choice.RETRY:
                return None
    return None


def is_no_keyring_error(exc: BaseException) -> bool:
    """True for keyring's NoKeyringError anywhere in the cause chain (no import needed)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if any(cls.__name__ == "NoKeyringError" for cls in type(current).__mro__):
            return True
        current = current.__cause__ or current.__context__
    return False


class ProblemBox(QMessageBox):
    """A message box that knows which button stands for which Choice."""

    def __init__(self, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.choices: dict[QAbstractButton, Choice] = {}

    def choice(self) -> Choice:
        clicked = self.clickedButton()
        return self.choices.get(clicked, self.problem.escape) if clicked else self.problem.escape


def build_message_box(problem: Problem, parent: QWidget | None = None) -> ProblemBox:
    box = ProblemBox(problem, parent)
    box.setIcon(
        QMessageBox.Icon.Information
        if problem.kind is ProblemKind.NO_KEYRING
        else QMessageBox.Icon.Warning
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(problem.title)
    box.setText(problem.title)
    box.setInformativeText(problem.text)
    if problem.detail:
        box.setDetailedText(problem.detail)
    for choice in problem.choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if choice is problem.escape
            else QMessageBox.ButtonRole.AcceptRole
        )
        button = box.addButton(choice.label, role)
        button.setAccessibleName(choice.label.replace("&", ""))
        box.choices[button] = choice
        if choice is problem.default:
            box.setDefaultButton(button)
        if choice is problem.escape:
            box.setEscapeButton(button)
    box.setAccessibleName(problem.title)
    return box


def ask_with_message_box(problem: Problem, parent: QWidget | None = None) -> Choice:
    """Modal: use before the asyncio loop runs or from a plain (non-async) slot."""
    box = build_message_box(problem, parent)
    box.exec()
    return box.choice()


def show_problem(problem: Problem, parent: QWidget | None = None) -> ProblemBox:
    """Non-blocking, for problems found while the app runs (e.g. no keyring)."""
    box = build_message_box(problem, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.show()
    return box
