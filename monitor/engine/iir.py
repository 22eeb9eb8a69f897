"""Exact, chunk-invariant IIR filters (first and second order) in numpy alone.

Each pole p runs as a scaled prefix sum: within a block of L samples, w[n] = p*w[n-1] + v[n] becomes
z = cumsum(v * p**-k) and w = z * p**k. numpy's cumsum is a sequential fold, so carrying z from one
chunk to the next gives bit-identical output for any split of the stream. Blocks are counted from the
filter's start and kept short enough that p**-k stays far from overflow; rounding stays near
eps / (1 - |p|), as in a direct-form filter. It replaces scipy.signal, whose import alone took longer
than the engine needs for a whole day of data.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
State = NDArray[Any]  # float64 for a real pole, complex128 for a complex one
MAX_SCALE_LOG = 300.0  # |p|**-L stays under e**300: far from overflow for any sensor value
MAX_BLOCK = 1 << 16


def butter_lowpass(order: int, cutoff_hz: float, rate_hz: float) -> tuple[F64, F64]:
    """Butterworth low-pass (b, a) of order 1 or 2 by the prewarped bilinear transform, the same
    design as scipy.signal.butter; the cutoff is kept under 0.99 of the Nyquist frequency."""
    k = math.tan(math.pi * min(cutoff_hz, 0.495 * rate_hz) / rate_hz)
    if order == 1:
        g = k / (1 + k)
        return np.array([g, g]), np.array([1.0, (k - 1) / (k + 1)])
    if order == 2:
        norm = 1 / (1 + math.sqrt(2) * k + k * k)
        b0 = k * k * norm
        return (np.array([b0, 2 * b0, b0]),
                np.array([1.0, 2 * (k * k - 1) * norm, (1 - math.sqrt(2) * k + k * k) * norm]))
    raise ValueError(f"butter_lowpass: order {order} is not 1 or 2")


class Iir:
    """y = (b0 + b1 z^-1 [+ b2 z^-2]) / (1 + a1 z^-1 [+ a2 z^-2]) on each row of a (channels, n) array
    (as many channels as `start` was given), run in parallel form: y = c0 u + (the pole's share).
    A second-order section needs a complex pole pair (any under-damped or Butterworth design)."""

    def __init__(self, b: F64, a: F64) -> None:
        self.pole: complex | float
        self.pole, self.direct, residue = _partial_fractions(np.asarray(b, np.float64),
                                                             np.asarray(a, np.float64))
        mag = abs(self.pole)
        if not 0 < mag < 1:
            raise ValueError(f"Iir: pole {self.pole} is not inside the unit circle")
        self.block = int(min(MAX_BLOCK, max(1, MAX_SCALE_LOG // -math.log(mag))))
        k = np.arange(self.block)
        self.p_down = self.pole ** -k  # scales into the prefix sum
        self.p_up = residue * self.pole ** k  # and back out, weighted by the residue
        self.p_block = self.pole ** self.block
        self.m = 0  # position in the current block
        self.z: State | None = None  # prefix sum so far (None: not started)

    def start(self, u0: F64) -> None:
        """State as if input u0 (per channel) had been there forever: output at steady state."""
        self.m = 0
        self.z = self.pole * np.asarray(u0, np.float64) / (1 - self.pole)

    def __call__(self, u: F64) -> F64:
        """Filter rows of u (continuing the carried state; `start` must have been called)."""
        assert self.z is not None, "Iir.start() before filtering"
        out = np.empty_like(u)
        m, z, i, n = self.m, self.z, 0, u.shape[1]
        while i < n:
            k = min(n - i, self.block - m)
            seg = u[:, i:i + k] * self.p_down[m:m + k]
            seg[:, 0] += z
            np.cumsum(seg, axis=1, out=seg)
            z = seg[:, -1].copy()
            seg *= self.p_up[m:m + k]
            out[:, i:i + k] = seg.real if isinstance(self.pole, complex) else seg
            i, m = i + k, m + k
            if m == self.block:
                z, m = z * self.p_block, 0
        self.m, self.z = m, z
        if self.direct:
            out += self.direct * u
        return out

    @property
    def state(self) -> dict[str, F64] | None:
        """Plain float arrays (a snapshot stays JSON numbers); None before `start`."""
        if self.z is None:
            return None
        z = np.stack([self.z.real, self.z.imag], axis=1) if isinstance(self.pole, complex) else self.z
        return {"m": np.array([float(self.m)]), "z": np.asarray(z, np.float64)}

    @state.setter
    def state(self, st: dict[str, F64] | None) -> None:
        if st is None:
            self.z = None
            return
        self.m, z = int(st["m"][0]), np.asarray(st["z"], np.float64)
        self.z = z[:, 0] + 1j * z[:, 1] if isinstance(self.pole, complex) else z


def _partial_fractions(b: F64, a: F64) -> tuple[Any, float, Any]:
    """(pole p, direct gain c0, output weight r) with H = c0 + r / (1 - p z^-1) for a real pole, or
    H = c0 + 2 Re(r / (1 - p z^-1)) for a complex pair p, p*."""
    b = np.concatenate([b, np.zeros(len(a) - len(b))]) if len(b) < len(a) else b
    if len(a) == 2 and len(b) == 2:
        p = float(-a[1])
        c0 = b[1] / a[1] if a[1] else 0.0
        return p, float(c0), float(b[0] - c0)
    if len(a) == 3 and len(b) == 3:
        disc = a[1] * a[1] - 4 * a[2]
        if disc >= 0:
            raise ValueError(f"Iir: denominator {a.tolist()} has real poles; use two first-order sections")
        pc = complex(-a[1] / 2, math.sqrt(-disc) / 2)
        c0 = b[2] / a[2]
        beta0, beta1 = b[0] - c0, b[1] - c0 * a[1]
        return pc, float(c0), 2 * (beta0 * pc + beta1) / (pc - pc.conjugate())
    raise ValueError(f"Iir: (b, a) = ({b.tolist()}, {a.tolist()}) is not a first- or second-order section")
