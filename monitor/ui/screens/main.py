"""The main screen: posture, slouch, tilt and the bout against the limit with what the coach asks now
(left), today's totals and timeline or this week (right), the event log, the keys. Laid out to show all
of it at 80x24; a taller terminal gets a taller tilt history and timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Log

from monitor.events import Event
from monitor.events.types import format_line
from monitor.ui.view import LiveView
from monitor.ui.widgets.live import LivePanel, tilt_title
from monitor.ui.widgets.status import StatusLine
from monitor.ui.widgets.timeline import Timeline
from monitor.ui.widgets.today import TodayPanel
from monitor.ui.widgets.week import LEGEND, WeekPanel
from monitor.ui.widgets.week import title as week_title


class MainScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual's declaration)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            with Vertical(id="left"):
                yield LivePanel(id="live")
                yield StatusLine(id="status")
            with Vertical(id="right"):
                yield TodayPanel(id="today")
                yield Timeline(id="timeline")
                yield WeekPanel(id="week")
        yield Log(id="events", max_lines=200)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#left").border_title = "Now"
        self.query_one("#right").border_title = "Today"
        self.query_one("#events", Log).border_title = "Events"

    @property
    def week_shown(self) -> bool:
        return self.has_class("-week")

    def show_week(self, on: bool) -> None:
        """The right-hand panel shows this week (the Today panel and timeline make room) or today."""
        self.set_class(on, "-week")
        right = self.query_one("#right")
        right.border_title = week_title(self.query_one(WeekPanel).view or LiveView()) if on else "Today"
        right.border_subtitle = LEGEND if on else ""

    def show(self, view: LiveView, new_events: list[Event]) -> None:
        """Safe before compose (nothing to show into yet: the next redraw shows)."""
        if not self.is_mounted:
            return
        self.query_one("#left").border_title = tilt_title(view)
        self.query_one(WeekPanel).show(view)
        if self.week_shown:
            self.query_one("#right").border_title = week_title(view)
        self.query_one(LivePanel).show(view)
        self.query_one(StatusLine).show(view)
        self.query_one(TodayPanel).show(view)
        self.query_one(Timeline).show(view)
        log = self.query_one("#events", Log)
        for ev in new_events:
            log.write_line(format_line(ev))
