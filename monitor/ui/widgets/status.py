"""The status line: sensor link, sample rate, battery, dropped frames, stream time (the last ones are
left out when the line would not fit)."""

from __future__ import annotations

from rich.text import Text

from monitor.ui.view import LiveView
from monitor.ui.widgets.base import ViewWidget
from monitor.ui.widgets.fmt import fit, hms

LINK_STYLE = {"streaming": "green", "connecting": "yellow", "reconnecting": "yellow", "stalled": "red",
              "stopped": "grey50"}


class StatusLine(ViewWidget):
    def draw(self, v: LiveView, width: int, height: int) -> Text:
        rate = f"{v.rate_hz:.0f} Hz" if v.rate_hz else "-- Hz"
        battery = f"{v.battery_pct}%" if v.battery_pct is not None else "--"
        state = "finished" if v.finished else v.link_state
        pieces = [Text.assemble(("sensor ", "bold"), (state, LINK_STYLE.get(state, "white"))), Text(rate),
                  Text(f"battery {battery}"), Text(f"dropped {v.dropped_frames}"),
                  Text.assemble(("t ", "grey50"), hms(v.t_s))]
        return fit(pieces, width, "  ")
