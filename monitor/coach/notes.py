"""Notices for the dashboard: what the coach did with a request, or is about to do, in one line.
An event that needs no notice (the screen shows it) gives None."""

from __future__ import annotations

from monitor.events import Event
from monitor.events.coach import (
    BreakFinished,
    BreakSkipped,
    BreakSnoozed,
    BreakSoon,
    RequestRefused,
    SnoozeRefused,
)


def minutes(t_s: float) -> str:
    """A length of time in whole minutes, or seconds under a minute: `5 min`, `40 s`."""
    return f"{round(t_s / 60.0):d} min" if t_s >= 59.5 else f"{round(t_s):d} s"


def note_for(ev: Event) -> str | None:
    if isinstance(ev, RequestRefused):
        return ev.reason
    if isinstance(ev, SnoozeRefused):
        return f"No snoozes left today ({ev.limit} a day): the prompt stays"
    if isinstance(ev, BreakSnoozed):
        return f"Snoozed: the prompt comes back in {minutes(ev.until_s - ev.t_s)}"
    if isinstance(ev, BreakSkipped):
        return f"Break skipped ({ev.skips_today} today)"
    if isinstance(ev, BreakSoon):
        return f"A break is due in {minutes(ev.in_s)}"
    if isinstance(ev, BreakFinished):
        return finished_line(ev)
    return None


def finished_line(ev: BreakFinished) -> str:
    """What a guided break did: `Break done: 8 of 8 steps, up 4 min`."""
    what = "Break done" if ev.completed else "Break ended"
    return f"{what}: {ev.steps_done} of {ev.steps} steps, up {minutes(ev.up_s)}"
