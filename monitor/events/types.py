"""Event types. `t_s` is seconds from the start of the stream; `type` is the snake_case name."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
    """One readable line: clock time from stream start, type, details."""
    t = ev.t_s
    clock = f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"
    details = " ".join(f"{k}={v}" for k, v in ev.details().items())
    return f"{clock}  {ev.kind:<18} {details}".rstrip()
