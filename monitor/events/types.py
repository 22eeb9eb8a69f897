"""Event types. `t_s` is seconds from the start of the stream; `type` is the snake_case name."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import singledispatch
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base: every event has a time and a type; details are the other fields."""

    t_s: float
    type: ClassVar[str] = "event"

    @property
    def kind(self) -> str:
        return self.type

    def details(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("t_s")
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in d.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"t": round(self.t_s, 3), "type": self.kind, **self.details()}


@dataclass(frozen=True)
class PostureChanged(Event):
    posture: str = "unknown"
    previous: str = "unknown"
    type: ClassVar[str] = "posture_changed"


@dataclass(frozen=True)
class Transition(Event):
    """A sit/stand/lie movement; `t_s` is the movement's estimated time, emitted at `emitted_s`."""

    transition: str = "stand_to_sit"
    emitted_s: float = 0.0

    @property
    def kind(self) -> str:
        return self.transition

    def details(self) -> dict[str, Any]:
        return {"emitted_s": round(self.emitted_s, 3)}


@dataclass(frozen=True)
class SlouchStarted(Event):
    tilt_deg: float = 0.0
    type: ClassVar[str] = "slouch_started"


@dataclass(frozen=True)
class SlouchEnded(Event):
    tilt_deg: float = 0.0
    duration_s: float = 0.0
    type: ClassVar[str] = "slouch_ended"


@dataclass(frozen=True)
class ProlongedSitting(Event):
    bout_s: float = 0.0
    limit_s: float = 0.0
    type: ClassVar[str] = "prolonged_sitting"


@dataclass(frozen=True)
class BoutEnded(Event):
    started_s: float = 0.0
    duration_s: float = 0.0
    type: ClassVar[str] = "bout_ended"


@dataclass(frozen=True)
class GapDetected(Event):
    """Samples missing between `t_s - gap_s` and `t_s`; that time is reported as unknown."""

    gap_s: float = 0.0
    type: ClassVar[str] = "gap"


@dataclass(frozen=True)
class CalibrationDrift(Event):
    """Walking up is `angle_deg` away from the calibration's: the clip has probably moved."""

    angle_deg: float = 0.0
    tilt_deg: float = 0.0
    obl_deg: float = 0.0
    type: ClassVar[str] = "calibration_drift"


@dataclass(frozen=True)
class ReferenceFound(Event):
    """An uncalibrated engine found its upright reference (`source`: walking, then sitting)."""

    source: str = "walking"
    type: ClassVar[str] = "reference_found"


def format_line(ev: Event) -> str:
    """One line as a person reads it: the stream clock (h:mm:ss from the start), then what happened.
    The JSON lines (`to_dict`) keep the exact figures."""
    return f"{clock(ev.t_s)}  {describe(ev)}"


def clock(t_s: float) -> str:
    """Whole seconds as h:mm:ss (the stream clock)."""
    whole_s = max(0, int(t_s))
    return f"{whole_s // 3600:d}:{whole_s % 3600 // 60:02d}:{whole_s % 60:02d}"


def duration(t_s: float) -> str:
    """A length of time as people write it: 2.5 s, 45 s, 3:07, 1:02:03."""
    if t_s < 10.0:
        return f"{t_s:.1f} s"
    whole_s = round(t_s)
    if whole_s < 60:
        return f"{whole_s} s"
    if whole_s < 3600:
        return f"{whole_s // 60}:{whole_s % 60:02d}"
    return clock(whole_s)


def lean(tilt_deg: float) -> str:
    """A pelvic tilt from upright sitting in words: negative is backwards (posterior)."""
    return f"{abs(tilt_deg):.0f} deg {'back' if tilt_deg < 0 else 'forward'}"


def words(kind: str) -> str:
    """A snake_case type as words: `break_due` -> `Break due`."""
    return kind.replace("_", " ").capitalize()


@singledispatch
def describe(ev: Event) -> str:
    """What happened, in words; an event type without its own wording shows its type and details."""
    details = ", ".join(f"{words(k).lower()} {_value(v)}" for k, v in ev.details().items())
    return f"{words(ev.kind)}{': ' + details if details else ''}"


def _value(v: object) -> str:
    if isinstance(v, tuple | list):
        return ", ".join(words(str(x)).lower() for x in v)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


TRANSITION_WORDS = {"stand_to_sit": "Sat down", "sit_to_stand": "Stood up", "stand_to_lie": "Lay down",
                    "lie_to_stand": "Got up", "sit_to_lie": "Lay down from sitting", "lie_to_sit": "Sat up"}


@describe.register
def _transition(ev: Transition) -> str:
    return TRANSITION_WORDS.get(ev.transition, words(ev.transition))


@describe.register
def _posture(ev: PostureChanged) -> str:
    if ev.posture == "unknown":
        return f"Posture unknown (was {ev.previous})"
    was = "" if ev.previous == "unknown" else f" (was {ev.previous})"
    return f"Now {ev.posture}{was}"


@describe.register
def _slouch(ev: SlouchStarted) -> str:
    return f"Slouching, {lean(ev.tilt_deg)}"


@describe.register
def _slouch_end(ev: SlouchEnded) -> str:
    return f"Sitting up again (slouched {duration(ev.duration_s)})"


@describe.register
def _prolonged(ev: ProlongedSitting) -> str:
    return f"Sitting for {duration(ev.bout_s)} (limit {duration(ev.limit_s)})"


@describe.register
def _bout(ev: BoutEnded) -> str:
    return f"Sitting bout over after {duration(ev.duration_s)}"


@describe.register
def _gap(ev: GapDetected) -> str:
    return f"No data for {duration(ev.gap_s)}"


@describe.register
def _drift(ev: CalibrationDrift) -> str:
    return f"The clip seems to have moved ({ev.angle_deg:.0f} deg from the calibration): recalibrate"


@describe.register
def _reference(ev: ReferenceFound) -> str:
    return f"Upright reference found (from {ev.source})"
