"""Start the desktop app: QApplication on qasync, one window per user and data folder.

Order matters for a fast, safe start: logging and crash hooks first; hand over to a
running instance before touching the database; open the store (start-up problems are
asked about with modal dialogs *before* the asyncio loop runs); show the window; only
then load rows and start the runtime in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

import wardfleet
from wardfleet import logsetup, paths
from wardfleet.store import Store
from wardfleet.ui.crash import CrashReporter
from wardfleet.ui.i18n import install_translators
from wardfleet.ui.main_window import MainWindow
from wardfleet.ui.options import GuiOptions
from wardfleet.ui.resources import app_icon
from wardfleet.ui.runtime_api import PassiveRuntime, UiRuntime
from wardfleet.ui.single_instance import InstanceServer, activate_running, server_name
from wardfleet.ui.startup import (
    ask_with_message_box,
    is_no_keyring_error,
    keyring_problem,
    open_store,
    show_problem,
)
from wardfleet.ui.theme import ThemeChoice, apply_theme

log = logging.getLogger(__name__)

APP_NAME = "Wardfleet"
ORG_NAME = "Wardfleet"
ORG_DOMAIN = "wardfleet.org"
SETTINGS_FILE = "ui-settings.ini"
RUNTIME_STOP_TIMEOUT_S = 10.0
SCREENSHOT_SIZE = QSize(1280, 780)


def create_application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication with Wardfleet's identity, icon, theme and translations."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scaling (125 %, 150 %) as the screen says, not rounded to 100/200 %.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setOrganizationDomain(ORG_DOMAIN)
    QCoreApplication.setApplicationVersion(wardfleet.__version__)
    app = QApplication([sys.argv[0] if sys.argv else "wardfleet", *argv])
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("wardfleet")
    app.setWindowIcon(app_icon())
    # Closing the window starts an orderly async shutdown instead of killing the loop.
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    install_translators(app)
    return app


def ui_settings(data_dir: Path) -> QSettings:
    """Window layout lives beside the database, so demo and test data dirs stay apart."""
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def run_gui(options: GuiOptions) -> int:
    """Run the desktop app until its window closes; return the process exit code.

    0: closed normally, or handed over to an already running window.
    1: the user chose Quit at a start-up problem (bad data folder, damaged database).
    """
    if options.data_dir is not None:
        # Everyone (paths, runtime, logs) reads the data folder from here.
        os.environ["WARDFLEET_DATA_DIR"] = str(options.data_dir)
    data_dir = paths.data_dir()
    log_path = logsetup.configure_logging(paths.log_dir())
    logsetup.enable_faulthandler(paths.log_dir())
    log.info("Wardfleet %s starting, data folder %s", wardfleet.__version__, data_dir)

    app = create_application(options.argv)
    holder = _WindowHolder()
    reporter = CrashReporter(log_path, parent_widget=holder.get)
    reporter.install()
    try:
        name = server_name(data_dir)
        if options.single_instance and activate_running(name):
            log.info("Wardfleet is already open for %s: asked it to come forward", data_dir)
            return 0
        store = open_store(paths.database_path(), ask_with_message_box)
        if store is None:
            return 1
        server = InstanceServer(name) if options.single_instance else None
        if server is not None and server.listen():
            log.info("listening for later starts on %s", name)
        try:
            return int(qasync.run(_main(app, store, options, server, reporter, holder, log_path)))
        except RuntimeError as exc:
            # Qt's loop ended under us (session logout, app.quit() elsewhere).
            log.warning("event loop ended early: %s", exc)
            return 0
    finally:
        reporter.uninstall()


class _WindowHolder:
    """Lets the crash reporter find the window once it exists."""

    def __init__(self) -> None:
        self.window: MainWindow | None = None

    def get(self) -> MainWindow | None:
        return self.window


async def _main(
    app: QApplication,
    store: Store,
    options: GuiOptions,
    server: InstanceServer | None,
    reporter: CrashReporter,
    holder: _WindowHolder,
    log_path: Path | None,
) -> int:
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(reporter.loop_exception_handler)
    data_dir = paths.data_dir()
    settings = ui_settings(data_dir)
    theme = str(settings.value("ui/theme", ThemeChoice.SYSTEM.value))
    with contextlib.suppress(ValueError):
        apply_theme(app, ThemeChoice(theme))

    runtime: UiRuntime = (
        options.runtime_factory(store) if options.runtime_factory else PassiveRuntime(store)
    )
    window = MainWindow(
        store, runtime, settings, demo=options.demo, data_dir=data_dir, log_path=log_path
    )
    holder.window = window
    quit_requested = asyncio.Event()
    window.closed.connect(quit_requested.set)
    app.aboutToQuit.connect(lambda: _emergency_cleanup(window, store))
    if server is not None:
        server.activateRequested.connect(window.bring_to_front)

    _close_on_signals(loop, window)
    if options.screenshot_dir is None:
        window.restore_settings()
    else:
        # Same picture on any screen (offscreen's virtual screen is only 800 x 600).
        window.set_window_size(window.size().expandedTo(SCREENSHOT_SIZE))
    window.show()
    window.start()

    started = asyncio.ensure_future(runtime.start())
    started.add_done_callback(lambda task: _runtime_started(task, window, reporter))
    if options.quit_after is not None:
        QTimer.singleShot(int(options.quit_after * 1000), window.close)
    shots: asyncio.Task[list[Path]] | None = None
    if options.screenshot_dir is not None:
        from wardfleet.ui.screenshot import capture_and_close

        shots = asyncio.ensure_future(capture_and_close(window, options.screenshot_dir))

    await quit_requested.wait()
    log.info("shutting down")
    if shots is not None and not shots.done():
        shots.cancel()
    await window.shutdown()
    if not started.done():
        started.cancel()
    try:
        await asyncio.wait_for(runtime.stop(), RUNTIME_STOP_TIMEOUT_S)
    except Exception:
        log.exception("the runtime did not stop cleanly")
    if server is not None:
        server.close()
    await asyncio.to_thread(store.close)
    log.info("stopped")
    return 0


def _runtime_started(task: asyncio.Task[None], window: MainWindow, reporter: CrashReporter) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is None:
        return
    if is_no_keyring_error(exc):
        log.warning("no keyring backend: %s", exc)
        show_problem(keyring_problem(str(exc)), window)
        return
    reporter.report((type(exc), exc, exc.__traceback__))


def _close_on_signals(loop: asyncio.AbstractEventLoop, window: MainWindow) -> None:
    """Ctrl+C in a terminal or a polite kill (logout, systemd) closes the window
    through the normal path, so the runtime stops and the store closes cleanly."""
    for name in ("SIGINT", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        # Not on Windows, nor off the main thread: then Python's default behaviour stays.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, window.close)


def _emergency_cleanup(window: MainWindow, store: Store) -> None:
    """Qt is quitting without our close path (e.g. session logout): save what we can."""
    if window.isVisible():
        window.save_settings()
    with contextlib.suppress(Exception):
        store.close()
