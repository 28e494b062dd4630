"""Translations: the catalogues load, and the committed ones are not stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from wardfleet.ui.i18n import install_translators
from wardfleet.ui.resources import translations_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_english(qapp: Any) -> Any:
    yield qapp
    install_translators(qapp, QLocale("en_GB"))


def test_compiled_catalogues_are_package_data() -> None:
    assert (translations_dir() / "wardfleet_en_GB.qm").is_file()
    assert (translations_dir() / "wardfleet_cy.qm").is_file()


def test_welsh_catalogue_translates_menus(restore_english: Any) -> None:
    assert install_translators(restore_english, QLocale("cy_GB")) == "wardfleet_cy"
    assert QCoreApplication.translate("MainWindow", "Wardfleet") == "Wardfleet"  # unfinished
    from wardfleet.ui.actions import translate

    assert translate("Actions", "&Quit") == "&Gadael"


def test_unknown_locale_falls_back_to_british_english(restore_english: Any) -> None:
    assert install_translators(restore_english, QLocale("ja_JP")) == "wardfleet_en_GB"
    assert QCoreApplication.translate("Actions", "&Quit") == "&Quit"


def test_translated_menus_in_a_window(restore_english: Any, make_window: Any, store: Any) -> None:
    install_translators(restore_english, QLocale("cy"))
    window = make_window(store)
    assert window.menuBar().actions()[0].text() == "&Ffeil"


@pytest.mark.slow
def test_ts_and_qm_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
