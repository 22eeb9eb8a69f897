"""The live panel: posture, pelvic tilt gauge with its recent history, slouch, the sitting bout."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import POSTURE_STYLE, bar, hms

GAUGE_DEG = 30.0  # the gauge spans -30..+30 deg


def tilt_gauge(tilt_deg: float | None, threshold_deg: float, width: int = 31) -> Text:
    """A horizontal gauge: 0 (calibrated) in the middle, posterior (slouch) to the left."""
    if tilt_deg is None:
        return Text("tilt  --", style="grey50")
    cells = ["─"] * width
    mid = width // 2
    cells[mid] = "┼"
    limit = mid - round(threshold_deg / GAUGE_DEG * mid)
    if 0 <= limit < width:
        cells[limit] = "┊"
    pos = mid + round(max(-GAUGE_DEG, min(GAUGE_DEG, tilt_deg)) / GAUGE_DEG * mid)
    cells[max(0, min(width - 1, pos))] = "●"
    return Text.assemble(("tilt ", "bold"), f"{tilt_deg:+6.1f}°  ", ("".join(cells), "cyan"))


class LivePanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="posture")
        yield Static(id="tilt")
        yield Sparkline([], id="history", summary_function=lambda v: v[-1] if v else 0.0)
        yield Static(id="bout")

    def show(self, v: LiveView) -> None:
        """Safe before compose: until mounted the panel has no children, and the next redraw shows."""
        if not self.is_mounted:
            return
        style = POSTURE_STYLE.get(v.posture, "white")
        cal = "" if v.calibrated else "  (uncalibrated)"
        slouch = Text("  SLOUCHING", style="bold red") if v.slouch else Text("")
        self.query_one("#posture", Static).update(
            Text.assemble((v.posture.upper(), f"bold {style}"), slouch, (cal, "grey50")))
        self.query_one("#tilt", Static).update(tilt_gauge(v.tilt_deg, v.slouch_threshold_deg))
        self.query_one("#history", Sparkline).data = list(v.tilt_history) or [0.0]
        frac = v.bout_s / v.limit_s if v.limit_s else 0.0
        colour = "red" if frac >= 1 else "yellow" if frac >= 0.8 else "green"
        quiet = f"   quiet: {v.quiet}" if v.quiet else ""
        self.query_one("#bout", Static).update(Text.assemble(
            ("sitting bout ", "bold"), (bar(frac, 24), colour), f" {hms(v.bout_s)} / {hms(v.limit_s)}",
            (quiet, "grey50")))
