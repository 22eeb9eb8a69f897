"""From the captured poses to a Calibration: up from standing, the left-right axis from the forward
bends' gyro (or from standing -> sitting), bias from the still steps, personal references."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration, frame_from, tilt_deg

F64 = NDArray[np.float64]
MIN_SLOUCH_DEG = 5.0


@dataclass
class Captured:
    """What the guided steps measured (means over their still windows, bend samples)."""

    acc_g: dict[str, F64] = field(default_factory=dict)  # step id -> mean acceleration (still steps)
    gyro_dps: dict[str, F64] = field(default_factory=dict)  # step id -> mean angular rate
    samples: dict[str, int] = field(default_factory=dict)
    bend_gyro_dps: F64 | None = None  # bias included, samples while bent
    bend_peak_acc_g: F64 | None = None  # acceleration at the deepest bend


def bias_dps(c: Captured) -> F64:
    """Sample-weighted mean rate over the still steps."""
    w = np.array([c.samples[k] for k in c.gyro_dps], float)
    g = np.array(list(c.gyro_dps.values()))
    return np.asarray((g * w[:, None]).sum(axis=0) / w.sum(), np.float64)


def ml_axis(c: Captured, up: F64, bias: F64) -> tuple[F64 | None, str]:
    """Left-right axis in sensor coordinates, and where it came from."""
    if c.bend_gyro_dps is not None and c.bend_peak_acc_g is not None and len(c.bend_gyro_dps) >= 10:
        w = c.bend_gyro_dps - bias
        axis = np.linalg.svd(w, full_matrices=False)[2][0]  # first right-singular vector
        forward = -(c.bend_peak_acc_g - (c.bend_peak_acc_g @ up) * up)  # bending forward moves gravity back
        if axis @ np.cross(up, forward) < 0:  # ML = up x AP
            axis = -axis
        return np.asarray(axis, np.float64), "forward bends"
    if "sit" in c.acc_g:
        sit = c.acc_g["sit"] / np.linalg.norm(c.acc_g["sit"])
        return np.cross(up, sit), "standing to sitting"  # sitting tilts the pelvis back (posterior)
    return None, "none"


def solve(c: Captured, fallback_ml: F64 | None = None) -> tuple[Calibration, str]:
    up = c.acc_g["stand"] / np.linalg.norm(c.acc_g["stand"])
    bias = bias_dps(c)
    ml, source = ml_axis(c, up, bias)
    guessed = ml is None and fallback_ml is None
    if ml is None:
        ml = fallback_ml if fallback_ml is not None else np.eye(3)[int(np.argmin(np.abs(up)))]
        source = "mounting preset"
    r = frame_from(up, ml)
    sit = float(tilt_deg(r, c.acc_g["sit"])) if "sit" in c.acc_g else -17.0
    slump = float(tilt_deg(r, c.acc_g["slump"])) if "slump" in c.acc_g else None
    threshold = max(MIN_SLOUCH_DEG, (sit - slump) / 2.0) if slump is not None else None
    rows = tuple(tuple(float(x) for x in row) for row in r)
    bias_t = (float(bias[0]), float(bias[1]), float(bias[2]))
    return Calibration(rows, bias_t, sit, slump, "sit" in c.acc_g, threshold,  # type: ignore[arg-type]
                       not guessed), source
