"""``wardfleet hub ...``: the admin commands, and ``serve`` as an operator runs it (TLS)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from tests.peers._policy import require_peer
from tests.sync.desktops import Desktop
from tests.sync.faults import wait_for
from tests.sync.hubs import WARD, ProcessHub
from wardfleet.cli import main
from wardfleet.sync.connectivity import LinkState, SyncLoop


def _hub(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    code = main(["hub", *args, "--db", db])
    out, err = capsys.readouterr()
    return code, out, err


def test_admin_commands(hub_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = hub_db_url
    assert _hub(capsys, db, "add-ward", WARD)[0] == 0
    code, out, _ = _hub(capsys, db, "add-user", "lena", "--role", "ward-lead", "--ward", WARD)
    assert code == 0
    token = out.strip().splitlines()[-1]  # the token, alone on the last line
    assert token.startswith("wfh_") and " " not in token
    if db.startswith("sqlite"):  # only its hash is kept
        secret = token.split("_", 2)[2]  # the secret itself may contain "_"
        assert len(secret) == 43
        assert secret not in Path(db.removeprefix("sqlite:///")).read_text(errors="replace")
    code, _, err = _hub(capsys, db, "add-user", "lena", "--role", "helpdesk")
    assert code == 1 and "already exists" in err
    code, _, err = _hub(capsys, db, "add-user", "hugo", "--role", "helpdesk", "--ward", WARD)
    assert code == 1 and "every ward" in err
    code, _, err = _hub(capsys, db, "add-user", "x", "--role", "ward-lead", "--ward", "Nope")
    assert code == 1 and "no such ward" in err
    code, _, err = _hub(capsys, db, "add-user", "bad name!", "--role", "admin")
    assert code == 2 and "name" in err
    assert _hub(capsys, db, "revoke", "lena")[0] == 0
    code, _, err = _hub(capsys, db, "revoke", "nobody")
    assert code == 1 and "no such user" in err
    code, _, err = _hub(capsys, "mysql://x/y", "add-ward", "W")
    assert code == 2 and "unsupported database" in err


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1 signed by it."""
    require_peer("openssl", "openssl")
    ca_key, ca, key, csr, cert = (
        folder / n for n in ("ca.key", "ca.pem", "hub.key", "hub.csr", "hub.pem")
    )
    ext = folder / "san.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
        "-days",
        "2",
        "-subj",
        "/CN=Ward Test CA",
    )
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=127.0.0.1",
    )
    openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(cert),
        "-days",
        "2",
        "-extfile",
        str(ext),
    )
    return ca, cert, key


def test_serve_over_tls_with_a_private_ca(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca, cert, key = _certificates(tmp_path)
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    _hub(capsys, db, "add-ward", WARD)
    token = _hub(capsys, db, "add-user", "lena", "--role", "ward-lead", "--ward", WARD)[1].split()[
        -1
    ]
    server = ProcessHub(db, tmp_path, tls=(cert, key)).start()
    trusting = Desktop(tmp_path / "a.sqlite3", server.url, token, WARD)
    trusting.settings = type(trusting.settings)(url=server.url, ward=WARD, ca_file=ca)
    untrusting = Desktop(tmp_path / "b.sqlite3", server.url, token, WARD)

    async def status_of(desktop: Desktop) -> tuple[LinkState, str]:
        loop = SyncLoop(desktop.store, desktop.settings, token_source=lambda _: token)
        loop.start()
        try:
            await wait_for(
                lambda: loop.status.state in (LinkState.ONLINE, LinkState.REFUSED), 10, "a verdict"
            )
            return loop.status.state, loop.status.message
        finally:
            await loop.stop()

    try:
        trusting.create(1)
        assert asyncio.run(status_of(trusting))[0] is LinkState.ONLINE
        state, message = asyncio.run(status_of(untrusting))
        assert state is LinkState.REFUSED and "certificate" in message
    finally:
        trusting.close()
        untrusting.close()
        server.stop()
