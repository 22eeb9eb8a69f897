"""Coach events: prompts for breaks and nudges, and what the user and the sensor did about them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

from monitor.events.types import Event, describe, duration, lean, words


@dataclass(frozen=True)
class BreakDue(Event):
    """The sitting bout passed the limit (level 1), then +5 min (2), +15 min (3) and so on."""

    level: int = 1
    bout_s: float = 0.0
    type: ClassVar[str] = "break_due"


@dataclass(frozen=True)
class BreakSoon(Event):
    """The first prompt of this bout comes in `in_s` (a warning, `warn_before_s` ahead)."""

    in_s: float = 0.0
    type: ClassVar[str] = "break_soon"


@dataclass(frozen=True)
class BreakFinished(Event):
    """A guided break ended: all its steps held (`completed`), stopped by the user or dropped after
    `abandon_break_s` without progress. `up_s`: time out of the chair during it."""

    completed: bool = True
    stretches: tuple[str, ...] = ()
    steps_done: int = 0
    steps: int = 0
    up_s: float = 0.0
    type: ClassVar[str] = "break_finished"


@dataclass(frozen=True)
class RequestRefused(Event):
    """A request (key, MQTT command) that does nothing now, and why, in words for a notice."""

    request: str = ""
    reason: str = ""
    type: ClassVar[str] = "request_refused"


@dataclass(frozen=True)
class BreakStarted(Event):
    """The user started a guided break; these stretches are suggested."""

    stretches: tuple[str, ...] = ()
    type: ClassVar[str] = "break_started"


@dataclass(frozen=True)
class BreakTaken(Event):
    """Upright for at least the break length: the bout is over. `natural`: nobody asked."""

    natural: bool = True
    upright_s: float = 0.0
    bout_s: float = 0.0
    type: ClassVar[str] = "break_taken"


@dataclass(frozen=True)
class BreakSnoozed(Event):
    until_s: float = 0.0
    snoozes_today: int = 0
    type: ClassVar[str] = "break_snoozed"


@dataclass(frozen=True)
class SnoozeRefused(Event):
    """Snoozes for today are used up: the prompt stays."""

    limit: int = 0
    type: ClassVar[str] = "snooze_refused"


@dataclass(frozen=True)
class BreakSkipped(Event):
    bout_s: float = 0.0
    skips_today: int = 0
    type: ClassVar[str] = "break_skipped"


@dataclass(frozen=True)
class SlouchNudge(Event):
    tilt_deg: float = 0.0
    type: ClassVar[str] = "slouch_nudge"


@dataclass(frozen=True)
class DoNotDisturb(Event):
    """Prompts paused until `until_s` (stream seconds); 0 means switched off."""

    until_s: float = 0.0
    type: ClassVar[str] = "do_not_disturb"


@dataclass(frozen=True)
class CalibrationRequested(Event):
    """The user asked for a new calibration (a dashboard key, an MQTT button)."""

    source: str = "user"
    type: ClassVar[str] = "calibration_requested"


@describe.register
def _due(ev: BreakDue) -> str:
    again = "" if ev.level <= 1 else f", reminder {ev.level}"
    return f"Break due{again} (sitting {duration(ev.bout_s)})"


@describe.register
def _soon(ev: BreakSoon) -> str:
    return f"Break soon: in {duration(ev.in_s)}"


@describe.register
def _finished(ev: BreakFinished) -> str:
    if ev.completed:
        return f"Guided break done: {_names(ev.stretches)} (up {duration(ev.up_s)})"
    return f"Guided break stopped after {ev.steps_done} of {ev.steps} steps (up {duration(ev.up_s)})"


@describe.register
def _request_refused(ev: RequestRefused) -> str:
    return f"{words(ev.request)}: {ev.reason}" if ev.reason else f"{words(ev.request)}: not now"


def _names(stretch_ids: tuple[str, ...]) -> str:
    """Stretch ids as words: `standing-hip-flexor` -> `standing hip flexor`."""
    return ", ".join(words(s.replace("-", "_")).lower() for s in stretch_ids)


@describe.register
def _started(ev: BreakStarted) -> str:
    names = _names(ev.stretches)
    return f"Guided break: {names}" if names else "Guided break"


@describe.register
def _taken(ev: BreakTaken) -> str:
    who = "Took a break on your own" if ev.natural else "Break taken"
    return f"{who} (up {duration(ev.upright_s)} after sitting {duration(ev.bout_s)})"


@describe.register
def _snoozed(ev: BreakSnoozed) -> str:
    return f"Break snoozed for {duration(ev.until_s - ev.t_s)} ({ev.snoozes_today} today)"


@describe.register
def _refused(ev: SnoozeRefused) -> str:
    return f"No snooze left today (limit {ev.limit}): the prompt stays"


@describe.register
def _skipped(ev: BreakSkipped) -> str:
    return f"Break skipped after sitting {duration(ev.bout_s)} ({ev.skips_today} today)"


@describe.register
def _nudge(ev: SlouchNudge) -> str:
    return f"Nudge: sit up, {lean(ev.tilt_deg)}"


@describe.register
def _dnd(ev: DoNotDisturb) -> str:
    if ev.until_s <= ev.t_s:
        return "Do not disturb off"
    return f"Do not disturb for {duration(ev.until_s - ev.t_s)}"


@describe.register
def _calibration(ev: CalibrationRequested) -> str:
    return f"Calibration requested (from {ev.source})"


TRANSITIONS = ("stand_to_sit", "sit_to_stand", "stand_to_lie", "lie_to_stand", "sit_to_lie", "lie_to_sit")


@functools.cache
def event_classes() -> dict[str, type[Event]]:
    """Every event class with a type of its own, by that type (Transition is named by its movement:
    TRANSITIONS). Every Event subclass lives in this module or monitor/events/types.py, which it
    imports, so the walk is complete whenever it first runs."""
    def subclasses(cls: type[Event]) -> list[type[Event]]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    return {c.type: c for c in subclasses(Event) if c.type != "event" and c.__name__ != "Transition"}


def all_event_types() -> tuple[str, ...]:
    """Every event type the engine and the coach emit (Home Assistant's event entity lists them)."""
    return tuple(dict.fromkeys([*event_classes(), *TRANSITIONS]))
