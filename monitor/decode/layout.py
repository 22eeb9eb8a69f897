"""The generic byte-table codec: a stream spec plus frames of one length -> arrays, and back.

Vectorised: frames of equal length are stacked into one uint8 matrix and every field is gathered
for all frames and samples at once, then viewed through its numpy dtype.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from monitor.profiles.model import FieldSpec, StreamSpec


def offsets(spec: StreamSpec, f: FieldSpec, n: int) -> NDArray[np.int64]:
    """Byte offset of field f in samples 0..n-1 of a frame holding n samples."""
    plane_bytes = spec.sample_bytes // spec.planes
    base = spec.header_bytes + f.plane * n * plane_bytes + f.offset
    return base + plane_bytes * np.arange(n, dtype=np.int64)


def decode_rows(spec: StreamSpec, rows: NDArray[np.uint8], n: int) -> dict[str, NDArray[np.float64]]:
    """Scaled values of every field, shape (frames, n samples), for equal-length frames."""
    out = {}
    for f in spec.fields:
        size = f.dtype.itemsize
        idx = offsets(spec, f, n)[:, None] + np.arange(size)
        raw = np.ascontiguousarray(rows[:, idx]).view(f.dtype)[..., 0]
        with np.errstate(invalid="ignore", over="ignore"):  # garbage floats become NaN/inf, checked later
            out[f.name] = raw.astype(np.float64) * f.scale
    return out


def encode_frames(spec: StreamSpec, values: dict[str, NDArray[np.float64]], n: int) -> list[bytes]:
    """Frames holding n samples each from per-sample values (the inverse of decode_rows)."""
    count = len(next(iter(values.values()))) // n
    length = spec.frame_bytes or spec.header_bytes + n * spec.sample_bytes
    rows = np.zeros((count, length), np.uint8)
    for at, want in spec.match:
        rows[:, at:at + len(want)] = np.frombuffer(want, np.uint8)
    for f in spec.fields:
        if f.name not in values:
            continue
        v = np.asarray(values[f.name][:count * n], np.float64).reshape(count, n) / f.scale
        if f.dtype.kind in "iu":
            info = np.iinfo(f.dtype)
            v = np.clip(np.round(v), info.min, info.max)
        raw = v.astype(f.dtype).view(np.uint8).reshape(count, n, f.dtype.itemsize)
        idx = offsets(spec, f, n)[:, None] + np.arange(f.dtype.itemsize)
        rows[:, idx] = raw
    return [r.tobytes() for r in rows]
