"""The Today panel: time per posture, longest bout, breaks, skips, snoozes, slouched share and the
sit-to-stand count, live: the bout, the slouch and the walk under way count as they happen (the day's
stored totals only learn of a bout or a slouch when it ends)."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size

from monitor import history
from monitor.ui.view import LiveView
from monitor.ui.widgets.base import ViewWidget
from monitor.ui.widgets.fmt import POSTURE_STYLE, hms

Row = tuple[str, str, str]  # label, value, style
COLUMN_GAP = 2  # cells between the columns, at least
COLUMN_GAP_MAX = 6


def live_totals(v: LiveView) -> dict[str, float]:
    """Today's totals brought up to the view's moment: the running bout counts toward the longest
    bout, the slouch under way toward slouched time (posture time is already counted up to now)."""
    d = {**v.today}
    d["longest_bout_s"] = max(d.get("longest_bout_s", 0.0), v.bout_s)
    if v.slouch and v.slouch_since_s is not None:
        d["slouch_s"] = d.get("slouch_s", 0.0) + max(0.0, v.t_s - v.slouch_since_s)
    return d


def slouched_share(d: dict[str, float]) -> float:
    """Share of today's sitting spent slouched (0-1; 0 without sitting)."""
    return history.slouch_share(d) or 0.0


def rows(d: dict[str, float]) -> tuple[list[Row], list[Row]]:
    """The two columns: time (postures, longest bout) and counts (breaks, slouch, sit-to-stand)."""
    postures = ("sitting", "standing", "walking", "lying")
    times = [(p, hms(d.get(f"{p}_s", 0.0)), POSTURE_STYLE[p]) for p in postures]
    times.append(("longest bout", hms(d.get("longest_bout_s", 0.0)), ""))
    counts = [("breaks", str(int(d.get("breaks", 0))), ""), ("  skipped", str(int(d.get("skipped", 0))), ""),
              ("  snoozed", str(int(d.get("snoozed", 0))), ""), ("slouched", f"{slouched_share(d):.0%}", ""),
              ("sit-to-stand", str(int(d.get("sit_to_stand", 0))), "")]
    return times, counts


def column(rows_: list[Row]) -> list[Text]:
    """Labels left, values right-aligned, all lines of one width."""
    label_w = max(len(r[0]) for r in rows_)
    value_w = max(len(r[1]) for r in rows_)
    return [Text(f"{label:<{label_w}} {value:>{value_w}}", style=style) for label, value, style in rows_]


class TodayPanel(ViewWidget):
    """Two columns side by side where they fit (5 lines), else one below the other."""

    DEFAULT_CSS = "TodayPanel { height: auto; }"

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        left, right = (column(c) for c in rows(live_totals(v)))
        gap = min(COLUMN_GAP_MAX, width - left[0].cell_len - right[0].cell_len)
        if gap < COLUMN_GAP:
            return Text("\n").join(left + right)
        return Text("\n").join(Text.assemble(a, " " * gap, b) for a, b in zip(left, right, strict=True))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Five lines when the columns fit side by side, ten otherwise."""
        left, right = (column(c) for c in rows(live_totals(self.view or LiveView())))
        return 5 if width - left[0].cell_len - right[0].cell_len >= COLUMN_GAP else 10
