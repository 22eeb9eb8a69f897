"""The simulated wearer: deterministic, physically consistent, with drops and ground truth."""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from monitor.labels import CODES
from monitor.sim import SimulatedWearer
from monitor.sim.wearer import SensorModel


def _first(seed: int, n: int = 4) -> list:
    chunks = SimulatedWearer(seed=seed, rate_hz=50).chunks()
    return [next(chunks) for _ in range(n)]


def test_same_seed_same_samples_other_seed_differs() -> None:
    a, b, c = _first(7), _first(7), _first(8)
    assert all(x.block.same_as(y.block) for x, y in zip(a, b, strict=True))
    assert not a[0].block.same_as(c[0].block)


def _pelvis(w: SimulatedWearer, v: np.ndarray) -> np.ndarray:
    return w.mount.apply(v)


def test_accelerometer_matches_true_tilt_when_still() -> None:
    w = SimulatedWearer(seed=11, rate_hz=100, mounting=Rotation.random(random_state=5))
    stand = next(w.chunks())
    assert stand.segment.kind == "standing"
    f_p = _pelvis(w, stand.block.acc_g)
    tilt_from_acc = np.degrees(np.arctan2(-f_p[:, 0], f_p[:, 2]))
    assert np.mean(np.abs(tilt_from_acc - stand.tilt_deg)) < 1.0
    np.testing.assert_allclose(np.linalg.norm(stand.block.acc_g, axis=1).mean(), 1.0, atol=0.01)


def test_gyro_integrates_to_the_tilt_change_of_a_transition() -> None:
    quiet = SensorModel(gyro_noise_dps=0.0, drop_every_s=1e9, gap_every_s=1e9)
    w = SimulatedWearer(seed=2, rate_hz=100, sensor=quiet)
    chunks = w.chunks()
    next(chunks)
    sit_down = next(chunks)
    assert sit_down.segment.kind == "stand_to_sit"
    omega_p = _pelvis(w, sit_down.block.gyro_dps - w.bias_dps)
    change = np.sum(omega_p[:, 1]) / w.rate_hz  # rotation about the ML (y) axis
    true_change = sit_down.tilt_deg[-1] - next(SimulatedWearer(seed=2, rate_hz=100, sensor=quiet).chunks()).tilt_deg[-1]
    assert abs(change - true_change) < 1.5
    assert np.all(sit_down.code == CODES["stand_to_sit"])


def test_a_long_run_has_drops_transitions_and_slouch() -> None:
    w = SimulatedWearer(seed=3, rate_hz=25, sensor=SensorModel(drop_every_s=60))
    chunks = list(w.run(3 * 3600))
    t = np.concatenate([c.block.t_s for c in chunks])
    assert np.all(np.diff(t) > 0) and t[-1] <= 3 * 3600
    assert np.sum(np.diff(t) > 1.5 / 25) > 20
    kinds = {c.segment.kind for c in chunks}
    assert {"stand_to_sit", "sit_to_stand", "sitting", "walking"} <= kinds
    slouch = np.concatenate([c.slouch for c in chunks])
    sitting = np.concatenate([c.code == CODES["sitting"] for c in chunks])
    assert 0.1 < slouch[sitting].mean() < 0.7 and not slouch[~sitting].any()
