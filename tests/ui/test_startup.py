"""Start-up problems: decided by plain functions with an ``ask`` callable."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wardfleet.store import Store
from wardfleet.store.db import DataDirError, DiskFullError
from wardfleet.ui.startup import (
    Choice,
    Problem,
    ProblemKind,
    build_message_box,
    corrupt_problem,
    is_no_keyring_error,
    keyring_problem,
    open_store,
)

GARBAGE = b"this is not a database\x00" * 400


class Asker:
    def __init__(self, *answers: Choice) -> None:
        self.answers = list(answers)
        self.asked: list[Problem] = []

    def __call__(self, problem: Problem) -> Choice:
        self.asked.append(problem)
        return self.answers.pop(0)


def test_healthy_database_opens_without_questions(tmp_path: Path) -> None:
    ask = Asker()
    store = open_store(tmp_path / "wardfleet.sqlite3", ask)
    assert store is not None and ask.asked == []
    store.close()


def test_corrupt_database_is_moved_aside_and_a_fresh_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "wardfleet.sqlite3"
    path.write_bytes(GARBAGE)
    ask = Asker(Choice.MOVE_ASIDE)
    store = open_store(path, ask)
    assert [p.kind for p in ask.asked] == [ProblemKind.CORRUPT_DATABASE]
    assert str(path) in ask.asked[0].text
    assert store is not None
    try:
        kept = list(tmp_path.glob("wardfleet.sqlite3.corrupt-*"))
        assert [k.read_bytes() for k in kept if not k.name.endswith(("-wal", "-shm"))] == [GARBAGE]
        assert store.list_overview() == []  # the app goes on with an empty, working store
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        store.close()


def test_corrupt_database_quit_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "wardfleet.sqlite3"
    path.write_bytes(GARBAGE)
    assert open_store(path, Asker(Choice.QUIT)) is None
    assert path.read_bytes() == GARBAGE
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_unwritable_data_dir_explains_and_can_retry(tmp_path: Path) -> None:
    # A file where the folder should be: unwritable even for root (CI runs as root, so a
    # chmod-based lock would never be tested there).
    blocker = tmp_path / "locked"
    blocker.write_text("not a folder")
    ask = Asker(Choice.QUIT)
    assert open_store(blocker / "data" / "wardfleet.sqlite3", ask) is None
    assert ask.asked[0].kind is ProblemKind.DATA_DIR
    assert blocker.read_text() == "not a folder"


def test_data_dir_error_retry_then_success(tmp_path: Path) -> None:
    attempts: list[Path] = []

    def opener(path: Path) -> Store:
        attempts.append(path)
        if len(attempts) == 1:
            raise DataDirError(f"cannot write to the data folder {path.parent}")
        return Store.open(path)

    ask = Asker(Choice.RETRY)
    store = open_store(tmp_path / "db.sqlite3", ask, opener=opener)
    assert store is not None and len(attempts) == 2
    problem = ask.asked[0]
    assert problem.kind is ProblemKind.DATA_DIR
    assert "WARDFLEET_DATA_DIR" in problem.text
    store.close()


def test_disk_full_offers_retry_and_quit(tmp_path: Path) -> None:
    def opener(path: Path) -> Store:
        raise DiskFullError("database or disk is full")

    ask = Asker(Choice.RETRY, Choice.QUIT)
    assert open_store(tmp_path / "db.sqlite3", ask, opener=opener) is None
    assert [p.kind for p in ask.asked] == [ProblemKind.DISK_FULL] * 2
    assert "Nothing was lost" in ask.asked[0].text


def test_keyring_error_detection_without_importing_keyring() -> None:
    class NoKeyringError(RuntimeError):
        pass

    try:
        try:
            raise NoKeyringError("No recommended backend was available")
        except NoKeyringError as inner:
            raise RuntimeError("hub login failed") from inner
    except RuntimeError as outer:
        assert is_no_keyring_error(outer)
    assert not is_no_keyring_error(ValueError("x"))


def test_real_keyring_error_is_recognised() -> None:
    errors = pytest.importorskip("keyring.errors")
    assert is_no_keyring_error(errors.NoKeyringError())


def test_keyring_message_says_how_to_fix_and_never_plain_text() -> None:
    problem = keyring_problem("fail.Keyring")
    assert (
        "GNOME Keyring" in problem.text and "never stores the token in plain text" in problem.text
    )
    assert problem.choices == (Choice.CONTINUE,)


def test_message_box_maps_buttons_to_choices(qapp: Any, tmp_path: Path) -> None:
    box = build_message_box(corrupt_problem(tmp_path / "db", "file is not a database"))
    labels = {button.text(): choice for button, choice in box.choices.items()}
    assert labels == {
        "&Move aside and start fresh": Choice.MOVE_ASIDE,
        "&Quit": Choice.QUIT,
    }
    assert box.defaultButton() is not None
    assert box.choices[box.defaultButton()] is Choice.MOVE_ASIDE
    for button in box.choices:
        assert button.accessibleName()
    move = next(b for b, c in box.choices.items() if c is Choice.MOVE_ASIDE)
    box.show()
    move.click()
    assert box.choice() is Choice.MOVE_ASIDE
    assert build_message_box(keyring_problem("x")).choice() is Choice.CONTINUE  # closed = escape
