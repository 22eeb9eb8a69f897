"""Bounding what is drawn by the width of the plot, not the length of the recording: a curve becomes
its minimum and maximum per pixel column (every spike stays visible), runs of names become the name
that held most of each column, merged again into runs. An 8 h day at 100 Hz (2.9 M samples) and a
ten-minute recording draw the same number of points."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from monitor.report.timeline import F64, Curve, Runs, Spans


def column_edges(start_s: float, end_s: float, columns: int) -> F64:
    """`columns` + 1 equally spaced edges from start to end (a zero span gets one second)."""
    return np.linspace(start_s, max(end_s, start_s + 1.0), columns + 1)


def envelope(curve: Curve, edges: F64) -> tuple[F64, F64, F64]:
    """Per column: its middle time, the lowest and the highest finite value (NaN where the column has
    none, so a gap in the data stays a gap in the drawing)."""
    finite = np.isfinite(curve.value)
    t, v = curve.t_s[finite], curve.value[finite]
    mid = (edges[:-1] + edges[1:]) / 2
    lo, hi = np.full(len(mid), np.nan), np.full(len(mid), np.nan)
    at = np.searchsorted(t, edges)
    full = np.flatnonzero(at[1:] > at[:-1])
    if len(full):  # each full column runs from its first sample to the next full column's
        inside, starts = v[at[0]:at[-1]], at[full] - at[0]
        lo[full] = np.minimum.reduceat(inside, starts)
        hi[full] = np.maximum.reduceat(inside, starts)
    return mid, lo, hi


def held(curve: Curve, edges: F64) -> tuple[F64, F64]:
    """A value that holds until its next sample (the reference) at one point per column: the latest
    sample by the column's end (NaN before the first sample, after the last, and where it is NaN)."""
    mid = (edges[:-1] + edges[1:]) / 2
    out = np.full(len(mid), np.nan)
    if len(curve) == 0:
        return mid, out
    at = np.searchsorted(curve.t_s, edges[1:], side="right") - 1
    ok = (at >= 0) & (edges[:-1] <= curve.t_s[-1])
    out[ok] = curve.value[at[ok]]
    return mid, out


def sampled(curve: Curve, edges: F64) -> tuple[F64, F64]:
    """A value that changes steadily between samples (the bout) at each column's middle, interpolated
    (NaN outside the samples)."""
    mid = (edges[:-1] + edges[1:]) / 2
    if len(curve) == 0:
        return mid, np.full(len(mid), np.nan)
    out = np.interp(mid, curve.t_s, curve.value)
    out[(mid < curve.t_s[0]) | (mid > curve.t_s[-1])] = np.nan
    return mid, out


def dominant(runs: Runs, edges: F64) -> Runs:
    """The name that held most of each column, merged into runs: at most one run per column. Time
    with no run in a column counts for nobody; a column no run touches is left out."""
    n_names = max(len(runs.names), 1)
    share = np.zeros((n_names, len(edges) - 1))
    for code in np.unique(runs.code).tolist():
        mine = runs.code == code
        share[code] = _covered(runs.start_s[mine], runs.end_s[mine], edges)
    touched = share.max(axis=0) > 0
    best = share.argmax(axis=0)
    keep = np.flatnonzero(touched)
    if len(keep) == 0:
        return Runs.empty(runs.names)
    codes = best[keep]
    new = np.concatenate([[True], (codes[1:] != codes[:-1]) | (keep[1:] != keep[:-1] + 1)])
    starts = keep[new]
    last = np.concatenate([keep[np.flatnonzero(new)[1:] - 1], keep[-1:]])
    return Runs(edges[starts], edges[last + 1], codes[new].astype(np.int16), runs.names)


def _covered(start_s: NDArray[np.float64], end_s: NDArray[np.float64], edges: F64) -> F64:
    """Seconds of each column inside these (sorted, disjoint) intervals."""
    return np.diff(Spans(start_s, end_s).covered_s(edges))
