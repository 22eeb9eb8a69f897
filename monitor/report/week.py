"""A week's report from the statistics store: per day (Monday to Sunday, local dates as the store keys
them) the time sitting, standing, walking and lying, the longest sitting bout against the limit, and
the breaks taken (on your own or prompted), skipped and snoozed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from monitor import history
from monitor.errors import InputError
from monitor.history import DayFigures, WeekFigures
from monitor.report.style import POSTURE_COLOURS
from monitor.sinks.stats import StatsStore

if TYPE_CHECKING:  # matplotlib only when drawing
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

SHOWN = ("sitting", "standing", "walking", "lying")


@dataclass(frozen=True)
class Week:
    """Seven days from Monday as monitor/history.py has them (a day without data has no totals, a day
    after today is still to come), and the sitting limit."""

    figures: WeekFigures
    limit_s: float

    @property
    def monday(self) -> dt.date:
        return self.figures.monday

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def column(self, name: str) -> NDArray[np.float64]:
        """One column per day (0 on days without data: check `figures.days` to tell)."""
        return np.array([d.get(name) for d in self.figures.days], np.float64)


def week_of(store: StatsStore, day: dt.date, limit_s: float, today: dt.date | None = None) -> Week:
    """The week (Monday to Sunday) holding `day`; an error when the store has none of its days."""
    monday = history.monday_of(day)
    rows = history.stored_rows(store, monday, monday + dt.timedelta(days=6))
    if not rows:
        raise InputError(f"--week {day.isoformat()}: no statistics for {monday.isoformat()} to "
                         f"{(monday + dt.timedelta(days=6)).isoformat()} in {store.path}")
    return Week(history.week(rows, day, today or dt.date.today()), limit_s)


def day_line(d: DayFigures) -> str:
    """A day of the week's table in words: no data, still to come, or its figures."""
    if d.totals is None:
        return "still to come" if d.to_come else "no data"
    hours = ", ".join(f"{k} {hm(d.get(f'{k}_s'))}" for k in SHOWN)
    return (f"{hours}; longest bout {hm(d.get('longest_bout_s'))}; {round(d.get('breaks')):d} breaks, "
            f"{round(d.get('skipped')):d} skipped, {round(d.get('snoozed')):d} snoozed")


def hm(seconds: float) -> str:
    """h:mm (whole minutes)."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:d}:{minutes % 60:02d}"


def week_figure(week: Week) -> Figure:
    """Three panels, one bar group per day: time per posture (hours, or minutes in a week of short days),
    longest bout, breaks; `no data` over each day without."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(16.0, 9.0), dpi=100)
    grid = fig.add_gridspec(3, 1, left=0.09, right=0.84, top=0.92, bottom=0.07, hspace=0.35)
    x = np.arange(7)
    names = [d.day.strftime("%a %d %b") for d in week.figures.days]
    _postures(fig.add_subplot(grid[0]), week, x)
    _bouts(fig.add_subplot(grid[1]), week, x)
    _breaks(fig.add_subplot(grid[2]), week, x)
    for ax in fig.axes:
        ax.set_xticks(x, names)
        _no_data(ax, week)
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
    for bar, day in zip(bars, week.figures.days, strict=True):
        bar.set_gid(f"week-{what}-{day.day.isoformat()}")


def _no_data(ax: Axes, week: Week) -> None:
    """`no data` (or `to come`) over each day without data, so it never reads as a day of zeros."""
    for i, d in enumerate(week.figures.days):
        if d.totals is None:
            ax.text(i, 0.5, "to come" if d.to_come else "no data", transform=ax.get_xaxis_transform(),
                    ha="center", va="center", fontsize=9, color="#888888", style="italic",
                    gid=f"week-no-data-{d.day.isoformat()}")


def _legend(ax: Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)


def _postures(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    from matplotlib.ticker import MaxNLocator

    bottom = np.zeros(7)
    per_day = sum(week.column(f"{name}_s") for name in SHOWN)
    scale, unit = (3600.0, "hours") if float(np.max(per_day)) >= 2 * 3600.0 else (60.0, "minutes")
    for name in SHOWN:
        values = week.column(f"{name}_s") / scale
        _named(ax.bar(x, values, 0.6, bottom=bottom, color=POSTURE_COLOURS[name], label=name), name, week)
        bottom += values
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylim(0, max(1.0, float(bottom.max())) * 1.15)
    ax.set_ylabel(unit, fontsize=9)
    ax.set_title("time per posture", loc="left", fontsize=10)
    _legend(ax)


def _bouts(ax: Axes, week: Week, x: NDArray[np.int64]) -> None:
    minutes = week.column("longest_bout_s") / 60.0
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
    top = 0.0
    for i, (key, label, colour) in enumerate(kinds):
        if key == "prompted":
            counts = week.column("breaks") - week.column("natural_breaks")
        else:
            counts = week.column(key)
        _named(ax.bar(x + (i - 1.5) * 0.18, counts, 0.18, color=colour, label=label), key, week)
        top = max(top, float(counts.max()))
    ax.set_ylabel("count", fontsize=9)
    ax.set_title("breaks taken, skipped and snoozed", loc="left", fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(top, 1.0) * 1.15)  # counts from 0, whole numbers, even in a week without breaks
    _legend(ax)
