"""Notifications: one per round, only for alerts needing attention, tray or banner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from tests.services.test_monitor import ScriptedSource
from tests.ui.alerts_seed import (
    HOSTILE,
    Clock,
    Rounds,
    gone,
    healthy,
    jam,
    low_toner,
)
from wardfleet.domain.alerts import AlertEvent, Transition
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import Severity
from wardfleet.services.events import ActivityEvent
from wardfleet.services.runtime import WardRuntime
from wardfleet.store import Store
from wardfleet.ui.dialogs import NOTIFICATIONS_KEY, PreferencesDialog
from wardfleet.ui.notifier import Notification, Notifier, compose

if TYPE_CHECKING:  # imported where used: the window pulls in the whole UI
    from wardfleet.ui.main_window import MainWindow


@pytest.fixture
def host(qtbot: Any) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLabel("devices"))
    qtbot.addWidget(window)
    window.show()
    return window


class Setup:
    """A notifier over the store, with the round driver and what it showed."""

    def __init__(self, notifier: Notifier, rounds: Rounds, qtbot: Any) -> None:
        self.notifier = notifier
        self.rounds = rounds
        self.qtbot = qtbot
        self.shown: list[Notification] = []
        notifier.notified.connect(self.shown.append)

    def settle(self) -> None:
        """Wait for the baseline or last check to finish."""
        task = self.notifier.check()
        if task is not None:
            self.qtbot.waitUntil(task.done, timeout=5000)

    def round(self, statuses: dict[str, Any], times: int = 3) -> list[AlertEvent]:
        """Poll rounds, then tell the notifier as the runtime would: one event per alert."""
        events = self.rounds.run(statuses, times)
        for event in events:
            kind = "alert" if event.transition is Transition.RAISED else "alert-cleared"
            self.notifier.on_activity(ActivityEvent(event.at, kind, event.device_id, "x"))
        return events


def make_setup(
    qtbot: Any,
    host: QMainWindow,
    store: Store,
    settings: QSettings,
    *,
    tray: bool,
    show_alerts: Any = None,
) -> Setup:
    clock = Clock()
    notifier = Notifier(
        store, settings, host, tray_available=tray, clock=clock, show_alerts=show_alerts
    )
    setup = Setup(notifier, Rounds(store, clock), qtbot)
    notifier.start()
    qtbot.waitUntil(lambda: notifier._seen is not None, timeout=5000)
    return setup


def test_banner_when_no_tray_one_message_per_round(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, ward: dict[str, str],
    settings: QSettings,
) -> None:  # fmt: skip
    setup = make_setup(qtbot, host, alert_store, settings, tray=False)
    notifier = setup.notifier
    assert notifier.tray is None and notifier.banner is not None
    central = host.centralWidget()
    assert central is not None and central.objectName() == "centralWithBanner"
    assert notifier.banner.isHidden()
    events = setup.round({ward["jam"]: jam, ward["toner"]: low_toner, ward["gone"]: gone})
    assert len(events) == 3  # three alerts raised in the same round
    qtbot.waitUntil(lambda: len(setup.shown) == 1, timeout=5000)
    qtbot.wait(400)  # no second message trickles in
    assert len(setup.shown) == 1
    note = setup.shown[0]
    assert note.title == "3 new alerts"
    assert note.text.startswith("3 new alerts: ")
    assert f"{HOSTILE} — Paper jam" in note.text and "W3-LABELS — Not reachable" in note.text
    assert set(note.alert_ids) == {a.id for a in alert_store.list_alerts()}
    banner = notifier.banner
    assert banner.isVisible()
    assert banner.message.textFormat() is Qt.TextFormat.PlainText
    assert banner.message.text() == note.text  # the hostile name stays literal
    assert banner.show_button.accessibleName() == "Show alerts"
    assert banner.dismiss_button.accessibleName() == "Dismiss"
    assert notifier.attention_count == 3
    # Later rounds with the same trouble, and a clear, announce nothing.
    setup.round({ward["jam"]: jam, ward["toner"]: low_toner, ward["gone"]: healthy})
    setup.settle()
    assert len(setup.shown) == 1 and notifier.attention_count == 2
    banner.dismiss_button.click()
    assert banner.isHidden()


def test_banner_show_alerts_button_calls_back(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, settings: QSettings
) -> None:
    asked: list[bool] = []
    notifier = Notifier(
        alert_store,
        settings,
        host,
        tray_available=False,
        show_alerts=lambda: asked.append(True),
    )
    assert notifier.banner is not None
    notifier.banner.show_message("1 new alert")
    notifier.banner.show_button.click()
    assert asked == [True] and notifier.banner.isHidden()


def test_tray_path_with_menu_and_count(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, ward: dict[str, str],
    settings: QSettings,
) -> None:  # fmt: skip
    asked: list[str] = []
    setup = make_setup(
        qtbot, host, alert_store, settings, tray=True, show_alerts=lambda: asked.append("alerts")
    )
    notifier = setup.notifier
    assert notifier.tray is not None and notifier.banner is None
    assert isinstance(host.centralWidget(), QLabel)  # no banner put in the window
    menu = notifier.tray.contextMenu()
    assert [a.text() for a in menu.actions()] == ["Show &Wardfleet", "Show &alerts", "", "&Quit"]
    assert notifier.tray.toolTip() == "Wardfleet — no alerts need attention"
    setup.round({ward["jam"]: jam, ward["toner"]: low_toner})
    qtbot.waitUntil(lambda: len(setup.shown) == 1, timeout=5000)
    assert setup.shown[0].title == "2 new alerts"
    assert notifier.tray.toolTip() == "Wardfleet — alerts needing attention: 2"
    menu.actions()[1].trigger()
    assert asked == ["alerts"]
    quit_action = menu.actions()[3]
    quit_action.trigger()
    assert not host.isVisible()


def test_snoozed_and_acknowledged_alerts_are_not_announced(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, ward: dict[str, str],
    settings: QSettings,
) -> None:  # fmt: skip
    setup = make_setup(qtbot, host, alert_store, settings, tray=False)
    setup.round({ward["jam"]: jam, ward["toner"]: low_toner, ward["gone"]: gone})
    # Before the notifier reads, another desktop (or a pull from the hub) handled two.
    by_key = {a.key: a for a in alert_store.list_alerts()}
    now = setup.rounds.clock.now
    alert_store.snooze_alert(by_key["jam"].id, now + 3600, at=now)
    alert_store.acknowledge_alert(by_key["unreachable"].id, by="nurse.jones", at=now)
    qtbot.waitUntil(lambda: len(setup.shown) == 1, timeout=5000)
    note = setup.shown[0]
    assert note.title == "New alert" and not note.critical  # a low toner is a warning
    assert note.alert_ids == (by_key["supply-low:1.black"].id,)
    assert "Paper jam" not in note.text and "W3-OFFICE" in note.text
    # Nothing about them later either, even when the snooze ends.
    setup.rounds.clock.now += 7200
    setup.round({ward["jam"]: jam}, times=1)
    setup.settle()
    assert len(setup.shown) == 1


def test_alerts_open_at_start_are_counted_not_announced(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, ward: dict[str, str],
    settings: QSettings,
) -> None:  # fmt: skip
    Rounds(alert_store, Clock()).run({ward["jam"]: jam})
    setup = make_setup(qtbot, host, alert_store, settings, tray=False)
    assert setup.notifier.attention_count == 1
    setup.notifier.schedule()
    qtbot.wait(400)
    assert setup.shown == []


def test_preference_turns_messages_off(
    qtbot: Any, qloop: Any, host: QMainWindow, alert_store: Store, ward: dict[str, str],
    settings: QSettings,
) -> None:  # fmt: skip
    dialog = PreferencesDialog(settings, None, None)
    qtbot.addWidget(dialog)
    assert dialog.notifications.isChecked()
    assert dialog.notifications.accessibleName()
    dialog.notifications.setChecked(False)
    dialog.accept()
    assert settings.value(NOTIFICATIONS_KEY) in (False, "false")
    setup = make_setup(qtbot, host, alert_store, settings, tray=False)
    setup.round({ward["jam"]: jam})
    qtbot.waitUntil(lambda: setup.notifier.attention_count == 1, timeout=5000)
    qtbot.wait(100)
    assert setup.shown == [] and setup.notifier.banner.isHidden()  # type: ignore[union-attr]


def test_compose_names_three_then_counts() -> None:
    from wardfleet.domain.alerts import Alert

    alerts = [
        (Alert(f"a{n}", f"d{n}", "jam", Severity.CRITICAL, "Paper jam", 100.0 + n), f"P{n}")
        for n in range(5)
    ]
    note = compose(alerts)
    assert note.title == "5 new alerts" and note.critical
    assert note.text == ("5 new alerts: P0 — Paper jam; P1 — Paper jam; P2 — Paper jam; and 2 more")


def started_window(
    qtbot: Any, store: Store, runtime: WardRuntime, settings: QSettings, data_dir: Path
) -> tuple[MainWindow, list[Notification]]:
    """The main window running ``runtime``, its notifier past the baseline check, and the
    list every notification it shows is added to."""
    from wardfleet.ui.main_window import MainWindow

    window = MainWindow(store, runtime, settings, data_dir=data_dir)
    window.show()
    window.start()
    shown: list[Notification] = []
    window.notifier.notified.connect(shown.append)
    qtbot.waitUntil(lambda: window.notifier._seen is not None, timeout=5000)
    return window, shown


def stop_window(qtbot: Any, qloop: Any, window: MainWindow) -> None:
    done = qloop.create_task(window.shutdown())
    qtbot.waitUntil(done.done, timeout=5000)
    window.close()
    window.deleteLater()


def test_real_runtime_round_gives_one_banner_in_the_window(
    qtbot: Any, qloop: Any, alert_store: Store, ward: dict[str, str],
    settings: QSettings, data_dir: Path,
) -> None:  # fmt: skip
    """WardRuntime → bridge → notifier: three devices fail in the same rounds, one banner."""
    failing = {ward["jam"], ward["toner"], ward["gone"]}
    source = ScriptedSource(
        {d: DeviceState.ERROR if d != ward["gone"] else DeviceState.UNREACHABLE for d in failing},
        delay=0,
    )
    runtime = WardRuntime(alert_store, discoverers=[], source=source, hub_sync=False)
    window, shown = started_window(qtbot, alert_store, runtime, settings, data_dir)
    devices = [d for d in alert_store.list_devices() if d.id in failing]

    async def poll(times: int) -> None:
        for _ in range(times):
            await runtime.monitor.poll_once(devices)

    task = qloop.create_task(poll(3))
    qtbot.waitUntil(task.done, timeout=5000)
    assert len(alert_store.list_alerts()) == 3
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert shown[0].title == "3 new alerts"
    banner = window.notifier.banner
    assert banner is not None and banner.isVisible()
    assert window.notifier.tray is None  # offscreen has no system tray
    task = qloop.create_task(poll(3))
    qtbot.waitUntil(task.done, timeout=5000)
    qtbot.wait(400)
    assert len(shown) == 1
    # The banner's button brings the alerts dock forward with the list focused.
    banner.show_button.click()
    qtbot.waitUntil(lambda: window.alerts.panel is not None, timeout=5000)
    panel = window.alerts.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.open_model.rowCount() == 3, timeout=5000)
    stop_window(qtbot, qloop, window)


def test_real_snmp_peer_round_gives_one_notification(
    qtbot: Any, qloop: Any, alert_store: Store, settings: QSettings, data_dir: Path,
    snmpsim_agent: Any,
) -> None:  # fmt: skip
    """snmpsim serves a real Epson recording with four inks at 1 %; a second device does
    not answer at all. Three polls raise all five alerts in one round: one banner."""
    from tests.peers._proc import free_port
    from tests.store.factories import device
    from wardfleet.protocols.snmp_credentials import community
    from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch

    host, port, silent = snmpsim_agent.host, snmpsim_agent.port, free_port("udp")
    epson = device(7, name="<b>EPSON</b>", address=host, port=port)
    dead = device(8, name="W3-DEAD", address=host, port=silent)
    with alert_store.transaction() as tx:
        tx.create_device(epson)
        tx.create_device(dead)
    watch = SnmpWatch(
        [
            SnmpEndpoint(host, port, (community("epson"),)),
            SnmpEndpoint(host, silent, (community("public"),)),
        ],
        timeout_s=0.3,
        retries=0,
    )
    runtime = WardRuntime(alert_store, discoverers=[], source=watch, hub_sync=False)
    window, shown = started_window(qtbot, alert_store, runtime, settings, data_dir)
    devices = alert_store.list_devices()

    async def poll(times: int) -> None:
        for _ in range(times):
            await runtime.monitor.poll_once(devices)

    try:
        task = qloop.create_task(poll(3))
        qtbot.waitUntil(task.done, timeout=30_000)
        task.result()
        keys = sorted(a.key for a in alert_store.list_alerts())
        assert keys.count("unreachable") == 1
        assert len([k for k in keys if k.startswith("supply-low:")]) == 4
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
        assert shown[0].title == f"{len(keys)} new alerts"
        assert "<b>EPSON</b> — Supply low" in shown[0].text
        assert window.notifier.banner is not None
        assert window.notifier.banner.message.text() == shown[0].text
        outbox = [c for c in alert_store.outbox_pending(1000) if c.kind.value == "alert.event"]
        assert len(outbox) == len(keys)  # each raise queued for the hub
        task = qloop.create_task(poll(2))
        qtbot.waitUntil(task.done, timeout=30_000)
        qtbot.wait(400)
        assert len(shown) == 1  # the same trouble next round: quiet
    finally:
        stop_window(qtbot, qloop, window)
