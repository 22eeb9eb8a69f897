"""The walking reference: a moved clip is noticed, an uncalibrated engine calibrates itself."""

from __future__ import annotations

import itertools
import json
from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from monitor.engine import POSTURES, Calibration, PostureEngine
from monitor.events import CalibrationDrift, Event, ReferenceFound
from monitor.labels import CODES
from monitor.samples import SampleBlock, concat
from tests.test_engine_truth import RATE, day

MOVED_AT_S = 3000.0
MOVE = Rotation.from_rotvec(np.radians(12.0) * np.array([0.3, 0.8, 0.5]) / np.linalg.norm([0.3, 0.8, 0.5]))


@lru_cache(maxsize=1)
def moved_stream() -> SampleBlock:
    """Day 4, with the clip turned by 12 deg (a knock, a re-clip) at MOVED_AT_S."""
    chunks, _, _ = day(4)
    block = concat([c.block for c in chunks])
    assert block.gyro_dps is not None
    later = block.t_s > MOVED_AT_S
    acc, gyro = block.acc_g.copy(), block.gyro_dps.copy()
    acc[later], gyro[later] = MOVE.apply(acc[later]), MOVE.apply(gyro[later])
    return SampleBlock(block.t_s, acc, gyro, RATE)


def run(engine: PostureEngine, block: SampleBlock, cuts: list[int]) -> list[Event]:
    edges = [0, *sorted(set(cuts)), len(block)]
    return [e for a, b in itertools.pairwise(edges) for e in engine.update(block.slice(a, b))]


def truth() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    chunks, _, _ = day(4)
    return (np.concatenate([c.block.t_s for c in chunks]), np.concatenate([c.code for c in chunks]),
            np.concatenate([c.tilt_deg for c in chunks]))


def test_a_correct_calibration_raises_no_drift() -> None:
    _, _, events = day(4)
    assert not [e for e in events if isinstance(e, CalibrationDrift | ReferenceFound)]


def test_a_moved_clip_is_noticed_at_the_next_walk_for_any_chunking() -> None:
    _, engine, _ = day(4)
    block = moved_stream()
    first = run(PostureEngine(RATE, engine.cal), block, [])
    drift = [e for e in first if isinstance(e, CalibrationDrift)]
    assert len(drift) == 1 and drift[0].t_s > MOVED_AT_S
    assert abs(drift[0].angle_deg - 12.0) < 4.0  # the walking pelvis is 0-3 deg anterior of standing
    cuts = np.random.default_rng(1).integers(1, len(block), 40).tolist()
    assert [e.to_dict() for e in run(PostureEngine(RATE, engine.cal), block, cuts)] == \
        [e.to_dict() for e in first]


def test_the_rebased_calibration_measures_the_moved_clip_again() -> None:
    _, engine, _ = day(4)
    moved = PostureEngine(RATE, engine.cal)
    moved.update(moved_stream())
    rebased = moved.ref.rebased()
    assert rebased is not None
    again = PostureEngine(RATE, rebased)
    again.update(moved_stream())
    t, code, tilt = truth()
    assert again.estimates is not None and moved.estimates is not None
    sitting = (code == CODES["sitting"]) & (t > MOVED_AT_S)
    err_before = np.sqrt(np.mean((moved.estimates.tilt_deg - tilt)[sitting] ** 2))
    err_after = np.sqrt(np.mean((again.estimates.tilt_deg - tilt)[sitting] ** 2))
    assert err_before > 6.0 and err_after < 3.5


def test_an_uncalibrated_engine_finds_up_from_a_sit_down_and_left_right_from_the_sit() -> None:
    """The day starts standing, then sits down: the lift tells it went down, so the still spell before
    it was standing (up) and the settled sit after it gives left-right; no walking needed."""
    chunks, _, _ = day(4)
    block = concat([c.block for c in chunks])
    engine = PostureEngine(RATE)
    events = run(engine, block, list(range(2500, len(block), 2500)))  # live-like 100 s chunks
    found = [e for e in events if isinstance(e, ReferenceFound)]
    assert [e.source for e in found] == ["sitting down", "sitting"]
    assert found[-1].t_s < 120.0  # within the first two minutes of the day
    assert engine.summary()["calibrated"] is False
    assert engine.summary()["auto_reference"] == "sitting down+sitting"
    t, code, tilt = truth()
    assert engine.estimates is not None
    fresh = PostureEngine(RATE, engine.cal)
    fresh.update(block)
    assert fresh.estimates is not None
    after = t > found[-1].t_s
    for name in ("sitting", "standing"):
        m = after & (code == CODES[name])
        assert np.mean(fresh.estimates.posture[m] == POSTURES.index(name)) > 0.95
        assert np.sqrt(np.mean((fresh.estimates.tilt_deg - tilt)[m] ** 2)) < 4.0


def test_a_stream_that_starts_walking_takes_up_from_the_walk() -> None:
    chunks, _, _ = day(4)
    walk = next(c for c in chunks if c.segment.kind == "walking")
    block = concat([c.block for c in chunks])
    later = block.slice(int(np.searchsorted(block.t_s, walk.block.t_s[0])), len(block))
    engine = PostureEngine(RATE)
    found = [e for e in run(engine, later, list(range(2500, len(later), 2500))) if isinstance(e, ReferenceFound)]
    assert [e.source for e in found][:2] == ["walking", "sitting"]
    assert engine.summary()["auto_reference"] == "walking+sitting"


def test_a_snapshot_keeps_the_adopted_reference() -> None:
    chunks, _, _ = day(4)
    block = concat([c.block for c in chunks])
    cut = int(np.searchsorted(block.t_s, 2000.0))  # after both references were found
    whole = PostureEngine(RATE)
    whole_events = run(whole, block, [cut])[:]
    first = PostureEngine(RATE)
    first.update(block.slice(0, cut))
    snap = json.loads(json.dumps(first.snapshot()))
    second = PostureEngine.resume(snap, RATE)
    rest = second.update(block.slice(cut, len(block)))
    assert second.auto_source == "sitting down+sitting"
    assert np.allclose(second.cal.r, whole.cal.r)
    tail = [e.to_dict() for e in whole_events if e.t_s >= block.t_s[cut]]
    assert [e.to_dict() for e in rest] == tail


def test_calibration_round_trip_is_unchanged_by_rebasing_on_its_own_up() -> None:
    cal = Calibration.from_poses(np.array([[0.1, 0.2, 0.97]]), np.array([[0.35, 0.2, 0.9]]))
    same = cal.rebased(cal.r[2])
    assert np.allclose(same.r, cal.r) and same.sit_deg == cal.sit_deg


@pytest.mark.parametrize("calibrated", [False, True])
def test_references_found_mid_stream_land_on_the_same_sample_for_any_chunking(calibrated: bool) -> None:
    """Uncalibrated (a sit-down, then a sit) or from standing only (a sit): the adoption waits for
    the next 5 s grid boundary of sample numbers, so live-sized, odd and whole chunks agree."""
    chunks, _, _ = day(4)
    block = concat([c.block for c in chunks])
    block = block.slice(0, int(np.searchsorted(block.t_s, 900.0)))
    cal = None
    if calibrated:
        stand = block.t_s < 5.0
        assert block.gyro_dps is not None
        cal = Calibration.from_poses(block.acc_g[stand], None, block.gyro_dps[stand])
    results = []
    for cuts in ([], list(range(7, len(block), 13)), list(range(2500, len(block), 2500))):
        engine, events, tilt, posture = PostureEngine(RATE, cal), [], [], []
        for a, b in itertools.pairwise([0, *cuts, len(block)]):
            events += [e.to_dict() for e in engine.update(block.slice(a, b))]
            assert engine.estimates is not None
            tilt.append(engine.estimates.tilt_deg)
            posture.append(engine.estimates.posture)
        results.append((events, np.concatenate(tilt), np.concatenate(posture)))
    assert any(e["type"] == "reference_found" for e in results[0][0])
    for events, tilt, posture in results[1:]:
        assert events == results[0][0]
        np.testing.assert_array_equal(tilt, results[0][1])
        np.testing.assert_array_equal(posture, results[0][2])
