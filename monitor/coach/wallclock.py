"""Stream seconds -> local wall time, for working hours and per-day counts."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from monitor.coach.settings import CoachSettings


@dataclass(frozen=True)
class WallClock:
    """`origin_epoch_s` is the wall time of stream second 0; `tz` None means the machine's zone."""

    origin_epoch_s: float
    tz: dt.tzinfo | None = None

    @classmethod
    def now(cls, t_s: float = 0.0) -> WallClock:
        """A clock on which stream second `t_s` is now."""
        return cls(time.time() - t_s)

    def local(self, t_s: float) -> dt.datetime:
        tz = self.tz or dt.datetime.now().astimezone().tzinfo
        return dt.datetime.fromtimestamp(self.origin_epoch_s + t_s, tz=tz)

    def day(self, t_s: float) -> str:
        """ISO date of stream second `t_s`, local time."""
        return self.local(t_s).date().isoformat()

    def t_s_of(self, when: dt.datetime) -> float:
        """Stream seconds of a wall time (for 'do not disturb until 14:00')."""
        return when.timestamp() - self.origin_epoch_s

    def working(self, t_s: float, s: CoachSettings) -> bool:
        """Inside working hours on a working day."""
        t = self.local(t_s)
        hour = t.hour + t.minute / 60.0
        return t.weekday() in s.work_days and s.work_start_h <= hour < s.work_end_h
