"""What the CLI tells the GUI at start-up (Qt-free, so the CLI can build it cheaply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wardfleet.store import Store
    from wardfleet.ui.runtime_api import UiRuntime

RuntimeFactory = Callable[["Store"], "UiRuntime"]


@dataclass(frozen=True, slots=True)
class GuiOptions:
    data_dir: Path | None = None
    """Overrides ``WARDFLEET_DATA_DIR`` (database, logs, window settings) for this run."""
    demo: bool = False
    """The runtime runs the demo ward; the window says so in its title."""
    runtime_factory: RuntimeFactory | None = None
    """Builds the runtime for the opened store; None shows the store without polling."""
    screenshot_dir: Path | None = None
    """Save PNGs of the window here once rows are shown (or after ~8 s), then quit."""
    quit_after: float | None = None
    """Quit after this many seconds (smoke tests, start-up timing)."""
    single_instance: bool = True
    """Hand over to an already running window for the same user and data folder."""
    argv: tuple[str, ...] = ()
    """Extra Qt arguments (e.g. ``-platform offscreen``)."""
