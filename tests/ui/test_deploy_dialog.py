"""The Deploy dialog against net-snmp's snmpd: settings → dry-run table → apply → results,
a rollback shown in words, and the role check. Confirmed with net-snmp's ``snmpget``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import qasync

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import location_kept, snmpget
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.services.deploy import Deployer, DeviceJob, Setting, SnmpEndpoint
from wardfleet.store import Store
from wardfleet.ui.deploy_dialog import PLAN, RESULTS, SETTINGS, DeployDialog

pytestmark = pytest.mark.peer("snmpd")


@pytest.fixture
def agent(snmpd_agent: SnmpdAgent, qloop: qasync.QEventLoop) -> Iterator[SnmpdAgent]:
    with location_kept(snmpd_agent):
        yield snmpd_agent
        close_engine(qloop)


def dialog_for(
    qtbot: Any, agent: SnmpdAgent, store: Store, role: str | None = None
) -> DeployDialog:
    def make_jobs(desired: Sequence[tuple[Setting, str]]) -> list[DeviceJob]:
        target = SnmpTarget(agent.host, agent.port, 1.0, 1)
        session = SnmpSession(target, community(agent.rw_community))
        return [DeviceJob(SnmpEndpoint(session, "dev-1"), tuple(desired))]

    dialog = DeployDialog(Deployer(store, actor="ui-tester", role=role), make_jobs)
    qtbot.addWidget(dialog)
    return dialog


def cells(table: Any) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_preview_apply_results(qtbot: Any, agent: SnmpdAgent, store: Store) -> None:
    before = snmpget(agent)
    dialog = dialog_for(qtbot, agent, store)
    dialog.location_edit.setText("<i>Ward 6</i> bay 2")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=5000)
    assert cells(dialog.plan_table) == [
        [agent.target, "sysLocation", before, "<i>Ward 6</i> bay 2", "SNMP", "v2c community"]
    ]
    assert snmpget(agent) == before  # a dry run changes nothing
    assert dialog.apply_button.isEnabled()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RESULTS, timeout=10000)
    assert cells(dialog.results_table) == [
        [agent.target, "sysLocation", "applied", "<i>Ward 6</i> bay 2", ""]
    ]
    assert snmpget(agent) == "<i>Ward 6</i> bay 2"
    assert dialog.progress.value() == dialog.progress.maximum() == 1
    assert store.verify_audit() is None


def test_rollback_is_shown_in_words(qtbot: Any, agent: SnmpdAgent, store: Store) -> None:
    before = snmpget(agent)
    dialog = dialog_for(qtbot, agent, store)
    dialog.location_edit.setText("temporary")
    dialog.contact_edit.setText("nobody")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=5000)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == RESULTS, timeout=10000)
    rows = cells(dialog.results_table)
    assert [r[1:3] for r in rows] == [["sysLocation", "rolled-back"], ["sysContact", "failed"]]
    assert rows[1][4] == "notWritable"
    assert "rolled-back" in dialog.message.text()
    assert snmpget(agent) == before


def test_helpdesk_cannot_apply_and_bad_expert_line(
    qtbot: Any, agent: SnmpdAgent, store: Store
) -> None:
    dialog = dialog_for(qtbot, agent, store, role="helpdesk")
    dialog.expert_edit.setPlainText("1.3.6.1.2.1.1.6.0 = q:nonsense")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: "unknown type" in dialog.message.text(), timeout=5000)
    assert dialog.pages.currentIndex() == SETTINGS
    dialog.expert_edit.setPlainText("1.3.6.1.2.1.1.6.0 = s:expert")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=5000)
    assert not dialog.apply_button.isEnabled()
    assert "ward lead" in dialog.message.text()
