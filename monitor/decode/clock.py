"""Sample times from notification arrival times, for streams without a sensor timestamp.

Late is not lost. Sample times advance by one sample period per sample (count-based) and are
steered toward the arrivals with a bounded slew (see Steering), so they keep near the lower
envelope of the arrivals and a sensor rate off by a few % is followed without gaps.
A frame that arrives far behind its predicted time is held, with the frames after it: if the lag
falls back (late frames catching up after the host was busy) they are released on consecutive
sample times; if it stays high for `decide_s` of arrival time, samples were lost: one gap of the
smallest lag seen, before the first held frame. Every decision is made at a frame's arrival, so
any batching of the same frames gives the same times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from monitor.errors import InputError

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ClockSettings:
    """Times in stream seconds; `scaled` converts them for a virtual sensor run faster than real time."""

    hold_s: float = 0.15  # a frame this far behind its predicted time is held: late or lost, decided later
    decide_s: float = 1.0  # a held lag that stops falling for this much arrival time is lost samples
    drop_s: float = 0.05  # a held lag falling by more than this is late frames catching up: keep holding
    slew: float = 0.04  # most the clock rises per sample (falls: twice), in periods: rate error absorbed
    envelope_s: float = 0.5  # the clock rises by the lowest lag of this much arrival time (lower envelope)
    restart_s: float = 10.0  # sensor stamps ahead of the arrivals by more than this: the sensor restarted

    def scaled(self, speed: float) -> ClockSettings:
        """For a virtual sensor at `speed` x real time, whose jitter is in wall-clock seconds."""
        return replace(self, hold_s=self.hold_s * speed, decide_s=self.decide_s * speed,
                       drop_s=self.drop_s * speed, envelope_s=self.envelope_s * speed,
                       restart_s=self.restart_s * speed)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> ClockSettings:
        """Settings stored by `to_dict`; keys this version does not know are ignored (older headers)."""
        known = {f.name for f in fields(cls)}
        out: dict[str, float] = {}
        for k, v in d.items():
            if k not in known:
                continue
            if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                raise InputError(f"clock setting {k} = {v!r}: must be a number >= 0")
            out[k] = float(v)
        return cls(**out)


class Steering:
    """How far to move each frame toward its arrival, keeping the clock at the arrivals' lower
    envelope: down at once when a frame arrives early (up to 2 x slew per sample and under half a
    period, so times never go backwards); up only by the lowest lag of the last envelope_s of
    arrivals, spread over the next (up to slew per sample); late frames (lag above hold_s) steer nothing."""

    def __init__(self, s: ClockSettings) -> None:
        self.s = s
        self.rise_s = 0.0  # per sample, during this window
        self._floor_s = np.inf  # lowest lag in this window
        self._start_s: float | None = None
        self._samples = 0

    def correct_s(self, a: float, err_s: float, n: int, period_s: float) -> float:
        """The correction for a frame of n samples arriving at `a`, err_s after its last sample's time."""
        self._window(a, n, period_s)
        if err_s > self.s.hold_s:
            return 0.0
        if err_s < 0:
            corr = max(err_s, -min(2 * self.s.slew * n, 0.5) * period_s)
        else:
            corr = min(self.rise_s * n, err_s)
        self._floor_s = min(self._floor_s, err_s - corr)
        return corr

    def _window(self, a: float, n: int, period_s: float) -> None:
        if self._start_s is None:
            self._start_s = a
        if a - self._start_s >= self.s.envelope_s:
            floor = self._floor_s if np.isfinite(self._floor_s) else 0.0
            self.rise_s = min(max(floor, 0.0) / max(self._samples, 1), self.s.slew * period_s)
            self._floor_s, self._start_s, self._samples = np.inf, a, 0
        self._samples += n


def frame_times(firsts_s: list[float], counts: list[int], spacing_s: list[float]) -> F64:
    """Every sample's time from each frame's first sample time, sample count and spacing."""
    n = np.asarray(counts, np.int64)
    if not len(n):
        return np.zeros(0)
    starts = np.cumsum(n) - n
    within = np.arange(int(n.sum())) - np.repeat(starts, n)
    return np.repeat(np.asarray(firsts_s), n) + within * np.repeat(np.asarray(spacing_s), n)


class RateMeter:
    """Samples per second of arrival time over runs without a gap: the sensor's real rate (drift)."""

    def __init__(self) -> None:
        self.span_s = 0.0
        self.samples = 0
        self._last_arrival_s: float | None = None

    def add(self, arrival_s: float, n: int, joined: bool) -> None:
        if joined and self._last_arrival_s is not None:
            self.span_s += arrival_s - self._last_arrival_s
            self.samples += n
        self._last_arrival_s = arrival_s

    def rate_hz(self) -> float | None:
        return self.samples / self.span_s if self.span_s > 1.0 else None


class SampleClock:
    """One stream's count-based sample clock, carried across batches."""

    def __init__(self, rate_hz: float, settings: ClockSettings | None = None) -> None:
        self.period_s = 1.0 / rate_hz
        self.s = settings or ClockSettings()
        self.next_s: float | None = None  # time of the next sample to release
        self.gaps = 0
        self.meter = RateMeter()
        self.steering = Steering(self.s)
        self.held: list[tuple[float, int]] = []  # (arrival, samples) of frames awaiting a decision
        self._held_samples = 0
        self._min_lag_s = self._ref_lag_s = self._ref_arrival_s = 0.0
        self._firsts: list[float] = []
        self._counts: list[int] = []

    def push(self, arrival_s: F64, n: int | NDArray[np.int64], stamps: list[int] | None = None) -> F64:
        """Times of the samples released by these frames (n samples each; held ones come later)."""
        counts = np.broadcast_to(np.asarray(n, np.int64), np.shape(arrival_s))
        for a, k in zip(np.asarray(arrival_s, np.float64).tolist(), counts.tolist(), strict=True):
            self._frame(a, k)
        return self._take()

    def flush(self) -> F64:
        """End of stream: release the held frames, as lost samples (their lag never fell back)."""
        if self.held:
            self._lost()
        return self._take()

    def measured_rate_hz(self) -> float | None:
        return self.meter.rate_hz()

    def _frame(self, a: float, n: int) -> None:
        if self.next_s is None:
            self.next_s = a - (n - 1) * self.period_s  # the first frame: its last sample at its arrival
        lag = a - (self.next_s + (self._held_samples + n - 1) * self.period_s)
        if not self.held:
            if lag <= self.s.hold_s:
                self._emit(a, n, joined=True)
                return
            self._ref_arrival_s, self._ref_lag_s, self._min_lag_s = a, lag, lag
        self.held.append((a, n))
        self._held_samples += n
        self._min_lag_s = min(self._min_lag_s, lag)
        if lag <= self.s.hold_s:
            self._release(joined=True)  # the late frames caught up: nothing was lost
        elif lag < self._ref_lag_s - self.s.drop_s:
            self._ref_arrival_s, self._ref_lag_s = a, lag  # still catching up: keep holding
        elif a - self._ref_arrival_s >= self.s.decide_s:
            self._lost()

    def _lost(self) -> None:
        """Samples were lost before the first held frame: as many whole periods as the lag that remained."""
        assert self.next_s is not None
        missing = round(self._min_lag_s / self.period_s)
        self.next_s += missing * self.period_s
        self.gaps += missing > 0
        self._release(joined=missing <= 0)

    def _release(self, joined: bool) -> None:
        held, self.held, self._held_samples = self.held, [], 0
        for i, (a, n) in enumerate(held):
            self._emit(a, n, joined or i > 0)

    def _emit(self, a: float, n: int, joined: bool) -> None:
        assert self.next_s is not None
        first = self.next_s
        first += self.steering.correct_s(a, a - (first + (n - 1) * self.period_s), n, self.period_s)
        self._firsts.append(first)
        self._counts.append(n)
        self.next_s = first + n * self.period_s
        self.meter.add(a, n, joined)

    def _take(self) -> F64:
        out = frame_times(self._firsts, self._counts, [self.period_s] * len(self._counts))
        self._firsts, self._counts = [], []
        return out
