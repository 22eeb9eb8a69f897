"""Today's timeline: the day so far scaled to the widget's width (one cell per slice, coloured by the
posture at the slice's start), with hour marks of the local clock below it; it never wraps."""

from __future__ import annotations

import math

from rich.text import Text

from monitor.ui.view import LiveView
from monitor.ui.widgets.base import ViewWidget
from monitor.ui.widgets.fmt import POSTURE_STYLE

HOUR_STEPS = (1, 2, 3, 4, 6, 12)  # hours between marks: the first that leaves room for the labels
LABEL_CELLS = 3  # "09" and a space


def posture_cells(spans: list[tuple[float, str]], t0_s: float, t1_s: float, width: int) -> list[str]:
    """The posture at the start of each of `width` equal slices of [t0_s, t1_s]."""
    step_s, out, j = (t1_s - t0_s) / width, [], 0
    for i in range(width):
        t_s = t0_s + i * step_s
        while j + 1 < len(spans) and spans[j + 1][0] <= t_s:
            j += 1
        out.append(spans[j][1] if spans[j][0] <= t_s else "unknown")
    return out


def clock_label(clock_s: float, clocked: bool) -> str:
    """A mark's label: the local hour ("09"), or hours since the start without a clock ("2h")."""
    hours = round(clock_s / 3600)
    return f"{hours % 24:02d}" if clocked else f"{hours}h"


def hour_marks(t0_s: float, t1_s: float, width: int, clock0_s: float, clocked: bool) -> Text:
    """Labels under the cells where whole hours begin (every `step` hours so they do not touch);
    a span with no whole hour in it gets its start and end instead."""
    cell_s = (t1_s - t0_s) / width
    step_h = next((h for h in HOUR_STEPS if h * 3600 / cell_s >= LABEL_CELLS + 1), 24)
    step_s = step_h * 3600.0
    cells = [" "] * width
    first = math.ceil(clock0_s / step_s) * step_s
    marks = [first + k * step_s for k in range(int((t1_s - t0_s) // step_s) + 2)]
    placed = 0
    for mark_s in marks:
        at = round((mark_s - clock0_s) / cell_s)
        label = clock_label(mark_s, clocked)
        if at >= 0 and at + len(label) <= width:
            cells[at:at + len(label)] = label
            placed += 1
    if not placed:
        return Text(_ends(clock0_s, clock0_s + t1_s - t0_s, width, clocked), style="grey50")
    return Text("".join(cells), style="grey50")


def _ends(start_s: float, end_s: float, width: int, clocked: bool) -> str:
    def hm(s: float) -> str:
        m = int(s // 60)
        return f"{m // 60 % 24:02d}:{m % 60:02d}" if clocked else f"{m // 60}:{m % 60:02d}"
    a, b = hm(start_s), hm(end_s)
    return f"{a}{b:>{width - len(a)}}" if width > len(a) + len(b) else a[:width]


class Timeline(ViewWidget):
    """Bar rows above, hour marks on the last row. Starts at today's first posture change (or local
    midnight, when the run began yesterday)."""

    DEFAULT_CSS = "Timeline { height: 2; }"

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        spans = list(v.timeline)
        midnight_s = v.t_s - v.clock_s if v.clock_s is not None else -math.inf
        t0_s = max(spans[0][0], midnight_s) if spans else v.t_s
        if v.t_s <= t0_s:
            return Text("timeline: no data yet", style="grey50")
        row = Text()
        for posture in posture_cells(spans, t0_s, v.t_s, width):
            row.append("█", style=POSTURE_STYLE.get(posture, "white"))
        clock0_s = v.clock_s - (v.t_s - t0_s) if v.clock_s is not None else 0.0
        marks = hour_marks(t0_s, v.t_s, width, clock0_s, v.clock_s is not None)
        return Text("\n").join([*[row] * max(1, height - 1), marks])
