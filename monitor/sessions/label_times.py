"""Times on the command line (`parse_time`): `start`, `end`, seconds from the start (`754.5`), `+h:mm:ss`
or `+m:ss` from the start, or a wall-clock `HH:MM[:SS]`, local time on the day the recording started
(the next day's when that is before the start, as for a recording across midnight; less than 1 s
before it is the start). A bare `h:mm[:ss]` that is outside the recording as a wall-clock time but inside
it as an offset is read as the offset, with a note (`0:05:00` as `+0:05:00`).

What `label` prints takes the same forms back: offsets as `+h:mm:ss[.t]`, wall-clock times only
under a heading or with the words "wall clock", durations as `5m00s` (no time form)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from monitor.errors import InputError
from monitor.timebase import TimeBase

TIME_FORMS = ("seconds from the start (754.5), +h:mm:ss or +m:ss from the start, a wall-clock HH:MM[:SS] "
              "on the recording's day, start or end")
OFFSET = re.compile(r"\+(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")
WALL = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?")
EARLY_S = 1.0  # a wall time this little before the start is the start (the list rounds to tenths)


def parse_time(flag: str, text: str, timebase: TimeBase, end_s: float) -> tuple[float, str | None]:
    """Stream seconds of a command-line time (the forms in the module docstring) and a note when a
    bare h:mm[:ss] was read as an offset: as a wall-clock time it falls outside the recording, as an
    offset inside. InputError naming the flag and value otherwise."""
    t = text.strip().lower()
    if t in ("start", "end"):
        return (0.0 if t == "start" else end_s), None
    try:
        seconds = float(t)
    except ValueError:
        seconds = float("nan")
    if np.isfinite(seconds) and seconds >= 0:
        return seconds, None
    if (offset := _offset_s(t)) is not None:
        return offset, None
    if (m := WALL.fullmatch(t)) is not None and int(m[1]) < 24 and int(m[2]) < 60 and float(m[3] or 0) < 60:
        wall = wall_time_s(timebase, int(m[1]), int(m[2]), float(m[3] or 0))
        other = _offset_s("+" + t)
        if not 0 <= wall <= end_s and other is not None and other <= end_s:
            return other, (f"{flag} {text!r} read as {offset_text(other)} from the start (at "
                           f"{wall_text(timebase, wall)} it would be outside the recording)")
        return wall, None
    raise InputError(f"{flag} {text!r}: not a time; give {TIME_FORMS}")


def _offset_s(text: str) -> float | None:
    """Seconds of a `+h:mm:ss` / `+m:ss` offset, None when `text` is not one."""
    m = OFFSET.fullmatch(text)
    if m is None or int(m[2]) >= 60 or float(m[3]) >= 60:
        return None
    return int(m[1] or 0) * 3600.0 + int(m[2]) * 60.0 + float(m[3])


def wall_time_s(timebase: TimeBase, hour: int, minute: int, second: float) -> float:
    """Stream seconds of a local wall-clock time on the recording's first day (its next day's, when
    that is before the start; less than EARLY_S before it is the start)."""
    start = timebase.local(0.0)
    when = dt.datetime.combine(start.date(), dt.time(hour, minute), tzinfo=timebase.tz)
    t_s = timebase.t_s_of(when) + second
    if -EARLY_S <= t_s < 0:
        return 0.0
    if t_s < 0:
        t_s = timebase.t_s_of(when + dt.timedelta(days=1)) + second
    return t_s


def length_text(seconds: float) -> str:
    """A duration that reads as none of the time forms: 2.3s, 5m00s, 1h00m00s."""
    whole, tenths = divmod(round(seconds * 10), 10)
    sec = f"{whole % 60:02d}" + (f".{tenths}" if tenths else "") + "s"
    if whole < 60:
        return sec.removeprefix("0") if whole >= 1 else sec[1:]
    if whole < 3600:
        return f"{whole // 60}m{sec}"
    return f"{whole // 3600}h{whole // 60 % 60:02d}m{sec}"


def hms(t_s: float) -> str:
    """Seconds as h:mm:ss, with tenths when not whole."""
    whole, tenths = divmod(round(t_s * 10), 10)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}" + (f".{tenths}" if tenths else "")


def offset_text(t_s: float) -> str:
    """Stream seconds as an offset from the start, as --from and --to take it: +h:mm:ss[.t]."""
    return "+" + hms(t_s)


def wall_text(timebase: TimeBase, t_s: float) -> str:
    """Local wall-clock HH:MM:SS[.t] of stream second `t_s`, as --from and --to take it, marked as
    such (and with its date when not the recording's first day)."""
    return f"wall clock {wall_clock(timebase, t_s)}" + (
        f" on {timebase.day(t_s)}" if timebase.day(t_s) != timebase.day(0.0) else "")


def wall_clock(timebase: TimeBase, t_s: float) -> str:
    """Local HH:MM:SS, with tenths when not whole (bare: for a column headed as wall clock)."""
    when = timebase.local(t_s) + dt.timedelta(milliseconds=50)  # rounded to tenths, below
    tenths = when.microsecond // 100_000
    return f"{when:%H:%M:%S}" + (f".{tenths}" if tenths else "")


def both_text(timebase: TimeBase, t_s: float) -> str:
    """`+h:mm:ss, wall clock HH:MM:SS`: both readings of a stream time."""
    return f"{offset_text(t_s)}, {wall_text(timebase, t_s)}"
