"""PySide6 6.12.0 on Python 3.11 crashed (none_dealloc) after a few thousand
``QTimer.singleShot(0, f)``; qasync schedules exactly that way. See NOTES.md."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio
    import qasync
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication([])
    count = 0

    def tick():
        global count
        count += 1
        if count == 20_000:
            app.quit()

    for _ in range(20_000):
        QTimer.singleShot(0, tick)
    app.exec()
    assert count == 20_000, count

    async def turns():
        for _ in range(20_000):
            await asyncio.sleep(0)
        return "ok"

    print(count, qasync.run(turns()))
    """
)


def test_twenty_thousand_single_shots_do_not_crash() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["20000", "ok"]
