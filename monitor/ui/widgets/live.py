"""The live panel: posture and slouch, the pelvic tilt gauge with its recent history, the sitting bout
against the limit and what the coach asks now. Each line fits the panel's width."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline

from monitor.ui.view import LiveView
from monitor.ui.widgets.base import ViewWidget
from monitor.ui.widgets.fmt import POSTURE_STYLE, bar, fit, hms

GAUGE_DEG = 30.0  # the gauge spans -30..+30 deg around its reference
TILT_LABEL_CELLS = 12  # "tilt -11.2° "
GAUGE_MAX_CELLS = 61  # 1 deg a cell: wider says nothing more


def tilt_gauge(tilt_deg: float | None, threshold_deg: float | None, width: int = 31) -> Text:
    """A horizontal gauge, 0 (the reference: upright sitting, or standing) in the middle, posterior
    tilt (slouching back) to the left; `threshold_deg` (None: not marked) is marked at -threshold."""
    if tilt_deg is None:
        return Text("tilt  --", style="grey50")
    width = max(5, width)
    cells = ["─"] * width
    mid = width // 2
    cells[mid] = "┼"
    if threshold_deg is not None:
        cells[max(0, mid - round(threshold_deg / GAUGE_DEG * mid))] = "┊"
    pos = mid + round(max(-GAUGE_DEG, min(GAUGE_DEG, tilt_deg)) / GAUGE_DEG * mid)
    cells[max(0, min(width - 1, pos))] = "●"
    return Text.assemble(("tilt ", "bold"), f"{tilt_deg:+5.1f}° ", ("".join(cells), "cyan"))


def tilt_title(v: LiveView) -> str:
    """What the gauge's 0 is, for the panel's title."""
    return "Now · tilt from upright sitting" if v.tilt_from == "sitting" else "Now · tilt from standing"


class PostureLine(ViewWidget):
    """"SITTING · SLOUCHING": posture and slouch apart, and whether the engine is calibrated."""

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        pieces = [Text(v.posture.upper(), style=f"bold {POSTURE_STYLE.get(v.posture, 'white')}")]
        if v.slouch:
            pieces.append(Text("SLOUCHING", style="bold red"))
        line = Text(" · ").join(pieces)
        if not v.calibrated:
            line.append("  uncalibrated", style="grey50")
        line.truncate(width, overflow="ellipsis")
        return line


class TiltLine(ViewWidget):
    def draw(self, v: LiveView, width: int, height: int) -> Text:
        threshold = v.slouch_threshold_deg if v.tilt_from == "sitting" else None
        return tilt_gauge(v.tilt_deg, threshold, min(GAUGE_MAX_CELLS, width - TILT_LABEL_CELLS))


class BoutLine(ViewWidget):
    """The sitting bout against the limit: green, yellow from 80 %, red past the limit."""

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        frac = v.bout_s / v.limit_s if v.limit_s else 0.0
        colour = "red" if frac >= 1 else "yellow" if frac >= 0.8 else "green"
        times = f" {hms(v.bout_s)} / {hms(v.limit_s)}"
        cells = max(4, width - len("bout ") - len(times))
        return Text.assemble(("bout ", "bold"), (bar(frac, cells), colour), times)


class PromptLine(ViewWidget):
    """What the coach asks now (a break due, with its keys), why it is quiet, or when it will ask."""

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        if v.guide is not None:
            return fit([Text("BREAK UNDER WAY", style="bold green"), Text(v.guide.stretch)], width, "  ")
        if v.prompt_active:
            keys = [Text(k) for k in ("b start", "s snooze", "k skip")]
            return fit([Text("BREAK DUE", style="bold reverse red"), *keys], width, "  ")
        if v.quiet:
            return fit([Text("quiet:", style="grey50"), Text(v.quiet, style="grey50")], width, " ")
        if v.bout_s >= v.limit_s > 0:
            over = hms(v.bout_s - v.limit_s)
            return fit([Text("past the limit by", style="yellow"), Text(over)], width, " ")
        if v.posture == "sitting":
            return fit([Text("break in", style="grey50"), Text(hms(v.limit_s - v.bout_s))], width, " ")
        return Text("")


class LivePanel(Vertical):
    def compose(self) -> ComposeResult:
        yield PostureLine(id="posture")
        yield TiltLine(id="tilt")
        yield Sparkline([], id="history", summary_function=lambda v: v[-1] if v else 0.0)
        yield BoutLine(id="bout")
        yield PromptLine(id="prompt")

    def show(self, v: LiveView) -> None:
        """Safe before compose: until mounted the panel has no children, and the next redraw shows."""
        if not self.is_mounted:
            return
        for line in self.query(ViewWidget):
            line.show(v)
        self.query_one("#history", Sparkline).data = list(v.tilt_history) or [0.0]
