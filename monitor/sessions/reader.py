"""Recording reader: memory-maps the file, checks the header and each record, and keeps every intact
record: after a damaged one it resynchronises at the next intact record (monitor/sessions/recovery.py)
and notes the damaged span."""

from __future__ import annotations

import mmap
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from monitor.errors import RecordingError
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions.format import (
    FORMAT_VERSION,
    MAGIC,
    PREAMBLE,
    RECORD_HEAD,
    RecordType,
)
from monitor.sessions.header import parse_header
from monitor.sessions.records import StoredBlock, apply, times
from monitor.sessions.recovery import Damage, Found, estimate_lost, walk

__all__ = ["Damage", "FrameLog", "Recording", "StoredBlock", "open_recording"]


@dataclass
class FrameLog:
    """Raw notifications in arrival order: receive time, characteristic index, bytes.
    `characteristics[i]` is the uuid declared for index i, "" for an index no META record declared
    (a decoder drops such frames as of an unknown characteristic)."""

    t_s: np.ndarray
    char_index: np.ndarray
    lengths: np.ndarray
    data: np.ndarray  # all payloads concatenated (uint8)
    characteristics: list[str]

    def __len__(self) -> int:
        return len(self.t_s)

    def payloads(self) -> list[bytes]:
        ends = np.cumsum(self.lengths, dtype=np.int64)
        starts = ends - self.lengths
        raw = self.data.tobytes()
        return [raw[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]

    def undeclared(self) -> dict[int, int]:
        """Frames per characteristic index that no META record declared: {index: frames}."""
        counts = np.bincount(self.char_index, minlength=len(self.characteristics))
        return {i: int(c) for i, c in enumerate(counts.tolist()) if c and not self.characteristics[i]}


@dataclass
class Recording:
    """Everything a recording holds, loaded once; arrays are views into the memory map or copies."""

    path: Path
    header: dict[str, Any]
    stored: list[StoredBlock] = field(default_factory=list)
    truth: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # by index in `stored`
    label_parts: list[LabelSegments] = field(default_factory=list)
    label_edits: list[LabelSegments] = field(default_factory=list)  # LABEL_EDITS records, in file order
    frame_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=list)
    meta: list[dict[str, Any]] = field(default_factory=list)
    damaged: list[Damage] = field(default_factory=list)  # every damaged span, in file order
    records: list[tuple[int, int]] = field(default_factory=list)  # (offset, type) of each record read
    skipped: Counter[int] = field(default_factory=Counter)  # records of types this reader does not know

    @property
    def damage(self) -> Damage | None:
        """The damaged tail: a damaged span with no intact record after it (what an appended record
        cannot mend, monitor/sessions/edits.py), or None."""
        last = self.damaged[-1] if self.damaged else None
        return last if last is not None and last.end >= self.size else None

    size: int = 0  # the file's length in bytes when it was read

    @property
    def has_frames(self) -> bool:
        return bool(self.frame_parts)

    @property
    def last_frame_t_s(self) -> float | None:
        """Receive time of the last stored frame, without joining the frame log."""
        times = [part[0] for part in self.frame_parts if len(part[0])]
        return float(times[-1][-1]) if times else None

    @property
    def last_sample_t_s(self) -> float | None:
        """Time of the last stored sample, without converting any block."""
        for s in reversed(self.stored):
            if s.n:
                last = s.time_raw[-1]
                return float(last / s.rate_hz if s.time_raw.dtype == np.uint32 else last)
        return None

    @property
    def blocks(self) -> list[SampleBlock]:
        """Every stored block converted to float64 (a copy each)."""
        return [s.to_block() for s in self.stored]

    def samples(self) -> SampleBlock | None:
        """All sample blocks joined into one float64 block (None for a frames-only recording)."""
        if not self.stored:
            return None
        n = sum(s.n for s in self.stored)
        has_gyro = all(s.gyro is not None for s in self.stored)
        t, acc = np.empty(n), np.empty((n, 3))
        gyro = np.empty((n, 3)) if has_gyro else None
        i = 0
        for s in self.stored:
            s.fill(t[i:i + s.n], acc[i:i + s.n], None if gyro is None else gyro[i:i + s.n])
            i += s.n
        return SampleBlock(t, acc, gyro, self.stored[0].rate_hz)

    def truth_arrays(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Simulator ground truth per sample: (tilt_deg, slouch), or None unless every sample block
        has its own (a damaged TRUTH record leaves no block with another block's truth)."""
        if not self.truth or len(self.truth) != len(self.stored):
            return None
        parts = [self.truth[i] for i in range(len(self.stored))]
        return (np.concatenate([t[0] for t in parts]).astype(np.float64),
                np.concatenate([t[1] for t in parts]).astype(bool))

    def labels(self) -> LabelSegments:
        """The label track: every LABELS record, then each LABEL_EDITS record applied in file order."""
        return reduce(LabelSegments.overlaid, self.label_edits, self.recorded_labels())

    def recorded_labels(self) -> LabelSegments:
        """The LABELS records alone (what a reader without LABEL_EDITS sees)."""
        if not self.label_parts:
            return LabelSegments(np.zeros(0), np.zeros(0), np.zeros(0, np.int16))
        return LabelSegments(*(np.concatenate(a) for a in zip(
            *((p.start_s, p.end_s, p.code) for p in self.label_parts), strict=True)))

    def frames(self) -> FrameLog:
        """Every stored frame; characteristics by index ("" where none was declared)."""
        declared = {int(m["index"]): str(m["uuid"]) for m in self.meta if m.get("kind") == "characteristic"}
        if not self.frame_parts:
            z = np.zeros(0)
            chars = [declared.get(i, "") for i in range(max(declared, default=-1) + 1)]
            return FrameLog(z, z.astype(np.uint8), z.astype(np.uint16), z.astype(np.uint8), chars)
        cols = [np.concatenate(c) for c in zip(*self.frame_parts, strict=True)]
        top = max(max(declared, default=-1), int(cols[1].max(initial=0)))
        chars = [declared.get(i, "") for i in range(top + 1)]
        return FrameLog(cols[0], cols[1], cols[2], cols[3], chars)


def _check_preamble(path: Path, buf: memoryview) -> None:
    if len(buf) < PREAMBLE.size or bytes(buf[:8]) != MAGIC:
        raise RecordingError(path, "not a posture-monitor recording (bad magic bytes)")
    _, version, _ = PREAMBLE.unpack_from(buf, 0)
    if version > FORMAT_VERSION:
        raise RecordingError(path, f"format version {version} is newer than this app reads "
                             f"({FORMAT_VERSION}); upgrade posture-monitor")
    if version < 1:
        raise RecordingError(path, f"format version {version} does not exist (damaged preamble?)")


def _scan(rec: Recording, buf: memoryview, pos: int) -> None:
    """Read every intact record from `pos`, noting each damaged span between them with the stream
    times of the intact records around it."""
    last_t: float | None = None
    waiting: list[Damage] = []  # spans still without a time after them
    previous: int = RecordType.HEADER
    for item in walk(buf, pos):
        if isinstance(item, Found):
            try:
                apply(rec, item.rtype, item.payload, previous == RecordType.SAMPLES)
            except ValueError as e:
                item = Damage(item.offset, item.end - item.offset, f"malformed record: {e}")
            else:
                rec.records.append((item.offset, item.rtype))
                previous = item.rtype
                if (span := times(rec, item.rtype)) is not None:
                    for d in waiting:
                        d.after_t_s = span[0]
                    waiting, last_t = [], span[1]
                continue
        previous = RecordType.HEADER  # no TRUTH attaches across damage
        if rec.damaged and rec.damaged[-1].end == item.offset:
            rec.damaged[-1].length += item.length
            continue
        item.before_t_s = last_t
        rec.damaged.append(item)
        waiting.append(item)
    rate = float(rec.header.get("sample_rate_hz") or 0.0)
    estimate_lost(rec.damaged, 1.0 / rate if rate > 0 else 0.0)


def open_recording(path: str | Path) -> Recording:
    """Load a recording: every intact record, each damaged span noted (Recording.damaged). Raises
    RecordingError (one line naming the file) for a foreign, empty or newer file and for a missing,
    corrupt or invalid header record: without its header nothing in a file can be trusted."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            if size == 0:
                raise RecordingError(path, "empty file, not a recording")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as e:
        raise RecordingError(path, f"cannot open: {e.strerror}") from None
    buf = memoryview(mm)
    _check_preamble(path, buf)
    pos = PREAMBLE.size
    rtype, length, crc = RECORD_HEAD.unpack_from(buf, pos) if size >= pos + 12 else (0, 0, 0)
    head = buf[pos + RECORD_HEAD.size: pos + RECORD_HEAD.size + length]
    reserved = bytes(buf[pos + 1:pos + 4])
    if rtype != RecordType.HEADER or reserved != b"\0\0\0" or len(head) != length or zlib.crc32(head) != crc:
        raise RecordingError(path, "header record missing or corrupt", pos)
    rec = Recording(path, parse_header(path, bytes(head), pos), size=size)
    _scan(rec, buf, pos + RECORD_HEAD.size + length)
    return rec
