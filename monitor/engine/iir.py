"""Chunk-invariant IIR filters on scipy's lfilter kernel, loaded without importing scipy.signal.

The filter is scipy's direct form II transposed, `scipy.signal._sigtools._linear_filter(b, a, x, axis,
zi)`: the C loop behind `scipy.signal.lfilter`. Its state `zi` is carried from call to call, and each
output sample is the same sequence of float operations wherever the chunk boundaries fall, so any split
of a stream gives bit-identical output (tests/test_iir.py checks random splits down to single samples).

Why not `from scipy.signal import lfilter`: importing any part of scipy.signal the ordinary way runs its
package __init__, which pulls in scipy.stats, scipy.spatial, scipy.ndimage and the array-API wrappers.
Measured (scipy 1.17.1, numpy 2.4.6, Python 3.11; wall time of fresh interpreters, median of 15, on a
shared 2-core machine): `import numpy` 122 ms over bare python, then `import scipy.signal` +885 ms,
`from scipy.signal import lfilter` +991 ms, `import scipy.signal._sigtools` +1003 ms (the package
__init__ runs all the same), but the _sigtools extension loaded straight from its file +12 ms (0.4 ms
timed in-process, the rest noise). So the kernel is loaded from its file; if that fails (moved,
renamed, or a wrong answer to a 3-sample self-check) the public `scipy.signal.lfilter`, the same kernel
with the same output, is imported on first use instead, paying that second. `KERNEL` says which runs.

Speed against the numpy filter this module had before (each pole a scaled prefix sum, cumsum in blocks),
µs per call, best of 15 interleaved runs (M samples/s in brackets; features.py now works in 16384-sample
slices):

    shape (features.py)       8192 samples, kernel vs numpy   10 samples       1 sample
    2nd order x 3 rows        143 (57)   160 (51)               1.8 vs 8.4       1.7 vs 8.0
    1st order x 1 row          42 (195)   69 (119)              1.6 vs 8.2       1.6 vs 8.6
    1st order x 2 rows         82 (100)   77 (107)              1.7 vs 7.0       1.7 vs 6.5
    all three, one slice      267 (31)   305 (27)               5.1 vs 23.6      5.0 vs 23.1

The public lfilter adds about 3 µs a call (array-API dispatch) to the kernel's figures. Rounding is
that of a direct-form filter, as lfilter's.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
Kernel = Callable[[F64, F64, F64, int, F64], tuple[F64, F64]]  # (b, a, x, axis, zi) -> (y, zf)


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
    """y = (b0 + b1 z^-1 + ...) / (1 + a1 z^-1 + ...) on each row of a (channels, n) array (as many
    channels as `start` was given), with the filter state carried from one call to the next, so any
    split of a stream into calls gives bit-identical output. Any stable order runs (features.py uses
    first and second); the state is the direct form's `zi`, (channels, order)."""

    def __init__(self, b: F64, a: F64) -> None:
        b, a = np.atleast_1d(np.asarray(b, np.float64)), np.atleast_1d(np.asarray(a, np.float64))
        if b.ndim != 1 or a.ndim != 1 or not len(b) or not a[0]:
            raise ValueError(f"Iir: (b, a) = ({b.tolist()}, {a.tolist()}) is not a filter")
        n = max(len(a), len(b), 2)  # the kernel wants equal lengths and at least one state
        self.b = np.concatenate([b, np.zeros(n - len(b))]) / a[0]
        self.a = np.concatenate([a, np.zeros(n - len(a))]) / a[0]
        poles = np.roots(self.a)
        if len(poles) and np.max(np.abs(poles)) >= 1:
            raise ValueError(f"Iir: pole {poles[np.argmax(np.abs(poles))]} is not inside the unit circle")
        # Steady state for input 1: output g = B(1)/A(1); state k holds sum over j > k of b_j - a_j g.
        g = self.b.sum() / self.a.sum()
        self.zi_unit = np.cumsum((self.b[1:] - self.a[1:] * g)[::-1])[::-1].copy()
        self.zi: F64 | None = None  # (channels, n - 1); None: not started

    def start(self, u0: F64) -> None:
        """State as if input u0 (per channel) had been there forever: output at steady state."""
        self.zi = np.asarray(u0, np.float64)[:, None] * self.zi_unit

    def __call__(self, u: F64) -> F64:
        """Filter rows of u (continuing the carried state; `start` must have been called)."""
        assert self.zi is not None, "Iir.start() before filtering"
        x = np.asarray(u, np.float64)
        if not x.shape[1]:
            return x.copy()  # the kernel returns an unset final state for an empty input
        y, self.zi = KERNEL_FN(self.b, self.a, x, 1, self.zi)
        return y

    @property
    def state(self) -> dict[str, F64] | None:
        """Plain float arrays (a snapshot stays JSON numbers); None before `start`."""
        return None if self.zi is None else {"zi": self.zi.copy()}

    @state.setter
    def state(self, st: dict[str, F64] | None) -> None:
        if st is None:
            self.zi = None
            return
        if "zi" not in st:  # e.g. {"m", "z"} of the prefix-sum filter before the kernel was adopted
            raise ValueError(f"Iir: filter state with keys {sorted(st)} is not a direct-form state 'zi'")
        zi = np.asarray(st["zi"], np.float64)
        if zi.ndim != 2 or zi.shape[1] != len(self.a) - 1:
            raise ValueError(f"Iir: state of shape {zi.shape} is not (channels, {len(self.a) - 1})")
        self.zi = zi


def _sigtools_kernel() -> Kernel:
    """`_linear_filter` of scipy.signal's _sigtools extension, loaded from its file beside scipy so
    that scipy.signal's __init__ does not run (the module is not entered in sys.modules: a later
    `import scipy.signal` loads it the ordinary way). Already imported: that module is used."""
    mod = sys.modules.get("scipy.signal._sigtools")
    if mod is None:
        spec = importlib.util.find_spec("scipy")  # finds the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("scipy not found")
        folder = Path(next(iter(spec.submodule_search_locations))) / "signal"
        path = next(p for s in importlib.machinery.EXTENSION_SUFFIXES
                    if (p := folder / f"_sigtools{s}").is_file())
        ext = importlib.util.spec_from_file_location("scipy.signal._sigtools", path)
        if ext is None or ext.loader is None:
            raise ImportError(f"no loader for {path}")
        mod = importlib.util.module_from_spec(ext)
        ext.loader.exec_module(mod)
    fn: Kernel = mod._linear_filter
    return fn


def _lfilter_kernel(b: F64, a: F64, x: F64, axis: int, zi: F64) -> tuple[F64, F64]:
    """The public scipy.signal.lfilter (same kernel), imported on first use: about 1 s."""
    from scipy.signal import lfilter

    y, zf = lfilter(b, a, x, axis=axis, zi=zi)
    return y, zf


def _checked(fn: Kernel) -> bool:
    """The kernel's answer on three samples of y[n] = (x[n] + x[n-1]) / 2 + y[n-1] / 2, state 0.25."""
    y, zf = fn(np.array([0.5, 0.5]), np.array([1.0, -0.5]), np.array([[1.0, 2.0, 3.0]]), 1,
               np.array([[0.25]]))
    return bool(np.array_equal(y, [[0.75, 1.875, 3.4375]]) and np.array_equal(zf, [[3.21875]]))


def _pick_kernel() -> tuple[Kernel, str]:
    try:
        fn = _sigtools_kernel()
        if _checked(fn):
            return fn, "scipy.signal._sigtools._linear_filter"
    except Exception:  # any failure of the private entry: the public one has the same output
        pass
    return _lfilter_kernel, "scipy.signal.lfilter"


KERNEL_FN: Kernel
KERNEL: str  # which kernel filters: the private entry loaded from its file, or the public lfilter
KERNEL_FN, KERNEL = _pick_kernel()

