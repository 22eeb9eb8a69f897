"""The stream side of the dashboard: applies the user's queued actions, feeds the pipeline (engine,
coach, sinks), keeps the tilt history and the day's timeline, and publishes a view at most
`publish_every_s`. No UI code here: the stream never waits for the terminal."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from monitor.coach.actions import Actions
from monitor.coach.coach import Coach
from monitor.coach.guide import GuidedBreak
from monitor.coach.stretches import Catalogue
from monitor.engine import PostureEngine
from monitor.engine.status import EngineStatus
from monitor.events import Event
from monitor.pipeline import Pipeline
from monitor.samples import SourceItem
from monitor.sinks.totals import DayTotals
from monitor.timebase import TimeBase
from monitor.ui.board import Board
from monitor.ui.calibrating import CalibrationDriver, Saver
from monitor.ui.view import GuideView, LiveView

NOTES = {  # engine events that ask something of the user
    "calibration_drift": "The clip seems to have moved ({angle_deg:.0f} deg from its calibration): "
                         "press c to calibrate again",
    "reference_found": "Not calibrated: took the upright reference from {source}; press c to calibrate"}


@dataclass(frozen=True)
class Earlier:
    """Today before this run (from the statistics store): totals (the seed of the Today panel's
    DayTotals, which drops it at local midnight), and posture changes in stream seconds."""

    today: Mapping[str, float] = field(default_factory=dict)
    timeline: tuple[tuple[float, str], ...] = ()


class Feeder:
    def __init__(self, pipeline: Pipeline, coach: Coach, board: Board, catalogue: Catalogue,
                 stretches_used: Mapping[str, str] | None = None,
                 on_stretches: Callable[[list[str]], None] | None = None,
                 link: Callable[[], dict[str, Any]] | None = None, publish_every_s: float = 0.25,
                 earlier: Earlier | None = None, save_calibration: Saver | None = None) -> None:
        self.pipeline, self.coach, self.board, self.catalogue = pipeline, coach, board, catalogue
        pipeline.coach = coach
        self.earlier = earlier or Earlier()
        self.totals = DayTotals(coach.clock or TimeBase.now(), self.earlier.today)
        pipeline.sinks += [self.totals, board]
        self.calibration = CalibrationDriver(pipeline, board, save_calibration)
        self.actions = Actions(coach, catalogue, stretches_used, on_stretches, board.actions,
                               self.calibration.command)
        self.link = link
        self.history: deque[float] = deque(maxlen=300)  # one per second: 5 minutes
        self.timeline: list[tuple[float, str]] = list(self.earlier.timeline)
        self.every_s, self.last_publish = publish_every_s, -1e9
        self._last_sec: float | None = None

    def feed(self, item: SourceItem) -> list[Event]:
        self.apply_actions()
        events = self.pipeline.feed(item)
        self._track(events)
        now = time.monotonic()
        if events or now - self.last_publish >= self.every_s:  # events show at once
            self.last_publish = now
            self.board.publish(self.view())
        return events

    def apply_actions(self) -> None:
        """The user's key presses (and MQTT commands), applied on the stream's thread."""
        events = self.actions.apply(self.pipeline.last_t_s)
        self.pipeline.dispatch(events)
        self._track(events)
        if events:
            self.board.publish(self.view())  # the UI shows the result of a key press at once

    @property
    def guide(self) -> GuidedBreak | None:
        return self.actions.guide

    @guide.setter
    def guide(self, value: GuidedBreak | None) -> None:
        self.actions.guide = value

    def _track(self, events: list[Event]) -> None:
        for ev in events:
            if ev.kind == "posture_changed":
                self.timeline.append((ev.t_s, getattr(ev, "posture", "unknown")))
            if ev.kind == "break_taken":
                self.guide = None
            if ev.kind in NOTES:
                self.board.note(NOTES[ev.kind].format(**ev.details()))
        self._track_tilt()
        if self.guide is not None:
            self.guide.update(self.pipeline.last_t_s, self.coach.st.posture)

    def status(self) -> EngineStatus:
        """The engine after its latest block (an idle status for a pipeline without an engine)."""
        engine = self.pipeline.engine
        return engine.status() if isinstance(engine, PostureEngine) else EngineStatus()

    def _track_tilt(self) -> None:
        """One tilt sample per second into the 5-minute history; a block seen twice adds nothing."""
        seconds = self.status().seconds_after(self._last_sec)
        self.history.extend(tilt_deg for _, tilt_deg in seconds)
        if seconds:
            self._last_sec = seconds[-1][0]

    def view(self, finished: bool = False) -> LiveView:
        c, st, t, engine = self.coach, self.coach.st, self.pipeline.last_t_s, self.status()
        tilt = [x for x in self.history if np.isfinite(x)]
        link = self.link() if self.link is not None else {}
        return LiveView(
            t_s=t, posture=st.posture, tilt_deg=engine.tilt_deg, slouch=engine.slouching,
            slouch_threshold_deg=engine.slouch_threshold_deg, calibrated=engine.calibrated,
            bout_s=c.bout_s(t),
            limit_s=c.s.sitting_limit_s, prompt_level=st.level, prompt_active=st.prompt_active,
            quiet=c.quiet_reason(t), link_state=str(link.get("state", "streaming")),
            rate_hz=link.get("rate_hz", self.pipeline.rate_hz),
            dropped_frames=self._dropped(),
            battery_pct=link.get("battery_pct"), tilt_history=tuple(tilt[-180:]),
            today=dict(self.totals.totals), timeline=tuple(self.timeline[-500:]),
            snoozes_today=st.snoozes_today, skips_today=st.skips_today,
            suggested=tuple(s.name for s in self.actions.suggested()), guide=self._guide_view(),
            calibration=self.calibration.view(), finished=finished)

    def _dropped(self) -> int:
        return sum(v for k, v in self.pipeline.decoder.counts().items() if k.startswith("dropped_"))

    def _guide_view(self) -> GuideView | None:
        g = self.guide
        if g is None or g.step is None:
            return None
        s = g.step.stretch
        later = tuple(dict.fromkeys(x.stretch.name for x in g.steps[g.index + 1:] if x.stretch is not s))
        return GuideView(s.name, s.steps, s.safety, g.step.side, g.step.rep, s.reps, s.hold_s, g.remaining_s,
                         g.up, g.index, len(g.steps), later)

    def finish(self) -> None:
        self.board.publish(self.view(finished=True))

