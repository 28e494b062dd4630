"""Screenshots of the real window: ``python -m wardfleet.ui.screenshot OUTDIR``.

It seeds nothing: it opens whatever store ``--data-dir`` (or ``WARDFLEET_DATA_DIR``)
points at. Under a real X server (``xvfb-run -a -s "-screen 0 1280x800x24"`` with
``QT_QPA_PLATFORM=xcb``) the pictures match what users see.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from wardfleet.domain.device import DeviceOverview
from wardfleet.ui.device_filter import needs_attention

if TYPE_CHECKING:
    from wardfleet.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ROWS_TIMEOUT_S = 12.0


def showcase(overviews: list[DeviceOverview]) -> DeviceOverview | None:
    """The device that shows most of the detail pane: trouble with supplies, else any."""

    def score(o: DeviceOverview) -> tuple[int, int, int]:
        status = o.status
        supplies = len(status.supplies) if status is not None else 0
        return (int(needs_attention(o)) if supplies else 0, supplies, -len(o.device.name))

    return max(overviews, key=score, default=None)


async def capture(window: MainWindow, out_dir: Path) -> list[Path]:
    """Wait for rows (or ~8 s), select a telling device, save PNGs; return their paths."""
    rows_ready = asyncio.Event()
    window.model.rowsInserted.connect(lambda *_: rows_ready.set())
    if window.model.rowCount():
        rows_ready.set()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ROWS_TIMEOUT_S
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(rows_ready.wait(), ROWS_TIMEOUT_S)
    # Then give the first poll round time to land, so no row reads "not polled yet".
    # The model offers no "all polled" event, so look a few times a second.
    for _ in range(int(ROWS_TIMEOUT_S / 0.2)):
        if loop.time() >= deadline or all(o.status for o in window.model.overviews()):
            break
        await asyncio.sleep(0.2)
    chosen = showcase(window.model.overviews())
    if chosen is not None:
        window.select_device(chosen.device.id)
        window.table.setFocus()
    await asyncio.sleep(0.5)  # address history arrives and the view repaints
    QApplication.processEvents()
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    shots = {"main.png": window, "detail.png": window.detail}
    saved = []
    for name, widget in shots.items():
        path = out_dir / name
        if widget.grab().save(str(path)):
            saved.append(path)
            log.info("saved %s", path)
        else:
            log.error("could not save %s", path)
    return saved


async def capture_and_close(window: MainWindow, out_dir: Path) -> list[Path]:
    try:
        return await capture(window, out_dir)
    finally:
        window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Save screenshots of the Wardfleet window.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    from wardfleet.ui.app import run_gui
    from wardfleet.ui.options import GuiOptions

    return run_gui(
        GuiOptions(data_dir=args.data_dir, screenshot_dir=args.out_dir, single_instance=False)
    )


if __name__ == "__main__":
    raise SystemExit(main())
