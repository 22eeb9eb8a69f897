"""The status line: sensor link, sample rate, dropped frames, battery, stream time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import hms

LINK_STYLE = {"streaming": "green", "connecting": "yellow", "reconnecting": "yellow", "stalled": "red",
              "stopped": "grey50"}


class StatusLine(Static):
    def show(self, v: LiveView) -> None:
        rate = f"{v.rate_hz:.0f} Hz" if v.rate_hz else "-- Hz"
        battery = f"{v.battery_pct}%" if v.battery_pct is not None else "--"
        state = "finished" if v.finished else v.link_state
        self.update(Text.assemble(
            ("sensor ", "bold"), (state, LINK_STYLE.get(state, "white")), f"   {rate}",
            f"   dropped {v.dropped_frames}", f"   battery {battery}", ("   t ", "grey50"), hms(v.t_s)))
