"""Per-sample signal processing, vectorised, with filter state carried across chunks.

Everything here is a linear filter with explicit initial conditions (`zi`), so any split of a stream
into chunks gives bit-identical output; gaps restart the filters from the next sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import butter, lfilter, lfilter_zi, sosfilt, sosfilt_zi

from monitor.engine.calibration import Calibration
from monitor.engine.settings import EngineSettings

F64 = NDArray[np.float64]


@dataclass
class SampleFeatures:
    """Per-sample outputs: fused tilt and obliquity (deg), inclination (deg), intensity (g)."""

    tilt_deg: F64
    obl_deg: F64
    incl_deg: F64
    intensity_g: F64


def rotate(v: F64, r: F64) -> F64:
    """v @ r.T written element-wise: BLAS matmul may sum in a different order for different
    chunk sizes, which would break bit-identical chunk invariance."""
    return np.stack([v[:, 0] * r[i, 0] + v[:, 1] * r[i, 1] + v[:, 2] * r[i, 2] for i in range(3)], axis=1)


class FeatureFilter:
    """Stateful per-sample stage: pelvis-frame signals, gyro fusion, motion intensity."""

    def __init__(self, s: EngineSettings, rate_hz: float, cal: Calibration) -> None:
        self.rate_hz, self.cal = rate_hz, cal
        nyq = rate_hz / 2
        self.grav_sos = butter(2, min(s.gravity_lp_hz / nyq, 0.99), output="sos")
        self.int_sos = butter(1, min(s.intensity_lp_hz / nyq, 0.99), output="sos")
        dt = 1.0 / rate_hz
        self.a = s.fusion_tau_s / (s.fusion_tau_s + dt)
        self.a_acc_only = s.acc_only_tau_s / (s.acc_only_tau_s + dt)
        self.dt = dt
        self.zi: dict[str, F64] | None = None

    def reset(self) -> None:
        """Forget filter state (after a gap); the next sample initialises it."""
        self.zi = None

    def _init(self, f0: F64, angles0: F64, dyn0: float, a: float) -> dict[str, F64]:
        g = sosfilt_zi(self.grav_sos)[:, :, None] * f0[None, None, :]
        i = sosfilt_zi(self.int_sos) * dyn0
        fu = (lfilter_zi([1.0], [1.0, -a]) * (1 - a))[:, None] * angles0[None, :]  # steady at angles0
        return {"grav": g, "int": i, "fuse": fu}

    def process(self, acc_g: F64, gyro_dps: F64 | None) -> SampleFeatures:
        r = self.cal.r
        f = rotate(acc_g, r)  # pelvis frame: AP, ML, up
        angles_acc = np.degrees(np.stack([np.arctan2(-f[:, 0], f[:, 2]),
                                          np.arctan2(f[:, 1], f[:, 2])], axis=1))
        if self.zi is None:
            self.zi = self._init(f[0], angles_acc[0], 0.0, self._alpha(gyro_dps))
        z = self.zi
        grav, z["grav"] = sosfilt(self.grav_sos, f, axis=0, zi=z["grav"])
        dyn2 = np.sum((f - grav) ** 2, axis=1)
        ms, z["int"] = sosfilt(self.int_sos, dyn2, zi=z["int"])
        angles = self._fuse(angles_acc, gyro_dps)
        incl = np.degrees(np.arccos(np.clip(grav[:, 2] / np.linalg.norm(grav, axis=1), -1, 1)))
        return SampleFeatures(angles[:, 0], angles[:, 1], incl, np.sqrt(np.maximum(ms, 0)))

    def _alpha(self, gyro_dps: F64 | None) -> float:
        """Fusion weight: the gyro's time constant, or a short low-pass without a gyro."""
        return self.a if gyro_dps is not None else self.a_acc_only

    def _fuse(self, angles_acc: F64, gyro_dps: F64 | None) -> F64:
        """theta[n] = a (theta[n-1] + w dt) + (1 - a) theta_acc[n]: a linear IIR (evidence 4.3)."""
        assert self.zi is not None
        a = self._alpha(gyro_dps)
        if gyro_dps is None:
            u = (1 - a) * angles_acc
        else:
            w = rotate(gyro_dps - np.array(self.cal.gyro_bias_dps), self.cal.r)
            rates = np.stack([w[:, 1], w[:, 0]], axis=1)  # tilt about ML, obliquity about AP
            u = a * self.dt * rates + (1 - a) * angles_acc
        out, self.zi["fuse"] = lfilter([1.0], [1.0, -a], u, axis=0, zi=self.zi["fuse"])
        return np.asarray(out, np.float64)
