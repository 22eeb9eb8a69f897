"""Sample times from jittery BLE arrivals: steady through bursts, restarted after real gaps,
following a drifting sensor without false gaps, the same under any batching."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.decode.clock import ClockSettings, SampleClock

RATE = 50.0


def bursty_arrivals(n: int, rate_hz: float = RATE, interval_s: float = 0.0375, seed: int = 0) -> np.ndarray:
    """Frames sampled at `rate_hz`, delivered at the next connection event (every 37.5 ms) plus
    up to 5 ms of host scheduling noise: how notifications really arrive."""
    t = np.arange(n) / rate_hz
    events = np.ceil(t / interval_s) * interval_s
    return events + np.random.default_rng(seed).uniform(0, 0.005, n)


def test_bursts_become_evenly_spaced_samples() -> None:
    arrival = bursty_arrivals(3000)
    t = SampleClock(RATE).last_sample_times(arrival, 1)
    assert np.ptp(np.diff(arrival)) > 0.03  # the input really is bursty
    steps = np.diff(t)
    assert np.mean(np.isclose(steps, 1 / RATE)) > 0.98  # steps are one sample period...
    assert np.all(np.abs(steps - 1 / RATE) < 0.005)  # ...or nudged by host noise, never by bursts
    assert np.all(t <= arrival) and np.all(arrival - t < 0.05)  # never ahead, never far behind


def test_a_real_gap_restarts_the_clock_at_the_arrival() -> None:
    arrival = np.concatenate([np.arange(100) / RATE, 10.0 + np.arange(100) / RATE])
    t = SampleClock(RATE).last_sample_times(arrival, 1)
    assert t[100] == 10.0
    assert np.isclose(np.diff(t).max(), 10.0 - 99 / RATE)


def test_a_fast_sensor_is_followed_without_false_gaps_and_its_rate_is_measured() -> None:
    """A sensor running 2 % fast: its sample clock trails arrivals until max_lag, then follows."""
    arrival = np.arange(6000) / (RATE * 1.02)
    clock = SampleClock(RATE)
    t = clock.last_sample_times(arrival, 1)
    assert np.diff(t).max() < 1.5 / RATE and np.all(arrival - t <= ClockSettings().max_lag_s + 1e-9)
    rate = clock.measured_rate_hz()
    assert rate is not None and abs(rate - RATE * 1.02) < 0.01


def test_frames_of_several_samples_step_by_their_length() -> None:
    arrival = np.arange(50) * (5 / RATE) + 0.003
    t = SampleClock(RATE).last_sample_times(arrival, 5)
    assert np.allclose(np.diff(t), 5 / RATE)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=12), st.integers(0, 9))
def test_any_batching_gives_the_same_times(cuts: list[int], seed: int) -> None:
    arrival = bursty_arrivals(2000, seed=seed)
    arrival[700:] += 3.0  # and one real gap
    whole = SampleClock(RATE).last_sample_times(arrival, 1)
    clock, parts, i = SampleClock(RATE), [], 0
    for c in [*cuts, len(arrival)]:
        parts.append(clock.last_sample_times(arrival[i:i + c], 1))
        i += c
        if i >= len(arrival):
            break
    assert np.array_equal(np.concatenate(parts)[:len(whole)], whole)
