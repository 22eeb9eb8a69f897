"""Every shipped profile works at its default rate: a simulated wearer, encoded as the virtual
sensor encodes it, arriving with +-30 % jitter in live-sized batches, decodes without a gap and
drives the engine without a gap event. And the engine's gap threshold follows slow sensors."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.decode.stream import Decoder, GapCounter
from monitor.engine import PostureEngine
from monitor.errors import InputError
from monitor.events import GapDetected
from monitor.profiles import Profile, Registry
from monitor.samples import Frames, SampleBlock, concat
from monitor.sim import SimulatedWearer
from monitor.sim.wearer import SensorModel
from monitor.virtual.sensor import VirtualSensor

PROFILES = list(Registry.load())
NO_DROPS = SensorModel(drop_every_s=1e9, gap_every_s=1e9)


def arrivals(p: Profile, blocks: list[SampleBlock], seed: int) -> Frames:
    """The virtual sensor's frames for these blocks, each sent at its sample's time plus its place
    among the streams' frames, arriving 15 ms later +-30 % of a sample period, in order."""
    sensor = VirtualSensor(p, iter([]))
    rate_hz, streams = blocks[0].rate_hz, len(p.streams)
    chars: list[str] = []
    payloads: list[bytes] = []
    for b in blocks:
        frames = sensor._frames(b)
        chars += [c for c, _ in frames]
        payloads += [f for _, f in frames]
    t = np.concatenate([b.t_s for b in blocks])
    sent = np.repeat(t, streams) + np.tile(np.arange(streams), len(t)) / (rate_hz * streams)
    jitter = np.random.default_rng(seed).uniform(-0.3, 0.3, len(sent)) / rate_hz
    return Frames(np.maximum.accumulate(sent + 0.015 + jitter), chars, payloads)


def decoded(p: Profile, frames: Frames, batch_s: float = 0.1) -> list[SampleBlock]:
    """Through the Decoder in batches of `batch_s` of arrival time, then flushed."""
    dec = Decoder(p)
    edges = np.searchsorted(frames.t_s, np.arange(0.0, frames.t_s[-1] + batch_s, batch_s))
    out = []
    for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        if b > a:
            out.append(dec.decode(Frames(frames.t_s[a:b], frames.characteristic[a:b], frames.payloads[a:b])))
    out.append(dec.flush())
    return [x for x in out if x is not None]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_every_profile_runs_gap_free_at_its_default_rate(profile: Profile) -> None:
    rate_hz = profile.rate.default_hz
    wearer = SimulatedWearer(seed=7, rate_hz=rate_hz, sensor=NO_DROPS)
    blocks = [c.block for c in wearer.run(90.0)]
    out = decoded(profile, arrivals(profile, blocks, seed=1))
    t = concat(out).t_s
    gaps = GapCounter(rate_hz)
    gaps.update(t)
    assert len(t) == sum(len(b) for b in blocks)
    assert gaps.count == 0 and np.all(np.diff(t) > 0)
    engine = PostureEngine(rate_hz)
    events = [e for b in out for e in engine.update(b)]
    assert not [e for e in events if isinstance(e, GapDetected)]


def test_the_engine_refuses_rates_below_5_hz() -> None:
    with pytest.raises(InputError, match=r"at least 5 Hz of samples \(got 1 Hz\)"):
        PostureEngine(1.0)


def steady(rate_hz: float, seconds: float) -> SampleBlock:
    n = round(seconds * rate_hz)
    return SampleBlock(np.arange(n) / rate_hz, np.tile([0.0, 0.0, 1.0], (n, 1)), np.zeros((n, 3)), rate_hz)


@pytest.mark.parametrize(("rate_hz", "missing", "is_gap"), [
    (5.0, 0, False), (5.0, 1, False), (5.0, 2, True),  # 0.2 / 0.4 s / 0.6 s apart: 2.5 periods = 0.5 s
    (50.0, 20, False), (50.0, 25, True),  # 0.42 / 0.52 s apart: gap_s = 0.5 s
])
def test_a_gap_is_missing_data_longer_than_the_larger_of_gap_s_and_2_5_periods(
        rate_hz: float, missing: int, is_gap: bool) -> None:
    block = steady(rate_hz, 20.0)
    keep = np.ones(len(block), bool)
    keep[50:50 + missing] = False
    holed = SampleBlock(block.t_s[keep], block.acc_g[keep], block.gyro_dps[keep], rate_hz)  # type: ignore[index]
    events = PostureEngine(rate_hz).update(holed)
    assert any(isinstance(e, GapDetected) for e in events) == is_gap
