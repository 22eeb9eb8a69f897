"""The statistics store's days of the current week, for the dashboard's week view. Read on the stream's
thread through the store the statistics sink writes with (so the UI thread never touches SQLite and no
second connection contends for its lock), and seldom: the past days of a week do not change while the
run adds to today, whose row the view takes from the live totals instead."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable

from monitor import history
from monitor.sinks.stats import StatsStore

WeekRows = dict[str, dict[str, float]]
REFRESH_S = 60.0  # while the week is shown, another process may have added or deleted a day


class StoredWeek:
    """Reads the week of the view's day at the first view, when the view switches to the week, on a
    new day, and while the week is shown at most every `refresh_s` (monotonic seconds of `clock`)."""

    def __init__(self, store: StatsStore, refresh_s: float = REFRESH_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store, self.refresh_s, self.clock = store, refresh_s, clock
        self.rows: WeekRows | None = None
        self.day: str | None = None  # the day the rows were read for
        self.read_at = -math.inf
        self.shown = False
        self.reads = 0

    def get(self, day: str, shown: bool) -> WeekRows | None:
        """The stored days of `day`'s week (a new dict after each read, never changed in place)."""
        if self._due(day, shown):
            monday = history.monday_of(dt.date.fromisoformat(day))
            self.rows = history.stored_rows(self.store, monday, monday + dt.timedelta(days=6))
            self.day, self.read_at, self.reads = day, self.clock(), self.reads + 1
        self.shown = shown
        return self.rows

    def _due(self, day: str, shown: bool) -> bool:
        if self.rows is None or day != self.day:
            return True
        if shown and not self.shown:  # just switched to the week
            return True
        return shown and self.clock() - self.read_at >= self.refresh_s
