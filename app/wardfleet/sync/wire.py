"""What crosses the wire between a desktop and the hub: pydantic models both sides import.

Two levels of checking, on purpose:
- the *envelope* (types, sizes, seq order, text that every database can store) is checked
  here, for a whole request; a malformed request is a client bug and is refused whole (422);
- the *content* of each change (its hlc, its kind's payload, its ward) is checked by the hub
  change by change, so one bad change stops a batch at that change, not before it.
"""

from __future__ import annotations

import itertools
import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from wardfleet.domain.change import Change, ChangeKind
from wardfleet.domain.kinds import DeviceKind

API_PREFIX = "/v1"
MAX_BATCH = 1000  # changes per push
MAX_PAGE = 1000  # changes per pull
DEFAULT_PAGE = 500
MAX_SEQ = 2**62  # fits a signed 64-bit column on every backend
MAX_PAYLOAD_BYTES = 64 * 1024


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8:
    # refuse both at the door rather than fail (500) at the database or the response.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode") from None
    return value


def _json_payload(value: dict[str, Any]) -> dict[str, Any]:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        size = len(text.encode("utf-8"))
    except (ValueError, UnicodeEncodeError):
        raise ValueError("payload must be JSON without NaN/Infinity or broken text") from None
    if size > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload is larger than {MAX_PAYLOAD_BYTES} bytes")
    return value


Text = Annotated[str, AfterValidator(_storable)]
# Names of users and nodes, and op ids: they appear in URLs and logs, so keep them plain.
Ident = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@:-]*$")
]
WardName = Annotated[
    Text, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f]$")
]
Entity = Annotated[Text, Field(min_length=1, max_length=200)]
HlcText = Annotated[Text, Field(min_length=1, max_length=128)]
Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]
Cursor = Annotated[int, Field(ge=0, le=MAX_SEQ)]
Payload = Annotated[dict[str, Any], AfterValidator(_json_payload)]


class Role(StrEnum):
    WARD_LEAD = "ward-lead"
    HELPDESK = "helpdesk"
    ADMIN = "admin"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Push ----------------------------------------------------------------------------------


class PushedChange(_Model):
    """One outbox row. ``ward`` is the ward it belongs to; None means the batch's ward (or,
    for a device-bound change, the ward the hub already knows the device by)."""

    seq: Seq
    op_id: Ident
    hlc: HlcText
    kind: ChangeKind
    entity: Entity
    payload: Payload
    ward: WardName | None = None

    @classmethod
    def from_change(cls, change: Change, ward: str | None) -> PushedChange:
        return cls(
            seq=change.seq,
            op_id=change.op_id,
            hlc=change.hlc,
            kind=change.kind,
            entity=change.entity,
            payload=change.payload,
            ward=ward,
        )


class PushRequest(_Model):
    node_id: Ident
    ward: WardName | None = None  # the pushing desktop's ward; None for a helpdesk console
    changes: list[PushedChange] = Field(max_length=MAX_BATCH)

    @model_validator(mode="after")
    def _ordered(self) -> PushRequest:
        seqs = [c.seq for c in self.changes]
        if any(b <= a for a, b in itertools.pairwise(seqs)):
            raise ValueError("changes must be in strictly increasing seq order")
        if len({c.op_id for c in self.changes}) != len(self.changes):
            raise ValueError("op_id must be unique within a batch")
        return self


class Rejection(_Model):
    seq: int
    op_id: str
    reason: str


class PushReply(_Model):
    """``last_seq``: everything of this node up to here is in the hub's log. Mark the
    outbox up to it. ``rejected``: the change that stopped the batch (nothing after it
    was applied); it needs fixing before the rest can follow."""

    last_seq: int
    applied: int
    duplicates: int
    rejected: Rejection | None = None


class Problem(_Model):
    """Body of every error reply."""

    detail: str
    code: str
    expected_seq: int | None = None  # 409 gap: the seq the hub needs next
    last_seq: int | None = None


# --- Pull ----------------------------------------------------------------------------------


class PulledChange(_Model):
    server_seq: int
    node_id: str
    seq: int
    op_id: str
    hlc: str
    kind: ChangeKind
    entity: str
    payload: dict[str, Any]
    ward: str | None

    def to_change(self) -> Change:
        return Change(
            node_id=self.node_id,
            seq=self.seq,
            op_id=self.op_id,
            hlc=self.hlc,
            kind=self.kind,
            entity=self.entity,
            payload=self.payload,
        )


class PullReply(_Model):
    changes: list[PulledChange]
    next_cursor: int  # pass as ``since`` next time; store it with the applied rows
    more: bool


# --- Content of changes (checked per change by the hub) ------------------------------------


class DeviceFields(_Model):
    """The inventory fields a ``device.upsert`` may carry (the store's SYNCED_FIELDS)."""

    name: Annotated[Text, Field(max_length=200)] | None = None
    kind: DeviceKind | None = None
    vendor: Annotated[Text, Field(max_length=200)] | None = None
    model: Annotated[Text, Field(max_length=200)] | None = None
    serial: Annotated[Text, Field(max_length=200)] | None = None
    mac: Annotated[Text, Field(max_length=64)] | None = None
    uuid: Annotated[Text, Field(max_length=64)] | None = None
    address: Annotated[Text, Field(max_length=255)] | None = None
    port: Annotated[int, Field(ge=0, le=65535)] | None = None
    location: Annotated[Text, Field(max_length=500)] | None = None
    ward: Annotated[Text, Field(max_length=100)] | None = None
    notes: Annotated[Text, Field(max_length=10_000)] | None = None


class DeviceUpsert(_Model):
    fields: DeviceFields

    @model_validator(mode="after")
    def _some(self) -> DeviceUpsert:
        if not self.fields.model_fields_set:
            raise ValueError("no fields")
        return self


class DeviceDelete(_Model):
    merged_into: Entity | None = None


class DiagnosticRequest(_Model):
    action: Literal["repoll", "test-page"]
    note: Annotated[Text, Field(max_length=500)] | None = None


class Rollup(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    device_id: Entity
    bucket: Annotated[int, Field(ge=0, le=MAX_SEQ)]
    fields: list[Annotated[Text, Field(max_length=32)]]
    metrics: dict[Annotated[Text, Field(max_length=200)], list[float]]


# --- Views and administration --------------------------------------------------------------


class WardView(_Model):
    name: str
    created_at: float


class DeviceView(_Model):
    id: str
    ward: str
    fields: dict[str, Any]
    field_hlc: dict[str, str]
    deleted: bool
    updated_server_seq: int


class DevicePage(_Model):
    devices: list[DeviceView]
    next_after: str | None  # pass as ``after`` for the next page; None at the end


class ConflictView(_Model):
    device_id: str
    ward: str
    field: str
    losing_value: Any
    losing_hlc: str
    winning_hlc: str
    server_seq: int


class Health(_Model):
    status: Literal["ok"]
    version: str
    backend: str


class WardCreate(_Model):
    name: WardName


class UserCreate(_Model):
    name: Ident
    role: Role
    wards: list[WardName] = Field(default_factory=list, max_length=100)


class UserView(_Model):
    name: str
    role: Role
    wards: list[str]
    revoked: bool


class UserCreated(_Model):
    user: UserView
    token: str  # shown once; the hub keeps only its hash


class Me(BaseModel):
    """``GET /v1/me``: who a token belongs to, so the desktop learns its role. Extra fields
    are ignored so an older desktop can read a newer hub's reply."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    role: Role
    wards: list[str]  # a ward lead's wards; empty for helpdesk and admin (they see all)
