"""Events: frozen dataclasses that sinks depend on (and nothing else from the engine)."""

from monitor.events.types import (
    BoutEnded,
    CalibrationDrift,
    Event,
    GapDetected,
    PostureChanged,
    ProlongedSitting,
    ReferenceFound,
    SlouchEnded,
    SlouchStarted,
    Transition,
)

__all__ = ["BoutEnded", "CalibrationDrift", "Event", "GapDetected", "PostureChanged", "ProlongedSitting",
           "ReferenceFound", "SlouchEnded", "SlouchStarted", "Transition"]
