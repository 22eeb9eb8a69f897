"""The break screen: the prompt, the suggested stretches, and during a guided break the current step
with its hold countdown (which runs only while the sensor says you are up)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import bar, hms


class BreakScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.start_break", "Start"), Binding("s", "app.snooze", "Snooze"),
        Binding("k", "app.skip", "Skip"), Binding("escape", "app.pop_screen", "Close")]

    def __init__(self, view: LiveView | None = None) -> None:
        super().__init__()
        self.first_view = view

    def on_mount(self) -> None:
        if self.first_view is not None:
            self.show(self.first_view)

    def compose(self) -> ComposeResult:
        with Vertical(id="break-box"):
            yield Static(id="prompt")
            yield Static(id="plan")
            yield Static(id="hold")
        yield Footer()

    def show(self, v: LiveView) -> None:
        try:
            prompt = self.query_one("#prompt", Static)
        except NoMatches:  # pushed this instant: children not composed yet; the next redraw shows
            return
        prompt.update(self._prompt(v))
        self.query_one("#plan", Static).update(self._plan(v))
        self.query_one("#hold", Static).update(self._hold(v))

    @staticmethod
    def _prompt(v: LiveView) -> Text:
        if v.guide is not None:
            return Text("Break under way: stand up and follow the steps.", style="bold green")
        if v.bout_s <= 0:
            return Text("A break: stand up, walk about, stretch your hips.", style="bold")
        urgency = ["", "Time to stand up.", "Still sitting: please stand up.", "You have sat a long while."]
        line = urgency[min(v.prompt_level, 3)] or "Time for a break."
        return Text(f"{line}  Sitting for {hms(v.bout_s)}.", style="bold yellow")

    @staticmethod
    def _plan(v: LiveView) -> Text:
        g = v.guide
        if g is None:
            out = Text("Suggested stretches:\n", style="bold")
            for name in v.suggested:
                out.append(f"  • {name}\n")
            out.append("\nEnter starts a guided break; s snoozes; k skips.", style="grey50")
            return out
        side = f", {g.side} side" if g.side else ""
        where = f"rep {g.rep} of {g.reps}, step {g.step_index + 1} of {g.step_count}"
        out = Text(f"{g.stretch}{side}  ({where})\n", style="bold")
        for i, step in enumerate(g.steps, 1):
            out.append(f"  {i}. {step}\n")
        out.append(f"\n{g.safety}\n", style="italic grey62")
        if g.upcoming:
            out.append("Next: " + ", ".join(g.upcoming), style="grey50")
        return out

    @staticmethod
    def _hold(v: LiveView) -> Text:
        g = v.guide
        if g is None:
            return Text("")
        done = 1.0 - g.remaining_s / g.hold_s if g.hold_s else 1.0
        if not g.up:
            return Text(f"hold {bar(done, 30)} {g.remaining_s:4.0f} s   paused: stand up to run the timer",
                        style="yellow")
        return Text(f"hold {bar(done, 30)} {g.remaining_s:4.0f} s", style="green")
