"""The calibration screen: the step's instructions, a live stillness meter, the hold countdown and
the time left; a failed step says why, and can be retried (r), an optional one skipped (s)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from monitor.ui.view import CalibrationView
from monitor.ui.widgets.fmt import bar


class CalibrationScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.calibration('retry')", "Retry step"),
        Binding("s", "app.calibration('skip')", "Skip (optional step)"),
        Binding("escape", "app.calibration('cancel')", "Cancel")]

    def __init__(self, view: CalibrationView | None = None) -> None:
        super().__init__()
        self.first_view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="calibration-box"):
            yield Static(id="cal-step")
            yield Static(id="cal-say")
            yield Static(id="cal-meter")
            yield Static(id="cal-message")
        yield Footer()

    def on_mount(self) -> None:
        if self.first_view is not None:
            self.show(self.first_view)

    def show(self, v: CalibrationView) -> None:
        try:
            step = self.query_one("#cal-step", Static)
        except NoMatches:  # pushed this instant: the next redraw shows it
            return
        optional = "" if v.required else "  (optional: s skips)"
        step.update(Text(f"Calibration, step {v.index + 1} of {v.total}: {v.title}{optional}", style="bold"))
        self.query_one("#cal-say", Static).update(v.prompt)
        self.query_one("#cal-meter", Static).update(self._meter(v))
        self.query_one("#cal-message", Static).update(self._message(v))

    @staticmethod
    def _meter(v: CalibrationView) -> Text:
        style = "green" if v.stillness > 0.7 else "yellow" if v.stillness > 0.3 else "red"
        out = Text("still  ")
        out.append(bar(v.stillness, 30), style=style)
        if v.kind == "still":
            left = max(0.0, v.hold_s - v.held_s)
            done = v.held_s / v.hold_s if v.hold_s else 1.0
            out.append(f"\nhold   {bar(done, 30)} {left:4.1f} s", style="green" if v.held_s else "grey50")
        else:
            out.append(f"\nbends  {v.bends} of {v.count}", style="bold")
        out.append(f"\n{v.remaining_s:.0f} s left for this step", style="grey50")
        return out

    @staticmethod
    def _message(v: CalibrationView) -> Text:
        out = Text()
        for w in v.warnings:
            out.append(f"Warning: {w}\n", style="yellow")
        if v.state == "failed" and v.message:
            out.append(f"{v.message}\nr retries this step; Esc cancels.", style="bold red")
        return out
