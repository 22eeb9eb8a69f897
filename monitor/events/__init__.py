"""Events: frozen dataclasses that sinks depend on (and nothing else from the engine)."""

from monitor.events.types import (
    BoutEnded,
    Event,
    GapDetected,
    PostureChanged,
    ProlongedSitting,
    SlouchEnded,
    SlouchStarted,
    Transition,
)

__all__ = ["BoutEnded", "Event", "GapDetected", "PostureChanged", "ProlongedSitting",
           "SlouchEnded", "SlouchStarted", "Transition"]
