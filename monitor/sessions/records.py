"""What each record type adds to a Recording: sample blocks (kept in their on-disk form), frames,
labels, label edits, simulator truth and META notes. Every function here gets a record whose framing
and CRC are verified (monitor/sessions/recovery.py) and raises ValueError when its content still makes
no sense; the reader turns that into a damaged span and reads on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from monitor.labels import LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions.format import COUNT_HEAD, SAMPLES_HEAD, ArrayCursor, RecordType, SampleFlags

if TYPE_CHECKING:
    from monitor.sessions.reader import Recording


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



def _decode_samples(payload: memoryview) -> StoredBlock:
    n, flags, rate_hz = SAMPLES_HEAD.unpack_from(payload, 0)
    if not np.isfinite(rate_hz) or rate_hz <= 0:
        raise ValueError(f"sample rate {rate_hz!r} Hz")
    cur = ArrayCursor(payload, SAMPLES_HEAD.size)
    t = cur.take(np.uint32 if flags & SampleFlags.TIME_INDEXED else np.float64, n)
    acc = cur.take(np.float32, 3 * n).reshape(n, 3)
    gyro = cur.take(np.float32, 3 * n).reshape(n, 3) if flags & SampleFlags.GYRO else None
    return StoredBlock(n, rate_hz, t, acc, gyro)


def _meta(payload: memoryview) -> dict[str, Any]:
    """A META record's JSON object; a characteristic declaration must hold an index 0-255 and a uuid."""
    try:
        meta = json.loads(bytes(payload))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"META record is not JSON: {e}") from None
    if not isinstance(meta, dict):
        raise ValueError("META record is not a JSON object")
    if meta.get("kind") == "characteristic":
        index = meta.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= 255 or \
                not isinstance(meta.get("uuid"), str):
            raise ValueError(f"characteristic declaration {meta!r}: needs an index 0-255 and a uuid")
    return meta


def apply(rec: Recording, rtype: int, payload: memoryview, after_samples: bool) -> None:
    """Add one intact record's content to the recording (ValueError: its content makes no sense).
    A TRUTH record belongs to the SAMPLES record just before it: `after_samples` says it is there."""
    if rtype == RecordType.SAMPLES:
        rec.stored.append(_decode_samples(payload))
        return
    if rtype == RecordType.META:
        rec.meta.append(_meta(payload))
        return
    if rtype not in (RecordType.FRAMES, RecordType.TRUTH, RecordType.LABELS, RecordType.LABEL_EDITS):
        rec.skipped[rtype] += 1  # a type from a future minor revision (or the header again)
        return
    (n,) = COUNT_HEAD.unpack_from(payload, 0)
    cur = ArrayCursor(payload, COUNT_HEAD.size)
    if rtype == RecordType.FRAMES:
        t, ch, ln = cur.take(np.float64, n), cur.take(np.uint8, n), cur.take(np.uint16, n)
        rec.frame_parts.append((t, ch, ln, cur.take(np.uint8, int(ln.sum(dtype=np.int64)))))
    elif rtype == RecordType.TRUTH:
        if after_samples and rec.stored[-1].n == n:
            rec.truth[len(rec.stored) - 1] = (cur.take(np.float32, n), cur.take(np.uint8, n))
    else:
        parts = rec.label_parts if rtype == RecordType.LABELS else rec.label_edits
        parts.append(LabelSegments(cur.take(np.float64, n), cur.take(np.float64, n), cur.take(np.int16, n)))


def times(rec: Recording, rtype: int) -> tuple[float, float] | None:
    """First and last stream time of the record just applied (samples or frames), else None."""
    if rtype == RecordType.SAMPLES and rec.stored[-1].n:
        s = rec.stored[-1]
        t = s.time_raw[[0, -1]]
        return (float(t[0] / s.rate_hz), float(t[1] / s.rate_hz)) if t.dtype == np.uint32 else \
            (float(t[0]), float(t[1]))
    if rtype == RecordType.FRAMES and len(rec.frame_parts[-1][0]):
        t = rec.frame_parts[-1][0]
        return float(t[0]), float(t[-1])
    return None
