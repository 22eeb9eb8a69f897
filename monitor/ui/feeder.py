"""The stream side of the dashboard: applies the user's queued actions, feeds the pipeline (engine,
coach, sinks), keeps the tilt history and the day's timeline, and publishes a view at most
`publish_every_s`. No UI code here: the stream never waits for the terminal."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from monitor.coach.actions import Actions
from monitor.coach.coach import Coach
from monitor.coach.guide import GuidedBreak
from monitor.coach.notes import note_for
from monitor.engine import PostureEngine
from monitor.engine.status import EngineStatus
from monitor.events import Event
from monitor.pipeline import Pipeline
from monitor.samples import SourceItem
from monitor.sinks.totals import DayTotals
from monitor.timebase import TimeBase
from monitor.ui.board import Board
from monitor.ui.calibrating import CalibrationDriver
from monitor.ui.stored_week import StoredWeek, WeekRows
from monitor.ui.view import FinishedView, GuideView, LiveView

NOTES = {  # engine events that ask something of the user
    "calibration_drift": "The clip seems to have moved ({angle_deg:.0f} deg from its calibration): "
                         "press c to calibrate again",
    "reference_found": "Not calibrated: took the upright reference from {source}; press c to calibrate"}


Timeline = tuple[tuple[float, str], ...]  # (t_s, posture) of posture changes


class Feeder:
    """Reads the stream for the UI. Its parts (the pipeline with the Board, today's totals and the
    calibration tap already among its listeners, the request queue) are made by the run's builder;
    the feeder never changes them. `timeline`: today's posture changes before this run."""

    def __init__(self, pipeline: Pipeline, coach: Coach, board: Board, actions: Actions,
                 calibration: CalibrationDriver, totals: DayTotals,
                 link: Callable[[], dict[str, Any]] | None = None, timeline: Timeline = (),
                 publish_every_s: float = 0.25, week: StoredWeek | None = None) -> None:
        self.pipeline, self.coach, self.board, self.actions = pipeline, coach, board, actions
        self.calibration, self.totals, self.link = calibration, totals, link
        self.week = week  # the store's days for the week view (None: the run keeps no statistics)
        self.history: deque[float] = deque(maxlen=300)  # one per second: 5 minutes
        self.timeline: list[tuple[float, str]] = list(timeline)
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
        """The guided break under way: the coach's own (it advances the hold timer and ends it)."""
        return self.coach.st.guide

    def _track(self, events: list[Event]) -> None:
        for ev in events:
            if ev.kind == "posture_changed":
                self.timeline.append((ev.t_s, getattr(ev, "posture", "unknown")))
            if ev.kind in NOTES:
                self.board.note(NOTES[ev.kind].format(**ev.details()))
            coach_note = note_for(ev)
            if coach_note is not None:
                self.board.note(coach_note)
        self._track_tilt()

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
        day, week_rows = self._week(t)
        return LiveView(
            t_s=t, posture=st.posture, tilt_deg=engine.shown_tilt_deg,
            tilt_from="sitting" if engine.tilt_from_sitting_deg is not None else "standing",
            slouch=engine.slouching, slouch_since_s=engine.slouch_since_s,
            slouch_threshold_deg=engine.slouch_threshold_deg, calibrated=engine.calibrated,
            bout_s=c.bout_s(t),
            limit_s=c.s.sitting_limit_s, prompt_level=st.level, prompt_active=st.prompt_active,
            quiet=c.quiet_reason(t), link_state=str(link.get("state", "streaming")),
            rate_hz=link.get("rate_hz", self.pipeline.rate_hz),
            dropped_frames=self._dropped(),
            battery_pct=link.get("battery_pct"), tilt_history=tuple(tilt[-180:]),
            today=dict(self.totals.totals), timeline=tuple(self.timeline[-500:]),
            day=day, stats=self.week is not None, week_rows=week_rows,
            clock_s=time_of_day_s(self.totals.timebase, t),
            snoozes_today=st.snoozes_today, skips_today=st.skips_today,
            suggested=tuple(s.name for s in self.actions.suggested()), guide=self._guide_view(),
            prompt_s=st.prompt_s, snoozed_until_s=st.snoozed_until_s, finished_break=self._finished(),
            calibration=self.calibration.view(), finished=finished)

    def _week(self, t_s: float) -> tuple[str, WeekRows | None]:
        """Today's day, and the week's stored days (read seldom: see StoredWeek)."""
        day = self.totals.day or self.totals.timebase.day(t_s)
        return day, self.week.get(day, self.board.week_shown) if self.week is not None else None

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

    def _finished(self) -> FinishedView | None:
        """The last guided break that ended, for the break screen's summary."""
        f = self.coach.st.finished
        if f is None:
            return None
        names = tuple(s.name for s_id in f.stretches if (s := self.actions.catalogue.by_id.get(s_id)))
        return FinishedView(f.t_s, f.completed, names, f.steps_done, f.steps, f.up_s)

    def finish(self) -> None:
        self.board.publish(self.view(finished=True))


def time_of_day_s(timebase: TimeBase, t_s: float) -> float:
    """Seconds after local midnight at stream second `t_s` (the wall clock the timeline marks)."""
    local = timebase.local(t_s)
    return local.hour * 3600.0 + local.minute * 60.0 + local.second + local.microsecond / 1e6
