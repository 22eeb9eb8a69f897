"""Standing-only and no calibration: long sits found within a minute, a day's sitting within 5 %."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from monitor.engine import POSTURES, Calibration, PostureEngine
from monitor.labels import CODES
from monitor.samples import SampleBlock, concat
from monitor.sim import SimulatedWearer
from tests.test_engine_truth import PLAN, RATE, WEARER

SIT = POSTURES.index("sitting")


@lru_cache(maxsize=4)
def simulated_day(seed: int, start_s: float = 0.0) -> tuple[SampleBlock, np.ndarray]:
    """Two hours of a simulated office day (from `start_s` on) and the true label per sample."""
    chunks = list(SimulatedWearer(seed=seed, rate_hz=RATE, person=WEARER, plan=PLAN).run(start_s + 7200))
    block, code = concat([c.block for c in chunks]), np.concatenate([c.code for c in chunks])
    keep = int(np.searchsorted(block.t_s, start_s))
    return block.slice(keep, len(block)), code[keep:]


def standing_calibration(block: SampleBlock, code: np.ndarray) -> Calibration:
    """From the first 5 s of standing only, as `calibrate` with no sitting step would give."""
    t = block.t_s
    first = t[np.flatnonzero(code == CODES["standing"])[0]]
    stand = (t >= first) & (t < first + 5.0) & (code == CODES["standing"])
    assert block.gyro_dps is not None
    return Calibration.from_poses(block.acc_g[stand], None, block.gyro_dps[stand])


def postures(block: SampleBlock, cal: Calibration | None, chunk: int = 2500) -> np.ndarray:
    engine = PostureEngine(RATE, cal)
    out = []
    for i in range(0, len(block), chunk):
        engine.update(block.slice(i, i + chunk))
        assert engine.estimates is not None
        out.append(engine.estimates.posture)
    return np.concatenate(out)


def sits(code: np.ndarray, t_s: np.ndarray, min_s: float) -> list[tuple[float, float]]:
    edges = np.diff(np.concatenate([[0], (code == CODES["sitting"]).astype(np.int8), [0]]))
    spans = [(float(t_s[a]), float(t_s[b - 1])) for a, b in
             zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)]
    return [(a, b) for a, b in spans if b - a >= min_s]


@pytest.mark.parametrize("mode", ["stand", "none"])
@pytest.mark.parametrize("seed", [4, 7])
def test_a_day_without_a_sitting_calibration(mode: str, seed: int) -> None:
    block, code = simulated_day(seed)
    cal = standing_calibration(block, code) if mode == "stand" else None
    posture, t = postures(block, cal), block.t_s
    dt = np.diff(t, append=t[-1])
    true_s, said_s = float(dt[code == CODES["sitting"]].sum()), float(dt[posture == SIT].sum())
    assert abs(said_s - true_s) <= 0.05 * true_s
    long_sits = sits(code, t, 300.0)
    assert long_sits
    for start, end in long_sits:
        inside = (t >= start) & (t <= end)
        first = t[inside][np.flatnonzero(posture[inside] == SIT)[0]]
        assert first - start <= 60.0
        assert np.mean(posture[inside & (t >= first)] == SIT) > 0.95


def test_uncalibrated_from_walking_when_the_day_starts_with_a_walk() -> None:
    """No sit-down to take up from: the first walk gives it, the following sit left-right."""
    day, day_code = simulated_day(4)
    walk = int(np.flatnonzero(day_code == CODES["walking"])[0])
    block, code = day.slice(walk, len(day)), day_code[walk:]
    posture, t = postures(block, None), block.t_s
    for start, end in sits(code, t, 300.0):
        inside = (t >= start) & (t <= end)
        first = t[inside][np.flatnonzero(posture[inside] == SIT)[0]]
        assert first - start <= 60.0
