"""The wire models: what both sides accept, and the envelope rules a whole request obeys."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from wardfleet.domain.change import Change, ChangeKind
from wardfleet.store.inventory import SYNCED_FIELDS
from wardfleet.sync.wire import (
    MAX_BATCH,
    DeviceFields,
    PulledChange,
    PushedChange,
    PushRequest,
)

NODE = "0b7f3a52-3a55-4c3e-9b7e-5a1d2c3b4a59"


def _change(seq: int, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "seq": seq,
        "op_id": f"op-{seq}",
        "hlc": f"{1_700_000_000_000 + seq:015d}-000000-{NODE}",
        "kind": "device.upsert",
        "entity": "dev-1",
        "payload": {"fields": {"name": f"P{seq}"}},
    }
    base.update(over)
    return base


def test_device_fields_are_exactly_the_stores_synced_fields() -> None:
    assert tuple(DeviceFields.model_fields) == SYNCED_FIELDS


def test_a_change_round_trips_between_domain_and_wire() -> None:
    change = Change(NODE, 7, "op-7", _change(7)["hlc"], ChangeKind.ROLLUP, "r:1", {"x": [1.5]})
    pushed = PushedChange.from_change(change, "Ward 3")
    assert pushed.ward == "Ward 3"
    pulled = PulledChange(
        server_seq=1, node_id=NODE, ward="Ward 3", **pushed.model_dump(exclude={"ward"})
    )
    assert pulled.to_change() == change


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([_change(2), _change(1)], "strictly increasing"),
        ([_change(1), _change(1, op_id="x")], "strictly increasing"),
        ([_change(1), _change(2, op_id="op-1")], "op_id must be unique"),
        ([_change(1, entity="a\x00b")], "NUL"),
        ([_change(1, payload={"s": "\ud800"})], "JSON"),
        ([_change(1, payload={"n": float("nan")})], "JSON"),
        ([_change(1, payload={"big": "x" * 70_000})], "larger than"),
        ([_change(0)], "greater than or equal to 1"),
        ([_change(1, kind="sample.raw")], "kind"),
    ],
)
def test_a_malformed_envelope_is_refused_whole(changes: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PushRequest(node_id=NODE, ward="Ward 3", changes=changes)  # type: ignore[arg-type]


def test_a_batch_has_a_size_limit() -> None:
    with pytest.raises(ValidationError, match="at most"):
        PushRequest.model_validate(
            {"node_id": NODE, "changes": [_change(i + 1) for i in range(MAX_BATCH + 1)]}
        )


@pytest.mark.parametrize("ward", ["", " ", "Ward\n3", "W" * 101, "x\x00"])
def test_ward_names_are_printable_and_bounded(ward: str) -> None:
    with pytest.raises(ValidationError):
        PushRequest(node_id=NODE, ward=ward, changes=[])


def test_there_is_no_wire_kind_for_raw_samples() -> None:
    # Raw samples stay local: only 5-minute rollups and alerts cross the wire.
    assert not any("raw" in kind.value for kind in ChangeKind)
