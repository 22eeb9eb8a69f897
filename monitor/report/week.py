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


def _legend(ax: Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)


def _postures(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    bottom = np.zeros(7)
    for name in SHOWN:
        hours = np.array([d[f"{name}_s"] for d in week.days]) / 3600.0
        ax.bar(x, hours, 0.6, bottom=bottom, color=POSTURE_COLOURS[name], label=name, gid=f"week-{name}")
        bottom += hours
    ax.set_ylabel("hours", fontsize=9)
    ax.set_title("time per posture", loc="left", fontsize=10)
    _legend(ax)


def _bouts(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    minutes = np.array([d["longest_bout_s"] for d in week.days]) / 60.0
    limit = week.limit_s / 60.0
    colours = ["#d2423b" if m > limit else POSTURE_COLOURS["sitting"] for m in minutes]
    ax.bar(x, minutes, 0.6, color=colours, gid="week-longest-bout", label="longest bout")
    ax.axhline(limit, color="#d2423b", linestyle="--", linewidth=1.0, label=f"limit {limit:g} min")
    ax.set_ylim(0, max(limit, float(minutes.max())) * 1.2)
    ax.set_ylabel("minutes", fontsize=9)
    ax.set_title("longest sitting bout (red: over the limit)", loc="left", fontsize=10)
    _legend(ax)


def _breaks(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    from matplotlib.ticker import MaxNLocator

    kinds = (("natural_breaks", "on your own", "#2ca02c"), ("prompted", "prompted", "#98df8a"),
             ("skipped", "skipped", "#222222"), ("snoozed", "snoozed", "#8e5bb5"))
    for i, (key, label, colour) in enumerate(kinds):
        if key == "prompted":
            counts = np.array([d["breaks"] - d["natural_breaks"] for d in week.days])
        else:
            counts = np.array([d[key] for d in week.days])
        ax.bar(x + (i - 1.5) * 0.18, counts, 0.18, color=colour, label=label, gid=f"week-{key}")
    ax.set_ylabel("count", fontsize=9)
    ax.set_title("breaks taken, skipped and snoozed", loc="left", fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(ax)
