"""What every streaming command adds after the engine: the coach, and the sinks it feeds."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.config import Config
from monitor.timebase import TimeBase

if TYPE_CHECKING:
    from monitor.sinks.stats import StatsSink


def coach_settings(cfg: Config) -> CoachSettings:
    return CoachSettings(sitting_limit_s=cfg["engine.sitting_limit_min"] * 60.0,
                         break_s=cfg["coach.break_min"] * 60.0, snooze_s=cfg["coach.snooze_min"] * 60.0,
                         max_snoozes_per_day=int(cfg["coach.max_snoozes_per_day"]),
                         work_start_h=cfg["coach.work_start_h"], work_end_h=cfg["coach.work_end_h"])


def make_coach(cfg: Config, clock: TimeBase | None) -> Coach:
    """`clock` None (demo, replay): working hours are not applied."""
    return Coach(coach_settings(cfg), clock)


def recording_clock(header: dict[str, Any]) -> TimeBase:
    """Stream second 0 of a recording is its start_time (UTC ISO), else now."""
    start = header.get("start_time")
    if isinstance(start, str):
        try:
            when = dt.datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return TimeBase(when.timestamp())
        except ValueError:
            pass
    return TimeBase.now()


def wall_clock_of_monotonic(speed: float = 1.0) -> TimeBase:
    """Live streams time samples on `time.monotonic() * speed`; this maps that to wall time."""
    return TimeBase(time.time() - time.monotonic() * speed)


def stats_sink(clock: TimeBase) -> StatsSink:
    from monitor.sinks.stats import StatsSink, StatsStore

    return StatsSink(StatsStore(), clock)
