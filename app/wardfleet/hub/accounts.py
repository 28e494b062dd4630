"""Wards, users, roles and tokens: shared by the admin API and ``wardfleet hub`` commands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from wardfleet.domain.change import ChangeKind
from wardfleet.hub import schema, tokens
from wardfleet.sync.wire import Me, Role, UserCreate, UserView, WardCreate, WardView


class AccountError(ValueError):
    """A request the accounts cannot honour; ``code`` says which rule it broke."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    role: Role
    wards: frozenset[str]

    @property
    def reads_all(self) -> bool:
        return self.role in (Role.HELPDESK, Role.ADMIN)

    def may_read(self, ward: str) -> bool:
        return self.reads_all or ward in self.wards

    def may_push(self, kind: ChangeKind, ward: str) -> bool:
        """Ward leads change their own wards; the helpdesk only asks for diagnostics."""
        if self.role is Role.WARD_LEAD:
            return ward in self.wards
        if self.role is Role.HELPDESK:
            return kind is ChangeKind.DIAGNOSTIC_REQUEST
        return False


def add_ward(conn: Connection, request: WardCreate, now: float) -> WardView:
    try:
        with conn.begin_nested():
            conn.execute(schema.wards.insert().values(name=request.name, created_at=now))
    except IntegrityError:
        raise AccountError("exists", f"ward {request.name!r} already exists") from None
    return WardView(name=request.name, created_at=now)


def add_user(conn: Connection, request: UserCreate, now: float) -> tuple[UserView, str]:
    """Create a user; returns it with its token, which is never stored in clear."""
    wards = sorted(set(request.wards))
    if request.role is Role.WARD_LEAD and not wards:
        raise AccountError("bad-wards", "a ward lead needs at least one ward (--ward)")
    if request.role is not Role.WARD_LEAD and wards:
        raise AccountError("bad-wards", f"a {request.role} sees every ward; give no --ward")
    if wards:
        known = set(conn.scalars(select(schema.wards.c.name).where(schema.wards.c.name.in_(wards))))
        missing = [w for w in wards if w not in known]
        if missing:
            raise AccountError("unknown-ward", f"no such ward: {', '.join(missing)}")
    new = tokens.new_token()
    try:
        with conn.begin_nested():
            conn.execute(
                schema.users.insert().values(
                    name=request.name,
                    role=request.role.value,
                    token_id=new.token_id,
                    token_hash=new.token_hash,
                    created_at=now,
                )
            )
            if wards:
                conn.execute(
                    schema.user_wards.insert(),
                    [{"user_name": request.name, "ward_name": w} for w in wards],
                )
    except IntegrityError:
        raise AccountError("exists", f"user {request.name!r} already exists") from None
    return UserView(name=request.name, role=request.role, wards=wards, revoked=False), new.token


def revoke(conn: Connection, name: str, now: float) -> UserView:
    """Revoke a user's token at once (idempotent); the user stays listed as revoked."""
    conn.execute(
        update(schema.users)
        .where(schema.users.c.name == name, schema.users.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    user = get_user(conn, name)
    if user is None:
        raise AccountError("no-such-user", f"no such user: {name!r}")
    return user


def get_user(conn: Connection, name: str) -> UserView | None:
    row = conn.execute(
        select(schema.users.c.role, schema.users.c.revoked_at).where(schema.users.c.name == name)
    ).first()
    if row is None:
        return None
    return UserView(
        name=name,
        role=Role(row.role),
        wards=_wards_of(conn, name),
        revoked=row.revoked_at is not None,
    )


def authenticate(conn: Connection, token: str) -> Caller | None:
    """The caller a token belongs to; None for an unknown, malformed or revoked token."""
    parsed = tokens.parse(token)
    if parsed is None:
        return None
    token_id, secret = parsed
    row = conn.execute(
        select(
            schema.users.c.name,
            schema.users.c.role,
            schema.users.c.token_hash,
            schema.users.c.revoked_at,
        ).where(schema.users.c.token_id == token_id)
    ).first()
    if row is None or not tokens.matches(secret, row.token_hash) or row.revoked_at is not None:
        return None
    return Caller(row.name, Role(row.role), frozenset(_wards_of(conn, row.name)))


def me(caller: Caller) -> Me:
    """What a desktop needs to know about its own user (authenticate() has checked it)."""
    return Me(name=caller.name, role=caller.role, wards=sorted(caller.wards))


def list_wards(conn: Connection, caller: Caller) -> list[WardView]:
    query = select(schema.wards.c.name, schema.wards.c.created_at).order_by(schema.wards.c.name)
    if not caller.reads_all:
        query = query.where(schema.wards.c.name.in_(sorted(caller.wards)))
    return [WardView(name=r.name, created_at=r.created_at) for r in conn.execute(query)]


def _wards_of(conn: Connection, name: str) -> list[str]:
    return sorted(
        conn.scalars(
            select(schema.user_wards.c.ward_name).where(schema.user_wards.c.user_name == name)
        )
    )
