"""The label picker (the `l` key): what you are doing now, into the recording's label track. A digit or
the key shown picks, Esc cancels. "That was wrong" labels what the dashboard showed when `l` was pressed
as `not_<posture>`, so evaluation can score whether an engine says anything else there."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from monitor.sessions.marks import MAX_MARK_S

WRONG = "wrong"
CHOICES = (  # (digit, letter, what is picked, what the picker says)
    ("1", "s", "sitting", "sitting"), ("2", "t", "standing", "standing"), ("3", "w", "walking", "walking"),
    ("4", "l", "lying", "lying"), ("5", "h", "slouching", "slouching (hunched)"),
    ("6", "x", WRONG, "that was wrong"))
CORRECTABLE = ("sitting", "standing", "walking", "lying")  # postures a `not_` label exists for


def label_name(pick: str, shown_posture: str) -> str | None:
    """The label a pick stores: the posture itself, or `not_<shown posture>` for "that was wrong"
    (None when the dashboard showed no posture to be wrong about)."""
    if pick != WRONG:
        return pick
    return f"not_{shown_posture}" if shown_posture in CORRECTABLE else None


class LabelScreen(ModalScreen[str | None]):
    """Dismissed with the pick (a label name or WRONG), or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(f"{digit},{letter}", f"pick('{pick}')", text.split(" (")[0], show=False)
          for digit, letter, pick, text in CHOICES),
        Binding("escape", "cancel", "Cancel")]

    def __init__(self, shown_posture: str, since: str) -> None:
        super().__init__()
        self.shown_posture, self.since = shown_posture, since

    def compose(self) -> ComposeResult:
        with Vertical(id="label-box"):
            yield Static(Text(f"Label what you are doing now (from {self.since})", style="bold"))
            yield Static(self._choices(), id="label-choices")
            yield Static("It lasts until the next label, until the monitor sees you leave that posture, "
                         f"or {MAX_MARK_S / 60:g} min.", id="label-help")
        yield Footer()

    def _choices(self) -> Text:
        out = Text()
        for digit, letter, pick, text in CHOICES:
            if pick == WRONG:
                wrong = label_name(WRONG, self.shown_posture)
                text = f"{text}: not {self.shown_posture}" if wrong else f"{text} (nothing shown to correct)"
            out.append(f"{digit} {letter}  ", style="bold")
            out.append(f"{text}\n")
        return out

    def action_pick(self, pick: str) -> None:
        self.dismiss(pick)

    def action_cancel(self) -> None:
        self.dismiss(None)
