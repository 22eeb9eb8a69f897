"""Sample times for streams whose frames carry the sensor's own timestamp or frame counter.

The stamps decide sample spacing and gaps: they are unwrapped (a silence longer than the wrap
period is recovered from the arrivals), and a frame whose stamp goes backwards, repeats or runs far
ahead of the arrivals means the sensor restarted: the clock re-anchors on the arrival, no exception.
Sensor time maps to stream time by an offset steered toward the arrivals exactly as the arrival
clock is (bounded slew, late frames ignored), so sensor and host clocks drifting apart stay aligned.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from monitor.decode.clock import ClockSettings, RateMeter, Steering, frame_times
from monitor.profiles.model import StampSpec

F64 = NDArray[np.float64]
SPACING_RANGE = (0.8, 1.25)  # stamp steps within this share of the nominal one measure the real spacing


class StampedClock:
    """One stream's clock from sensor stamps, carried across batches; never holds a frame."""

    def __init__(self, stamp: StampSpec, rate_hz: float, settings: ClockSettings | None = None) -> None:
        self.stamp = stamp
        self.period_s = 1.0 / rate_hz
        self.s = settings or ClockSettings()
        self.spacing_s = self.period_s  # measured from the stamps while they step regularly
        self.offset_s = 0.0  # stream time minus sensor time
        self.sensor_s = 0.0  # unwrapped sensor time of the last stamp (its first sample, for a counter)
        self.restarts = -1  # re-anchorings, the first frame's not counted
        self.meter = RateMeter()
        self.steering = Steering(self.s)
        self._raw: int | None = None
        self._arrival_s = 0.0
        self._n = 1
        self._last_sample_s: float | None = None
        self._firsts: list[float] = []
        self._counts: list[int] = []
        self._spacings: list[float] = []

    def push(self, arrival_s: F64, n: int | NDArray[np.int64], stamps: list[int] | None = None) -> F64:
        """Times of every sample of these frames (n samples each, `stamps` the raw header values)."""
        assert stamps is not None
        counts = np.broadcast_to(np.asarray(n, np.int64), np.shape(arrival_s))
        arrivals = np.asarray(arrival_s, np.float64).tolist()
        for a, k, raw in zip(arrivals, counts.tolist(), stamps, strict=True):
            self._frame(a, k, raw)
        out = frame_times(self._firsts, self._counts, self._spacings)
        self._firsts, self._counts, self._spacings = [], [], []
        return out

    def flush(self) -> F64:
        return np.zeros(0)

    def measured_rate_hz(self) -> float | None:
        return self.meter.rate_hz()

    def _frame(self, a: float, n: int, raw: int) -> None:
        step_s = self._step_s(a, n, raw)
        self._raw, self._arrival_s = raw, a
        if step_s is None:
            self._anchor(a, n)
        else:
            self._advance(a, n, step_s)
        self._n = n

    def _step_s(self, a: float, n: int, raw: int) -> float | None:
        """Sensor seconds since the previous stamp; None for the first frame or a restarted sensor."""
        if self._raw is None:
            return None
        st, ticks = self.stamp, (raw - self._raw) % self.stamp.modulus
        tick_s = self._n * self.period_s if st.is_counter else st.unit_s  # a counter ticks once per frame
        elapsed_s = a - self._arrival_s
        wraps = max(0, round((elapsed_s - ticks * tick_s) / (st.modulus * tick_s)))
        ticks += wraps * st.modulus
        step_s = (self._n + (ticks - 1) * n) * self.period_s if st.is_counter else ticks * st.unit_s
        expected_s = (n if st.stamps == "last" and not st.is_counter else self._n) * self.period_s
        if ticks == 0 or step_s < 0.5 * expected_s or step_s > elapsed_s + self.s.restart_s:
            return None
        return step_s

    def _anchor(self, a: float, n: int) -> None:
        """Start sensor time here: the frame's last sample at its arrival, after anything released."""
        self.restarts += 1
        self.spacing_s, self.sensor_s = self.period_s, 0.0
        first_sensor_s = self._first_sensor_s(n)
        self.offset_s = a - (first_sensor_s + (n - 1) * self.spacing_s)
        self._emit(a, n, first_sensor_s, joined=False)

    def _advance(self, a: float, n: int, step_s: float) -> None:
        ref_n = n if self.stamp.stamps == "last" and not self.stamp.is_counter else self._n
        nominal_s = ref_n * self.period_s
        regular = SPACING_RANGE[0] * nominal_s <= step_s <= SPACING_RANGE[1] * nominal_s
        if regular and not self.stamp.is_counter:
            self.spacing_s = step_s / ref_n
        self.sensor_s += step_s
        first_sensor_s = self._first_sensor_s(n)
        err_s = a - (first_sensor_s + self.offset_s + (n - 1) * self.spacing_s)
        self.offset_s += self.steering.correct_s(a, err_s, n, self.spacing_s)
        self._emit(a, n, first_sensor_s, joined=regular)

    def _first_sensor_s(self, n: int) -> float:
        last = self.stamp.stamps == "last" and not self.stamp.is_counter
        return self.sensor_s - (n - 1) * self.spacing_s if last else self.sensor_s

    def _emit(self, a: float, n: int, first_sensor_s: float, joined: bool) -> None:
        first = first_sensor_s + self.offset_s
        if self._last_sample_s is not None and first <= self._last_sample_s:
            self.offset_s += self._last_sample_s + self.period_s - first  # never before what was released
            first = first_sensor_s + self.offset_s
        self._firsts.append(first)
        self._counts.append(n)
        self._spacings.append(self.spacing_s)
        self._last_sample_s = first + (n - 1) * self.spacing_s
        self.meter.add(a, n, joined)
