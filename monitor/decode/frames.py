"""Raw notifications -> sample blocks, driven by a device profile.

Frames are routed by characteristic (and identifying bytes), reassembled where the profile says
frames may be split or packed, decoded in bulk, checked, timed and merged into 6-axis samples.
Malformed frames are counted per reason and dropped; nothing here raises on bad bytes.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from numpy.typing import NDArray

from monitor.decode.clock import ClockSettings, SampleClock
from monitor.decode.layout import decode_frames
from monitor.decode.merge import ImuMerger, Part
from monitor.decode.reassembly import Reassembler
from monitor.decode.stamps import StampedClock
from monitor.profiles.model import Profile, StreamSpec
from monitor.samples import Frames, SampleBlock

REASONS = ("length", "header", "range", "characteristic")
F64 = NDArray[np.float64]
Clock = SampleClock | StampedClock
Routed = tuple[float, bytes, int]  # arrival, frame, samples in it


def make_clock(spec: StreamSpec, rate_hz: float, settings: ClockSettings | None) -> Clock:
    """The sensor's own stamps when the frames carry them, else the arrival-based clock."""
    return StampedClock(spec.stamp, rate_hz, settings) if spec.stamp else SampleClock(rate_hz, settings)


class Pending:
    """Decoded values of samples whose times the clock has not released yet (frames it holds)."""

    def __init__(self) -> None:
        self.values: dict[str, F64] = {}

    def add(self, values: dict[str, F64]) -> None:
        self.values = {k: np.concatenate([self.values[k], v]) if k in self.values else v
                       for k, v in values.items()}

    def take(self, n: int) -> dict[str, F64]:
        out = {k: v[:n] for k, v in self.values.items()}
        self.values = {k: v[n:] for k, v in self.values.items()}
        return out


class FrameDecoder:
    """Stateful: carries partial frames, held frames and the last gyro reading across calls."""

    def __init__(self, profile: Profile, rate_hz: float | None = None,
                 clock: ClockSettings | None = None) -> None:
        self.profile = profile
        self.rate_hz = rate_hz or profile.rate.default_hz
        self.clocks = [make_clock(s, self.rate_hz, clock) for s in profile.streams]
        self.pending = [Pending() for _ in profile.streams]
        self.dropped: Counter[str] = Counter()
        self.frames_ok = 0
        self.reassembly = {s.characteristic: Reassembler(s) for s in profile.streams if s.reassemble}
        self.by_char: dict[str, list[tuple[int, StreamSpec]]] = defaultdict(list)
        for i, s in enumerate(profile.streams):
            self.by_char[s.characteristic.lower()].append((i, s))
        self.merger = ImuMerger(profile, self.rate_hz)

    def decode(self, frames: Frames) -> SampleBlock | None:
        """Samples released by these notifications (None when none were): a frame the clock holds
        (late or lost? see clock.py) comes out with a later call, or with flush()."""
        groups: dict[int, list[Routed]] = defaultdict(list)
        for t, ch, data in zip(frames.t_s.tolist(), frames.characteristic, frames.payloads, strict=True):
            specs = self.by_char.get(ch.lower())
            if not specs:
                self.dropped["characteristic"] += 1
                continue
            for piece in self._frames_of(specs[0][1], data):
                self._route(specs, t, piece, groups)
        parts = [self._decode_stream(si, items) for si, items in sorted(groups.items())]
        return self.merger.merge([p for p in parts if p is not None])

    def flush(self) -> SampleBlock | None:
        """End of stream: the samples of every frame a clock still holds."""
        parts = [self._released(si, clock.flush()) for si, clock in enumerate(self.clocks)]
        return self.merger.merge([p for p in parts if p is not None])

    def _frames_of(self, spec: StreamSpec, data: bytes) -> list[bytes]:
        r = self.reassembly.get(spec.characteristic)
        if r is None:
            return [bytes(data)]
        out = r.push(bytes(data))
        self.dropped["header"] += r.take_skipped()
        return out

    def _route(self, specs: list[tuple[int, StreamSpec]], t: float, data: bytes,
               groups: dict[int, list[Routed]]) -> None:
        """File a frame under the first spec whose identifying bytes and length fit."""
        fitting = [(i, s) for i, s in specs if s.carries(data)]
        if not fitting:
            self.dropped["header"] += 1
            return
        for i, s in fitting:
            n = s.samples_in(len(data))
            if n:
                groups[i].append((t, data, n))
                return
        self.dropped["length"] += 1

    def _decode_stream(self, si: int, items: list[Routed]) -> Part | None:
        """Decode one stream's frames (in arrival order), check them, time the released samples."""
        spec = self.profile.streams[si]
        counts = np.array([n for _, _, n in items], np.int64)
        values = decode_frames(spec, [d for _, d, _ in items], counts)
        ok = self._in_range(values, counts)
        self.dropped["range"] += int((~ok).sum())
        self.frames_ok += int(ok.sum())
        keep = np.repeat(ok, counts)
        self.pending[si].add({k: v[keep] for k, v in values.items()})
        good = [it for it, fine in zip(items, ok.tolist(), strict=True) if fine]
        stamps = [spec.stamp.read(d) for _, d, _ in good] if spec.stamp else None
        t_s = self.clocks[si].push(np.array([t for t, _, _ in good]), counts[ok], stamps)
        return self._released(si, t_s)

    def _released(self, si: int, t_s: F64) -> Part | None:
        if not len(t_s):
            return None
        return self.profile.streams[si], t_s, self.pending[si].take(len(t_s))

    def _in_range(self, values: dict[str, F64], counts: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Frames whose every sample is finite and within the sensor's physical range (+10 %)."""
        ok: NDArray[np.bool_] | None = None
        starts = np.cumsum(counts) - counts
        for name, v in values.items():
            limit = self.profile.acc_range_g if name.startswith("acc_") else \
                self.profile.gyro_range_dps if name.startswith("gyro_") else None
            if limit is None:
                continue
            good = np.logical_and.reduceat(np.isfinite(v) & (np.abs(v) <= 1.1 * limit), starts)
            ok = good if ok is None else ok & good
        assert ok is not None
        return ok

    def measured_rate_hz(self) -> float | None:
        """The first stream's real sample rate per arrival time (None until a second of data)."""
        return self.clocks[0].measured_rate_hz()

    def counts(self) -> dict[str, int]:
        return {"frames_ok": self.frames_ok, **{f"dropped_{r}": self.dropped[r] for r in REASONS}}
