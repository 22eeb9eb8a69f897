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
from monitor.decode.layout import decode_rows
from monitor.decode.merge import ImuMerger
from monitor.decode.reassembly import Reassembler
from monitor.profiles.model import Profile, StreamSpec
from monitor.samples import Frames, SampleBlock

REASONS = ("length", "header", "range", "characteristic")


class FrameDecoder:
    """Stateful: carries partial frames and the last gyro reading across calls."""

    def __init__(self, profile: Profile, rate_hz: float | None = None,
                 clock: ClockSettings | None = None) -> None:
        self.profile = profile
        self.rate_hz = rate_hz or profile.rate.default_hz
        self.clocks = [SampleClock(self.rate_hz, clock) for _ in profile.streams]
        self.dropped: Counter[str] = Counter()
        self.frames_ok = 0
        self.reassembly = {s.characteristic: Reassembler(s) for s in profile.streams if s.reassemble}
        self.by_char: dict[str, list[tuple[int, StreamSpec]]] = defaultdict(list)
        for i, s in enumerate(profile.streams):
            self.by_char[s.characteristic.lower()].append((i, s))
        self.merger = ImuMerger(profile, self.rate_hz)

    def decode(self, frames: Frames) -> SampleBlock | None:
        """Samples from these notifications (None when none survived)."""
        groups: dict[tuple[int, int], list[tuple[float, bytes]]] = defaultdict(list)
        for t, ch, data in zip(frames.t_s.tolist(), frames.characteristic, frames.payloads, strict=True):
            specs = self.by_char.get(ch.lower())
            if not specs:
                self.dropped["characteristic"] += 1
                continue
            pieces = self._frames_of(specs[0][1], data)
            for piece in pieces:
                self._route(specs, t, piece, groups)
        parts = [self._decode_group(si, n, items) for (si, n), items in groups.items()]
        return self.merger.merge([p for p in parts if p is not None])

    def _frames_of(self, spec: StreamSpec, data: bytes) -> list[bytes]:
        r = self.reassembly.get(spec.characteristic)
        if r is None:
            return [bytes(data)]
        out = r.push(bytes(data))
        self.dropped["header"] += r.take_skipped()
        return out

    def _route(self, specs: list[tuple[int, StreamSpec]], t: float, data: bytes,
               groups: dict[tuple[int, int], list[tuple[float, bytes]]]) -> None:
        """File a frame under the first spec whose identifying bytes and length fit."""
        fitting = [(i, s) for i, s in specs if s.carries(data)]
        if not fitting:
            self.dropped["header"] += 1
            return
        for i, s in fitting:
            n = s.samples_in(len(data))
            if n:
                groups[(i, n)].append((t, data))
                return
        self.dropped["length"] += 1

    def _decode_group(self, si: int, n: int,
                      items: list[tuple[float, bytes]]) -> tuple[StreamSpec, NDArray[np.float64],
                                                                 dict[str, NDArray[np.float64]]] | None:
        spec = self.profile.streams[si]
        rows = np.frombuffer(b"".join(d for _, d in items), np.uint8).reshape(len(items), -1)
        values = decode_rows(spec, rows, n)
        ok = self._in_range(values)
        self.dropped["range"] += int((~ok).sum())
        self.frames_ok += int(ok.sum())
        if not ok.any():
            return None
        last = self.clocks[si].last_sample_times(np.array([t for t, _ in items])[ok], n)
        t_s = (last[:, None] - (n - 1 - np.arange(n)) / self.rate_hz).ravel()
        return spec, t_s, {k: v[ok].ravel() for k, v in values.items()}

    def _in_range(self, values: dict[str, NDArray[np.float64]]) -> NDArray[np.bool_]:
        """Frames whose every sample is finite and within the sensor's physical range (+10 %)."""
        ok: NDArray[np.bool_] | None = None
        for name, v in values.items():
            limit = self.profile.acc_range_g if name.startswith("acc_") else \
                self.profile.gyro_range_dps if name.startswith("gyro_") else None
            if limit is None:
                continue
            good = np.all(np.isfinite(v) & (np.abs(v) <= 1.1 * limit), axis=1)
            ok = good if ok is None else ok & good
        assert ok is not None
        return ok

    def measured_rate_hz(self) -> float | None:
        """The first stream's real sample rate from arrival times (None until a second of data)."""
        return self.clocks[0].measured_rate_hz()

    def counts(self) -> dict[str, int]:
        return {"frames_ok": self.frames_ok, **{f"dropped_{r}": self.dropped[r] for r in REASONS}}
