"""The stream's time base: one epoch, the UTC wall time of stream second 0. Every part that needs wall
time (working hours, day rollover, statistics days, MQTT timestamps, today totals) derives it from this
epoch and nothing else, so a replay at full speed lands on the same days as the live run did."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.coach.settings import CoachSettings


@dataclass(frozen=True)
class TimeBase:
    """`epoch_utc_s` is the Unix time of stream second 0; `tz` None means the machine's zone, with its
    own rules (DST) for each instant, not the offset in force now."""

    epoch_utc_s: float
    tz: dt.tzinfo | None = None

    @classmethod
    def now(cls, t_s: float = 0.0, tz: dt.tzinfo | None = None) -> TimeBase:
        """A time base on which stream second `t_s` is now."""
        return cls(time.time() - t_s, tz)

    @classmethod
    def from_header(cls, header: Mapping[str, object]) -> TimeBase:
        """A recording's time base: its `epoch_utc_s`, else its `start_time` (UTC ISO), else now."""
        epoch = header.get("epoch_utc_s")
        if isinstance(epoch, int | float) and not isinstance(epoch, bool):
            return cls(float(epoch))
        start = header.get("start_time")
        if isinstance(start, str):
            for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"):
                try:
                    return cls(dt.datetime.strptime(start, fmt).replace(tzinfo=dt.UTC).timestamp())
                except ValueError:
                    continue
        return cls.now()

    def local(self, t_s: float) -> dt.datetime:
        """Aware local wall time of stream second `t_s`."""
        if self.tz is None:
            return dt.datetime.fromtimestamp(self.epoch_utc_s + t_s).astimezone()
        return dt.datetime.fromtimestamp(self.epoch_utc_s + t_s, tz=self.tz)

    def day(self, t_s: float) -> str:
        """ISO date of stream second `t_s`, local time."""
        return self.local(t_s).date().isoformat()

    def utc_iso(self, t_s: float) -> str:
        """ISO 8601 UTC with milliseconds and a Z, e.g. 2026-11-23T09:00:00.000Z (MQTT timestamps)."""
        when = dt.datetime.fromtimestamp(self.epoch_utc_s + t_s, dt.UTC)
        return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def t_s_of(self, when: dt.datetime) -> float:
        """Stream seconds of a wall time (for 'do not disturb until 14:00'); naive means local."""
        return when.timestamp() - self.epoch_utc_s

    def next_midnight_t_s(self, t_s: float) -> float:
        """Stream second of the first local midnight after `t_s` (where day(t_s) ends); strictly
        later than `t_s` even where float rounding puts `t_s` a hair before midnight."""
        tomorrow = self.local(t_s).date() + dt.timedelta(days=1)
        midnight = dt.datetime.combine(tomorrow, dt.time(0), tzinfo=self.tz)  # naive: the machine's zone
        return max(self.t_s_of(midnight), math.nextafter(t_s, math.inf))

    def working(self, t_s: float, s: CoachSettings) -> bool:
        """Inside working hours on a working day. Hours that end before they start run overnight (a
        night shift, 19 to 8): the hours after midnight belong to the working day the shift began on."""
        t = self.local(t_s)
        hour = t.hour + t.minute / 60.0
        if s.work_start_h <= s.work_end_h:
            return t.weekday() in s.work_days and s.work_start_h <= hour < s.work_end_h
        if hour >= s.work_start_h:
            return t.weekday() in s.work_days
        return hour < s.work_end_h and (t.weekday() - 1) % 7 in s.work_days
