"""Session logic without a network: walks over scripted answers, value conversion, errors."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysnmp.proto import rfc1902, rfc1905

from wardfleet.protocols.snmp import (
    SnmpAgentError,
    SnmpSession,
    SnmpTarget,
    SnmpTimeout,
    SnmpWalkError,
    plain_value,
)
from wardfleet.protocols.snmp_ber import GET, GETBULK, GETNEXT
from wardfleet.protocols.snmp_credentials import SnmpVersion, community
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue

ROOT: Oid = (1, 3, 6, 1, 2, 1, 43, 11)
PDU_NAMES = {GET: "GET", GETNEXT: "GETNEXT", GETBULK: "GETBULK"}


class Scripted(SnmpSession):
    """Answers each request with the next scripted reply (a list of varbinds or an error)."""

    def __init__(self, replies: list[Any], version: SnmpVersion = SnmpVersion.V2C) -> None:
        super().__init__(SnmpTarget("192.0.2.1"), community("c", version), engine=object())  # type: ignore[arg-type]
        self.replies = list(replies)
        self.calls: list[tuple[str, int]] = []

    async def _request(self, pdu: int, oid_list: Any, **kw: Any) -> Any:
        self.calls.append((PDU_NAMES[pdu], kw.get("max_repetitions") or 1))
        reply = self.replies.pop(0) if self.replies else []
        if isinstance(reply, BaseException):
            raise reply
        return reply


def walk(session: SnmpSession, **kw: Any) -> Any:
    return asyncio.run(session.walk(ROOT, **kw))


def test_walk_stops_at_the_end_of_the_subtree() -> None:
    session = Scripted([[((*ROOT, 1), 1), ((*ROOT, 2), 2), ((1, 3, 6, 1, 2, 1, 44), 9)]])
    result = walk(session)
    assert result.error is None
    assert result.varbinds == {(*ROOT, 1): 1, (*ROOT, 2): 2}


def test_walk_refuses_a_non_increasing_oid() -> None:
    session = Scripted([[((*ROOT, 5), 1)], [((*ROOT, 6), 2), ((*ROOT, 3), 3)]])
    result = walk(session)
    assert isinstance(result.error, SnmpWalkError)
    assert "must increase" in str(result.error)
    assert result.varbinds == {(*ROOT, 5): 1, (*ROOT, 6): 2}


def test_walk_falls_back_to_getnext_after_a_bulk_timeout() -> None:
    timeout = SnmpTimeout("No answer")
    session = Scripted([timeout, [((*ROOT, 1), 1)], [((1, 3, 6, 1, 2, 1, 44), 0)]])
    result = walk(session)
    assert result.error is None and result.varbinds == {(*ROOT, 1): 1}
    assert [c[0] for c in session.calls] == ["GETBULK", "GETNEXT", "GETNEXT"]


def test_walk_reports_a_second_timeout_with_the_rows_so_far() -> None:
    session = Scripted([[((*ROOT, 1), 1)], SnmpTimeout("a"), SnmpTimeout("b")])
    result = walk(session)
    assert str(result.error) == "b" and result.varbinds == {(*ROOT, 1): 1}


def test_walk_has_a_row_cap() -> None:
    endless = [[((*ROOT, i), i)] for i in range(1, 20)]
    result = walk(Scripted(endless), max_rows=5)
    assert isinstance(result.error, SnmpWalkError) and len(result.varbinds) == 5


def test_v1_walks_with_getnext_and_v1_gets_survive_no_such_name() -> None:
    session = Scripted([[((*ROOT, 1), 1)], []], version=SnmpVersion.V1)
    assert walk(session).varbinds == {(*ROOT, 1): 1}
    assert session.calls[0][0] == "GETNEXT"
    a, b = (1, 3, 6, 1, 2, 1, 1, 1, 0), (1, 3, 6, 1, 2, 1, 1, 9, 0)
    getter = Scripted([SnmpAgentError(2, b, "192.0.2.1:161"), [(a, b"x")]], SnmpVersion.V1)
    assert asyncio.run(getter.get([a, b])) == {b: Missing.NO_SUCH_OBJECT, a: b"x"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.lists(st.integers(min_value=0, max_value=5), max_size=3).map(
                    lambda tail: (*ROOT, *tail)
                ),
                st.integers(),
            ),
            max_size=5,
        ),
        max_size=8,
    )
)
def test_any_answers_end_the_walk_with_increasing_rows(
    replies: list[list[tuple[Oid, int]]],
) -> None:
    result = walk(Scripted(replies))
    assert list(result.varbinds) == sorted(result.varbinds)
    assert all(oid[: len(ROOT)] == ROOT and len(oid) > len(ROOT) for oid in result.varbinds)


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (rfc1902.Integer32(-3), -3),
        (rfc1902.Counter64(2**40), 2**40),
        (rfc1902.OctetString(b"\x00ab"), b"\x00ab"),
        (rfc1902.IpAddress("10.0.0.7"), "10.0.0.7"),
        (rfc1902.ObjectIdentifier("1.3.6.1"), (1, 3, 6, 1)),
        (rfc1902.TimeTicks(100), 100),
        (rfc1905.noSuchInstance, Missing.NO_SUCH_INSTANCE),
        (rfc1905.noSuchObject, Missing.NO_SUCH_OBJECT),
        (rfc1905.endOfMibView, Missing.END_OF_MIB_VIEW),
    ],
)
def test_plain_values(value: Any, plain: SnmpValue) -> None:
    assert plain_value(value) == plain


def test_agent_errors_name_the_status_and_the_oid() -> None:
    error = SnmpAgentError(17, (1, 3, 6, 1, 2, 1, 1, 4, 0), "10.0.0.5:161")
    assert error.status == "notWritable"
    assert (
        str(error)
        == "10.0.0.5:161 refused: notWritable (the object cannot be changed) on 1.3.6.1.2.1.1.4.0"
    )


def test_walk_can_start_small_and_grow() -> None:
    """prtAlertTable is usually empty: the first GETBULK asks 2, then ×4 up to the cap."""
    pages = [[((*ROOT, n), n)] for n in range(1, 5)] + [[((1, 3, 6, 1, 2, 1, 44), 0)]]
    session = Scripted(pages)
    result = walk(session, first_repetitions=2, max_repetitions=24)
    assert result.error is None and len(result.varbinds) == 4
    assert [reps for _, reps in session.calls] == [2, 8, 24, 24, 24]
    assert {name for name, _ in session.calls} == {"GETBULK"}
