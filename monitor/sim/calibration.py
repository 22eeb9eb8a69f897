"""A simulated wearer doing the guided calibration (stand, sit, slump, stand up, two forward bends),
for the virtual sensor, for `calibrate --virtual`, and for tests with a known mounting and bias."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.spatial.transform import Rotation

from monitor.engine.calibration import Calibration
from monitor.samples import SampleBlock
from monitor.sim.motion import Motion, Person, waypoints
from monitor.sim.wearer import SensorModel, SimulatedWearer

# (phase, seconds, tilt at its end in deg relative to standing; None = the person's own angle)
SCRIPT: tuple[tuple[str, float, str | float], ...] = (
    ("stand", 8.0, 0.0), ("sit_down", 2.5, "sit"), ("sit", 8.0, "sit"), ("slumping", 1.5, "slump"),
    ("slump", 8.0, "slump"), ("stand_up", 2.5, 0.0), ("stand", 3.0, 0.0),
    ("bend", 2.5, 45.0), ("unbend", 2.5, 0.0), ("stand", 1.5, 0.0),
    ("bend", 2.5, 45.0), ("unbend", 2.5, 0.0), ("stand", 4.0, 0.0))


def _tilt_at(value: str | float, who: Person, slump_deg: float) -> float:
    if value == "sit":
        return who.sit_deg
    if value == "slump":
        return who.sit_deg - slump_deg
    return float(value)


def calibration_motion(rate_hz: float, who: Person, slump_deg: float = 12.0,
                       script: tuple[tuple[str, float, str | float], ...] = SCRIPT) -> Motion:
    """Tilt over the whole script (min-jerk between poses), still otherwise."""
    total = sum(d for _, d, _ in script)
    points, t = [(0.0, 0.0)], 0.0
    for _, dur, end in script:  # holds end where they start, moves at their target
        t += dur
        points.append((t / total, _tilt_at(end, who, slump_deg)))
    n = round(total * rate_hz)
    tilt = waypoints(np.arange(n) / n, points)
    z = np.zeros(n)
    return Motion(tilt, z, z.copy(), np.zeros((n, 3)), np.zeros(n, bool), 0)


def calibration_blocks(seed: int, rate_hz: float, mounting: Rotation | None = None,
                       person: Person | None = None, slump_deg: float = 12.0, chunk_s: float = 1.0,
                       repeat: bool = False, sensor: SensorModel | None = None,
                       script: tuple[tuple[str, float, str | float], ...] = SCRIPT) -> Iterator[SampleBlock]:
    """The script as sample blocks of `chunk_s` (again and again with `repeat`)."""
    sensor = sensor or SensorModel(drop_every_s=1e12, gap_every_s=1e12)
    wearer = SimulatedWearer(seed=seed, rate_hz=rate_hz, mounting=mounting, person=person, sensor=sensor)
    t0 = 0.0
    while True:
        acc, gyro = wearer.imu(calibration_motion(rate_hz, wearer.person, slump_deg, script))
        t = t0 + np.arange(len(acc)) / rate_hz
        step = max(1, round(chunk_s * rate_hz))
        for i in range(0, len(acc), step):
            yield SampleBlock(t[i:i + step], acc[i:i + step], gyro[i:i + step], rate_hz)
        if not repeat:
            return
        t0 = float(t[-1]) + 1.0 / rate_hz


def truth(seed: int, rate_hz: float = 50.0, mounting: Rotation | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """The simulated mounting as R (rows: pelvis AP, ML, up in sensor coordinates) and the gyro bias."""
    w = SimulatedWearer(seed=seed, rate_hz=rate_hz, mounting=mounting)
    return w.mount.as_matrix(), w.bias_dps


def demo_calibration(seed: int, rate_hz: float) -> Calibration:
    """The simulated wearer's guided calibration (5 s standing, 5 s sitting, same sensor mounting), as
    the demo and virtual sensors use it: the engine then measures as for a calibrated user."""
    chunks = SimulatedWearer(seed=seed, rate_hz=rate_hz).chunks()
    stand, _, sit = next(chunks), next(chunks), next(chunks)
    n = int(5 * rate_hz)
    return Calibration.from_poses(stand.block.acc_g[:n], sit.block.acc_g[n:2 * n], stand.block.gyro_dps)
