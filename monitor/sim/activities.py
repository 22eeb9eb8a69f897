"""One function per activity: builds the Motion of a segment from the previous pose."""

from __future__ import annotations

import numpy as np

from monitor.labels import CODES
from monitor.sim.motion import (
    F64,
    LIE_DEG,
    Motion,
    Person,
    blend_start,
    episodes,
    slow_noise,
    still_acc,
    vertical_move,
    waypoints,
)
from monitor.sim.schedule import Segment

Pose = tuple[float, float, float]  # tilt, obliquity, heading (deg)


def _bumps(rng: np.random.Generator, n: int, rate_hz: float, every_s: float, amp: float) -> F64:
    """Fidgets: short (1-3 s) smooth bumps at random times."""
    out = np.zeros(n)
    for _ in range(rng.poisson(n / rate_hz / every_s)):
        w = int(rng.uniform(1, 3) * rate_hz)
        i0 = int(rng.integers(0, max(1, n - w)))
        out[i0:i0 + w] += rng.normal(0, amp) * np.sin(np.linspace(0, np.pi, w))[: n - i0] ** 2
    return out


def _shifts(rng: np.random.Generator, n: int, rate_hz: float, every_s: float) -> F64:
    """Posture shifts: the upright angle wanders in small steps (within +-3 deg)."""
    steps = np.zeros(n)
    for _ in range(rng.poisson(n / rate_hz / every_s)):
        steps[int(rng.integers(0, n)):] += rng.normal(0, 1.2)
    steps = np.clip(steps, -3.0, 3.0)
    k = max(1, int(rate_hz))
    return np.convolve(np.pad(steps, (k, 0), mode="edge"), np.ones(k) / k, "valid")[:n]


def sitting(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person) -> Motion:
    prof = episodes(rng, n, rate_hz)
    depth = rng.uniform(*who.slouch_deg)
    fid = _bumps(rng, n, rate_hz, 60.0, 3.0)
    tilt = (who.sit_deg + _shifts(rng, n, rate_hz, 90.0) - depth * prof + fid
            + slow_noise(rng, n, rate_hz, 2.0, 0.3))
    obl = slow_noise(rng, n, rate_hz, 5.0, 1.5) + _bumps(rng, n, rate_hz, 60.0, 2.0)
    acc = still_acc(rng, n, rate_hz, 0.004)
    yaw = np.full(n, pose[2]) + slow_noise(rng, n, rate_hz, 3.0, 2.0)
    return Motion(blend_start(tilt, pose[0], rate_hz), blend_start(obl, pose[1], rate_hz),
                  blend_start(yaw, pose[2], rate_hz), acc, prof > 0.5, CODES["sitting"])


def standing(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person) -> Motion:
    tilt = slow_noise(rng, n, rate_hz, 3.0, 1.0) + _bumps(rng, n, rate_hz, 30.0, 2.0)
    obl = slow_noise(rng, n, rate_hz, 4.0, 2.0)
    yaw = pose[2] + slow_noise(rng, n, rate_hz, 3.0, 4.0)
    return Motion(blend_start(tilt, pose[0], rate_hz), blend_start(obl, pose[1], rate_hz),
                  blend_start(yaw, pose[2], rate_hz), still_acc(rng, n, rate_hz, 0.01),
                  np.zeros(n, bool), CODES["standing"])


def lying(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person) -> Motion:
    tilt = LIE_DEG + rng.normal(0, 3) + slow_noise(rng, n, rate_hz, 20.0, 2.0)
    obl = rng.normal(0, 12) + slow_noise(rng, n, rate_hz, 20.0, 3.0)
    yaw = np.full(n, pose[2])
    return Motion(blend_start(tilt, pose[0], rate_hz, 1.5), blend_start(obl, pose[1], rate_hz, 1.5),
                  yaw, still_acc(rng, n, rate_hz, 0.004), np.zeros(n, bool), CODES["lying"])


def walking(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, seg: Segment) -> Motion:
    f = seg.params.get("step_hz", 1.9)
    k = np.arange(n) / rate_hz
    env = np.clip(k / 1.5, 0, 1) * np.clip((k[-1] - k) / 1.0, 0, 1) if n else k
    ph = 2 * np.pi * f * k + rng.uniform(0, 2 * np.pi)
    tilt = rng.uniform(0.0, 3.0) + env * 2.5 * np.sin(ph) + slow_noise(rng, n, rate_hz, 2.0, 0.5)
    obl = env * 4.0 * np.sin(ph / 2)
    turn = np.cumsum(slow_noise(rng, n, rate_hz, 4.0, 25.0)) / rate_hz
    yaw = pose[2] + turn + env * 5.0 * np.sin(ph / 2 + 1.0)
    acc_fwd = env * (0.18 * np.sin(ph + 1.6) + 0.05 * np.sin(2 * ph))
    acc_ml = env * 0.10 * np.sin(ph / 2)
    acc_up = env * (0.30 * np.sin(ph) + 0.08 * np.sin(2 * ph + 0.5))
    hdg = np.radians(yaw)
    acc = np.stack([acc_fwd * np.cos(hdg) - acc_ml * np.sin(hdg),
                    acc_fwd * np.sin(hdg) + acc_ml * np.cos(hdg), acc_up], axis=1)
    acc += still_acc(rng, n, rate_hz, 0.02)
    return Motion(blend_start(tilt, pose[0], rate_hz, 0.4), blend_start(obl, pose[1], rate_hz, 0.4),
                  yaw, acc, np.zeros(n, bool), CODES["walking"])


# kind -> (tilt waypoints given start and end tilt, vertical move (h_m, u0, u1), end tilt)
def _plan(kind: str, start: float, who: Person, peak: float) -> tuple[list[tuple[float, float]],
                                                                        tuple[float, float, float]]:
    plans: dict[str, tuple[list[tuple[float, float]], tuple[float, float, float]]] = {
        "stand_to_sit": ([(0, start), (0.55, peak), (1, who.sit_deg)], (-0.45, 0.15, 0.85)),
        "sit_to_stand": ([(0, start), (0.35, peak), (1, 0.0)], (0.45, 0.30, 1.0)),
        "sit_to_lie": ([(0, start), (1, LIE_DEG)], (-0.25, 0.2, 0.9)),
        "lie_to_sit": ([(0, start), (1, who.sit_deg)], (0.25, 0.1, 0.8)),
        "stand_to_lie": ([(0, start), (0.3, peak * 0.8), (1, LIE_DEG)], (-0.6, 0.1, 0.8)),
        "lie_to_stand": ([(0, start), (0.6, peak), (1, 0.0)], (0.6, 0.3, 1.0)),
    }
    return plans[kind]


def transition(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person,
               seg: Segment) -> Motion:
    u = np.arange(1, n + 1) / n
    points, (h_m, u0, u1) = _plan(seg.kind, pose[0], who, rng.uniform(18, 28))
    tilt = waypoints(u, points)
    obl = waypoints(u, [(0, pose[1]), (1, 0.0)])
    acc = still_acc(rng, n, rate_hz, 0.01)
    acc[:, 2] += vertical_move(u, seg.duration_s, h_m, u0, u1)
    hdg = np.radians(pose[2])
    fwd = vertical_move(u, seg.duration_s, 0.2, 0.1, 0.7)
    acc[:, 0] += fwd * np.cos(hdg)
    acc[:, 1] += fwd * np.sin(hdg)
    return Motion(tilt, obl, np.full(n, pose[2]), acc, np.zeros(n, bool), CODES[seg.kind])
