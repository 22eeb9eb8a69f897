"""Editing a recording's labels afterwards (`posture-monitor label`).

An edit is one LABEL_EDITS record appended with a single write(): its spans replace whatever labels lay
in them (code -1 clears), applied in file order over the LABELS records (reader.Recording.labels). The
recorded frames and samples are never touched, and a reader that predates LABEL_EDITS skips them and
sees the labels as first recorded. A file with a damaged tail (a torn last record) is the one case
that is rewritten: a record appended after the damage would never be read, so the intact part and the
edit go to a temporary file beside it, which then replaces it (os.replace: the old file or the new one,
never half of either).

Times on the command line and in `label --list`: monitor/sessions/label_times.py."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.errors import InputError, RecordingError
from monitor.labels import NAMES, LabelSegments
from monitor.sessions.format import RecordType, record_bytes
from monitor.sessions.label_times import both_text, length_text, offset_text, parse_time, wall_clock
from monitor.sessions.reader import Recording, open_recording
from monitor.sessions.writer import labels_payload
from monitor.timebase import TimeBase


@dataclass(frozen=True)
class Span:
    """A labelled span in stream seconds, with its label name."""

    start_s: float
    end_s: float
    name: str


@dataclass(frozen=True)
class EditSpan:
    """--from and --to as stream seconds, with notes for the user (a time read as an offset, an end
    clipped to the recording's)."""

    start_s: float
    end_s: float
    notes: tuple[str, ...] = ()


def open_to_label(path: Path) -> Recording:
    """The recording at `path`; a CSV (HAPT or generic) is an InputError saying how to import it."""
    try:
        return open_recording(path)
    except RecordingError as e:
        raise InputError(f"{e}{csv_hint(path)}") from None


def csv_hint(path: Path) -> str:
    """For a .csv/.csv.gz name: how to make a recording of it ("" otherwise)."""
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return ""
    return f"; it is a CSV: import it first (posture-monitor import {path} --format hapt|csv --out DIR)"


def duration_s(rec: Recording) -> float:
    """The recording's last stream second: its last sample, else its last frame (0 when empty)."""
    last = rec.last_sample_t_s
    last = rec.last_frame_t_s if last is None else last
    return last or 0.0


def checked_span(rec: Recording, from_text: str, to_text: str) -> EditSpan:
    """--from and --to as stream seconds, clipped to the recording (with a note); InputError when
    the span is empty, reversed or starts after the recording."""
    end_s, timebase = duration_s(rec), TimeBase.from_header(rec.header)
    start, from_note = parse_time("--from", from_text, timebase, end_s)
    stop, to_note = parse_time("--to", to_text, timebase, end_s)
    if start >= end_s:
        raise InputError(f"--from {from_text!r} ({both_text(timebase, start)}) is not before the end of "
                         f"{rec.path} ({both_text(timebase, end_s)})")
    if start >= stop:
        raise InputError(f"--from {from_text!r} ({both_text(timebase, start)}) is not before --to "
                         f"{to_text!r} ({both_text(timebase, stop)})")
    notes = [n for n in (from_note, to_note) if n is not None]
    if stop > end_s:
        notes.append(f"--to {to_text!r} ({both_text(timebase, stop)}) is past the end of {rec.path}: "
                     f"clipped to its end, {both_text(timebase, end_s)}")
    return EditSpan(start, min(stop, end_s), tuple(notes))


def append_label_edit(rec: Recording, start_s: float, end_s: float, code: int) -> str | None:
    """Store one edit (code -1 clears); returns a note when the damaged tail had to be left behind."""
    edit = LabelSegments(np.array([start_s]), np.array([end_s]), np.array([code], np.int16))
    return append_record(rec, edit)


def append_record(rec: Recording, spans: LabelSegments) -> str | None:
    """Store one LABEL_EDITS record of `spans` (applied in order); a note when the damaged tail had to
    be left behind."""
    record = record_bytes(RecordType.LABEL_EDITS, labels_payload(spans))
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


def list_rows(rec: Recording) -> list[dict[str, object]]:
    """The labels as `label --list --json` gives them: stream seconds, offsets as --from/--to take
    them, local wall-clock times as ISO 8601 with the UTC offset."""
    timebase = TimeBase.from_header(rec.header)
    return [{"start_s": r.start_s, "end_s": r.end_s, "label": r.name,
             "start": offset_text(r.start_s), "end": offset_text(r.end_s),
             "start_wall": timebase.local(r.start_s).isoformat(timespec="milliseconds"),
             "end_wall": timebase.local(r.end_s).isoformat(timespec="milliseconds")} for r in spans(rec)]


def list_lines(rec: Recording) -> list[str]:
    """The labels as `label --list` prints them: each time in a form --from and --to take back."""
    rows, timebase = spans(rec), TimeBase.from_header(rec.header)
    if not rows:
        return [f"{rec.path}: no labels"]
    head = f"{'from':<12} {'to':<12} {'wall clock from-to':<21} {'length':>9}  label"
    lines = [f"{head}   (wall clock: local time, {timebase.local(0.0):%Y-%m-%d %Z})"]
    for r in rows:
        clock = f"{wall_clock(timebase, r.start_s)}-{wall_clock(timebase, r.end_s)}"
        lines.append(f"{offset_text(r.start_s):<12} {offset_text(r.end_s):<12} {clock:<21} "
                     f"{length_text(r.end_s - r.start_s):>9}  {r.name}")
    return lines


def span_text(rec: Recording, start_s: float, end_s: float) -> str:
    """`+0:05:00-+0:06:00 (wall clock 09:05:00-09:06:00)`."""
    timebase = TimeBase.from_header(rec.header)
    return (f"{offset_text(start_s)}-{offset_text(end_s)} "
            f"(wall clock {wall_clock(timebase, start_s)}-{wall_clock(timebase, end_s)})")


