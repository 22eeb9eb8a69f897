"""Day totals on the stream's time base: posture time split at local midnight whatever the chunking,
events on the day of their own time, today's totals seeded from the store and reset at midnight."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.events import BoutEnded, Event, PostureChanged
from monitor.events.coach import BreakTaken
from monitor.sinks.totals import Accountant, DayTotals
from monitor.timebase import TimeBase

CET = dt.timezone(dt.timedelta(hours=1))
LATE = TimeBase(dt.datetime(2026, 11, 23, 23, 50, tzinfo=CET).timestamp(), CET)  # t = 600 s is midnight
END_S = 1200.0  # 00:10


def night() -> list[Event]:
    """Sitting 23:50-00:05, a break after midnight, standing to 00:10."""
    return [PostureChanged(0.0, "sitting", "unknown"), BoutEnded(900.0, 0.0, 900.0),
            PostureChanged(900.0, "standing", "sitting"), BreakTaken(1020.0, True, 120.0, 900.0)]


def feed(acc: Accountant, cuts_s: Sequence[float]) -> dict[str, dict[str, float]]:
    """Events in time order with a tick at each cut (and at the end), as the pipeline does per chunk;
    returns the changes summed per day and column."""
    per_day: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    pending = night()
    for t_s in [*sorted(cuts_s), END_S]:
        due = [e for e in pending if e.t_s <= t_s]
        pending = pending[len(due):]
        changes = [c for ev in due for c in acc.on_event(ev)] + acc.on_tick(t_s)
        for c in changes:
            if c.keep_max:
                per_day[c.day][c.column] = max(per_day[c.day][c.column], c.amount)
            else:
                per_day[c.day][c.column] += c.amount
    return per_day


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, END_S), max_size=8))
@example([])  # one chunk of 20 minutes, as a full-speed replay hands over
@example([599.0, 601.0])
@example([600.0])
def test_posture_time_is_split_at_local_midnight_for_any_chunking(cuts_s: list[float]) -> None:
    per_day = feed(Accountant(LATE), cuts_s)
    assert set(per_day) == {"2026-11-23", "2026-11-24"}
    before, after = per_day["2026-11-23"], per_day["2026-11-24"]
    assert before["sitting_s"] == pytest.approx(600.0) and after["sitting_s"] == pytest.approx(300.0)
    assert after["standing_s"] == pytest.approx(300.0) and "standing_s" not in before
    assert after["breaks"] == 1 and after["longest_bout_s"] == 900.0 and "breaks" not in before


def test_today_starts_from_the_seed_and_drops_to_zero_at_midnight() -> None:
    totals = DayTotals(LATE, {"sitting_s": 3600.0, "breaks": 4.0, "longest_bout_s": 1800.0})
    assert totals.totals["sitting_s"] == 3600.0  # before the first tick: what the store held
    for ev in night()[:1]:
        totals.handle(ev)
    totals.tick(300.0)
    assert totals.day == "2026-11-23" and totals.totals["sitting_s"] == pytest.approx(3900.0)
    assert totals.totals["breaks"] == 4.0
    totals.tick(660.0)  # a chunk across midnight: only the minute after it counts for the new day
    assert totals.day == "2026-11-24"
    assert totals.totals["sitting_s"] == pytest.approx(60.0) and totals.totals["breaks"] == 0.0
    assert totals.totals["longest_bout_s"] == 0.0


def test_today_rolls_over_at_midnight_even_without_posture_time() -> None:
    totals = DayTotals(LATE, {"breaks": 2.0})
    totals.tick(599.0)
    totals.tick(600.0)  # exactly midnight, nothing new to credit
    assert totals.day == "2026-11-24" and totals.totals["breaks"] == 0.0


def test_an_event_of_yesterday_does_not_count_today() -> None:
    totals = DayTotals(LATE)
    totals.tick(700.0)
    totals.handle(BreakTaken(590.0, True, 120.0, 900.0))  # late news from before midnight
    assert totals.totals["breaks"] == 0.0
    totals.handle(BreakTaken(710.0, True, 120.0, 900.0))
    assert totals.totals["breaks"] == 1.0
