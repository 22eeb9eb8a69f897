"""The user's requests (dashboard keys, MQTT commands) applied to the coach on the stream's thread,
in the order they came, at the stream's current time. Requests may come from any thread.
`snooze` takes seconds (None: the coach's default); a request that cannot be done now gives a
`request_refused` event saying why. `label` takes (label name, stream time shown at the key press) and
goes to the recording's marks (monitor/sessions/marks.py); without a recording it is refused."""

from __future__ import annotations

import queue
from collections.abc import Callable, Mapping
from typing import Any

from monitor.coach.coach import Coach
from monitor.coach.guide import GuidedBreak
from monitor.coach.stretches import Catalogue, Stretch, suggest
from monitor.events import Event
from monitor.events.coach import BreakStarted, CalibrationRequested, RequestRefused

NAMES = ("start_break", "snooze", "skip", "dnd", "calibrate", "calibration_retry", "calibration_skip",
         "calibration_cancel", "label")
NOT_RECORDING = "Not recording, so labels cannot be kept: run with --record FILE to label"


class Actions:
    def __init__(self, coach: Coach, catalogue: Catalogue, used: Mapping[str, str] | None = None,
                 on_stretches: Callable[[list[str]], None] | None = None,
                 requests: queue.SimpleQueue[tuple[str, Any]] | None = None,
                 on_calibration: Callable[[str], None] | None = None,
                 on_label: Callable[[Any, float], list[Event]] | None = None) -> None:
        self.coach, self.catalogue = coach, catalogue
        self.used = dict(used or {})
        self.on_stretches = on_stretches
        self.requests: queue.SimpleQueue[tuple[str, Any]] = requests or queue.SimpleQueue()
        self.on_calibration = on_calibration  # the dashboard's guided calibration: start, retry, skip, cancel
        self.on_label = on_label  # the recording's marks (None: not recording)

    def request(self, name: str, arg: Any = None) -> None:
        """Thread-safe: queue `name` (one of NAMES) for the stream to apply."""
        self.requests.put((name, arg))

    def apply(self, t_s: float) -> list[Event]:
        """Every queued request, applied now; the events they caused."""
        events: list[Event] = []
        while not self.requests.empty():
            name, arg = self.requests.get_nowait()
            events += self.apply_one(name, arg, t_s)
        return events

    @property
    def guide(self) -> GuidedBreak | None:
        """The guided break under way: the coach's (it alone decides when one ends)."""
        return self.coach.st.guide

    def apply_one(self, name: str, arg: Any, t_s: float) -> list[Event]:
        c = self.coach
        if name == "start_break":
            return self.start_break(t_s)
        if name == "snooze":
            return c.snooze(t_s, None if arg is None else float(arg))
        if name == "skip":
            return c.skip(t_s)
        if name == "dnd":
            return c.do_not_disturb(t_s, None if arg is None else t_s + float(arg))
        if name == "calibrate":
            if self.on_calibration is not None:
                self.on_calibration("start")
            return [CalibrationRequested(t_s, str(arg or "user"))]
        if name == "label":
            if self.on_label is None:
                return [RequestRefused(t_s, "label", NOT_RECORDING)]
            return self.on_label(arg, t_s)
        if name.startswith("calibration_") and self.on_calibration is not None:
            self.on_calibration(name.removeprefix("calibration_"))
        return []

    def start_break(self, t_s: float) -> list[Event]:
        """A guided break with the suggested stretches; they count as used only if it starts."""
        picked = self.suggested()
        events = self.coach.start_break(t_s, picked)
        if any(isinstance(e, BreakStarted) for e in events):
            for s in picked:
                self.used[s.id] = _when(self.coach, t_s)
            if self.on_stretches is not None:
                self.on_stretches([s.id for s in picked])
        return events

    def suggested(self) -> list[Stretch]:
        return suggest(self.catalogue, self.used, n=3, at_work=True)


def _when(coach: Coach, t_s: float) -> str:
    """When a stretch was used, as a sortable string: local ISO time, or stream seconds without a clock."""
    if coach.clock is None:
        return f"t{t_s:012.0f}"
    return coach.clock.local(t_s).isoformat(timespec="seconds")
