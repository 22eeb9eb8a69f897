"""Per-sample signal processing, vectorised, with filter state carried across chunks.

Everything here is elementwise arithmetic or a linear filter with explicit initial conditions (`zi`),
so any split of a stream into chunks gives bit-identical output; gaps restart the filters from the
next sample. Long chunks are worked through in cache-sized slices, which is what makes it fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration
from monitor.engine.iir import Iir, butter_lowpass
from monitor.engine.settings import EngineSettings

F64 = NDArray[np.float64]
SLICE = 8192  # samples per slice: a slice's working arrays stay in the CPU cache
DEG = 180.0 / np.pi


@dataclass
class SampleFeatures:
    """Per-sample fused tilt and obliquity (deg) and intensity (g); at the ticks, inclination (deg),
    lift (g): the low-passed acceleration's magnitude minus 1 g, whose rise-then-fall order
    tells getting up from sitting down without needing the orientation, and that acceleration."""

    tilt_deg: F64
    obl_deg: F64
    intensity_g: F64
    incl_tick_deg: F64
    lift_tick_g: F64
    grav_tick_g: F64  # (3, ticks): low-passed acceleration in the pelvis frame, for references


def rotate_rows(v: F64, r: F64, rows: int, offset: F64 | None = None) -> F64:
    """The first `rows` rows of r @ v.T (minus offset) as a (rows, n) array, written element-wise:
    BLAS may sum in another order for other chunk sizes, which would break bit-identical output."""
    out = np.empty((rows, len(v)))
    tmp = np.empty(len(v))
    for i in range(rows):
        np.multiply(v[:, 0], r[i, 0], out=out[i])
        for j in (1, 2):
            np.multiply(v[:, j], r[i, j], out=tmp)
            out[i] += tmp
        if offset is not None:
            out[i] -= offset[i]
    return out


class FeatureFilter:
    """Stateful per-sample stage: pelvis-frame signals, gyro fusion, motion intensity."""

    def __init__(self, s: EngineSettings, rate_hz: float, cal: Calibration) -> None:
        self.r = cal.r
        self.grav = Iir(*butter_lowpass(2, s.gravity_lp_hz, rate_hz))
        self.int = Iir(*butter_lowpass(1, s.intensity_lp_hz, rate_hz))
        dt = 1.0 / rate_hz
        self.a = s.fusion_tau_s / (s.fusion_tau_s + dt)
        self.a_acc_only = s.acc_only_tau_s / (s.acc_only_tau_s + dt)
        self.fuse = {a: Iir(np.ones(1), np.array([1.0, -a])) for a in (self.a, self.a_acc_only)}
        self.dt = dt
        self.bias_rot = self.r @ np.asarray(cal.gyro_bias_dps, np.float64)  # bias in the pelvis frame
        self.incline = not cal.ml_known  # left-right unknown: "tilt" is minus the inclination from up
        self.started = False

    def reset(self) -> None:
        """Forget filter state (after a gap); the next sample initialises it."""
        self.started = False

    @property
    def zi(self) -> dict[str, F64] | None:
        """Filter states as named arrays (None before the first sample), for snapshots."""
        if not self.started:
            return None
        return {f"{name}.{k}": v for name, f in self._named().items() for k, v in (f.state or {}).items()}

    @zi.setter
    def zi(self, states: dict[str, F64] | None) -> None:
        self.started = states is not None
        for name, f in self._named().items():
            part = {k.split(".", 1)[1]: v for k, v in (states or {}).items() if k.startswith(name + ".")}
            f.state = part or None

    def _named(self) -> dict[str, Iir]:
        return {"grav": self.grav, "int": self.int, "fuse": self.fuse[self.a],
                "fuse_acc": self.fuse[self.a_acc_only]}

    def process(self, acc_g: F64, gyro_dps: F64 | None, pos: NDArray[np.int64],
                out: SampleFeatures) -> None:
        """Features of a chunk into `out`; `pos` are the tick positions where inclination is wanted."""
        n = len(acc_g)
        for lo in range(0, n, SLICE):
            hi = min(n, lo + SLICE)
            gyro = None if gyro_dps is None else gyro_dps[lo:hi]
            p0, p1 = np.searchsorted(pos, [lo, hi])
            self._slice(acc_g[lo:hi], gyro, pos[p0:p1] - lo, out, lo, p0)

    def _slice(self, acc_g: F64, gyro_dps: F64 | None, pos: NDArray[np.int64],
               out: SampleFeatures, lo: int, p0: int) -> None:
        f = rotate_rows(acc_g, self.r, 3)  # pelvis frame rows: AP, ML, up
        if self.incline:
            gyro_dps = None  # no axis to integrate about
        a = self.a if gyro_dps is not None else self.a_acc_only
        u = self._angles(f, a)
        fuse = self.fuse[a]
        if not self.started:
            self._start(f[:, 0], u[:, 0], fuse)
        if gyro_dps is not None:
            w = rotate_rows(gyro_dps, self.r, 2, self.bias_rot)  # rates about AP, ML
            u[0] += (a * self.dt) * w[1]  # tilt turns about ML
            u[1] += (a * self.dt) * w[0]  # obliquity about AP
        hi = lo + len(acc_g)
        ang = fuse(u)
        out.tilt_deg[lo:hi], out.obl_deg[lo:hi] = ang[0], ang[1]
        grav = self.grav(f)
        self._intensity(f, grav, out.intensity_g[lo:hi])
        g = grav[:, pos]
        norm = np.sqrt(g[0] ** 2 + g[1] ** 2 + g[2] ** 2)
        out.incl_tick_deg[p0:p0 + len(pos)] = DEG * np.arccos(np.clip(g[2] / norm, -1, 1))
        out.lift_tick_g[p0:p0 + len(pos)] = norm - 1.0
        out.grav_tick_g[:, p0:p0 + len(pos)] = g

    def _angles(self, f: F64, a: float) -> F64:
        """Tilt (+ anterior) and obliquity from the accelerometer, scaled for the fusion filter.
        Without a known left-right axis the direction of a lean is unknown: tilt is then minus the
        inclination from up (sitting leans back, so a sit still reads as posterior) and obliquity 0."""
        u = np.empty((2, f.shape[1]))
        if self.incline:
            np.arctan2(np.hypot(f[0], f[1]), f[2], out=u[0])
            u[1] = 0.0
        else:
            np.arctan2(f[0], f[2], out=u[0])
            np.arctan2(f[1], f[2], out=u[1])
            u[1] *= (1 - a) * DEG
        u[0] *= -(1 - a) * DEG
        return u

    def _intensity(self, f: F64, grav: F64, out: F64) -> None:
        """RMS of the acceleration around gravity, low-passed (g)."""
        f -= grav
        f *= f
        dyn2 = f[0] + f[1]
        dyn2 += f[2]
        ms = self.int(dyn2[None, :])[0]
        np.sqrt(np.maximum(ms, 0, out=ms), out=out)

    def _start(self, f0: F64, u0: F64, fuse: Iir) -> None:
        """Filter states as if the first sample had been there forever (no start-up transient)."""
        self.grav.start(f0)
        self.int.start(np.zeros(1))
        fuse.start(u0)
        self.started = True
