"""Tell the user about newly raised alerts: a tray message, or a banner when there is no tray.

One notification per poll round however many alerts it raised ("3 new alerts: …"):
alert events are collected for ``COALESCE_MS`` and the store is then read once, off the
UI thread. Only alerts that need attention are announced: a snoozed or acknowledged one
stays quiet, and alerts already open at start are not announced again. The tray icon's
tooltip carries the count of alerts needing attention. Users can turn the messages off
in Preferences (``NOTIFICATIONS_KEY``); the count stays.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAction,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.alerts import Alert
from wardfleet.domain.status import Severity
from wardfleet.services.events import ActivityEvent
from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.dialogs import NOTIFICATIONS_KEY, notifications_enabled
from wardfleet.ui.resources import app_icon, icon
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:
    from wardfleet.ui.main_window import MainWindow

COALESCE_MS = 250
translate = QCoreApplication.translate
NAMED_IN_MESSAGE = 3  # more than this many alerts: "… and 2 more"
TRAY_MESSAGE_MS = 10_000
ALERT_KINDS = frozenset({"alert", "alert-cleared"})

__all__ = ["NOTIFICATIONS_KEY", "AlertBanner", "Notification", "Notifier", "install_banner"]


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    text: str
    alert_ids: tuple[str, ...]
    critical: bool = False


def compose(alerts: Sequence[tuple[Alert, str]]) -> Notification:
    """One message for a round's new alerts (alert, device name), most severe first."""
    from wardfleet.ui.alerts_model import problem_text  # the table model: only when needed

    ranked = sorted(
        alerts, key=lambda pair: (pair[0].severity is not Severity.CRITICAL, pair[0].raised_at)
    )
    lines = [f"{name} — {problem_text(alert)}" for alert, name in ranked[:NAMED_IN_MESSAGE]]
    if len(ranked) > NAMED_IN_MESSAGE:
        lines.append(
            texts.fill(translate("Notifier", "and %1 more"), len(ranked) - NAMED_IN_MESSAGE)
        )
    if len(ranked) == 1:
        title = translate("Notifier", "New alert")
        text = lines[0]
    else:
        title = texts.fill(translate("Notifier", "%1 new alerts"), len(ranked))
        text = texts.fill(translate("Notifier", "%1 new alerts: %2"), len(ranked), "; ".join(lines))
    critical = any(a.severity is Severity.CRITICAL for a, _ in ranked)
    return Notification(title, text, tuple(a.id for a, _ in ranked), critical)


class AlertBanner(QFrame):
    """A plain-text strip above the device list, for desktops without a tray."""

    showAlertsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Tooltip colours: set apart from the window in light and dark palettes alike.
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setAccessibleName(translate("Notifier", "New alerts"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        badge = QLabel()
        badge.setPixmap(icon("state-error").pixmap(20, 20))
        badge.setAccessibleName(translate("Notifier", "Alert"))
        layout.addWidget(badge)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message, 1)
        self.show_button = QPushButton(translate("Notifier", "Show a&lerts"))
        self.show_button.setAccessibleName(translate("Notifier", "Show alerts"))
        self.dismiss_button = QPushButton(translate("Notifier", "Dis&miss"))
        self.dismiss_button.setAccessibleName(translate("Notifier", "Dismiss"))
        self.dismiss_button.setToolTip(translate("Notifier", "Hide this message (Esc)"))
        layout.addWidget(self.show_button)
        layout.addWidget(self.dismiss_button)
        self.show_button.clicked.connect(self._show_alerts)
        self.dismiss_button.clicked.connect(self.hide)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.hide)
        self.hide()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.setAccessibleDescription(text)
        self.show()  # no focus grab: the user may be typing elsewhere
        # Screen readers announce an Alert event without the focus moving.
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def _show_alerts(self) -> None:
        self.hide()
        self.showAlertsRequested.emit()


def install_banner(window: QMainWindow) -> AlertBanner:
    """Put a hidden banner at the top of the window's central area."""
    central = window.takeCentralWidget()
    holder = QWidget(window)
    holder.setObjectName("centralWithBanner")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    banner = AlertBanner(holder)
    layout.addWidget(banner)
    if central is not None:
        layout.addWidget(central, 1)
    window.setCentralWidget(holder)
    return banner


class Notifier(QObject):
    """Watches alert events; announces new alerts once per round, by tray or banner."""

    notified = Signal(object)  # the Notification as shown

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        host: QMainWindow,
        *,
        tray_available: bool | None = None,
        spawn: Callable[[Any], Any] | None = None,
        show_alerts: Callable[[], None] | None = None,
        show_window: Callable[[], None] | None = None,
        quit_app: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(host)
        self.store = store
        self.settings = settings
        self._spawn = spawn or asyncio.ensure_future
        self._show_alerts = show_alerts or (lambda: None)
        self._show_window = show_window or host.show
        self._quit = quit_app or host.close
        self._clock = clock
        self._seen: set[str] | None = None  # None until the first read: the baseline
        self._checking = False
        self._again = False
        self.attention_count = 0
        self.tooltip = translate("Notifier", "Wardfleet")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.check)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray = self._make_tray() if tray_available else None
        self.banner: AlertBanner | None = None
        if self.tray is None:
            self.banner = install_banner(host)
            self.banner.showAlertsRequested.connect(self._show_alerts)

    @classmethod
    def for_window(cls, window: MainWindow, *, tray_available: bool | None = None) -> Notifier:
        def show_window() -> None:
            if window.isMinimized():
                window.showNormal()
            window.show()
            window.raise_()
            window.activateWindow()

        def show_alerts() -> None:  # from the tray the window may be hidden or minimised
            show_window()
            window.alerts.bring_forward()

        notifier = cls(
            window.store,
            window.settings,
            window,
            tray_available=tray_available,
            spawn=window.spawn,
            show_alerts=show_alerts,
            show_window=show_window,
            quit_app=window.commands.quit.trigger,
        )
        window.bridge.activityReceived.connect(notifier.on_activity)
        window.alerts.alertsChanged.connect(notifier.schedule)
        window.closed.connect(notifier.hide_tray)
        return notifier

    def _make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        menu = QMenu()
        menu.setAccessibleName(translate("Notifier", "Wardfleet"))
        self.tray_menu = menu  # the tray does not own its menu; keep it alive
        for text, slot in (
            (translate("Notifier", "Show &Wardfleet"), lambda: self._show_window()),
            (translate("Notifier", "Show &alerts"), lambda: self._show_alerts()),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        quit_action = QAction(translate("Notifier", "&Quit"), menu)
        quit_action.triggered.connect(lambda: self._quit())
        menu.addAction(quit_action)
        tray.setContextMenu(menu)
        tray.setToolTip(self.tooltip)
        tray.activated.connect(self._on_tray_activated)
        tray.messageClicked.connect(lambda: self._show_alerts())
        tray.show()
        return tray

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._show_window()

    def hide_tray(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    # Watching ---------------------------------------------------------------------------
    def start(self) -> Any:
        """Read what is open now, so it is counted but not announced as new."""
        return self.check()

    def on_activity(self, event: ActivityEvent) -> None:
        if event.kind in ALERT_KINDS:
            self.schedule()

    def schedule(self) -> None:
        """A round's events arrive together: wait a moment and read once."""
        if not self._timer.isActive():
            self._timer.start()

    def check(self) -> Any:
        if self._checking:
            self._again = True
            return None
        self._checking = True
        return self._spawn(self._check())

    async def _check(self) -> None:
        try:
            while True:
                self._again = False
                opened = await asyncio.to_thread(self._read)
                self._take(opened, self._clock())
                if not self._again:
                    break
        finally:
            self._checking = False

    def _read(self) -> list[tuple[Alert, str]]:
        from wardfleet.ui.alerts_model import alert_rows  # the table model: only when needed

        return [(r.alert, r.device_name) for r in alert_rows(self.store, self.store.list_alerts())]

    def _take(self, opened: Sequence[tuple[Alert, str]], now: float) -> None:
        baseline = self._seen is None
        seen = self._seen or set()
        fresh = [(a, name) for a, name in opened if a.id not in seen and a.needs_attention(now)]
        # Closed alerts never come back under the same id, so only open ids need keeping.
        self._seen = {a.id for a, _ in opened}
        self.set_count(sum(1 for a, _ in opened if a.needs_attention(now)))
        if fresh and not baseline and notifications_enabled(self.settings):
            self.notify(compose(fresh))

    # Showing ----------------------------------------------------------------------------
    def set_count(self, count: int) -> None:
        self.attention_count = count
        if count:
            self.tooltip = texts.fill(
                translate("Notifier", "Wardfleet — alerts needing attention: %1"), count
            )
        else:
            self.tooltip = translate("Notifier", "Wardfleet — no alerts need attention")
        if self.tray is not None:
            self.tray.setToolTip(self.tooltip)

    def notify(self, note: Notification) -> None:
        if self.tray is not None:
            kind = QSystemTrayIcon.MessageIcon
            level = kind.Critical if note.critical else kind.Warning
            self.tray.showMessage(note.title, note.text, level, TRAY_MESSAGE_MS)
        elif self.banner is not None:
            self.banner.show_message(note.text)
        self.notified.emit(note)
