"""Install translators: ours for the system locale (en_GB when there is none), and Qt's."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wardfleet.ui.resources import translations_dir

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en_GB"
# QCoreApplication.installTranslator does not keep a Python reference.
_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> str:
    """Return the name of the Wardfleet catalogue in use (``wardfleet_cy``…)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    locale = locale or QLocale.system()
    folder = str(translations_dir())

    ours = QTranslator(app)
    if not ours.load(locale, "wardfleet", "_", folder) and not ours.load(
        f"wardfleet_{DEFAULT_LANGUAGE}", folder
    ):
        log.info("no compiled translations in %s; showing source strings", folder)
    if not ours.isEmpty() or ours.filePath():
        app.installTranslator(ours)
        _installed.append(ours)

    qt = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(locale, "qtbase", "_", qt_folder):
        app.installTranslator(qt)
        _installed.append(qt)
    return ours.filePath().rsplit("/", 1)[-1].removesuffix(".qm") if ours.filePath() else ""
