"""Per-sample signal processing, vectorised, with filter state carried across chunks.

Everything here is elementwise arithmetic or a linear filter with explicit initial conditions (`zi`),
so any split of a stream into chunks gives bit-identical output; gaps restart the filters from the
next sample. Long chunks are worked through in cache-sized slices, which is what makes it fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration
from monitor.engine.iir import Iir, butter_lowpass
from monitor.engine.settings import EngineSettings

F64 = NDArray[np.float64]
SLICE = 16384  # samples per slice: a slice's working arrays stay in the CPU cache (8192: 2 % slower)
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
    tilt_tick_deg: F64 = field(default_factory=lambda: np.zeros(0))  # the per-sample values at the ticks
    obl_tick_deg: F64 = field(default_factory=lambda: np.zeros(0))
    intensity_tick_g: F64 = field(default_factory=lambda: np.zeros(0))


def rotate_rows(cols: F64, r: F64, rows: int, offset: F64 | None = None, out: F64 | None = None,
                tmp: F64 | None = None) -> F64:
    """The first `rows` rows of r @ v (minus offset) as a (rows, n) array, v given as its three
    rows (x, y, z: the columns of a sample block), written element-wise: BLAS may sum in another
    order for other chunk sizes, which would break bit-identical output. Each term is one broadcast
    multiply over all rows, summed left to right as (x r0 + y r1) + z r2; `out` and `tmp`
    ((rows, n) scratch) spare the allocations."""
    out = np.empty((rows, cols.shape[1])) if out is None else out
    tmp = np.empty((rows, cols.shape[1])) if tmp is None else tmp
    np.multiply(cols[0], r[:rows, 0:1], out=out)
    for j in (1, 2):
        np.multiply(cols[j], r[:rows, j:j + 1], out=tmp)
        out += tmp
    if offset is not None:
        out -= offset[:rows, None]
    return out


def at_grid(x: F64, pos: NDArray[np.int64]) -> F64:
    """x[..., pos] for positions on a regular grid (as `ticks.tick_positions` gives them), as a
    strided view: the same values as indexing with pos, without its per-element gather."""
    if len(pos) == 0:
        return x[..., :0]
    first, last = int(pos[0]), int(pos[-1])
    step = int(pos[1]) - first if len(pos) > 1 else 1
    assert last - first == step * (len(pos) - 1), "tick positions must be evenly spaced"
    return x[..., first:last + 1:step]


class Scratch:
    """Working arrays of one slice, allocated once (fresh ones at every slice would cost page
    faults): a block's columns as rows, pelvis-frame acceleration, a product, angles, rates and a
    sum of squares."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.cols, self.f, self.tmp = np.empty((3, n)), np.empty((3, n)), np.empty((3, n))
        self.u, self.w = np.empty((2, n)), np.empty((2, n))
        self.dyn2 = np.empty(n)

    def views(self, n: int) -> tuple[F64, F64, F64, F64, F64, F64]:
        """(cols, f, tmp, u, w, dyn2) for a slice of n samples."""
        return (self.cols[:, :n], self.f[:, :n], self.tmp[:, :n], self.u[:, :n], self.w[:, :n],
                self.dyn2[:n])


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
        self.r_ml_ap, self.bias_ml_ap = self.r[[1, 0]], self.bias_rot[[1, 0]]  # gyro rows tilt, obliquity
        # accelerometer angles to fusion input: tilt is + anterior (minus the angle from up about ML)
        self.scale = {k: np.array([[-(1 - k) * DEG], [(1 - k) * DEG]]) for k in (self.a, self.a_acc_only)}
        self.buf: Scratch | None = None

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
        if self.incline:
            gyro_dps = None  # no axis to integrate about
        cuts = np.searchsorted(pos, np.arange(0, n + SLICE, SLICE)).tolist() if len(pos) else None
        for k, lo in enumerate(range(0, n, SLICE)):
            hi = min(n, lo + SLICE)
            gyro = None if gyro_dps is None else gyro_dps[lo:hi]
            p0, p1 = (cuts[k], cuts[k + 1]) if cuts is not None else (0, 0)
            self._slice(acc_g[lo:hi], gyro, pos[p0:p1] - lo, out, lo, p0)
        self._at_ticks(out, pos)

    def _slice(self, acc_g: F64, gyro_dps: F64 | None, pos: NDArray[np.int64],
               out: SampleFeatures, lo: int, p0: int) -> None:
        """Samples [lo, hi) of the chunk (ticks from p0 on): pelvis frame, fused angles, intensity,
        and the low-passed acceleration at its ticks. Works in the scratch arrays, in place."""
        hi = lo + len(acc_g)
        cols, f, tmp, u, w, dyn2 = self._scratch(len(acc_g))
        np.copyto(cols, acc_g.T)  # one pass over the strided samples; the products then run on rows
        rotate_rows(cols, self.r, 3, out=f, tmp=tmp)  # pelvis frame rows: AP, ML, up
        a = self.a if gyro_dps is not None else self.a_acc_only
        self._angles(f, a, u, tmp[0])
        fuse = self.fuse[a]
        if not self.started:
            self._start(f[:, 0], u[:, 0], fuse)
        if gyro_dps is not None:
            np.copyto(cols, gyro_dps.T)
            rotate_rows(cols, self.r_ml_ap, 2, self.bias_ml_ap, w, tmp[:2])  # rates about ML, AP
            w *= a * self.dt
            u += w  # tilt turns about ML, obliquity about AP
        ang = fuse(u)
        out.tilt_deg[lo:hi] = ang[0]
        out.obl_deg[lo:hi] = ang[1]
        grav = self.grav(f)
        self._intensity(f, grav, dyn2, out.intensity_g[lo:hi])
        out.grav_tick_g[:, p0:p0 + len(pos)] = at_grid(grav, pos)

    def _scratch(self, n: int) -> tuple[F64, F64, F64, F64, F64, F64]:
        if self.buf is None or self.buf.n < n:
            self.buf = Scratch(max(n, min(SLICE, 64)))
        return self.buf.views(n)

    @staticmethod
    def _at_ticks(out: SampleFeatures, pos: NDArray[np.int64]) -> None:
        """The features at the ticks: inclination and lift from the low-passed acceleration
        gathered there, and tilt, obliquity and intensity (what the decision layer looks at)."""
        if len(pos) == 0:
            return  # the fields' defaults are already empty
        out.tilt_tick_deg = at_grid(out.tilt_deg, pos).copy()
        out.obl_tick_deg = at_grid(out.obl_deg, pos).copy()
        out.intensity_tick_g = at_grid(out.intensity_g, pos).copy()
        g = out.grav_tick_g
        norm = np.sqrt(g[0] ** 2 + g[1] ** 2 + g[2] ** 2)
        with np.errstate(invalid="ignore", divide="ignore"):  # no gravity at all (0 g): undefined, nan
            out.incl_tick_deg[:] = DEG * np.arccos(np.clip(g[2] / norm, -1, 1))
        out.lift_tick_g[:] = norm - 1.0

    def _angles(self, f: F64, a: float, u: F64, tmp: F64) -> None:
        """Tilt (+ anterior) and obliquity from the accelerometer into u, scaled for the fusion
        filter. Without a known left-right axis the direction of a lean is unknown: tilt is then minus
        the inclination from up (sitting leans back, so a sit still reads as posterior) and obliquity 0."""
        if self.incline:
            np.hypot(f[0], f[1], out=tmp)
            np.arctan2(tmp, f[2], out=u[0])
            u[1] = 0.0
            u[0] *= -(1 - a) * DEG
        else:
            np.arctan2(f[:2], f[2], out=u)  # AP and ML against up
            u *= self.scale[a]

    def _intensity(self, f: F64, grav: F64, dyn2: F64, out: F64) -> None:
        """RMS of the acceleration around gravity, low-passed (g)."""
        f -= grav
        f *= f
        np.add(f[0], f[1], out=dyn2)
        dyn2 += f[2]
        ms = self.int(dyn2[None, :])[0]
        np.sqrt(np.maximum(ms, 0, out=ms), out=out)

    def _start(self, f0: F64, u0: F64, fuse: Iir) -> None:
        """Filter states as if the first sample had been there forever (no start-up transient)."""
        self.grav.start(f0)
        self.int.start(np.zeros(1))
        fuse.start(u0)
        self.started = True
