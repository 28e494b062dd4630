"""Hub tokens: ``wfh_<id>_<secret>``, of which the hub stores the id and SHA-256(secret).

The secret is 32 random bytes, so a slow password hash (argon2, scrypt) would buy nothing:
nobody can guess 2^256 values, fast or slow, and a slow hash would cost every request tens
of milliseconds. The id (48 random bits, not secret) finds the row; the digest comparison is
constant-time. See docs/hub-admin.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_TOKEN = re.compile(r"^wfh_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # give to the user once
    token_id: str
    token_hash: str


def new_token() -> NewToken:
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)  # 43 characters
    return NewToken(f"wfh_{token_id}_{secret}", token_id, digest(secret))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def parse(token: str) -> tuple[str, str] | None:
    """(token_id, secret), or None when it is not a hub token at all."""
    match = _TOKEN.match(token)
    return (match.group(1), match.group(2)) if match else None


def matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_hash)


def limiter_key(token: str) -> str:
    """What failed attempts are counted against: the id part, or the first characters."""
    parsed = parse(token)
    return parsed[0] if parsed else token[:16]
