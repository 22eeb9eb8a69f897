"""Weeks and trends from the statistics store's daily rows: pure functions over (ISO day -> totals), so
the stats command, the dashboard's week view and the report compute them alike. Weeks run Monday to
Sunday in local dates, as the store keys its days. A day without a row has no data: it is shown as
such and left out of every average, never counted as a day of zero sitting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from monitor.sinks.stats import StatsStore
from monitor.sinks.totals import COLUMNS

Totals = Mapping[str, float]
Rows = Mapping[str, Totals]  # ISO day -> that day's stored columns (days without data absent)

SUMMED = tuple(c for c in COLUMNS if c != "longest_bout_s")  # what adds up over days; the bout is a max
MIN_DIRECTION_WEEKS = 3  # weeks with data before the trend names a direction
STEADY_S_PER_WEEK = 300.0  # a slope of daily sitting smaller than 5 min a week is "about steady"


def monday_of(day: dt.date) -> dt.date:
    """The Monday starting the week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())


def stored_rows(store: StatsStore, first: dt.date, last: dt.date) -> dict[str, dict[str, float]]:
    """The store's days from `first` to `last` (both included) that have data, keyed by ISO day."""
    rows = store.span(first.isoformat(), last.isoformat())
    return {str(r["day"]): {c: float(r[c]) for c in COLUMNS} for r in rows}


def slouch_share(totals: Totals) -> float | None:
    """Share of the sitting spent slouched (0-1); None without sitting (nothing to share)."""
    sitting_s = totals.get("sitting_s", 0.0)
    return min(1.0, totals.get("slouch_s", 0.0) / sitting_s) if sitting_s > 0 else None


@dataclass(frozen=True)
class DayFigures:
    """One day of a week: its totals, or None when the store has no data for it; `to_come` for a day
    after today (no data yet, rather than none)."""

    day: dt.date
    totals: Totals | None
    to_come: bool = False

    def get(self, column: str) -> float:
        """A column's value; 0 on a day without data (callers check `totals` to tell the two apart)."""
        return self.totals.get(column, 0.0) if self.totals is not None else 0.0


@dataclass(frozen=True)
class WeekFigures:
    """Monday to Sunday: each day, the sums over the days with data (the longest bout: the longest),
    and the averages per day with data (None when no day has data)."""

    monday: dt.date
    days: tuple[DayFigures, ...]
    totals: dict[str, float]

    @property
    def days_with_data(self) -> int:
        return sum(d.totals is not None for d in self.days)

    @property
    def per_day(self) -> dict[str, float] | None:
        """Summed columns divided by the days with data (the longest bout is not averaged)."""
        n = self.days_with_data
        return {c: self.totals[c] / n for c in SUMMED} if n else None

    @property
    def slouch_share(self) -> float | None:
        return slouch_share(self.totals)


def week(rows: Rows, day: dt.date, today: dt.date | None = None) -> WeekFigures:
    """The week holding `day`, from the rows; days after `today` are marked to come."""
    monday = monday_of(day)
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    days = tuple(DayFigures(d, rows.get(d.isoformat()), today is not None and d > today) for d in dates)
    return WeekFigures(monday, days, _sum([d.totals for d in days if d.totals is not None]))


def _sum(days: list[Totals]) -> dict[str, float]:
    out = {c: sum(d.get(c, 0.0) for d in days) for c in SUMMED}
    out["longest_bout_s"] = max((d.get("longest_bout_s", 0.0) for d in days), default=0.0)
    return out


def weeks_until(last_day: dt.date, n: int) -> list[dt.date]:
    """The Mondays of the `n` weeks that end with the week holding `last_day`, oldest first."""
    last = monday_of(last_day)
    return [last - dt.timedelta(weeks=n - 1 - i) for i in range(n)]


METRICS = ("sitting_per_day_s", "longest_bout_s", "breaks_per_day", "slouch_share")


@dataclass(frozen=True)
class TrendWeek:
    """One week of a trend: its figures (None without data) and the change from the week before
    (None where either week has no figure)."""

    monday: dt.date
    days_with_data: int
    figures: dict[str, float | None]
    change: dict[str, float | None]


@dataclass(frozen=True)
class Direction:
    """Least-squares slope of each day's sitting against time, in seconds of daily sitting per week."""

    slope_s_per_week: float
    weeks_with_data: int
    days_with_data: int

    @property
    def words(self) -> str:
        """One plain line, e.g. 'Sitting per day is falling, by about 12 min a week (...)'."""
        basis = f"least squares over {self.days_with_data} days in {self.weeks_with_data} weeks with data"
        if abs(self.slope_s_per_week) < STEADY_S_PER_WEEK:
            return f"Sitting per day is about steady ({basis})."
        way = "falling" if self.slope_s_per_week < 0 else "rising"
        minutes = round(abs(self.slope_s_per_week) / 60.0)
        return f"Sitting per day is {way}, by about {minutes} min a week ({basis})."


@dataclass(frozen=True)
class Trend:
    weeks: tuple[TrendWeek, ...]
    direction: Direction | None  # None: fewer than MIN_DIRECTION_WEEKS weeks with data

    @property
    def weeks_with_data(self) -> int:
        return sum(w.days_with_data > 0 for w in self.weeks)


def week_figures(w: WeekFigures) -> dict[str, float | None]:
    """A week's trend figures: sitting and breaks per day with data, the longest bout, slouched share."""
    per_day = w.per_day
    if per_day is None:
        return dict.fromkeys(METRICS)
    return {"sitting_per_day_s": per_day["sitting_s"], "longest_bout_s": w.totals["longest_bout_s"],
            "breaks_per_day": per_day["breaks"], "slouch_share": w.slouch_share}


def trend(rows: Rows, last_day: dt.date, n_weeks: int) -> Trend:
    """The `n_weeks` weeks ending with the week of `last_day`, each against the one before it (the week
    before the first counts too, so the first week has its change when there are data for it)."""
    mondays = weeks_until(last_day, n_weeks + 1)
    weeks = [week(rows, m) for m in mondays]
    figures = [week_figures(w) for w in weeks]
    out = [TrendWeek(w.monday, w.days_with_data, f, _change(f, before))
           for w, f, before in zip(weeks[1:], figures[1:], figures[:-1], strict=True)]
    return Trend(tuple(out), direction(rows, mondays[1], mondays[-1] + dt.timedelta(days=6)))


def _change(now: Mapping[str, float | None], before: Mapping[str, float | None]) -> dict[str, float | None]:
    return {k: None if (a := now[k]) is None or (b := before[k]) is None else a - b for k in METRICS}


def direction(rows: Rows, first: dt.date, last: dt.date) -> Direction | None:
    """The slope of daily sitting over the days with data from `first` to `last`, once they span
    MIN_DIRECTION_WEEKS weeks with data; None before that."""
    days = sorted((d, t) for k, t in rows.items() if first <= (d := dt.date.fromisoformat(k)) <= last)
    weeks_with_data = len({monday_of(d) for d, _ in days})
    if weeks_with_data < MIN_DIRECTION_WEEKS:
        return None
    x_weeks = np.array([(d - first).days / 7.0 for d, _ in days])
    sitting_s = np.array([t.get("sitting_s", 0.0) for _, t in days])
    slope = float(np.polyfit(x_weeks, sitting_s, 1)[0])
    return Direction(slope, weeks_with_data, len(days))
