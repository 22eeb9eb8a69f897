"""The simulated wearer: turns schedule segments into IMU samples for a sensor mounted at any angle."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.transform import Rotation

from monitor.samples import SampleBlock
from monitor.sim import activities
from monitor.sim.motion import Motion, Person, slow_noise
from monitor.sim.schedule import TRANSITION_S, ScheduleSettings, Segment, schedule

INTO_SITTING = ("stand_to_sit", "lie_to_sit")  # each starts a sitting bout with its own upright angle


@dataclass(frozen=True)
class SensorModel:
    """Noise (RMS), gyro bias (max |initial| per axis) and how often samples drop (mean intervals)."""

    acc_noise_g: float = 0.004
    gyro_noise_dps: float = 0.08
    gyro_bias_dps: float = 1.0
    gyro_drift_dps: float = 0.03  # slow wander of the bias (about 10 min time constant)
    drop_every_s: float = 300.0
    drop_len: tuple[int, int] = (1, 10)
    gap_every_s: float = 3 * 3600.0
    gap_s: tuple[float, float] = (5.0, 30.0)


def samples_in(duration_s: float, rate_hz: float) -> int:
    """Samples a segment of `duration_s` takes (at least one); segment i starts at the sum before it."""
    return max(1, round(duration_s * rate_hz))


@dataclass
class SimChunk:
    """Samples of one segment with ground truth per sample (posture label code, tilt, slouch), and the
    upright sitting angle of the bout under way (deg; the slouch truth is relative to it)."""

    block: SampleBlock
    code: NDArray[np.int16]
    tilt_deg: NDArray[np.float64]
    slouch: NDArray[np.bool_]
    segment: Segment = field(default_factory=lambda: Segment("none", 0.0))
    upright_deg: float = float("nan")


class SimulatedWearer:
    """Seeded and deterministic: the same seed gives the same samples, chunk by chunk.

    The day is the endless `schedule` (with `plan`), or the given `segments` (then it ends with them).
    Each sitting bout's upright angle is the person's `sit_deg`, plus the seat's (`seat_deg` of the
    sit-down) and a per-bout offset (Person.bout_sd_deg) drawn from a stream of its own, so turning the
    offsets on or off leaves the schedule and every other draw as they were.
    """

    def __init__(self, seed: int = 0, rate_hz: float = 100.0, mounting: Rotation | None = None,
                 person: Person | None = None, sensor: SensorModel | None = None,
                 plan: ScheduleSettings | None = None, segments: Iterable[Segment] | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        self.bout_rng = np.random.default_rng([seed, 17])
        self.seed, self.rate_hz = seed, rate_hz
        self.mount = mounting if mounting is not None else Rotation.random(random_state=seed)
        self.person = person or Person()
        self.sensor = sensor or SensorModel()
        self.bias_dps = self.rng.uniform(-1, 1, 3) * self.sensor.gyro_bias_dps
        self._segments = iter(segments) if segments is not None else schedule(self.rng, plan, self.person)
        self._index = 0
        self._pose = (0.0, 0.0, 0.0)
        self._sit_deg = self.person.sit_deg  # upright sitting of the bout under way
        self._last_rot = Rotation.from_euler("ZYX", [0.0, 0.0, 0.0], degrees=True)

    def describe(self) -> dict[str, Any]:
        """Simulation truth for the recording header."""
        return {"seed": self.seed, "mounting_quat_xyzw": self.mount.as_quat().tolist(),
                "gyro_bias_dps": self.bias_dps.tolist(), "sit_deg": self.person.sit_deg,
                "bout_sd_deg": self.person.bout_sd_deg}

    def _bout_person(self, seg: Segment) -> Person:
        """The person with the upright sitting angle of the bout under way (a new one at a sit-down)."""
        if seg.kind in INTO_SITTING:
            offset_deg = self.person.bout_offset_deg(self.bout_rng)
            self._sit_deg = self.person.sit_deg + seg.params.get("seat_deg", 0.0) + offset_deg
        if self._sit_deg == self.person.sit_deg:
            return self.person
        return replace(self.person, sit_deg=self._sit_deg)

    def _motion(self, seg: Segment, n: int) -> Motion:
        rng, r, pose, who = self.rng, self.rate_hz, self._pose, self._bout_person(seg)
        if seg.kind in TRANSITION_S:
            return activities.transition(rng, n, r, pose, who, seg)
        if seg.kind == "walking":
            return activities.walking(rng, n, r, pose, seg)
        if seg.kind == "bend":
            return activities.bend(rng, n, r, pose, who, seg)
        fn = {"sitting": activities.sitting, "standing": activities.standing,
              "lying": activities.lying}[seg.kind]
        return fn(rng, n, r, pose, who)

    def imu(self, m: Motion) -> tuple[np.ndarray, np.ndarray]:
        """Specific force (g) and angular rate (deg/s) in the sensor frame, with noise and bias."""
        rot = Rotation.from_euler("ZYX", np.stack([m.yaw_deg, m.tilt_deg, m.obl_deg], 1),
                                  degrees=True)
        prev = Rotation.concatenate([self._last_rot, rot[:-1]])
        omega_dps = np.degrees((prev.inv() * rot).as_rotvec()) * self.rate_hz
        self._last_rot = rot[-1]
        f_p = rot.inv().apply(m.acc_world_g + np.array([0.0, 0.0, 1.0]))
        n, s = len(m.tilt_deg), self.sensor
        acc = self.mount.inv().apply(f_p) + self.rng.normal(0, s.acc_noise_g, (n, 3))
        drift = np.stack([slow_noise(self.rng, n, self.rate_hz, 600.0, s.gyro_drift_dps)
                          for _ in range(3)], 1)
        gyro = (self.mount.inv().apply(omega_dps) + self.bias_dps + drift
                + self.rng.normal(0, s.gyro_noise_dps, (n, 3)))
        return acc.astype(np.float32).astype(np.float64), gyro.astype(np.float32).astype(np.float64)

    def _keep(self, n: int) -> NDArray[np.bool_]:
        """Which samples survive: short drops and rare long gaps (a lost link)."""
        keep = np.ones(n, bool)
        s, dur_s = self.sensor, n / self.rate_hz
        gap_lo, gap_hi = (int(g * self.rate_hz) for g in s.gap_s)
        for every, lo, hi in ((s.drop_every_s, *s.drop_len), (s.gap_every_s, gap_lo, gap_hi)):
            for _ in range(self.rng.poisson(dur_s / every)):
                i0 = int(self.rng.integers(0, n))
                keep[i0:i0 + int(self.rng.integers(lo, hi + 1))] = False
        return keep

    def _chunk(self, seg: Segment) -> SimChunk:
        n = samples_in(seg.duration_s, self.rate_hz)
        m = self._motion(seg, n)
        acc, gyro = self.imu(m)
        keep = self._keep(n)
        t_s = (self._index + np.arange(n))[keep] / self.rate_hz
        self._index += n
        self._pose = (float(m.tilt_deg[-1]), float(m.obl_deg[-1]), float(m.yaw_deg[-1]))
        block = SampleBlock(t_s, acc[keep], gyro[keep], self.rate_hz)
        code = np.full(int(keep.sum()), m.code, np.int16)
        return SimChunk(block, code, m.tilt_deg[keep], m.slouch[keep], seg, self._sit_deg)

    def chunks(self) -> Iterator[SimChunk]:
        """Endless: one chunk per schedule segment, in order."""
        for seg in self._segments:
            yield self._chunk(seg)

    def run(self, duration_s: float) -> Iterator[SimChunk]:
        """Chunks until `duration_s` of simulated time (the last one cut at the limit)."""
        end = duration_s
        for c in self.chunks():
            cut = int(np.searchsorted(c.block.t_s, end))
            if cut < len(c.block):
                yield SimChunk(c.block.slice(0, cut), c.code[:cut], c.tilt_deg[:cut],
                               c.slouch[:cut], c.segment, c.upright_deg)
                return
            yield c
