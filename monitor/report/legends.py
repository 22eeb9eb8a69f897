"""The legends of the lanes (every posture and label name) and of the events lane (every event type),
below the figure across the plot's width, in as many rows as they need: the figure is made taller by
their height, so no entry is ever cut at an edge however many names a recording has."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from matplotlib.artist import Artist
from matplotlib.figure import Figure

COLS = 6  # entries per row
ROW_IN, TITLE_IN, GAP_IN = 0.2, 0.24, 0.12  # one row of entries, a legend's title, between legends


@dataclass
class BelowLegend:
    """One legend to draw below the plot: its title and (handle, label) entries in order."""

    title: str
    entries: list[tuple[Artist, str]] = field(default_factory=list)

    def add(self, handle: Artist, label: str) -> None:
        if label not in {name for _, name in self.entries}:
            self.entries.append((handle, label))

    @property
    def height_in(self) -> float:
        return TITLE_IN + ROW_IN * math.ceil(len(self.entries) / COLS) + GAP_IN if self.entries else 0.0


def height_in(kinds: int, names: int) -> float:
    """The room two legends of `names` and `kinds` entries take (known before anything is drawn)."""
    return sum(TITLE_IN + ROW_IN * math.ceil(n / COLS) + GAP_IN for n in (names, kinds) if n)


def draw_below(fig: Figure, legends: list[BelowLegend], top_in: float, left: float) -> None:
    """Each legend under the last, starting `top_in` inches above the figure's bottom edge; `left` is a
    fraction of the figure's width (the plot's left edge)."""
    height = fig.get_figheight()
    y_in = top_in
    for leg in legends:
        if not leg.entries:
            continue
        handles, labels = zip(*leg.entries, strict=True)
        fig.legend(list(handles), list(labels), loc="upper left", ncol=COLS, frameon=False, columnspacing=2.5,
                   bbox_to_anchor=(left, y_in / height), fontsize=8, title=leg.title,
                   title_fontsize=8, alignment="left", borderaxespad=0.0, handletextpad=0.4)
        y_in -= leg.height_in
