"""What one section of a report draws, as data: runs of postures and labels, slouch spans, pelvic tilt,
the upright-sitting reference, the sitting bout and every event, all on one time axis of Unix seconds
(wall time, UTC). Built from a replayed recording (series.py) or from the statistics store (daylog.py);
drawn by figures.py without knowing which."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Runs:
    """Back-to-back runs of one name each: run i covers [start_s[i], end_s[i]) and is
    `names[code[i]]`. A name may be any label (the drawing picks its colour by name)."""

    start_s: F64
    end_s: F64
    code: NDArray[np.int16]
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.code)

    @staticmethod
    def empty(names: tuple[str, ...] = ()) -> Runs:
        return Runs(np.zeros(0), np.zeros(0), np.zeros(0, np.int16), names)

    @staticmethod
    def from_per_sample(t_s: F64, codes: NDArray[np.integer], names: tuple[str, ...]) -> Runs:
        """Run-length encode per-sample codes; each run lasts until the next one starts (the last
        until the last sample)."""
        if len(codes) == 0:
            return Runs.empty(names)
        starts = np.concatenate([[0], np.flatnonzero(np.diff(codes)) + 1])
        ends_t = np.concatenate([t_s[starts[1:]], t_s[-1:]])
        return Runs(t_s[starts].astype(np.float64), ends_t.astype(np.float64),
                    codes[starts].astype(np.int16), names)

    def seconds(self) -> dict[str, float]:
        """Total seconds per name."""
        out: dict[str, float] = {}
        for s, e, c in zip(self.start_s.tolist(), self.end_s.tolist(), self.code.tolist(), strict=True):
            out[self.names[c]] = out.get(self.names[c], 0.0) + (e - s)
        return out


@dataclass(frozen=True)
class Spans:
    """Intervals [start_s[i], end_s[i]) of one thing (slouched, a sitting bout)."""

    start_s: F64
    end_s: F64

    def __len__(self) -> int:
        return len(self.start_s)

    @staticmethod
    def of(pairs: list[tuple[float, float]]) -> Spans:
        arr = np.array(pairs, np.float64).reshape(-1, 2)
        return Spans(arr[:, 0].copy(), arr[:, 1].copy())

    def covered_s(self, at_s: F64) -> F64:
        """Seconds inside the spans (sorted, disjoint) up to each time of `at_s`."""
        if len(self) == 0:
            return np.zeros(len(at_s))
        length_s = self.end_s - self.start_s
        knots = np.column_stack([self.start_s, self.end_s]).ravel()
        before = np.concatenate([[0.0], np.cumsum(length_s)[:-1]])  # covered before each span
        return np.interp(at_s, knots, np.column_stack([before, before + length_s]).ravel())


@dataclass(frozen=True)
class Marker:
    """One event, drawn as one marker: when (Unix s), its type, and what it said in words."""

    t_s: float
    kind: str
    text: str


@dataclass(frozen=True)
class Curve:
    """A sampled value over time (Unix s); NaN where there is none."""

    t_s: F64
    value: F64

    def __len__(self) -> int:
        return len(self.t_s)


@dataclass
class Timeline:
    """One report section on one shared time axis. `tilt_back_deg` is the pelvic tilt back from
    calibrated standing per sample (positive = reclined), `reference_back_deg` upright sitting's, so
    slouching is above reference + threshold; `bout_s` is the sitting bout in seconds."""

    title: str
    start_s: float
    end_s: float
    postures: Runs
    slouch: Spans
    labels: Runs | None = None
    tilt_back_deg: Curve | None = None
    reference_back_deg: Curve | None = None
    threshold_deg: float = 8.0
    bout_s: Curve | None = None
    limit_s: float = 1800.0
    markers: list[Marker] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    quiet: list[tuple[float, float, str]] = field(default_factory=list)  # (start, end, why) quiet
