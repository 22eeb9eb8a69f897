"""Sample times from notification arrival times. BLE delivers notifications in bursts (several per
connection event, late after a retransmission), so arrival times jitter; sample times instead advance
by one sample period each, kept within [arrival - max_lag_s, arrival], and restart at the arrival
when so much time has passed that samples must have been lost (a real gap)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class ClockSettings:
    max_lag_s: float = 0.4  # arrivals may trail the sample clock this much (bursts, drift) unnoticed
    gap_s: float = 1.0  # arrivals further than this past the predicted time: samples were lost

    def scaled(self, speed: float) -> ClockSettings:
        """For a virtual sensor at `speed` x real time, whose jitter is in wall-clock seconds."""
        return ClockSettings(self.max_lag_s * speed, self.gap_s * speed)


class SampleClock:
    """One stream's sample clock, carried across batches (any batching gives the same times)."""

    def __init__(self, rate_hz: float, settings: ClockSettings | None = None) -> None:
        self.period_s = 1.0 / rate_hz
        self.s = settings or ClockSettings()
        self.last_s: float | None = None
        self.span_s = 0.0  # arrival time covered by runs without a gap, and samples in them
        self.span_samples = 0
        self._last_arrival_s = 0.0

    def last_sample_times(self, arrival_s: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        """Time of the last of the `n` samples in each frame, given each frame's arrival."""
        out = np.empty(len(arrival_s))
        t, step, lag, gap = self.last_s, n * self.period_s, self.s.max_lag_s, self.s.gap_s
        for i, a in enumerate(arrival_s.tolist()):
            pred = a if t is None else t + step
            if t is None or a - pred > gap:
                t = a  # first frame, or samples were lost: restart the clock here
            else:
                self.span_s += a - self._last_arrival_s
                self.span_samples += n
                t = min(max(pred, a - lag), a)
            out[i], self._last_arrival_s = t, a
        self.last_s = t
        return out

    def measured_rate_hz(self) -> float | None:
        """Samples per second of arrival time, gaps excluded: the sensor's real rate (drift)."""
        return self.span_samples / self.span_s if self.span_s > 1.0 else None
