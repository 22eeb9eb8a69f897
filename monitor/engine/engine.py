"""PostureEngine: sample blocks in, per-sample estimates and events out. Pure and synchronous."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration
from monitor.engine.features import FeatureFilter, SampleFeatures, at_grid
from monitor.engine.machine import Machine
from monitor.engine.reference import SIT_INCL_DEG, ReferenceFound, ReferenceWatch
from monitor.engine.settings import EngineSettings
from monitor.engine.status import EngineStatus, first_of_each_second, latest_finite
from monitor.engine.ticks import Ticks, classify, lie_limits_deg, runs, tick_positions
from monitor.engine.tracker import SittingTracker
from monitor.engine.upright import UprightSitting
from monitor.errors import InputError
from monitor.events import Event, GapDetected, PostureChanged
from monitor.samples import SampleBlock

POSTURES = ("unknown", "sitting", "standing", "lying", "walking")
CODE = {p: i for i, p in enumerate(POSTURES)}
FIELDS = ("t_s", "posture", "tilt_deg", "obl_deg", "intensity_g", "slouch")
CUT_SLICE = 1 << 16  # samples whose time steps are checked for gaps at once


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

    @staticmethod
    def empty(t_s: NDArray[np.float64]) -> Estimates:
        n = len(t_s)
        return Estimates(t_s, np.empty(n, np.int8), np.empty(n), np.empty(n), np.empty(n), np.empty(n, bool))

    def view(self, lo: int, hi: int) -> Estimates:
        """Samples [lo, hi) sharing memory, so a piece's results land in the whole block's arrays."""
        if lo == 0 and hi == len(self.t_s):
            return self
        return Estimates(*(getattr(self, k)[lo:hi] for k in FIELDS))


class PostureEngine:
    """Causal and chunk-invariant: any split of the same stream gives the same estimates and events."""

    def __init__(self, rate_hz: float, calibration: Calibration | None = None,
                 settings: EngineSettings | None = None) -> None:
        self.s = settings or EngineSettings()
        if rate_hz < self.s.min_rate_hz:
            raise InputError(f"the posture engine needs at least {self.s.min_rate_hz:g} Hz of samples "
                             f"(got {rate_hz:g} Hz): choose a higher sensor rate")
        self.rate_hz = rate_hz
        self.gap_s = max(self.s.gap_s, self.s.gap_periods / rate_hz)  # missing data longer than this is a gap
        self.calibrated = calibration is not None
        self.cal = calibration or Calibration.unknown()
        self.per_tick = max(1, round(rate_hz / self.s.tick_hz))
        self.grid = max(1, round(self.s.adopt_grid_s * rate_hz))  # samples per step while adopting
        self.features = FeatureFilter(self.s, rate_hz, self.cal)
        self.machine = Machine(self.s, self.cal.sit_deg, rate_hz / self.per_tick)
        self.machine.st.oriented = self.calibrated
        self.adopted = False  # measuring with a reference the engine found (not the one it was given)
        self.pending: list[Any] | None = None  # a reference found, adopted at the next grid boundary
        self.tracker = SittingTracker(self.s)
        self.upright = UprightSitting(self.cal.sit_deg, rate_hz / self.per_tick, self.s)
        self.lie_deg = lie_limits_deg(self.s, self.cal.sit_deg)
        self.n_samples = 0
        self.last_t: float | None = None
        self.lying_cls = False
        self.slouch_now = False
        self.last_code = CODE["unknown"]
        self.time_s: dict[str, float] = dict.fromkeys(POSTURES, 0.0)
        self.estimates: Estimates | None = None
        self.last_ticks = np.zeros(0, np.int64)  # decision ticks of the latest piece
        self.auto_source: str | None = None  # uncalibrated: "walking", then "walking+sitting" once adopted
        self.ref = ReferenceWatch(self.cal, self.calibrated, rate_hz, self.s.walk_ref_s, self.s.sit_ref_s,
                                  self.s.drift_deg, self.s.still_g)

    # -- public API ----------------------------------------------------------------------
    def update(self, block: SampleBlock) -> list[Event]:
        """Process one block; returns the events it caused, sets `self.estimates`."""
        events: list[Event] = []
        est = Estimates.empty(block.t_s)
        for lo, hi in self._pieces(block.t_s):
            if self.last_t is not None and block.t_s[lo] - self.last_t > self.gap_s:
                events.extend(self._gap(float(block.t_s[lo]), self.last_t))
            while lo < hi:
                step = hi if not self._may_adopt() else min(hi, lo + self.grid - self.n_samples % self.grid)
                piece = block if lo == 0 and step == len(block) else block.slice(lo, step)
                events.extend(self._step(piece, est.view(lo, step)))
                lo = step
        self.estimates = est if len(block) else None
        return events

    def _step(self, piece: SampleBlock, out: Estimates) -> list[Event]:
        """One gap-free stretch through every stage; a reference found in it is adopted after it."""
        piece_events: list[Event] = []
        self._piece(piece, piece_events, out)
        found = self.ref.process(piece.t_s, piece.acc_g, out.posture, out.intensity_g,
                                 (CODE["walking"], CODE["sitting"]), self.last_ticks)
        found += self._posed()
        self.last_t = float(piece.t_s[-1])
        if self.pending is None and any(isinstance(e, ReferenceFound) and e.source in ("walking", "sitting")
                                        for e in found):
            self.pending = ["found"]
        if self.pending is not None and self.n_samples % self.grid == 0:
            self._apply(self.pending)
            self.pending = None
        return sorted(piece_events + found, key=_emitted)

    def _may_adopt(self) -> bool:
        """A reference may still be found and adopted: then stretches end on a fixed grid of sample
        numbers, so the adoption lands on the same sample however the stream was chunked."""
        first_walk = not self.ref.calibrated and self.ref.walk_up is None  # uncalibrated: walking rebases
        return (self.pending is not None or not self.machine.st.oriented or self.ref.seeking_sit()
                or first_walk)

    def _apply(self, pending: list[Any]) -> None:
        """Adopt what was found, now that the stream is on a grid boundary."""
        if pending[0] == "found":
            self._adopt()
            return
        _, source, up = pending
        self.ref.stand_up = np.asarray(up, np.float64)
        self._take(self.cal.rebased(self.ref.stand_up))
        self.auto_source = source

    def _adopt(self) -> None:
        """Take the reference the watcher found from the next step on: uncalibrated, walking up and
        then a sit's left-right axis; calibrated from standing only, the sit's left-right axis.
        Sitting and standing are then judged again under it."""
        cal = self.ref.rebased()
        assert cal is not None
        if not self.calibrated:  # up from walking, else from the sit-down (or getting up) adopted before
            up_from = "walking" if self.ref.walk_up is not None else self.auto_source or "walking"
            self.auto_source = f"{up_from}+sitting" if self.ref.sit_dir is not None else up_from
        self._take(cal)
        self.machine.st.rejudge = True
        self.ref.calibrated = self.calibrated or self.ref.sit_dir is not None  # then watch it for drift

    def _take(self, cal: Calibration) -> None:
        """Measure with a reference the engine found: up is known from here on."""
        self.use(cal)
        self.adopted = self.machine.st.oriented = self.ref.has_up = True

    def _posed(self) -> list[Event]:
        """Unoriented: the first sit-down or getting-up the lift told, when the pelvis leaned back
        from standing to sitting as a pelvis does (10-45 deg), gives up (the standing spell), adopted
        at the next grid boundary; left-right then comes from the first settled sit, as after walking."""
        posed, self.machine.found = self.machine.found, None
        if posed is None or self.pending is not None:
            return []
        r = self.cal.r
        up, sit = (r.T @ g / np.linalg.norm(g) for g in (posed.stand_g, posed.sit_g))
        lo, hi = SIT_INCL_DEG
        if not lo <= np.degrees(np.arccos(np.clip(up @ sit, -1.0, 1.0))) <= hi:
            return []
        source = "sitting down" if posed.posture == "sitting" else "getting up"
        self.pending = ["posed", source, up.tolist()]
        return [posed.transition, ReferenceFound(posed.t_s, source)]

    def recalibrate(self, cal: Calibration) -> None:
        """A calibration the user made (the guided one) replaces whatever was used, from the next block."""
        self.use(cal)
        self.calibrated, self.auto_source, self.adopted, self.pending = True, None, False, None
        self.machine.st.oriented = self.ref.has_up = True
        self.ref.calibrated, self.ref.drifted = True, False

    def use(self, cal: Calibration) -> None:
        """Measure with `cal` from the next sample on; posture, bouts and totals carry on."""
        self.cal = cal
        self.features = FeatureFilter(self.s, self.rate_hz, cal)
        self.machine.sit_deg = cal.sit_deg
        self.upright.restart(cal.sit_deg)
        self.lie_deg = lie_limits_deg(self.s, cal.sit_deg)
        self.machine.reset()
        self.ref.cal = cal

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

    def status(self) -> EngineStatus:
        """What front ends show after each block (the dashboard, the MQTT state), as one typed value."""
        est = self.estimates
        t_s, tilt_deg = (est.t_s, est.tilt_deg) if est is not None else (np.zeros(0), np.zeros(0))
        track = self.tracker.st
        return EngineStatus(self.last_t, self.posture, latest_finite(tilt_deg), self.slouch_now,
                            self.s.slouch_threshold_deg, self.calibrated, self.auto_source,
                            first_of_each_second(t_s, tilt_deg), self.sit_reference_deg,
                            track.slouch_since if track.slouch else None)

    @property
    def sit_reference_deg(self) -> float:
        """Upright sitting's tilt from standing now: what slouch is measured from."""
        return self.upright.now_deg if self.s.sit_follow else self.cal.sit_deg

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"calibrated": self.calibrated}
        if self.auto_source:
            out["auto_reference"] = self.auto_source
        out["time_s"] = {k: round(v, 1) for k, v in sorted(self.time_s.items())}
        return out

    # -- internals -----------------------------------------------------------------------
    def _pieces(self, t_s: NDArray[np.float64]) -> list[tuple[int, int]]:
        """Gap-free stretches [lo, hi) of a block; the time steps are looked at in cache-sized
        slices (a whole block's differences would be one more block-sized temporary)."""
        n = len(t_s)
        cuts = []
        for lo in range(0, n - 1, CUT_SLICE):
            hi = min(n - 1, lo + CUT_SLICE)
            cuts += (np.flatnonzero(t_s[lo + 1:hi + 1] - t_s[lo:hi] > self.gap_s) + lo + 1).tolist()
        edges = [0, *cuts, n]
        return [(a, b) for a, b in itertools.pairwise(edges) if b > a]

    def _gap(self, t_resume: float, t_last: float) -> list[Event]:
        self.features.reset()
        self.ref.gap()
        self.machine.reset()
        self.tracker.gap(t_last)
        self.upright.gap()
        out: list[Event] = [GapDetected(t_resume, t_resume - t_last)]
        if self.machine.st.posture != "unknown":
            out.append(PostureChanged(t_resume, "unknown", self.machine.st.posture))
            self.machine.st.posture = "unknown"
        return out

    def _piece(self, b: SampleBlock, events: list[Event], out: Estimates) -> None:
        pos = self.last_ticks = tick_positions(self.n_samples, len(b), self.per_tick)
        f = SampleFeatures(out.tilt_deg, out.obl_deg, out.intensity_g, np.empty(len(pos)), np.empty(len(pos)),
                           np.empty((3, len(pos))))
        self.features.process(b.acc_g, b.gyro_dps, pos, f)
        start_posture = self.machine.st.posture
        self.machine.st.changes, self.machine.events = [], []
        if len(pos):
            tick_posture, slouch_ticks = self._decide(b, pos, f, start_posture, events)
        else:  # no tick closes in this piece (a live sample or two): nothing to decide
            tick_posture, slouch_ticks = np.zeros(0, np.int8), np.zeros(0, bool)
        self.n_samples += len(b)
        self._per_sample(b, pos, start_posture, tick_posture, slouch_ticks, out)

    def _decide(self, b: SampleBlock, pos: NDArray[np.int64], f: SampleFeatures, start_posture: str,
                events: list[Event]) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
        """The decision layer over a piece's ticks: classes, postures, upright sitting and slouching;
        returns each tick's posture code and slouch flag."""
        first_tick = (self.n_samples + int(pos[0]) + 1) // self.per_tick - 1
        cls, self.lying_cls = classify(f, self.lying_cls, self.s, self.lie_deg)
        t_s = at_grid(b.t_s, pos).copy()
        ticks = Ticks(first_tick + np.arange(len(pos)), t_s, f.tilt_tick_deg, f.lift_tick_g, f.grav_tick_g)
        m = self.machine
        m.hist.extend(ticks)
        for a, e, c in runs(cls):
            m.run(first_tick + a, first_tick + e, c)
        tick_posture = self._tick_postures(start_posture, first_tick, len(pos))
        sitting = tick_posture == CODE["sitting"]
        upright = self._upright(ticks, sitting, f.intensity_tick_g)
        t_events, slouch_ticks = self.tracker.process(ticks.t_s, sitting, ticks.tilt_deg, upright)
        events.extend(sorted(m.events + t_events, key=_emitted))
        m.hist.trim()
        return tick_posture, slouch_ticks

    def _upright(self, ticks: Ticks, sitting: NDArray[np.bool_],
                 intensity_g: NDArray[np.float64]) -> NDArray[np.float64]:
        """The upright-sitting reference at each tick: learned from the bouts, or the calibration's."""
        ref = self.upright.process(ticks.tilt_deg, sitting, intensity_g < self.s.sit_calm_g)
        return ref if self.s.sit_follow else np.full(len(ticks), self.cal.sit_deg)

    def _tick_postures(self, start: str, first_tick: int, n: int) -> NDArray[np.int8]:
        out = np.full(n, CODE[start], np.int8)
        for tick, posture in self.machine.st.changes:
            out[tick - first_tick:] = CODE[posture]
        return out

    def _per_sample(self, b: SampleBlock, pos: NDArray[np.int64], start: str,
                    tick_posture: NDArray[np.int8], slouch_ticks: NDArray[np.bool_], out: Estimates) -> None:
        """Each tick's decision holds from its sample to the next tick; before the first, the carried
        one. Ticks are `per_tick` samples apart, so each decision is repeated that often."""
        p0 = int(pos[0]) if len(pos) else len(b)
        out.posture[:p0], out.slouch[:p0] = CODE[start], self.slouch_now
        if len(pos):
            out.posture[p0:] = _repeated(tick_posture, self.per_tick, len(b) - p0)
            out.slouch[p0:] = _repeated(slouch_ticks, self.per_tick, len(b) - p0)
            self.slouch_now = bool(slouch_ticks[-1])
        self._account(b.t_s, pos, CODE[start], tick_posture)

    def _account(self, t: NDArray[np.float64], pos: NDArray[np.int64], start: int,
                 tick_posture: NDArray[np.int8]) -> None:
        """Charge each interval between samples to the posture at its start; gaps to unknown.
        A piece has no gap inside, so each run of one posture is charged in one subtraction; the
        runs are found among the ticks (a posture changes only there), not among the samples."""
        if self.last_t is not None:
            dt = float(t[0]) - self.last_t
            self.time_s[POSTURES[self.last_code] if dt <= self.gap_s else "unknown"] += dt
        starts, codes = _posture_runs(pos, start, tick_posture)
        if len(starts) == 1:  # one posture throughout: its bin gets the one interval, the rest 0.0
            self.time_s[POSTURES[int(codes[0])]] += float(t[-1] - t[0])
        else:
            ends = np.concatenate([starts[1:], [len(t) - 1]])
            totals = np.bincount(codes, weights=t[ends] - t[starts], minlength=len(POSTURES))
            for k, name in enumerate(POSTURES):
                self.time_s[name] += float(totals[k])
        self.last_code = int(codes[-1])


def _repeated(values: NDArray[Any], per_tick: int, n: int) -> NDArray[Any]:
    """The n samples from the first tick on, each holding the latest tick's value."""
    return values[:1] if n == 1 else np.repeat(values, per_tick)[:n]


def _posture_runs(pos: NDArray[np.int64], start: int,
                  tick_posture: NDArray[np.int8]) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """First sample and posture code of each run of one posture in a piece: the carried posture
    up to the first tick (unless it closes the piece's first sample), then each tick's."""
    if len(pos) and pos[0] == 0:
        at, codes = pos, tick_posture
    else:
        at = np.concatenate([[0], pos])
        codes = np.concatenate([np.array([start], np.int8), tick_posture])
    if len(codes) == 1:
        return at, codes
    keep = np.concatenate([[True], codes[1:] != codes[:-1]])
    return at[keep], codes[keep]


def _emitted(ev: Event) -> float:
    return float(getattr(ev, "emitted_s", ev.t_s))

