"""The arrival-based sample clock: late is not lost. Bursts become evenly spaced samples; a stall
with no frame lost gives no gap and the same times as without it; a real loss gives exactly one gap
of its length; times never go backwards; any batching gives the same times; flush releases the rest.
All on synthetic arrival times: nothing here depends on the machine's speed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.decode.clock import ClockSettings, SampleClock
from monitor.decode.frames import FrameDecoder
from monitor.decode.layout import encode_frames
from monitor.decode.stream import Decoder, GapCounter
from monitor.errors import InputError
from monitor.profiles import Registry
from monitor.samples import Frames

RATE = 50.0
PERIOD_S = 1 / RATE


def bursty_arrivals(n: int, rate_hz: float = RATE, interval_s: float = 0.0375, seed: int = 0) -> np.ndarray:
    """Frames sampled at `rate_hz`, delivered at the next connection event (every 37.5 ms) plus
    up to 5 ms of host scheduling noise: how notifications really arrive."""
    t = np.arange(n) / rate_hz
    events = np.ceil(t / interval_s) * interval_s
    return events + np.random.default_rng(seed).uniform(0, 0.005, n)


def jittered(n_frames: int, per: int = 1, seed: int = 0, jitter: float = 0.3, drift: float = 0.0) -> np.ndarray:
    """Arrivals of frames of `per` samples: the last sample's time, 10 ms of latency, +-jitter of a
    frame interval; the sensor runs `drift` (a fraction) fast."""
    frame_s = per * PERIOD_S / (1 + drift)
    last = (np.arange(n_frames) + 1) * frame_s
    return last + 0.01 + np.random.default_rng(seed).uniform(-jitter, jitter, n_frames) * frame_s


def stalled(arrival: np.ndarray, at: int, stall_s: float, speedup: float | None) -> np.ndarray:
    """The same frames when the host stops reading for `stall_s` at frame `at`: nothing is lost, the
    queued frames then come all within a few ms (speedup None) or at `speedup` x their rate."""
    out = arrival.copy()
    end = arrival[at] + stall_s
    step = 1e-5 if speedup is None else (arrival[-1] - arrival[0]) / (len(arrival) - 1) / speedup
    for k in range(at, len(out)):
        out[k] = max(arrival[k], end if k == at else out[k - 1] + step)
    return out


def run(arrival: np.ndarray, per: int = 1, cuts: list[int] | None = None,
        clock: SampleClock | None = None) -> np.ndarray:
    """All sample times, the frames fed in batches cut at `cuts`, then a flush."""
    clock = clock or SampleClock(RATE)
    edges = [0, *sorted(c for c in (cuts or []) if 0 < c < len(arrival)), len(arrival)]
    parts = [clock.push(arrival[a:b], per) for a, b in itertools.pairwise(edges)]
    return np.concatenate([*parts, clock.flush()])


def gaps(t_s: np.ndarray) -> GapCounter:
    g = GapCounter(RATE)
    g.update(t_s)
    return g


def test_bursts_become_evenly_spaced_samples() -> None:
    arrival = bursty_arrivals(3000)
    t = run(arrival)
    assert np.ptp(np.diff(arrival)) > 0.03  # the input really is bursty
    steps = np.diff(t)
    off = np.abs(steps / PERIOD_S - 1)
    assert np.mean(off < 0.01) > 0.9  # steps are one sample period...
    assert np.all(off <= 0.08 + 1e-9)  # ...or nudged by the bounded slew, never by bursts
    lead = arrival - t
    assert np.quantile(lead, 0.05) > -0.005 and np.all(lead < 0.05)  # at the arrivals' lower envelope


@pytest.mark.parametrize("stall_s", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("speedup", [None, 10.0])
def test_a_stall_that_loses_nothing_is_no_gap(stall_s: float, speedup: float | None) -> None:
    """The host was busy: frames queued and then came in a burst. Same times as without the stall."""
    arrival = jittered(1500)
    late = stalled(arrival, 400, stall_s, speedup)
    assert np.max(late - arrival) > stall_s - 0.05  # the stall is really there
    t, t_ref = run(late), run(arrival)
    assert gaps(t).count == 0 and len(t) == len(t_ref)
    assert np.max(np.abs(t - t_ref)) <= PERIOD_S


@pytest.mark.parametrize("lost_s", [0.5, 1.0, 3.0, 30.0])
def test_a_real_loss_is_one_gap_of_its_length(lost_s: float) -> None:
    arrival = jittered(2000 + round(lost_s * RATE), seed=2)
    lost = round(lost_s * RATE)
    kept = np.concatenate([arrival[:700], arrival[700 + lost:]])
    g = gaps(run(kept))
    assert g.count == 1 and abs(g.missing_s - lost_s) <= 0.1


def test_a_loss_then_a_burst_of_queued_frames_is_one_gap_of_the_loss() -> None:
    """The link lost 1 s of frames, then the host was busy 2 s and read the queue at 10 x."""
    arrival = jittered(2000, seed=3)
    kept = np.concatenate([arrival[:700], stalled(arrival[750:], 0, 2.0, 10.0)])
    g = gaps(run(kept))
    assert g.count == 1 and abs(g.missing_s - 1.0) <= 0.1


def test_a_sensor_off_rate_is_followed_without_gaps_and_its_rate_is_measured() -> None:
    for drift in (0.03, -0.03):
        arrival = jittered(6000, drift=drift, seed=4)
        clock = SampleClock(RATE)
        t = run(arrival, clock=clock)
        assert gaps(t).count == 0 and np.all(np.abs(arrival - t) < 0.1)
        rate = clock.measured_rate_hz()
        assert rate is not None and abs(rate - RATE * (1 + drift)) < 0.05


def test_frames_of_several_samples_step_by_one_period() -> None:
    t = run(np.arange(50) * (5 / RATE) + 0.003, per=5)
    assert len(t) == 250 and np.allclose(np.diff(t), PERIOD_S)


def test_flush_releases_the_frames_held_at_the_end() -> None:
    """The stream ends while late frames are held: push gives the samples before them, flush the rest
    (after a gap, as the lag never fell back)."""
    arrival = np.concatenate([jittered(200), jittered(20)[:10] + 10.0])
    clock = SampleClock(RATE)
    first = clock.push(arrival, 1)
    rest = clock.flush()
    assert len(first) == 200 and len(rest) == 10 and len(clock.flush()) == 0
    assert gaps(np.concatenate([first, rest])).count == 1


def test_decoder_flush_returns_the_held_samples() -> None:
    p = Registry.load().get("nordic-thingy52")
    spec, n = p.streams[0], 60
    values = {f.name: np.zeros(n) for f in spec.fields} | {"acc_z": np.ones(n)}
    arrival = np.concatenate([np.arange(50) * 0.1, 30.0 + np.arange(10) * 0.1])  # 10 Hz, then 25 s silent
    dec = Decoder(p, 10.0)
    block = dec.decode(Frames(arrival, [spec.characteristic] * n, encode_frames(spec, values, 1)))
    tail = dec.flush()
    assert block is not None and tail is not None and len(block) + len(tail) == n
    assert tail.t_s[0] - block.t_s[-1] == pytest.approx(25.1, abs=0.1)
    assert Decoder().flush() is None and dec.flush() is None


@settings(max_examples=60, deadline=None)
@given(per=st.sampled_from([1, 2, 4, 8]), seed=st.integers(0, 2**16), drift=st.floats(-0.03, 0.03),
       stall_s=st.floats(0.0, 5.0), lost=st.integers(0, 100), burst=st.sampled_from([None, 3.0, 10.0]))
def test_times_never_go_backwards(per: int, seed: int, drift: float, stall_s: float, lost: int,
                                  burst: float | None) -> None:
    """Within and across frames, under +-30 % jitter, drift, stalls and losses."""
    arrival = jittered(600, per, seed, drift=drift)
    arrival = stalled(np.concatenate([arrival[:200], arrival[200 + lost:]]), 300, stall_s, burst)
    t = run(arrival, per)
    assert len(t) == len(arrival) * per and np.all(np.diff(t) > 0)


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(1, 1500), max_size=12), seed=st.integers(0, 9), per=st.sampled_from([1, 3]))
def test_any_batching_gives_the_same_times(cuts: list[int], seed: int, per: int) -> None:
    """Held frames come out on a later call: the concatenated times are identical, bit for bit."""
    arrival = jittered(1500, per, seed)
    arrival = stalled(np.concatenate([arrival[:500], arrival[600:]]), 900, 3.0, 10.0)  # a loss and a stall
    assert np.array_equal(run(arrival, per, cuts), run(arrival, per))


def test_settings_scale_with_speed_and_round_trip_through_a_header() -> None:
    s = ClockSettings()
    fast = s.scaled(4.0)
    assert fast.hold_s == 4 * s.hold_s and fast.decide_s == 4 * s.decide_s and fast.slew == s.slew
    assert ClockSettings.from_dict(fast.to_dict()) == fast
    assert ClockSettings.from_dict({"hold_s": 0.3, "max_lag_s": 0.4}) == ClockSettings(hold_s=0.3)  # old key
    with pytest.raises(InputError, match="hold_s"):
        ClockSettings.from_dict({"hold_s": "soon"})


def test_a_frame_decoder_times_a_late_burst_like_steady_frames() -> None:
    """Through the whole decoder: a 3 s stall of a 50 Hz Thingy stream changes no sample time."""
    p = Registry.load().get("nordic-thingy52")
    spec, n = p.streams[0], 600
    values = {f.name: np.zeros(n) for f in spec.fields} | {"acc_z": np.ones(n)}
    frames = encode_frames(spec, values, 1)
    arrival = jittered(n, seed=5)
    out = []
    for arr in (arrival, stalled(arrival, 200, 3.0, None)):
        dec = FrameDecoder(p, RATE)
        blocks = [dec.decode(Frames(arr[i:i + 7], [spec.characteristic] * len(arr[i:i + 7]), frames[i:i + 7]))
                  for i in range(0, n, 7)] + [dec.flush()]
        out.append(np.concatenate([b.t_s for b in blocks if b is not None]))
    assert len(out[0]) == len(out[1]) == n and np.max(np.abs(out[0] - out[1])) <= PERIOD_S
