"""The main screen: live posture and tilt, the sitting bout, status, today, timeline, event log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Log, Static

from monitor.events import Event
from monitor.events.types import format_line
from monitor.ui.view import LiveView
from monitor.ui.widgets.live import LivePanel
from monitor.ui.widgets.status import StatusLine
from monitor.ui.widgets.today import Timeline, TodayPanel


class MainScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            with Vertical(id="left"):
                yield LivePanel(id="live")
                yield StatusLine(id="status")
            with Vertical(id="right"):
                yield Static("Today", classes="title")
                yield TodayPanel(id="today")
                yield Timeline(id="timeline")
        yield Log(id="events", max_lines=200)
        yield Footer()

    def show(self, view: LiveView, new_events: list[Event]) -> None:
        """Safe before compose (nothing to show into yet: the next redraw shows)."""
        if not self.is_mounted:
            return
        self.query_one(LivePanel).show(view)
        self.query_one(StatusLine).show(view)
        self.query_one(TodayPanel).show(view)
        self.query_one(Timeline).show(view)
        log = self.query_one("#events", Log)
        for ev in new_events:
            log.write_line(format_line(ev))
