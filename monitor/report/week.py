"""A week's report from the statistics store: per day (Monday to Sunday, local dates as the store keys
them) the time sitting, standing, walking and lying, the longest sitting bout against the limit, and
the breaks taken (on your own or prompted), skipped and snoozed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from monitor.errors import InputError
from monitor.report.style import POSTURE_COLOURS
from monitor.sinks.stats import COLUMNS, StatsStore

if TYPE_CHECKING:  # matplotlib only when drawing
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

SHOWN = ("sitting", "standing", "walking", "lying")


@dataclass(frozen=True)
class Week:
    """Seven days from `monday`, each a row of the store's columns (zeros for a day without data)."""

    monday: dt.date
    days: list[dict[str, Any]]
    limit_s: float

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def week_of(store: StatsStore, day: dt.date, limit_s: float) -> Week:
    """The week (Monday to Sunday) holding `day`; an error when the store has none of its days."""
    monday = day - dt.timedelta(days=day.weekday())
    dates = [(monday + dt.timedelta(days=i)).isoformat() for i in range(7)]
    have = {row["day"]: row for row in store.span(dates[0], dates[-1])}
    if not have:
        raise InputError(f"--week {day.isoformat()}: no statistics for {dates[0]} to {dates[-1]} "
                         f"in {store.path}")
    empty = dict.fromkeys(COLUMNS, 0.0)
    return Week(monday, [have.get(d, {"day": d, **empty}) for d in dates], limit_s)


def week_figure(week: Week) -> Figure:
    """Three panels, one bar group per day: hours per posture, longest bout, breaks."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(16.0, 9.0), dpi=100)
    grid = fig.add_gridspec(3, 1, left=0.09, right=0.84, top=0.92, bottom=0.07, hspace=0.35)
    x = np.arange(7)
    names = [dt.date.fromisoformat(d["day"]).strftime("%a %d %b") for d in week.days]
    _postures(fig.add_subplot(grid[0]), week, x)
    _bouts(fig.add_subplot(grid[1]), week, x)
    _breaks(fig.add_subplot(grid[2]), week, x)
    for ax in fig.axes:
        ax.set_xticks(x, names)
        ax.set_xlim(-0.6, 6.6)
        ax.grid(axis="y", color="#e4e4e4", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(f"Week of {week.monday.isoformat()} to {week.sunday.isoformat()}", x=0.09, ha="left",
                 fontsize=13, fontweight="bold")
    return fig


def _named(bars: BarContainer, what: str, week: Week) -> None:
    """Each bar's id says what and which day (`week-sitting-2026-11-23`)."""
    for bar, day in zip(bars, week.days, strict=True):
        bar.set_gid(f"week-{what}-{day['day']}")


def _legend(ax: Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)


def _postures(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    bottom = np.zeros(7)
    for name in SHOWN:
        hours = np.array([d[f"{name}_s"] for d in week.days]) / 3600.0
        _named(ax.bar(x, hours, 0.6, bottom=bottom, color=POSTURE_COLOURS[name], label=name), name, week)
        bottom += hours
    ax.set_ylabel("hours", fontsize=9)
    ax.set_title("time per posture", loc="left", fontsize=10)
    _legend(ax)


def _bouts(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    minutes = np.array([d["longest_bout_s"] for d in week.days]) / 60.0
    limit = week.limit_s / 60.0
    colours = ["#d2423b" if m > limit else POSTURE_COLOURS["sitting"] for m in minutes]
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _named(ax.bar(x, minutes, 0.6, color=colours), "longest-bout", week)
    ax.axhline(limit, color="#d2423b", linestyle="--", linewidth=1.0)
    ax.legend(handles=[Patch(color=POSTURE_COLOURS["sitting"], label="longest bout"),
                       Patch(color="#d2423b", label="over the limit"),
                       Line2D([], [], color="#d2423b", linestyle="--", label=f"limit {limit:g} min")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.set_ylim(0, max(limit, float(minutes.max())) * 1.2)
    ax.set_ylabel("minutes", fontsize=9)
    ax.set_title("longest sitting bout", loc="left", fontsize=10)


def _breaks(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    from matplotlib.ticker import MaxNLocator

    kinds = (("natural_breaks", "on your own", "#2ca02c"), ("prompted", "prompted", "#98df8a"),
             ("skipped", "skipped", "#222222"), ("snoozed", "snoozed", "#8e5bb5"))
    for i, (key, label, colour) in enumerate(kinds):
        if key == "prompted":
            counts = np.array([d["breaks"] - d["natural_breaks"] for d in week.days])
        else:
            counts = np.array([d[key] for d in week.days])
        _named(ax.bar(x + (i - 1.5) * 0.18, counts, 0.18, color=colour, label=label), key, week)
    ax.set_ylabel("count", fontsize=9)
    ax.set_title("breaks taken, skipped and snoozed", loc="left", fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(ax)
