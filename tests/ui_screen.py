"""What a Textual app's screen shows, as a terminal of its size would: for the dashboard's layout tests."""

from __future__ import annotations

import io

from rich.console import Console

from monitor.ui.app import DashboardApp


def screen_text(app: DashboardApp) -> list[str]:
    """The screen as plain text lines, as a terminal of the app's size shows it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True,
                      legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()
