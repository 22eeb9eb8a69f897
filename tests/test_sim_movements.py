"""The simulator's movements are physically consistent at 10-200 Hz: vertical accelerations integrate to
the planned drops, the gyro to the tilt change and the car's turn; each sitting bout has its own upright
angle with the slouch truth relative to it; the default day holds the odd bend and short sit."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest
from scipy.integrate import cumulative_trapezoid
from scipy.spatial.transform import Rotation

from monitor.decode.stream import Decoder, GapCounter
from monitor.engine import PostureEngine
from monitor.events import GapDetected
from monitor.labels import CODES
from monitor.profiles import Registry
from monitor.samples import Frames, SampleBlock, concat
from monitor.sim import SimulatedWearer, activities, styles, transitions
from monitor.sim.people import Person
from monitor.sim.schedule import Segment
from monitor.sim.wearer import SensorModel, SimChunk
from tests.test_profile_rates import arrivals

QUIET = SensorModel(gyro_noise_dps=0.0, drop_every_s=1e12, gap_every_s=1e12)
OLDER_ALWAYS_RETRIES = Person(pace=1.45, lean_deg=8.0, false_start_p=1.0, age="older")


def planned_segments() -> Iterator[Segment]:
    rng, who = np.random.default_rng(5), Person()
    for chair in styles.CHAIRS:
        for speed in styles.SPEEDS:
            yield styles.sit_down(rng, who, chair, speed)
            yield styles.stand_up(rng, OLDER_ALWAYS_RETRIES, chair, speed)
    into = styles.car_in(rng, who, -1.0)
    yield into
    yield styles.car_out(rng, who, -into.params["turn_deg"])


def plan_of(seg: Segment) -> transitions.Plan:
    return transitions.for_segment(seg.kind, seg.params, 0.0, -17.0, seg.params["peak_deg"], seg.duration_s)


def height_m(plan: transitions.Plan, dur_s: float, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Vertical velocity and displacement by double integration of the world-frame acceleration."""
    u = np.linspace(0.0, 1.0, n)
    acc_ms2 = plan.vertical_g(u, dur_s) * 9.80665
    v = cumulative_trapezoid(acc_ms2, u * dur_s, initial=0.0)
    return v, cumulative_trapezoid(v, u * dur_s, initial=0.0)


@pytest.mark.parametrize("seg", list(planned_segments()), ids=lambda s: f"{s.kind}-{s.style}")
def test_the_vertical_acceleration_integrates_to_the_planned_drop(seg: Segment) -> None:
    v, z = height_m(plan_of(seg), seg.duration_s)
    sign = -1.0 if seg.kind == "stand_to_sit" else 1.0
    assert z[-1] == pytest.approx(sign * seg.params["drop_m"], abs=1e-3)
    assert abs(v[-1]) < 1e-3  # at rest at the end


def test_a_bend_goes_down_by_its_drop_and_comes_back() -> None:
    rng = np.random.default_rng(2)
    for style in styles.BENDS:
        seg = styles.bend(rng, Person(), style)
        p = seg.params
        down_u, up_u = p["down_s"] / seg.duration_s, (p["down_s"] + p["hold_s"]) / seg.duration_s
        plan = transitions.bend(0.0, p["peak_deg"], p["drop_m"], p["back_m"], down_u, up_u)
        _, z = height_m(plan, seg.duration_s)
        assert z.min() == pytest.approx(-p["drop_m"], abs=1e-3) and abs(z[-1]) < 1e-3


def test_the_simulated_acceleration_is_the_plan_plus_a_little_tremor() -> None:
    seg = styles.sit_down(np.random.default_rng(1), Person(), "half", "slow")
    n = round(seg.duration_s * 200)
    m = activities.transition(np.random.default_rng(0), n, 200.0, (0.0, 0.0, 0.0), Person(), seg)
    plan = plan_of(seg)
    residual = m.acc_world_g[:, 2] - plan.vertical_g(np.arange(1, n + 1) / n, seg.duration_s)
    assert np.sqrt(np.mean(residual**2)) < 0.02 < np.abs(plan.vertical_g(np.arange(n) / n, seg.duration_s)).max()
    assert np.all(m.code == CODES["stand_to_sit"]) and m.tilt_deg[-1] == pytest.approx(-17.0)


def pelvis_rate_dps(w: SimulatedWearer, c: SimChunk) -> np.ndarray:
    assert c.block.gyro_dps is not None
    return w.mount.apply(c.block.gyro_dps - w.bias_dps)


def run_segments(rate_hz: float, segs: list[Segment], person: Person | None = None) -> tuple[
        SimulatedWearer, list[SimChunk]]:
    w = SimulatedWearer(seed=4, rate_hz=rate_hz, sensor=QUIET, person=person, segments=segs,
                        mounting=Rotation.random(random_state=9))
    return w, list(w.chunks())


@pytest.mark.parametrize("rate_hz", [10.0, 50.0, 200.0])
def test_the_gyro_integrates_to_the_tilt_change_of_a_low_chair_sit_down(rate_hz: float) -> None:
    down = styles.sit_down(np.random.default_rng(3), Person.older(), "half", "slow")
    w, chunks = run_segments(rate_hz, [Segment("standing", 5.0), down, Segment("sitting", 5.0)])
    change = np.sum(pelvis_rate_dps(w, chunks[1])[:, 1]) / rate_hz
    assert change == pytest.approx(chunks[1].tilt_deg[-1] - chunks[0].tilt_deg[-1], abs=1.5)


@pytest.mark.parametrize("rate_hz", [50.0, 200.0])
def test_getting_into_a_car_turns_the_pelvis_about_90_deg(rate_hz: float) -> None:
    into = styles.car_in(np.random.default_rng(3), Person(), 1.0)
    w, chunks = run_segments(rate_hz, [Segment("standing", 5.0), into, Segment("sitting", 5.0)],
                             Person(bout_sd_deg=0.0))
    seat_deg = np.median(chunks[2].tilt_deg)
    turn_deg = np.sum(pelvis_rate_dps(w, chunks[1])[:, 2]) / rate_hz  # about the pelvis' up axis
    assert into.params["turn_deg"] * np.cos(np.radians(seat_deg)) - 10 < turn_deg < into.params["turn_deg"] + 5
    assert seat_deg == pytest.approx(-17.0 + into.params["seat_deg"], abs=3.5)


@pytest.mark.parametrize("rate_hz", [10.0, 200.0])
def test_the_accelerometer_shows_the_true_tilt_when_still(rate_hz: float) -> None:
    w, chunks = run_segments(rate_hz, [Segment("standing", 8.0), styles.sit_down(
        np.random.default_rng(0), Person(), "low"), Segment("sitting", 20.0)])
    for c in (chunks[0], chunks[2]):
        f_p = w.mount.apply(c.block.acc_g)
        tilt = np.degrees(np.arctan2(-f_p[:, 0], f_p[:, 2]))
        assert np.mean(np.abs(tilt - c.tilt_deg)) < 1.0


def test_200_hz_blocks_are_spaced_at_200_hz() -> None:
    w = SimulatedWearer(seed=1, rate_hz=200.0, sensor=SensorModel(drop_every_s=1e12, gap_every_s=1e12))
    t = concat([c.block for c in w.run(600.0)]).t_s
    np.testing.assert_allclose(np.diff(t), 0.005, atol=1e-9)


def decode_live(profile_id: str, blocks: list[SampleBlock], rate_hz: float) -> list[SampleBlock]:
    """The virtual sensor's frames for the blocks, arriving with jitter, through the Decoder in 0.1 s
    batches (as tests/test_profile_rates does at each profile's default rate)."""
    p = next(p for p in Registry.load() if p.id == profile_id)
    frames = arrivals(p, blocks, seed=1)
    dec, out = Decoder(p, rate_hz), []
    edges = np.searchsorted(frames.t_s, np.arange(0.0, frames.t_s[-1] + 0.1, 0.1)).tolist()
    for a, b in itertools.pairwise(edges):
        if b > a:
            out.append(dec.decode(Frames(frames.t_s[a:b], frames.characteristic[a:b], frames.payloads[a:b])))
    out.append(dec.flush())
    return [x for x in out if x is not None]


@pytest.mark.parametrize("profile_id", ["mbientlab-metamotion", "nordic-thingy52", "witmotion-wt901ble"])
def test_a_200_hz_wearer_goes_through_encode_decode_and_the_engine_gap_free(profile_id: str) -> None:
    case = [Segment("standing", 10.0), styles.sit_down(np.random.default_rng(0), Person(), "half", "quick"),
            Segment("sitting", 10.0), styles.stand_up(np.random.default_rng(1), Person(), "half", "quick"),
            Segment("standing", 5.0), styles.bend(np.random.default_rng(2), Person(), "tie_shoes"),
            Segment("standing", 10.0)]
    _, chunks = run_segments(200.0, case)
    blocks = [c.block for c in chunks]
    out = decode_live(profile_id, blocks, 200.0)
    t = concat(out).t_s
    gaps = GapCounter(200.0)
    gaps.update(t)
    assert len(t) == sum(len(b) for b in blocks) and gaps.count == 0
    assert all(b.rate_hz == 200.0 for b in out)
    engine = PostureEngine(200.0)
    assert not [e for b in out for e in engine.update(b) if isinstance(e, GapDetected)]
