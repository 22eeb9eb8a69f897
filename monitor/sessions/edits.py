"""Editing a recording's labels afterwards (`posture-monitor label`).

An edit is one LABEL_EDITS record appended with a single write(): its spans replace whatever labels lay
in them (code -1 clears), applied in file order over the LABELS records (reader.Recording.labels). The
recorded frames and samples are never touched, and a reader that predates LABEL_EDITS skips them and
sees the labels as first recorded. A file with a damaged tail (a torn last record) is the one case
that is rewritten: a record appended after the damage would never be read, so the intact part and the
edit go to a temporary file beside it, which then replaces it (os.replace: the old file or the new one,
never half of either).

Times on the command line (`parse_time`): `start`, `end`, seconds from the start (`754.5`), `+h:mm:ss`
or `+m:ss` from the start, or a wall-clock `HH:MM[:SS]`, local time on the day the recording started
(the next day's when that is before the start, as for a recording across midnight)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.errors import InputError
from monitor.labels import NAMES, LabelSegments
from monitor.sessions.format import RecordType, record_bytes
from monitor.sessions.reader import Recording
from monitor.sessions.writer import labels_payload
from monitor.timebase import TimeBase

TIME_FORMS = ("seconds from the start (754.5), +h:mm:ss or +m:ss from the start, a wall-clock HH:MM[:SS] "
              "on the recording's day, start or end")
OFFSET = re.compile(r"\+(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")
WALL = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?")


@dataclass(frozen=True)
class Span:
    """A labelled span in stream seconds, with its label name."""

    start_s: float
    end_s: float
    name: str


def duration_s(rec: Recording) -> float:
    """The recording's last stream second: its last sample, else its last frame (0 when empty)."""
    last = rec.last_sample_t_s
    last = rec.last_frame_t_s if last is None else last
    return last or 0.0


def parse_time(flag: str, text: str, timebase: TimeBase, end_s: float) -> float:
    """Stream seconds of a command-line time (the forms in the module docstring); InputError naming
    the flag and value otherwise."""
    t = text.strip().lower()
    if t in ("start", "end"):
        return 0.0 if t == "start" else end_s
    try:
        seconds = float(t)
    except ValueError:
        seconds = float("nan")
    if np.isfinite(seconds) and seconds >= 0:
        return seconds
    if (m := OFFSET.fullmatch(t)) is not None:
        h, mm, ss = int(m[1] or 0), int(m[2]), float(m[3])
        if mm < 60 and ss < 60:
            return h * 3600.0 + mm * 60.0 + ss
    if (m := WALL.fullmatch(t)) is not None and int(m[1]) < 24 and int(m[2]) < 60 and float(m[3] or 0) < 60:
        return wall_time_s(timebase, int(m[1]), int(m[2]), float(m[3] or 0))
    raise InputError(f"{flag} {text!r}: not a time; give {TIME_FORMS}")


def wall_time_s(timebase: TimeBase, hour: int, minute: int, second: float) -> float:
    """Stream seconds of a local wall-clock time on the recording's first day (its next day's, when
    that is before the start)."""
    start = timebase.local(0.0)
    when = dt.datetime.combine(start.date(), dt.time(hour, minute), tzinfo=timebase.tz)
    t_s = timebase.t_s_of(when) + second
    if t_s < 0:
        t_s = timebase.t_s_of(when + dt.timedelta(days=1)) + second
    return t_s


def checked_span(rec: Recording, from_text: str, to_text: str) -> tuple[float, float]:
    """--from and --to as stream seconds, clipped to the recording; InputError when the span is
    empty, reversed or outside the recording."""
    end_s, timebase = duration_s(rec), TimeBase.from_header(rec.header)
    start = parse_time("--from", from_text, timebase, end_s)
    stop = parse_time("--to", to_text, timebase, end_s)
    if start >= end_s:
        raise InputError(f"--from {from_text!r} ({hms(start)}) is not before the end of {rec.path} "
                         f"({hms(end_s)})")
    if start >= stop:
        raise InputError(f"--from {from_text!r} ({hms(start)}) is not before --to {to_text!r} ({hms(stop)})")
    return start, min(stop, end_s)


def append_label_edit(rec: Recording, start_s: float, end_s: float, code: int) -> str | None:
    """Store one edit (code -1 clears); returns a note when the damaged tail had to be left behind."""
    edit = LabelSegments(np.array([start_s]), np.array([end_s]), np.array([code], np.int16))
    record = record_bytes(RecordType.LABEL_EDITS, labels_payload(edit))
    if rec.damage is None:
        _append(rec.path, record)
        return None
    _rewrite(rec.path, rec.damage.offset, record)
    return (f"{rec.path}: left the unreadable tail behind (from byte {rec.damage.offset}: "
            f"{rec.damage.reason}); every readable record is kept")


def _append(path: Path, record: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, record)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        raise InputError(f"{path}: cannot add the label: {e.strerror}") from None


def _rewrite(path: Path, good_bytes: int, record: bytes) -> None:
    """The first `good_bytes` of the file and `record`, atomically in its place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as out:
            left = good_bytes
            while left > 0:
                chunk = src.read(min(left, 1 << 20))
                if not chunk:
                    break
                out.write(chunk)
                left -= len(chunk)
            out.write(record)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot rewrite it with the label: {e.strerror}") from None


def spans(rec: Recording) -> list[Span]:
    """The recording's labels as they read now (edits applied), in time order."""
    labels = rec.labels()
    return [Span(float(s), float(e), NAMES.get(int(c), str(int(c)))) for s, e, c in
            zip(labels.start_s, labels.end_s, labels.code, strict=True)]


def hms(t_s: float) -> str:
    """Stream seconds as h:mm:ss, with tenths when not whole."""
    whole, tenths = divmod(round(t_s * 10), 10)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}" + (f".{tenths}" if tenths else "")
