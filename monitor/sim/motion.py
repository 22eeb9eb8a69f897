"""Pelvis motion for one schedule segment: tilt, obliquity, heading and linear acceleration.

Angles in degrees (tilt positive = anterior, 0 = the wearer's standing pose), acceleration in g.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import signal

from monitor.sim.people import Person as Person  # re-exported: the wearer's angles live in people

F64 = NDArray[np.float64]
G_MS2 = 9.80665
LIE_DEG = -86.0


@dataclass
class Motion:
    """Per-sample pelvis trajectory and ground truth for one segment."""

    tilt_deg: F64
    obl_deg: F64
    yaw_deg: F64
    acc_world_g: F64
    slouch: NDArray[np.bool_]
    code: int


def min_jerk(u: F64) -> F64:
    u = np.clip(u, 0.0, 1.0)
    return u**3 * (10 - 15 * u + 6 * u**2)


def min_jerk_acc(u: F64) -> F64:
    """Second derivative of min_jerk with respect to u (zero outside [0, 1])."""
    inside = (u >= 0) & (u <= 1)
    return np.where(inside, 60 * u - 180 * u**2 + 120 * u**3, 0.0)


def waypoints(u: F64, points: list[tuple[float, float]]) -> F64:
    """Smooth (min-jerk) path through (u, value) waypoints."""
    out = np.full_like(u, points[0][1])
    for (u0, v0), (u1, v1) in itertools.pairwise(points):
        seg = (u >= u0) & (u <= u1) if u1 < 1 else (u >= u0)
        out[seg] = v0 + (v1 - v0) * min_jerk((u[seg] - u0) / (u1 - u0))
    return out


def slow_noise(rng: np.random.Generator, n: int, rate_hz: float, tau_s: float, sd: float) -> F64:
    """First-order low-passed white noise with standard deviation about `sd`."""
    a = np.exp(-1.0 / (tau_s * rate_hz))
    x = signal.lfilter([np.sqrt(1 - a * a)], [1, -a], rng.standard_normal(n))
    return np.asarray(x * sd, np.float64)


def blend_start(x: F64, start: float, rate_hz: float, tau_s: float = 0.6) -> F64:
    """Glide from the previous segment's end value into x, so the trajectory stays continuous."""
    k = np.arange(len(x)) / rate_hz
    return x + (start - x[0]) * np.exp(-k / tau_s) if len(x) else x


def vertical_move(u: F64, dur_s: float, h_m: float, u0: float, u1: float) -> F64:
    """Vertical acceleration (g) of a min-jerk displacement of h_m over phase [u0, u1]."""
    tp = dur_s * (u1 - u0)
    return h_m * min_jerk_acc((u - u0) / (u1 - u0)) / (tp * tp) / G_MS2


def still_acc(rng: np.random.Generator, n: int, rate_hz: float, sd_g: float) -> F64:
    return np.stack([slow_noise(rng, n, rate_hz, 0.15, sd_g) for _ in range(3)], axis=1)


def episodes(rng: np.random.Generator, n: int, rate_hz: float) -> F64:
    """Slouch profile in [0, 1]: upright spells and slouched spells with smooth 3-6 s ramps."""
    prof = np.zeros(n)
    t, slouched = rng.uniform(60, 400), True
    while t * rate_hz < n:
        span = rng.uniform(60, 420) if slouched else rng.uniform(60, 500)
        ramp = rng.uniform(3, 6)
        i0, i1 = int(t * rate_hz), int(min(t + span, n / rate_hz) * rate_hz)
        if slouched and i1 - i0 > ramp * rate_hz * 2:
            k = np.arange(i1 - i0) / rate_hz
            prof[i0:i1] = min_jerk(k / ramp) * min_jerk((k[-1] - k) / ramp)
        t += span
        slouched = not slouched
    return prof
