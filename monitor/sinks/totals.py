"""Day totals from events: time per posture (from each posture change to the next), longest bout,
breaks, skips, snoozes, slouched time, sit-to-stand count, each attributed to a local day of the
stream's time base. Shared by the statistics store, the MQTT state and the dashboard's Today panel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from monitor.events import Event
from monitor.timebase import TimeBase

POSTURE_COLUMNS = ("sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s")
COLUMNS = (*POSTURE_COLUMNS, "longest_bout_s", "breaks", "natural_breaks", "skipped", "snoozed",
           "slouch_s", "sit_to_stand")
COUNTED = {"sit_to_stand": "sit_to_stand", "break_skipped": "skipped", "break_snoozed": "snoozed"}


class Change(NamedTuple):
    """Add `amount` to `column` of local day `day` (ISO date), or raise it to `amount` if `keep_max`."""

    day: str
    column: str
    amount: float
    keep_max: bool = False


class Accountant:
    """Turns events and the passing of time into changes of day columns. Posture time that crosses
    local midnight is split between the two days, so the result does not depend on how the stream is
    chunked; an event counts on the day of its own `t_s`."""

    def __init__(self, timebase: TimeBase) -> None:
        self.timebase = timebase
        self.posture = "unknown"
        self.since_s: float | None = None

    def on_event(self, ev: Event) -> list[Change]:
        kind, day = ev.kind, self.timebase.day(ev.t_s)
        if kind == "posture_changed":
            out = self.on_tick(ev.t_s)
            self.posture = getattr(ev, "posture", "unknown")
            return out
        if kind == "bout_ended":
            return [Change(day, "longest_bout_s", getattr(ev, "duration_s", 0.0), True)]
        if kind == "slouch_ended":
            return [Change(day, "slouch_s", getattr(ev, "duration_s", 0.0))]
        if kind == "break_taken":
            natural = float(bool(getattr(ev, "natural", False)))
            return [Change(day, "breaks", 1.0), Change(day, "natural_breaks", natural)]
        if kind in COUNTED:
            return [Change(day, COUNTED[kind], 1.0)]
        return []

    def on_tick(self, t_s: float) -> list[Change]:
        """Credit the current posture from the last tick up to `t_s`, one change per local day."""
        if self.since_s is None:
            self.since_s = t_s
        if t_s <= self.since_s:
            return []
        column = f"{self.posture}_s" if f"{self.posture}_s" in POSTURE_COLUMNS else "unknown_s"
        out: list[Change] = []
        start_s = self.since_s
        while start_s < t_s:
            end_s = min(t_s, self.timebase.next_midnight_t_s(start_s))
            out.append(Change(self.timebase.day(start_s), column, end_s - start_s))
            start_s = end_s
        self.since_s = t_s
        return out


def apply(totals: dict[str, float], changes: list[Change]) -> None:
    """Apply changes to one day's totals (the caller picks the day)."""
    for c in changes:
        old = totals.get(c.column, 0.0)
        totals[c.column] = max(old, c.amount) if c.keep_max else old + c.amount


class DayTotals:
    """Today's totals in memory, for the MQTT state and the dashboard: a sink with a `tick`. Today is
    the local day of the latest stream second seen. `earlier` is what the statistics store already held
    for the run's first day (so a restart does not start from zero); at local midnight every total
    drops to zero and the seed no longer applies."""

    def __init__(self, timebase: TimeBase, earlier: Mapping[str, float] | None = None) -> None:
        self.acc = Accountant(timebase)
        self.timebase = timebase
        self.day: str | None = None  # None until the first event or tick: the run's first day
        self.totals: dict[str, float] = {**dict.fromkeys(COLUMNS, 0.0), **(earlier or {})}

    def handle(self, event: Event) -> None:
        self.tick(event.t_s)  # the totals an event is shown with include the time up to it
        self._apply(self.acc.on_event(event))
        self._roll(self.timebase.day(event.t_s))

    def tick(self, t_s: float) -> None:
        self._apply(self.acc.on_tick(t_s))
        self._roll(self.timebase.day(t_s))

    def _apply(self, changes: list[Change]) -> None:
        """Changes for today count; a later day first starts afresh; an earlier day is past."""
        for c in changes:
            self._roll(c.day)
            if c.day == self.day:
                apply(self.totals, [c])

    def _roll(self, day: str) -> None:
        if self.day is None:
            self.day = day
        elif day > self.day:  # ISO dates order as strings
            self.day, self.totals = day, dict.fromkeys(COLUMNS, 0.0)

    def close(self, summary: dict[str, Any]) -> None:
        pass
