"""Day totals from events: time per posture (from each posture change to the next), longest bout,
breaks, skips, snoozes, slouched time, sit-to-stand count. Shared by the statistics store and the
dashboard's Today panel."""

from __future__ import annotations

from typing import Any

from monitor.events import Event

POSTURE_COLUMNS = ("sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s")
COLUMNS = (*POSTURE_COLUMNS, "longest_bout_s", "breaks", "natural_breaks", "skipped", "snoozed",
           "slouch_s", "sit_to_stand")
COUNTED = {"sit_to_stand": "sit_to_stand", "break_skipped": "skipped", "break_snoozed": "snoozed"}
Change = tuple[str, float, bool]  # column, amount, True: keep the maximum instead of adding


class Accountant:
    """Turns events and the passing of time into changes of day columns."""

    def __init__(self) -> None:
        self.posture = "unknown"
        self.since_s: float | None = None

    def on_event(self, ev: Event) -> list[Change]:
        kind = ev.kind
        if kind == "posture_changed":
            out = self.on_tick(ev.t_s)
            self.posture = getattr(ev, "posture", "unknown")
            return out
        if kind == "bout_ended":
            return [("longest_bout_s", getattr(ev, "duration_s", 0.0), True)]
        if kind == "slouch_ended":
            return [("slouch_s", getattr(ev, "duration_s", 0.0), False)]
        if kind == "break_taken":
            natural = float(bool(getattr(ev, "natural", False)))
            return [("breaks", 1.0, False), ("natural_breaks", natural, False)]
        if kind in COUNTED:
            return [(COUNTED[kind], 1.0, False)]
        return []

    def on_tick(self, t_s: float) -> list[Change]:
        out: list[Change] = []
        if self.since_s is not None and t_s > self.since_s:
            column = f"{self.posture}_s"
            out.append((column if column in POSTURE_COLUMNS else "unknown_s", t_s - self.since_s, False))
        self.since_s = t_s if self.since_s is None or t_s > self.since_s else self.since_s
        return out


def apply(totals: dict[str, float], changes: list[Change]) -> None:
    for column, amount, keep_max in changes:
        old = totals.get(column, 0.0)
        totals[column] = max(old, amount) if keep_max else old + amount


class DayTotals:
    """In memory, for the dashboard: a sink with a `tick`."""

    def __init__(self) -> None:
        self.acc = Accountant()
        self.totals: dict[str, float] = dict.fromkeys(COLUMNS, 0.0)

    def handle(self, event: Event) -> None:
        apply(self.totals, self.acc.on_event(event))

    def tick(self, t_s: float) -> None:
        apply(self.totals, self.acc.on_tick(t_s))

    def close(self, summary: dict[str, Any]) -> None:
        pass
