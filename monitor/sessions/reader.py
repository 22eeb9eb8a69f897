"""Recording reader: memory-maps the file, checks each record's CRC and keeps the good part."""

from __future__ import annotations

import json
import mmap
import zlib
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from monitor.errors import RecordingError
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions.format import (
    COUNT_HEAD,
    FORMAT_VERSION,
    MAGIC,
    MAX_PAYLOAD,
    PREAMBLE,
    RECORD_HEAD,
    SAMPLES_HEAD,
    ArrayCursor,
    RecordType,
    SampleFlags,
)


@dataclass
class FrameLog:
    """Raw notifications in arrival order: receive time, characteristic uuid, bytes."""

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


@dataclass
class StoredBlock:
    """A sample block still in its on-disk form (views into the memory map)."""

    n: int
    rate_hz: float
    time_raw: np.ndarray  # uint32 indices (t = i / rate_hz) or float64 seconds
    acc: np.ndarray  # float32 (n, 3), g
    gyro: np.ndarray | None  # float32 (n, 3), deg/s

    def fill(self, t_s: np.ndarray, acc_g: np.ndarray, gyro_dps: np.ndarray | None) -> None:
        """Convert into caller-provided float64 arrays (no intermediate copies)."""
        if self.time_raw.dtype == np.uint32:
            np.divide(self.time_raw, self.rate_hz, out=t_s)
        else:
            t_s[:] = self.time_raw
        acc_g[:] = self.acc
        if gyro_dps is not None and self.gyro is not None:
            gyro_dps[:] = self.gyro

    def to_block(self) -> SampleBlock:
        t, acc = np.empty(self.n), np.empty((self.n, 3))
        gyro = np.empty((self.n, 3)) if self.gyro is not None else None
        self.fill(t, acc, gyro)
        return SampleBlock(t, acc, gyro, self.rate_hz)


@dataclass
class Damage:
    """Where the good part of a file ends and why."""

    offset: int
    reason: str


@dataclass
class Recording:
    """Everything a recording holds, loaded once; arrays are views into the memory map or copies."""

    path: Path
    header: dict[str, Any]
    stored: list[StoredBlock] = field(default_factory=list)
    truth: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    label_parts: list[LabelSegments] = field(default_factory=list)
    label_edits: list[LabelSegments] = field(default_factory=list)  # LABEL_EDITS records, in file order
    frame_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=list)
    meta: list[dict[str, Any]] = field(default_factory=list)
    damage: Damage | None = None

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
        """Simulator ground truth per sample: (tilt_deg, slouch) or None."""
        if not self.truth:
            return None
        return (np.concatenate([t[0] for t in self.truth]).astype(np.float64),
                np.concatenate([t[1] for t in self.truth]).astype(bool))

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
        chars = [m["uuid"] for m in sorted(
            (m for m in self.meta if m.get("kind") == "characteristic"), key=lambda m: m["index"])]
        if not self.frame_parts:
            z = np.zeros(0)
            return FrameLog(z, z.astype(np.uint8), z.astype(np.uint16), z.astype(np.uint8), chars)
        cols = [np.concatenate(c) for c in zip(*self.frame_parts, strict=True)]
        return FrameLog(cols[0], cols[1], cols[2], cols[3], chars)


def _check_preamble(path: Path, buf: memoryview) -> None:
    if len(buf) < PREAMBLE.size or bytes(buf[:8]) != MAGIC:
        raise RecordingError(path, "not a posture-monitor recording (bad magic bytes)")
    _, version, _ = PREAMBLE.unpack_from(buf, 0)
    if version > FORMAT_VERSION:
        raise RecordingError(path, f"format version {version} is newer than this app reads "
                             f"({FORMAT_VERSION}); upgrade posture-monitor")


def _decode_samples(payload: memoryview) -> StoredBlock:
    n, flags, rate_hz = SAMPLES_HEAD.unpack_from(payload, 0)
    cur = ArrayCursor(payload, SAMPLES_HEAD.size)
    t = cur.take(np.uint32 if flags & SampleFlags.TIME_INDEXED else np.float64, n)
    acc = cur.take(np.float32, 3 * n).reshape(n, 3)
    gyro = cur.take(np.float32, 3 * n).reshape(n, 3) if flags & SampleFlags.GYRO else None
    return StoredBlock(n, rate_hz, t, acc, gyro)


def _apply(rec: Recording, rtype: int, payload: memoryview) -> None:
    """Add one verified record's content to the recording."""
    if rtype == RecordType.SAMPLES:
        rec.stored.append(_decode_samples(payload))
        return
    if rtype == RecordType.META:
        rec.meta.append(json.loads(bytes(payload)))
        return
    (n,) = COUNT_HEAD.unpack_from(payload, 0)
    cur = ArrayCursor(payload, COUNT_HEAD.size)
    if rtype == RecordType.FRAMES:
        t, ch, ln = cur.take(np.float64, n), cur.take(np.uint8, n), cur.take(np.uint16, n)
        rec.frame_parts.append((t, ch, ln, cur.take(np.uint8, int(ln.sum(dtype=np.int64)))))
    elif rtype == RecordType.TRUTH:
        rec.truth.append((cur.take(np.float32, n), cur.take(np.uint8, n)))
    elif rtype in (RecordType.LABELS, RecordType.LABEL_EDITS):
        parts = rec.label_parts if rtype == RecordType.LABELS else rec.label_edits
        parts.append(LabelSegments(cur.take(np.float64, n), cur.take(np.float64, n), cur.take(np.int16, n)))
    # unknown record types from a future minor revision are skipped


def _scan(rec: Recording, buf: memoryview, pos: int) -> None:
    """Walk records from `pos`; stop at the first torn or corrupt one and note where."""
    end = len(buf)
    while pos < end:
        if pos + RECORD_HEAD.size > end:
            rec.damage = Damage(pos, "truncated record header")
            return
        rtype, length, crc = RECORD_HEAD.unpack_from(buf, pos)
        body = pos + RECORD_HEAD.size
        if length > MAX_PAYLOAD or body + length > end:
            rec.damage = Damage(pos, f"truncated record (needs {length} bytes)")
            return
        payload = buf[body:body + length]
        if zlib.crc32(payload) != crc:
            rec.damage = Damage(pos, "checksum mismatch (corrupted record)")
            return
        try:
            _apply(rec, rtype, payload)
        except (ValueError, json.JSONDecodeError) as e:
            rec.damage = Damage(pos, f"malformed record: {e}")
            return
        pos = body + length


def open_recording(path: str | Path) -> Recording:
    """Load a recording; raises RecordingError for foreign or newer files, notes a damaged tail."""
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
    if rtype != RecordType.HEADER or len(head) != length or zlib.crc32(head) != crc:
        raise RecordingError(path, "header record missing or corrupt", pos)
    rec = Recording(path, json.loads(bytes(head)))
    _scan(rec, buf, pos + RECORD_HEAD.size + length)
    return rec
