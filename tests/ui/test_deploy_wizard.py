"""The multi-device Deploy wizard against TWO real net-snmp agents: a saved profile →
devices (another kind flagged and left out) → dry-run table → apply → results per device,
both verified with net-snmp's ``snmpget``; and a helpdesk role that sees the plan but
cannot apply. Credentials come from a saved credential set, as in the app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpdAgent, start_snmpd
from tests.peers.snmp_strings import location_kept, snmpget
from tests.store.factories import device
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols.snmp import close_engine
from wardfleet.protocols.snmp_credentials import SnmpVersion
from wardfleet.services.credential_sets import Secrets, build_set, put_set
from wardfleet.services.print_queues import CupsQueues
from wardfleet.store import Store, profiles
from wardfleet.ui.deploy_dialog import CHOOSE, PLAN, RESULTS, SETTINGS, DeployDialog
from wardfleet.ui.deploy_wizard import deploy_wizard

pytestmark = pytest.mark.peer("snmpd")


@pytest.fixture(scope="module")
def second_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpdAgent]:
    handle = start_snmpd(tmp_path_factory.mktemp("snmpd-b"), free_port("udp"))
    try:
        yield handle.info
    finally:
        handle.stop()


@pytest.fixture
def agents(
    snmpd_agent: SnmpdAgent, second_agent: SnmpdAgent, qloop: qasync.QEventLoop
) -> Iterator[tuple[SnmpdAgent, SnmpdAgent]]:
    pair = (snmpd_agent, second_agent)
    with location_kept(*pair):
        yield pair
        close_engine(qloop)


@pytest.fixture
def ward(store: Store, memory_keyring: Any, agents: tuple[SnmpdAgent, SnmpdAgent]) -> list[Device]:
    a, b = agents
    devices = [
        device(1, name="Ward 4 laser <1>", ward="Ward 4", address=a.host, port=a.port),
        device(2, name="Ward 4 laser 2", ward="Ward 4", address=b.host, port=b.port),
        device(3, name="Ward 4 scanner", ward="Ward 4", kind=DeviceKind.SCANNER,
               address="127.0.0.1", port=9),
    ]  # fmt: skip
    with store.transaction() as tx:
        for d in devices:
            tx.create_device(d)
        profiles.save(
            tx,
            profiles.new_profile(
                "Ward 4 printers",
                [("location", "Ward 4 corridor"), ("ipp:info", "Ward 4 laser")],
                "printer",
            ),
        )
    put_set(store, build_set("ward rw", SnmpVersion.V2C), Secrets(community=a.rw_community))
    return devices


def cells(table: Any) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def open_wizard(qtbot: Any, store: Store, devices: list[Device], role: str | None) -> DeployDialog:
    dialog = deploy_wizard(store, devices, actor="ui-tester", role=role)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.profiles_loaded is not None
    qtbot.waitUntil(dialog.profiles_loaded.done, timeout=5000)
    assert dialog.pages.currentIndex() == CHOOSE
    return dialog


def choose_profile_and_preview(qtbot: Any, dialog: DeployDialog) -> None:
    [profile] = dialog.choose.profiles
    assert dialog.choose.choose_profile(profile.id)
    items = [dialog.choose.device_list.item(i) for i in range(dialog.choose.device_list.count())]
    flagged = [i.text() for i in items if "another kind" in i.text()]
    assert flagged == ["Ward 4 scanner — Scanner — 127.0.0.1 — another kind: the profile is for "
                       "Printer"]  # fmt: skip
    assert [i.checkState() for i in items] == [
        Qt.CheckState.Checked, Qt.CheckState.Checked, Qt.CheckState.Unchecked
    ]  # fmt: skip
    assert "Of another kind than the profile's: 1." in dialog.choose.summary.text()
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == SETTINGS
    assert dialog.location_edit.text() == "Ward 4 corridor"  # filled from the profile
    assert dialog.ipp_info_edit.text() == "Ward 4 laser"
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=15000)


def test_profile_to_two_real_agents_verified_with_snmpget(
    qtbot: Any, store: Store, ward: list[Device], agents: tuple[SnmpdAgent, SnmpdAgent]
) -> None:
    a, b = agents
    before = [snmpget(a), snmpget(b)]
    dialog = open_wizard(qtbot, store, ward, role=None)
    choose_profile_and_preview(qtbot, dialog)
    assert cells(dialog.plan_table) == [
        ["Ward 4 laser <1>", "sysLocation", before[0], "Ward 4 corridor", "SNMP", "ward rw"],
        ["Ward 4 laser 2", "sysLocation", before[1], "Ward 4 corridor", "SNMP", "ward rw"],
    ]
    message = dialog.message.text()
    assert "Changes to apply: 2. Nothing has been changed yet." in message
    assert dialog.step_label.text() == "Step 3 of 4: check the planned changes (dry run)"
    assert "Ward 4 laser <1>: IPP: no printer URI known" in message  # said, not hidden
    assert [snmpget(a), snmpget(b)] == before  # a dry run changes nothing
    assert dialog.apply_button.isEnabled()

    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RESULTS, timeout=20000)
    assert cells(dialog.results_table) == [
        ["Ward 4 laser <1>", "sysLocation", "applied", "Ward 4 corridor", ""],
        ["Ward 4 laser 2", "sysLocation", "applied", "Ward 4 corridor", ""],
    ]
    assert dialog.progress.value() == dialog.progress.maximum() == 2
    assert snmpget(a) == snmpget(b) == "Ward 4 corridor"
    verified = [e.device_id for e in store.audit_entries() if e.result == "verified"]
    assert sorted(verified) == ["dev-1", "dev-2"]
    assert store.verify_audit() is None


def test_helpdesk_sees_the_plan_but_cannot_apply(
    qtbot: Any, store: Store, ward: list[Device], agents: tuple[SnmpdAgent, SnmpdAgent]
) -> None:
    a, b = agents
    before = [snmpget(a), snmpget(b)]
    dialog = open_wizard(qtbot, store, ward, role="helpdesk")
    choose_profile_and_preview(qtbot, dialog)
    assert len(cells(dialog.plan_table)) == 2  # the plan is shown
    assert not dialog.apply_button.isEnabled()
    assert "your role (helpdesk) may not apply changes" in dialog.message.text()
    task = dialog._spawn(dialog.apply())  # even if forced, nothing is sent
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() is None
    assert [snmpget(a), snmpget(b)] == before
    assert not [e for e in store.audit_entries() if e.action == "deploy.apply"]


@pytest.mark.peer("cupsd")
def test_ipp_settings_go_to_a_device_with_an_ipp_uri(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store, cupsd_server: Any
) -> None:
    """printer-location/-info through the device's IPP URI: a CUPS queue accepts
    Set-Printer-Attributes (ippeveprinter does not); confirmed with ``lpstat``."""
    queue = "Wizard_Test"
    made = cupsd_server.run(["lpadmin", "-p", queue, "-v", "ipp://127.0.0.1:9/ipp/print",
                             "-L", "Old place", "-D", "Old info"])  # fmt: skip
    assert made.returncode == 0, made.stderr
    printer = device(
        7, name="Ward 7 queue", address=cupsd_server.host,
        endpoints=(ServiceEndpoint("ipp", cupsd_server.port, f"printers/{queue}"),),
    )  # fmt: skip
    assert printer.ipp_uri == cupsd_server.queue_uri(queue)
    with store.transaction() as tx:
        tx.create_device(printer)
    try:
        dialog = open_wizard(qtbot, store, [printer], role="admin")
        dialog.next_button.click()  # ad-hoc settings
        dialog.ipp_location_edit.setText("Ward 7 office")
        dialog.ipp_info_edit.setText("Ward 7 <laser>")
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=15000)
        assert [row[1:5] for row in cells(dialog.plan_table)] == [
            ["printer-location", "Old place", "Ward 7 office", "IPP"],
            ["printer-info", "Old info", "Ward 7 <laser>", "IPP"],
        ]
        dialog.apply_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RESULTS, timeout=20000)
        assert [row[2:4] for row in cells(dialog.results_table)] == [
            ["applied", "Ward 7 office"], ["applied", "Ward 7 <laser>"],
        ]  # fmt: skip
        listed = cupsd_server.run(["lpstat", "-l", "-p", queue]).stdout
        assert "Ward 7 office" in listed and "Ward 7 <laser>" in listed
        dialog.close()
    finally:
        cupsd_server.run(["lpadmin", "-x", queue])


@pytest.mark.peer("cupsd")
def test_profile_print_queue_is_set_up_on_this_workstation(
    qtbot: Any,
    qloop: qasync.QEventLoop,
    store: Store,
    cupsd_server: Any,
    ippeveprinter_host: Any,
) -> None:
    """A profile asking for a print queue: the wizard creates a driverless queue for the
    printer's IPP URI in a real cupsd (standing in for this workstation's CUPS)."""
    printer = device(
        8, name="Ward 8 printer", address=ippeveprinter_host.host, location="Ward 8",
        endpoints=(ServiceEndpoint("ipp", ippeveprinter_host.port, "ipp/print"),),
    )  # fmt: skip
    assert printer.ipp_uri == ippeveprinter_host.uri
    with store.transaction() as tx:
        tx.create_device(printer)
        profiles.save(tx, profiles.new_profile("Queues", [], "printer", print_queue=True))
    queues = CupsQueues(server=cupsd_server.server, error_log=cupsd_server.error_log)
    dialog = deploy_wizard(store, [printer], actor="ui-tester", role=None, queues=queues)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profiles_loaded.done, timeout=5000)  # type: ignore[union-attr]
    try:
        assert dialog.choose.choose_profile(dialog.choose.profiles[0].id)
        dialog.next_button.click()
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=15000)
        assert "A print queue will be set up here for: Ward 8 printer" in dialog.message.text()
        assert dialog.apply_button.isEnabled()
        dialog.apply_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RESULTS, timeout=90000)
        assert cells(dialog.results_table) == [
            ["Ward 8 printer", "print queue", "applied", "Ward_8_printer", "created"]
        ]
        listed = cupsd_server.run(["lpstat", "-v", "Ward_8_printer"]).stdout
        assert ippeveprinter_host.uri in listed
        [entry] = [e for e in store.audit_entries() if e.action == "profile.print_queue"]
        assert (entry.device_id, entry.result) == ("dev-8", "created")
    finally:
        cupsd_server.run(["lpadmin", "-x", "Ward_8_printer"])
