"""The break screen: the prompt, the suggested stretches, and during a guided break the current step
with its hold countdown (which runs only while the sensor says you are up); when the break ends, what
was done. Its footer offers what can be done in that state; every key answers (the coach says why
when it cannot: "Nothing to snooze", "A break is already running")."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from monitor.ui.view import FinishedView, LiveView
from monitor.ui.widgets.fmt import bar, hms

SNOOZE_MIN = (5, 10, 15)  # the snooze lengths offered besides the default (s)
OFFERED = {  # what the footer offers in each state
    "prompt": {"start", "snooze", "skip"}, "idle": {"start"}, "guided": {"stop"}, "done": {"start"}}


class BreakScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start"), Binding("s", "snooze(0)", "Snooze"),
        *(Binding(str(i), f"snooze({m})", f"{m} min") for i, m in enumerate(SNOOZE_MIN, 1)),
        Binding("k", "skip", "Skip"), Binding("k", "stop", "Stop break"), Binding("escape", "close", "Close"),
        # The same keys where the footer does not offer them: the coach answers (a notice says why).
        Binding("enter", "app.start_break", show=False), Binding("b", "app.start_break", show=False),
        Binding("s", "app.snooze", show=False), Binding("k", "app.skip", show=False),
        *(Binding(str(i), f"app.snooze({m})", show=False) for i, m in enumerate(SNOOZE_MIN, 1)),
        Binding("d", "app.dnd", show=False), Binding("q", "app.quit", show=False)]

    def __init__(self, view: LiveView | None = None) -> None:
        super().__init__()
        self.first_view = view
        self.state = "idle"  # prompt | idle (no prompt, a break asked for) | guided | done
        self.finished: FinishedView | None = None  # the finished break summarised

    def on_mount(self) -> None:
        if self.first_view is not None:
            self.show(self.first_view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "snooze", "skip", "stop"):
            return action in OFFERED[self.state]
        return True

    def action_start(self) -> None:
        self.app.action_start_break()  # type: ignore[attr-defined]

    def action_snooze(self, minutes: float) -> None:
        self.app.action_snooze(minutes)  # type: ignore[attr-defined]

    def action_skip(self) -> None:
        self.app.action_skip()  # type: ignore[attr-defined]

    def action_stop(self) -> None:
        self.app.action_skip()  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.app.close_break()  # type: ignore[attr-defined]

    def summarise(self, done: FinishedView) -> None:
        """Show what the break that just ended did, until the app closes the screen."""
        self.finished = done
        self._set_state("done")
        try:
            self.query_one("#prompt", Static).update(self._done_title(done))
            self.query_one("#plan", Static).update(self._done_plan(done))
            self.query_one("#hold", Static).update("")
        except NoMatches:
            pass

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.refresh_bindings()

    def compose(self) -> ComposeResult:
        with Vertical(id="break-box"):
            yield Static(id="prompt")
            yield Static(id="plan")
            yield Static(id="hold")
        yield Footer()

    def show(self, v: LiveView) -> None:
        if v.guide is not None or v.prompt_s is not None:
            self.finished = None  # a new break or prompt replaces the summary
        if self.finished is not None:
            return
        self._set_state("guided" if v.guide is not None else "prompt" if v.prompt_s is not None else "idle")
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
        if v.prompt_s is None or v.bout_s <= 0:
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
            hint = "Enter starts a guided break; s snoozes (1-3: 5, 10, 15 min); k skips."
            out.append("\n" + (hint if v.prompt_s is not None else "Enter starts a guided break."),
                       style="grey50")
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
    def _done_title(done: FinishedView) -> Text:
        if done.completed:
            return Text("Break done. Well done: back to work.", style="bold green")
        return Text("Break ended before its last step.", style="bold yellow")

    @staticmethod
    def _done_plan(done: FinishedView) -> Text:
        out = Text(f"Up for {hms(done.up_s)}; {done.steps_done} of {done.steps} steps held.\n", style="bold")
        for name in done.stretches:
            out.append(f"  • {name}\n")
        out.append("\nEsc closes; Enter starts another break.", style="grey50")
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
