"""The Textual dashboard. `make_app()` is used by the CLI and by the tests. The stream runs
elsewhere (a thread, or a task); the app redraws from the Board a few times a second."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from monitor.coach.settings import DND_DEFAULT_S
from monitor.ui.board import Board
from monitor.ui.screens.break_screen import BreakScreen
from monitor.ui.screens.calibration_screen import CalibrationScreen
from monitor.ui.screens.label_screen import LabelScreen, label_name
from monitor.ui.screens.main import MainScreen
from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import hms

ThreadRunner = Callable[[threading.Event], None]
AsyncRunner = Callable[[], Awaitable[None]]


class DashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "posture-monitor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "start_break", "Break"), Binding("s", "snooze", "Snooze"),
        Binding("k", "skip", "Skip"), Binding("d", "dnd", "Do not disturb 1 h"),
        Binding("c", "calibrate", "Calibrate"), Binding("q", "quit", "Quit"),
        Binding("l", "label", "Label", show=False), Binding("w", "week", "Week", show=False)]

    def __init__(self, board: Board, thread_runner: ThreadRunner | None = None,
                 async_runner: AsyncRunner | None = None, subtitle: str = "",
                 redraw_s: float = 0.25, stop_event: threading.Event | None = None,
                 done_close_s: float = 8.0) -> None:
        super().__init__()
        self.board, self.thread_runner, self.async_runner = board, thread_runner, async_runner
        self.sub_title, self.redraw_s = subtitle, redraw_s
        self.stop_event = stop_event or threading.Event()  # shared with the run: a signal sets it
        self.main = MainScreen()
        self.shown_prompt_s: float | None = None  # the coach's prompt the break screen last opened for
        self.shown_finished_s: float | None = None  # the finished guided break last summarised
        self.break_starting = False  # asked for a break; the stream has not shown it yet
        self.done_close_s = done_close_s  # a finished break's summary closes after this (wall s)
        self.calibration_starting = False  # asked for; the stream has not shown it yet
        self.calibration_closing = False  # cancelled; the stream has not taken it back yet
        self.redraws = 0  # views shown so far (tests wait for these, not for time)

    async def on_mount(self) -> None:
        """Redraws and the stream start only once the main screen and its widgets are composed:
        a redraw before would find no widgets to show into."""
        await self.push_screen(self.main)  # returns once the screen and all its children are mounted
        self.redraw()
        self.set_interval(self.redraw_s, self.redraw)
        if self.thread_runner is not None:
            self.run_worker(self._run_stream, thread=True, exit_on_error=False)
        if self.async_runner is not None:
            self.run_worker(self.async_runner(), exit_on_error=False)

    def on_unmount(self) -> None:
        self.stop_event.set()  # however the app ends, the stream thread stops

    def _run_stream(self) -> None:
        assert self.thread_runner is not None
        try:
            self.thread_runner(self.stop_event)
        except Exception as e:  # shown by the CLI once the terminal is back
            self.board.errors.append(e)

    def redraw(self) -> None:
        """Show the board's latest view; does nothing until the main screen is composed, nor once
        the app is closing (its widgets are being removed)."""
        if not self.drawable:
            return
        if self.board.errors or self.stop_event.is_set():  # a stream failed, or SIGTERM/SIGINT
            self.exit()
            return
        for note in self.board.take_notes():
            self.notify(note, timeout=4)
        view, new = self.board.read()
        self.redraws += 1
        self.main.show(view, new)
        self._follow_breaks(view)
        if isinstance(self.screen, BreakScreen):
            self.screen.show(view)
        self._show_calibration(view)

    @property
    def drawable(self) -> bool:
        """The main screen's widgets exist: it is composed and the app is not shutting down."""
        return self.is_running and self.main.is_mounted and self.main.is_attached

    def _show_calibration(self, view: LiveView) -> None:
        """The calibration screen is open exactly while a calibration runs (a key or MQTT started it)."""
        screen = self.screen if isinstance(self.screen, CalibrationScreen) else None
        if view.calibration is None:
            self.calibration_closing = False
            if screen is not None and not self.calibration_starting:
                self.pop_screen()
            return
        if self.calibration_closing:  # a view from before the cancel: do not open the screen again
            return
        self.calibration_starting = False
        if screen is None:
            self.push_screen(CalibrationScreen(view.calibration))
        else:
            screen.show(view.calibration)

    def _follow_breaks(self, view: LiveView) -> None:
        """The break screen follows the coach: it opens for each new prompt, shows a finished guided
        break's summary, and closes once there is no prompt, no break and no summary to show."""
        screen = self.screen if isinstance(self.screen, BreakScreen) else None
        if view.guide is not None:
            self.break_starting = False
        if view.prompt_s is not None and view.prompt_s != self.shown_prompt_s:
            self.shown_prompt_s = view.prompt_s
            self.open_break(view)
            return
        done = view.finished_break
        if done is not None and done.t_s != self.shown_finished_s:
            self.shown_finished_s = done.t_s
            if screen is not None:
                screen.summarise(done)
                self.set_timer(self.done_close_s, lambda: self._close_summary(done.t_s))
            return
        idle = view.prompt_s is None and view.guide is None and not self.break_starting
        if screen is not None and idle and screen.finished is None:
            self.pop_screen()

    def _close_summary(self, t_s: float) -> None:
        """The summary of the break that finished at `t_s` has been shown long enough."""
        screen = self.screen if isinstance(self.screen, BreakScreen) else None
        if screen is not None and screen.finished is not None and screen.finished.t_s == t_s:
            self.close_break()

    def open_break(self, view: LiveView | None = None) -> None:
        if not isinstance(self.screen, BreakScreen):
            self.push_screen(BreakScreen(view or self.board.read_view()))

    def close_break(self) -> None:
        """Close the break screen; a break under way goes on (b shows it again)."""
        self.break_starting = False
        if isinstance(self.screen, BreakScreen):
            self.pop_screen()

    # -- actions (keys and command palette) ----------------------------------------------
    def action_start_break(self) -> None:
        """A guided break; during one, the coach says it is already running and the screen shows it."""
        self.board.request("start_break")
        self.break_starting = self.board.read_view().guide is None
        self.open_break()

    def action_snooze(self, minutes: float = 0.0) -> None:
        """Snooze the prompt for `minutes` (0: the configured default); the screen closes once done."""
        self.board.request("snooze", minutes * 60.0 if minutes > 0 else None)

    def action_skip(self) -> None:
        """Skip the prompt, or stop the guided break under way."""
        self.board.request("skip")

    def action_dnd(self) -> None:
        on = self.board.read_view().quiet != "do not disturb"
        self.board.request("dnd", DND_DEFAULT_S if on else None)
        self.notify("Do not disturb for 1 h" if on else "Do not disturb off")

    def action_label(self) -> None:
        """The label picker; the label dates from this key press, on the stream's clock (the time of
        the view shown), and goes to the stream like any request (it refuses when not recording)."""
        if isinstance(self.screen, LabelScreen):
            return
        view = self.board.read_view()

        def picked(pick: str | None) -> None:
            if pick is None:
                return
            name = label_name(pick, view.posture)
            if name is None:
                self.notify("Nothing to correct: the dashboard showed no posture")
                return
            self.board.request("label", (name, view.t_s))

        self.push_screen(LabelScreen(view.posture, hms(view.t_s)), picked)

    def action_week(self) -> None:
        """Today <-> this week. The stream reads the week's stored days when asked (the UI never
        queries the store); until its next view the panel shows the week it read last."""
        if not self.main.is_mounted:
            return
        on = not self.main.week_shown
        self.board.week_shown = on
        self.main.show_week(on)

    def action_calibrate(self) -> None:
        self.board.request("calibrate", "dashboard")
        self.calibration_starting, self.calibration_closing = True, False
        if not isinstance(self.screen, CalibrationScreen):
            self.push_screen(CalibrationScreen())

    def action_calibration(self, command: str) -> None:
        """retry, skip or cancel the calibration under way."""
        self.board.request(f"calibration_{command}")
        if command == "cancel":
            self.calibration_starting, self.calibration_closing = False, True
            if isinstance(self.screen, CalibrationScreen):
                self.pop_screen()

    async def action_quit(self) -> None:
        self.stop_event.set()
        self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Start a break", "Guided hip stretches now", self.action_start_break)
        yield SystemCommand("Snooze the break prompt", "Ask again in a few minutes", self.action_snooze)
        yield SystemCommand("Skip this break", "Counted as skipped", self.action_skip)
        yield SystemCommand("Calibrate", "Guided: stand, sit, (slump), (bends)", self.action_calibrate)
        yield SystemCommand("Label what you are doing", "Into the recording: sitting, standing, ..., "
                            "or that was wrong", self.action_label)
        yield SystemCommand("This week / today (w)", "The week's days from the statistics, or today's totals",
                            self.action_week)
        yield SystemCommand("Do not disturb (1 h)", "Pause prompts for a meeting; again to resume",
                            self.action_dnd)


def make_app(board: Board, thread_runner: ThreadRunner | None = None,
             async_runner: AsyncRunner | None = None, subtitle: str = "",
             redraw_s: float = 0.25, stop_event: threading.Event | None = None,
             done_close_s: float = 8.0) -> DashboardApp:
    return DashboardApp(board, thread_runner, async_runner, subtitle, redraw_s, stop_event, done_close_s)
