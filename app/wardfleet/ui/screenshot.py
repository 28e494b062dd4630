"""Screenshots of the real window: ``python -m wardfleet.ui.screenshot OUTDIR``.

It seeds nothing by default: it opens whatever store ``--data-dir`` (or
``WARDFLEET_DATA_DIR``) points at. ``make screenshot`` sets
``WARDFLEET_SCREENSHOT_HISTORY_DAYS=30`` and a fresh ``--data-dir`` under build/: then,
once the first poll round has landed, made-up rollup history (``demo.history``) is
written for the shown devices so dashboard.png and device-graphs.png have lines to draw.
Never set it against a real data folder.

Under a real X server (``xvfb-run -a -s "-screen 0 1280x800x24"`` with
``QT_QPA_PLATFORM=xcb``) the pictures match what users see.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from wardfleet.domain.device import DeviceOverview
from wardfleet.ui.device_filter import needs_attention

if TYPE_CHECKING:
    from wardfleet.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ROWS_TIMEOUT_S = 12.0
HISTORY_ENV = "WARDFLEET_SCREENSHOT_HISTORY_DAYS"


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
    # Address history arrives and the view repaints. No processEvents() here: inside a
    # task it runs other tasks' callbacks re-entrantly, which qasync refuses.
    await asyncio.sleep(0.5)
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    shots = {"main.png": window, "detail.png": window.detail}
    saved = [p for name, widget in shots.items() if (p := _save(widget, out_dir / name))]
    from wardfleet.ui import screenshot_scenes as scenes

    saved += await scenes.capture_panes(window, out_dir, _save)
    if chosen is not None:  # the graphs show the showcase device again
        window.select_device(chosen.device.id)
    saved += await _capture_insights(window, out_dir, chosen)
    saved += await scenes.capture_dialogs(window, out_dir, _save)
    return saved


def _save(widget: QWidget, path: Path) -> Path | None:
    if widget.grab().save(str(path)):
        log.info("saved %s", path)
        return path
    log.error("could not save %s", path)
    return None


async def _capture_insights(
    window: MainWindow, out_dir: Path, chosen: DeviceOverview | None
) -> list[Path]:
    """dashboard.png and device-graphs.png, after seeding history when asked to."""
    days = float(os.environ.get(HISTORY_ENV) or 0)
    if days > 0:
        from wardfleet.demo.history import seed_history

        rows = await asyncio.to_thread(seed_history, window.store, days)
        log.info("seeded %d rollup rows of made-up history", rows)
    docks = window.insights
    saved: list[Path] = []
    docks.dashboard_dock.raise_()
    window.resizeDocks([docks.dashboard_dock], [380], Qt.Orientation.Vertical)
    dashboard = docks.ensure_dashboard()
    task = dashboard.refresh()
    if task is not None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), ROWS_TIMEOUT_S)
    await asyncio.sleep(0.3)  # let the views repaint (no processEvents: qasync re-entry)
    if path := _save(dashboard, out_dir / "dashboard.png"):
        saved.append(path)
    docks.graphs_dock.raise_()
    window.resizeDocks([docks.graphs_dock], [600], Qt.Orientation.Vertical)
    graphs = docks.ensure_graphs()
    if chosen is not None:
        graphs.range_box.setCurrentIndex(2)  # 7 days: the daily rhythm and a refill show
        await graphs.load(chosen.device.id, chosen.status, graphs.graph_range)
    await asyncio.sleep(0.3)
    if path := _save(graphs, out_dir / "device-graphs.png"):
        saved.append(path)
    return saved


async def capture_and_close(window: MainWindow, out_dir: Path) -> list[Path]:
    try:
        return await capture(window, out_dir)
    finally:
        # Close outside this task: closing may spin Qt's loop, and qasync refuses to
        # enter another task (a pysnmp timer) from inside a running one.
        asyncio.get_running_loop().call_soon(window.close)


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
