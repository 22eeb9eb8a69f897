"""The Today panel (totals, breaks, slouched share, sit-to-stand count) and the day's timeline."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from monitor.ui.view import LiveView
from monitor.ui.widgets.fmt import POSTURE_STYLE, hms

ROWS = (("sitting", "sitting_s"), ("standing", "standing_s"), ("walking", "walking_s"), ("lying", "lying_s"))


class TodayPanel(Static):
    def show(self, v: LiveView) -> None:
        d = v.today
        lines = Text()
        for label, key in ROWS:
            lines.append(f"{label:<14}{hms(d.get(key, 0.0)):>9}\n", style=POSTURE_STYLE[label])
        slouched = d.get("slouch_s", 0.0) / d["sitting_s"] if d.get("sitting_s") else 0.0
        lines.append(f"{'longest bout':<14}{hms(d.get('longest_bout_s', 0.0)):>9}\n")
        lines.append(f"{'breaks':<14}{int(d.get('breaks', 0)):>9}\n")
        lines.append(f"{'  skipped':<14}{int(d.get('skipped', 0)):>9}\n")
        lines.append(f"{'  snoozed':<14}{int(d.get('snoozed', 0)):>9}\n")
        lines.append(f"{'slouched':<14}{slouched:>9.0%}\n")
        lines.append(f"{'sit-to-stand':<14}{int(d.get('sit_to_stand', 0)):>9}")
        self.update(lines)


class Timeline(Static):
    """One cell per slice of the session so far, coloured by the posture at its start."""

    def show(self, v: LiveView, width: int = 40) -> None:
        spans = list(v.timeline)
        if not spans or v.t_s <= spans[0][0]:
            self.update(Text("timeline: no data yet", style="grey50"))
            return
        t0, step = spans[0][0], (v.t_s - spans[0][0]) / width
        out, j = Text(), 0
        for i in range(width):
            t = t0 + i * step
            while j + 1 < len(spans) and spans[j + 1][0] <= t:
                j += 1
            out.append("█", style=POSTURE_STYLE.get(spans[j][1], "white"))
        out.append(f"\n{hms(0)}{'':>{width - 9}}{hms(v.t_s - t0)}", style="grey50")
        self.update(out)
