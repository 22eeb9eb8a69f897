"""One function per activity: builds the Motion of a segment from the previous pose."""

from __future__ import annotations

import numpy as np

from monitor.labels import CODES
from monitor.sim import transitions
from monitor.sim.motion import (
    F64,
    LIE_DEG,
    Motion,
    Person,
    blend_start,
    episodes,
    slow_noise,
    still_acc,
    waypoints,
)
from monitor.sim.segment import Segment

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


def planned(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, plan: transitions.Plan,
            dur_s: float, code: int) -> Motion:
    """A movement's Motion from its plan: min-jerk angles, heading, lifts and shifts, plus tremor."""
    u = np.arange(1, n + 1) / n
    plan = transitions.with_obliquity(plan, pose[1])
    assert plan.obl is not None
    yaw = pose[2] + waypoints(u, list(plan.turn))
    acc = still_acc(rng, n, rate_hz, 0.01)
    acc[:, 2] += plan.vertical_g(u, dur_s)
    hdg, fwd = np.radians(yaw), plan.forward_g(u, dur_s)
    acc[:, 0] += fwd * np.cos(hdg)
    acc[:, 1] += fwd * np.sin(hdg)
    return Motion(waypoints(u, list(plan.tilt)), waypoints(u, list(plan.obl)), yaw, acc,
                  np.zeros(n, bool), code)


def transition(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person,
               seg: Segment) -> Motion:
    """A posture change; `who.sit_deg` is the upright angle of the bout it starts or ends."""
    p = seg.params
    peak_deg = p["peak_deg"] if "peak_deg" in p else rng.uniform(18, 28) + who.lean_deg
    plan = transitions.for_segment(seg.kind, p, pose[0], who.sit_deg, peak_deg, seg.duration_s)
    return planned(rng, n, rate_hz, pose, plan, seg.duration_s, CODES[seg.kind])


def bend(rng: np.random.Generator, n: int, rate_hz: float, pose: Pose, who: Person,
         seg: Segment) -> Motion:
    """A bend while standing (picking something up, tying a shoe): labelled standing throughout."""
    p, dur_s = seg.params, seg.duration_s
    down_u, up_u = p["down_s"] / dur_s, (p["down_s"] + p["hold_s"]) / dur_s
    plan = transitions.bend(pose[0], p["peak_deg"], p["drop_m"], p["back_m"], down_u, up_u)
    m = planned(rng, n, rate_hz, pose, plan, dur_s, CODES["standing"])
    busy = np.sin(np.pi * np.arange(1, n + 1) / n) ** 2  # hands at work while down
    m.tilt_deg += busy * slow_noise(rng, n, rate_hz, 0.5, 1.5)
    m.obl_deg += busy * slow_noise(rng, n, rate_hz, 0.8, 2.0)
    m.acc_world_g += busy[:, None] * still_acc(rng, n, rate_hz, 0.01)
    return m
