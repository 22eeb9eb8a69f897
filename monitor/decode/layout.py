"""The generic byte-table codec: a stream spec plus frames of one length -> arrays, and back.

Vectorised: frames of equal length are stacked into one uint8 matrix and every field is gathered
for all frames and samples at once, then viewed through its numpy dtype.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from monitor.profiles.model import FieldSpec, StreamSpec

F64 = NDArray[np.float64]


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


def decode_frames(spec: StreamSpec, payloads: list[bytes], counts: NDArray[np.int64]) -> dict[str, F64]:
    """Scaled values of every field, all samples of these frames (counts[i] samples in frame i) in
    frame order: frames of each length are decoded together, then put back in place."""
    starts = np.cumsum(counts) - counts
    out = {f.name: np.empty(int(counts.sum())) for f in spec.fields}
    for n in np.unique(counts).tolist():
        idx = np.flatnonzero(counts == n)
        rows = np.frombuffer(b"".join(payloads[i] for i in idx.tolist()), np.uint8).reshape(len(idx), -1)
        dest = (starts[idx][:, None] + np.arange(n)).ravel()
        for name, v in decode_rows(spec, rows, n).items():
            out[name][dest] = v.ravel()
    return out


def stamp_values(spec: StreamSpec, t_s: F64, n: int, rate_hz: float) -> list[int]:
    """The timestamp or frame counter each frame of n samples at times t_s carries (raw, unwrapped):
    the stamped sample's time in ticks, or the frame's index counted from t = 0."""
    st = spec.stamp
    assert st is not None
    t = np.asarray(t_s, np.float64)[:len(t_s) // n * n].reshape(-1, n)
    if st.is_counter:
        return np.round(t[:, 0] * rate_hz / n).astype(np.int64).tolist()
    stamped = t[:, -1] if st.stamps == "last" else t[:, 0]
    return [round(x / st.unit_s) for x in stamped.tolist()]


def encode_frames(spec: StreamSpec, values: dict[str, F64], n: int,
                  stamps: list[int] | None = None) -> list[bytes]:
    """Frames holding n samples each from per-sample values (the inverse of decode_rows), carrying
    `stamps` (see stamp_values) in the stream's timestamp or counter field when given."""
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
    if stamps is not None and spec.stamp is not None:
        st = spec.stamp
        rows[:, st.offset:st.offset + st.size] = np.frombuffer(
            b"".join(st.write(v) for v in stamps[:count]), np.uint8).reshape(count, st.size)
    return [r.tobytes() for r in rows]
