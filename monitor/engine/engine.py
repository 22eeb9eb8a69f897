"""PostureEngine: sample blocks in, per-sample estimates and events out. Pure and synchronous."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration
from monitor.engine.features import FeatureFilter
from monitor.engine.machine import Machine
from monitor.engine.settings import EngineSettings
from monitor.engine.ticks import Ticks, classify, lie_limits_deg, runs, tick_positions
from monitor.engine.tracker import SittingTracker
from monitor.events import Event, GapDetected, PostureChanged
from monitor.samples import SampleBlock

POSTURES = ("unknown", "sitting", "standing", "lying", "walking")
CODE = {p: i for i, p in enumerate(POSTURES)}


@dataclass
class Estimates:
    """Per-sample outputs of one update: posture code (index into POSTURES), angles (deg),
    movement intensity (g) and the slouch flag."""

    t_s: NDArray[np.float64]
    posture: NDArray[np.int8]
    tilt_deg: NDArray[np.float64]
    obl_deg: NDArray[np.float64]
    intensity_g: NDArray[np.float64]
    slouch: NDArray[np.bool_]


class PostureEngine:
    """Causal and chunk-invariant: any split of the same stream gives the same estimates and events."""

    def __init__(self, rate_hz: float, calibration: Calibration | None = None,
                 settings: EngineSettings | None = None) -> None:
        self.s = settings or EngineSettings()
        self.rate_hz = rate_hz
        self.calibrated = calibration is not None
        self.cal = calibration or Calibration(((1.0, 0, 0), (0, 1.0, 0), (0, 0, 1.0)))
        self.per_tick = max(1, round(rate_hz / self.s.tick_hz))
        self.features = FeatureFilter(self.s, rate_hz, self.cal)
        self.machine = Machine(self.s, self.cal.sit_deg, rate_hz / self.per_tick)
        self.tracker = SittingTracker(self.s, self.cal.sit_deg)
        self.lie_deg = lie_limits_deg(self.s, self.cal.sit_deg)
        self.n_samples = 0
        self.last_t: float | None = None
        self.lying_cls = False
        self.slouch_now = False
        self.last_code = CODE["unknown"]
        self.time_s: dict[str, float] = dict.fromkeys(POSTURES, 0.0)
        self.estimates: Estimates | None = None

    # -- public API ----------------------------------------------------------------------
    def update(self, block: SampleBlock) -> list[Event]:
        """Process one block; returns the events it caused, sets `self.estimates`."""
        events: list[Event] = []
        parts: list[Estimates] = []
        for lo, hi in self._pieces(block.t_s):
            if self.last_t is not None and block.t_s[lo] - self.last_t > self.s.gap_s:
                events.extend(self._gap(float(block.t_s[lo]), self.last_t))
            parts.append(self._piece(block.slice(lo, hi), events))
            self.last_t = float(block.t_s[hi - 1])
        self.estimates = _join(parts) if parts else None
        return events

    def snapshot(self) -> dict[str, Any]:
        """The engine's state as JSON-ready data (see monitor.engine.snapshot)."""
        from monitor.engine.snapshot import snapshot

        return snapshot(self)

    @classmethod
    def resume(cls, snap: dict[str, Any], rate_hz: float, calibration: Calibration | None = None,
               settings: EngineSettings | None = None) -> PostureEngine:
        """An engine that continues from `snap` as if the stream had never stopped."""
        from monitor.engine.snapshot import restore

        engine = cls(rate_hz, calibration, settings)
        restore(engine, snap)
        return engine

    @property
    def posture(self) -> str:
        return self.machine.st.posture

    def summary(self) -> dict[str, Any]:
        return {"calibrated": self.calibrated,
                "time_s": {k: round(v, 1) for k, v in sorted(self.time_s.items())}}

    # -- internals -----------------------------------------------------------------------
    def _pieces(self, t_s: NDArray[np.float64]) -> list[tuple[int, int]]:
        cuts = np.flatnonzero(np.diff(t_s) > self.s.gap_s) + 1
        edges = [0, *cuts.tolist(), len(t_s)]
        return [(a, b) for a, b in itertools.pairwise(edges) if b > a]

    def _gap(self, t_resume: float, t_last: float) -> list[Event]:
        self.features.reset()
        self.machine.reset()
        self.tracker.gap(t_last)
        out: list[Event] = [GapDetected(t_resume, t_resume - t_last)]
        if self.machine.st.posture != "unknown":
            out.append(PostureChanged(t_resume, "unknown", self.machine.st.posture))
            self.machine.st.posture = "unknown"
        return out

    def _piece(self, b: SampleBlock, events: list[Event]) -> Estimates:
        f = self.features.process(b.acc_g, b.gyro_dps)
        pos = tick_positions(self.n_samples, len(b), self.per_tick)
        first_tick = (self.n_samples + int(pos[0]) + 1) // self.per_tick - 1 if len(pos) else 0
        cls, self.lying_cls = classify(f, pos, self.lying_cls, self.s, self.lie_deg)
        ticks = Ticks(first_tick + np.arange(len(pos)), b.t_s[pos], f.tilt_deg[pos])
        start_posture = self.machine.st.posture
        m = self.machine
        m.hist.extend(ticks)
        m.st.changes, m.events = [], []
        for a, e, c in runs(cls):
            m.run(first_tick + a, first_tick + e, c)
        tick_posture = self._tick_postures(start_posture, first_tick, len(pos))
        sitting = tick_posture == CODE["sitting"]
        t_events, slouch_ticks = self.tracker.process(ticks.t_s, sitting, ticks.tilt_deg)
        events.extend(sorted(m.events + t_events, key=_emitted))
        m.hist.trim()
        self.n_samples += len(b)
        return self._per_sample(b, f, pos, start_posture, tick_posture, slouch_ticks)

    def _tick_postures(self, start: str, first_tick: int, n: int) -> NDArray[np.int8]:
        out = np.full(n, CODE[start], np.int8)
        for tick, posture in self.machine.st.changes:
            out[tick - first_tick:] = CODE[posture]
        return out

    def _per_sample(self, b: SampleBlock, f: Any, pos: NDArray[np.int64], start: str,
                    tick_posture: NDArray[np.int8], slouch_ticks: NDArray[np.bool_]) -> Estimates:
        which = np.searchsorted(pos, np.arange(len(b)), side="right") - 1
        if len(pos) == 0:  # no decision tick in this piece: everything keeps the carried state
            tick_posture, slouch_ticks = np.array([CODE[start]], np.int8), np.array([self.slouch_now])
        before = which < 0
        posture = np.where(before, CODE[start], tick_posture[np.maximum(which, 0)]).astype(np.int8)
        slouch = np.where(before, self.slouch_now, slouch_ticks[np.maximum(which, 0)])
        if len(slouch_ticks):
            self.slouch_now = bool(slouch_ticks[-1])
        self._account(b.t_s, posture)
        return Estimates(b.t_s, posture, f.tilt_deg, f.obl_deg, f.intensity_g, slouch)

    def _account(self, t: NDArray[np.float64], posture: NDArray[np.int8]) -> None:
        """Charge each interval between samples to the posture at its start; gaps to unknown."""
        prev_t = t[0] if self.last_t is None else self.last_t
        times = np.concatenate([[prev_t], t])
        owners = np.concatenate([[self.last_code], posture])[:-1]
        dt = np.diff(times)
        gap = dt > self.s.gap_s
        owners = np.where(gap, CODE["unknown"], owners)
        totals = np.bincount(owners, weights=dt, minlength=len(POSTURES))
        for k, name in enumerate(POSTURES):
            self.time_s[name] += float(totals[k])
        self.last_code = int(posture[-1])


def _emitted(ev: Event) -> float:
    return float(getattr(ev, "emitted_s", ev.t_s))


def _join(parts: list[Estimates]) -> Estimates:
    if len(parts) == 1:
        return parts[0]
    return Estimates(*(np.concatenate([getattr(p, k) for p in parts]) for k in
                       ("t_s", "posture", "tilt_deg", "obl_deg", "intensity_g", "slouch")))
