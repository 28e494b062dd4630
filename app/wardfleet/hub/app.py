"""The hub's HTTP API (FastAPI). OpenAPI at /openapi.json; routes in docs/sync-protocol.md.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run
time, and the dependency aliases are local to ``create_app``.
"""

import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError, IntegrityError

from wardfleet import __version__
from wardfleet.hub import accounts, push, tokens, views
from wardfleet.hub.accounts import AccountError, Caller
from wardfleet.hub.db import HubDatabase
from wardfleet.hub.limiter import FailureLimiter
from wardfleet.sync.wire import (
    API_PREFIX,
    DEFAULT_PAGE,
    MAX_PAGE,
    MAX_SEQ,
    ConflictView,
    DevicePage,
    Entity,
    Health,
    Me,
    Problem,
    PullReply,
    PushReply,
    PushRequest,
    Role,
    UserCreate,
    UserCreated,
    UserView,
    WardCreate,
    WardName,
    WardView,
)


@dataclass(frozen=True, slots=True)
class HubSettings:
    max_auth_failures: int = 10  # per client address and per token id ...
    failure_window_s: float = 60.0  # ... within this window, then 429
    max_body_bytes: int = 16 * 1024 * 1024


class ProblemError(Exception):
    def __init__(self, status: int, detail: str, code: str, **headers: str) -> None:
        super().__init__(detail)
        self.status = status
        self.problem = Problem(detail=detail, code=code)
        self.headers = headers

    @classmethod
    def of(cls, status: int, problem: Problem) -> "ProblemError":
        error = cls(status, problem.detail, problem.code)
        error.problem = problem
        return error


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": Problem} for s in statuses}


_AUTH_ERRORS = (401, 429, 503)


def create_app(db: HubDatabase, settings: HubSettings | None = None) -> FastAPI:
    """The hub over an already migrated database."""
    settings = settings or HubSettings()
    limiter = FailureLimiter(settings.max_auth_failures, settings.failure_window_s)
    app = FastAPI(
        title="Wardfleet hub",
        version=__version__,
        description="Sync hub for Wardfleet ward desktops. See docs/sync-protocol.md.",
    )
    app.state.db = db
    app.state.limiter = limiter
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    _install_error_handlers(app)
    bearer = HTTPBearer(auto_error=False, description="A token from `wardfleet hub add-user`")

    def caller(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        if credentials is None:
            raise ProblemError(401, "a hub token is required", "unauthenticated")
        token = credentials.credentials
        address = request.client.host if request.client else "unknown"
        keys = (f"addr:{address}", f"token:{tokens.limiter_key(token)}")
        wait = limiter.retry_after(keys)
        if wait is not None:
            raise ProblemError(429, "too many failed logins", "rate-limited", **_retry(wait))
        with db.read() as conn:
            found = accounts.authenticate(conn, token)
        if found is None:
            limiter.failed(keys)
            raise ProblemError(401, "unknown or revoked token", "unauthenticated")
        return found

    CallerDep = Annotated[Caller, Depends(caller)]

    def admin(who: CallerDep) -> Caller:
        if who.role is not Role.ADMIN:
            raise ProblemError(403, "only an admin may manage wards and users", "forbidden")
        return who

    AdminDep = Annotated[Caller, Depends(admin)]

    @app.get(f"{API_PREFIX}/health", responses=_problems(503), tags=["hub"])
    def health() -> Health:
        """Liveness and database reachability; needs no token."""
        db.ping()
        return Health(status="ok", version=__version__, backend=db.backend)

    @app.post(
        f"{API_PREFIX}/changes",
        responses=_problems(*_AUTH_ERRORS, 403, 409, 413),
        tags=["sync"],
    )
    def push_changes(body: PushRequest, who: CallerDep) -> PushReply:
        """Push a batch of one node's changes in seq order (see docs/sync-protocol.md)."""
        try:
            with db.write() as conn:
                return push.push(conn, who, body)
        except push.PushRefused as exc:
            raise ProblemError.of(exc.status, exc.problem) from exc

    @app.get(
        f"{API_PREFIX}/changes",
        response_model=PullReply,
        responses=_problems(*_AUTH_ERRORS),
        tags=["sync"],
    )
    def pull_changes(
        who: CallerDep,
        since: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    ) -> Response:
        """Changes after the cursor ``since``, in the hub's order, within the caller's wards."""
        with db.read() as conn:
            return Response(views.pull(conn, who, since, limit), media_type="application/json")

    @app.get(f"{API_PREFIX}/me", responses=_problems(*_AUTH_ERRORS), tags=["hub"])
    def me(who: CallerDep) -> Me:
        """The caller's name, role and wards (the desktop stores its role from this)."""
        return accounts.me(who)

    @app.get(f"{API_PREFIX}/wards", responses=_problems(*_AUTH_ERRORS), tags=["hub"])
    def list_wards(who: CallerDep) -> list[WardView]:
        """The wards the caller may see."""
        with db.read() as conn:
            return accounts.list_wards(conn, who)

    @app.get(f"{API_PREFIX}/devices", responses=_problems(*_AUTH_ERRORS), tags=["hub"])
    def list_devices(
        who: CallerDep,
        ward: Annotated[WardName | None, Query()] = None,
        after: Annotated[Entity | None, Query(description="last id of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
        include_deleted: bool = False,
    ) -> DevicePage:
        """Device state as materialised from applied changes (the helpdesk view)."""
        with db.read() as conn:
            return views.devices(
                conn, who, ward=ward, after=after, limit=limit, include_deleted=include_deleted
            )

    @app.get(f"{API_PREFIX}/conflicts", responses=_problems(*_AUTH_ERRORS), tags=["hub"])
    def list_conflicts(
        who: CallerDep,
        ward: Annotated[WardName | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    ) -> list[ConflictView]:
        """Values that lost last-writer-wins, newest first."""
        with db.read() as conn:
            return views.conflicts(conn, who, ward=ward, limit=limit)

    @app.post(
        f"{API_PREFIX}/wards",
        status_code=201,
        responses=_problems(*_AUTH_ERRORS, 403, 409),
        tags=["admin"],
    )
    def add_ward(body: WardCreate, _: AdminDep) -> WardView:
        with db.write() as conn:
            return accounts.add_ward(conn, body, time.time())

    @app.post(
        f"{API_PREFIX}/users",
        status_code=201,
        responses=_problems(*_AUTH_ERRORS, 403, 409, 422),
        tags=["admin"],
    )
    def add_user(body: UserCreate, _: AdminDep) -> UserCreated:
        """Create a user; the reply holds its token, shown this once."""
        with db.write() as conn:
            user, token = accounts.add_user(conn, body, time.time())
        return UserCreated(user=user, token=token)

    @app.post(
        f"{API_PREFIX}/users/{{name}}/revoke",
        responses=_problems(*_AUTH_ERRORS, 403, 404),
        tags=["admin"],
    )
    def revoke_user(
        name: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@:-]+$")],
        _: AdminDep,
    ) -> UserView:
        with db.write() as conn:
            return accounts.revoke(conn, name, time.time())

    return app


def _retry(seconds: int) -> dict[str, str]:
    return {"Retry-After": str(seconds)}


_ACCOUNT_STATUS = {"exists": 409, "no-such-user": 404, "unknown-ward": 422, "bad-wards": 422}


def _install_error_handlers(app: FastAPI) -> None:
    def problem(status: int, body: Problem, headers: dict[str, str] | None = None) -> Response:
        headers = dict(headers or {})
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body.model_dump(exclude_none=True), status, headers=headers)

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> Response:
        return problem(exc.status, exc.problem, exc.headers)

    @app.exception_handler(AccountError)
    async def _account(_: Request, exc: AccountError) -> Response:
        return problem(
            _ACCOUNT_STATUS.get(exc.code, 422), Problem(detail=exc.detail, code=exc.code)
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> Response:
        # Two requests raced for the same name or row: the loser may simply retry.
        return problem(409, Problem(detail="conflicting concurrent change; retry", code="race"))

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> Response:
        # The database is down or restarting: tell clients to back off, not that we broke.
        return problem(
            503,
            Problem(detail="the hub database is unavailable", code="db-unavailable"),
            _retry(5),
        )


ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                response = JSONResponse(
                    Problem(detail="request body too large", code="too-large").model_dump(
                        exclude_none=True
                    ),
                    413,
                )
                await response(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Any:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
