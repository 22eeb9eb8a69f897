"""The upright reference from walking: keeps a calibration current, or finds one when there is none.

While walking, the pelvis is upright, so the mean accelerometer vector over whole strides points
up (evidence 3.3, "Ongoing"). After `walk_ref_s` of one walking bout the watcher judges it:
- calibrated: if up has moved more than `drift_deg` from the calibration's, the clip has moved;
  a `calibration_drift` event offers recalibration (and a rebased calibration is ready);
- uncalibrated: a `reference_found` event says the walking up is found; the first still spell
  leaning back like a sitting pelvis after it gives the left-right axis (standing x sitting, as the
  guided calibration does), and a second `reference_found`.
Sums are sequential (cumsum with the carry first), so the events do not depend on chunking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration, tilt_deg
from monitor.events import CalibrationDrift, Event, ReferenceFound

F64 = NDArray[np.float64]
NONE, WALK, SIT = 0, 1, 2
SIT_INCL_DEG = (10.0, 45.0)  # a sitting pelvis leans back 10-45 deg from upright (evidence 3.4)


@dataclass
class Run:
    """A run of samples of one posture being summed: count and sum of acceleration (g)."""

    n: int = 0
    acc_sum: tuple[float, float, float] = (0.0, 0.0, 0.0)
    judged: bool = False


class ReferenceWatch:
    """Watches walking (and, uncalibrated, the first sit) for the upright reference."""

    def __init__(self, cal: Calibration, calibrated: bool, rate_hz: float, walk_ref_s: float,
                 sit_ref_s: float, drift_deg: float, still_g: float) -> None:
        self.cal, self.calibrated, self.still_g = cal, calibrated, still_g
        self.walk_n, self.sit_n = round(walk_ref_s * rate_hz), round(sit_ref_s * rate_hz)
        self.drift_deg = drift_deg
        self.run, self.code = Run(), -1
        self.walk_up: F64 | None = None  # latest walking up, sensor frame (unit)
        self.sit_dir: F64 | None = None  # uncalibrated: gravity of the first still sit after walking
        self.stand_up: F64 | None = None  # uncalibrated: gravity of the standing before a sit-down
        self.has_up = calibrated  # the engine measures with a known up (given, or adopted)
        self.drifted = False
        self.sit_like_now = False  # at the last tick

    def process(self, t_s: F64, acc_g: F64, posture: NDArray[np.int8], intensity_g: F64,
                codes: tuple[int, int], ticks: NDArray[np.int64]) -> list[Event]:
        """Events for one gap-free piece (posture codes and intensity per sample from the engine,
        `codes` those of walking and sitting; `ticks`: the decision ticks' positions in it)."""
        events: list[Event] = []
        walking, sitting = codes
        kind = (posture == walking).astype(np.int8)  # WALK or NONE
        if self.seeking_sit():
            kind[(kind == NONE) & (posture == sitting) & self._sit_like(acc_g, intensity_g, ticks)] = SIT
        cuts = np.flatnonzero(np.diff(kind)) + 1
        for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), len(kind)], strict=True):
            code = int(kind[a])
            if code != self.code:
                self.run, self.code = Run(), code
            want = {WALK: self.walk_n, SIT: self.sit_n if self.sit_dir is None else 0}.get(code, 0)
            if want and not self.run.judged:
                self._sum(t_s[a:b], acc_g[a:b], want, code == WALK, events)
        return events

    def up(self) -> F64 | None:
        """Up in sensor coordinates: the latest walking's, else the standing before an adopted sit-down,
        else a calibration's (None: not known)."""
        if self.walk_up is not None:
            return self.walk_up
        if self.stand_up is not None:
            return self.stand_up
        return self.cal.r[2] if self.calibrated else None

    def seeking_sit(self) -> bool:
        """The engine measures with a known up and left-right is not known (a calibration from
        standing only, or an adopted up). Changes only at adoptions, so not with chunking."""
        return not self.cal.ml_known and self.has_up and self.sit_dir is None

    def _sit_like(self, acc_g: F64, intensity_g: F64, ticks: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Still, and inclined from the walking up as a pelvis is when sitting (not lying), judged at
        the decision ticks and held until the next. The direction is not needed, which is the point:
        left-right is what we are looking for."""
        up = self.cal.r[2]  # the up the engine measures with
        a = acc_g[ticks]
        x, y, z = a[:, 0], a[:, 1], a[:, 2]
        cos = (x * up[0] + y * up[1] + z * up[2]) / np.sqrt(x * x + y * y + z * z)
        lo, hi = np.cos(np.radians(SIT_INCL_DEG))
        at_ticks = (intensity_g[ticks] < self.still_g) & (cos < lo) & (cos > hi)
        held = np.concatenate([[self.sit_like_now], at_ticks])
        self.sit_like_now = bool(held[-1])
        return np.repeat(held, np.diff(np.concatenate([[0], ticks, [len(acc_g)]])))

    def gap(self) -> None:
        """A gap ends any run: the next one starts from nothing."""
        self.run, self.code = Run(), -1

    def rebased(self) -> Calibration | None:
        """The calibration turned so that the latest walking up is up, with left-right from the
        sit when one was found (None while up is unknown)."""
        up = self.up()
        return None if up is None else self.cal.rebased(up, self.sit_dir)

    def _sum(self, t: F64, acc: F64, want: int, walking: bool, events: list[Event]) -> None:
        run = self.run
        need = want - run.n
        if need > len(acc):
            run.acc_sum = tuple(_carry_sum(acc, run.acc_sum))
            run.n += len(acc)
            return
        total = _carry_sum(acc[:need], run.acc_sum)
        run.judged, run.n = True, want
        direction = total / np.linalg.norm(total)
        at = float(t[need - 1])
        if walking:
            self._judge_walk(at, direction, events)
        else:
            self.sit_dir = direction
            events.append(ReferenceFound(at, "sitting"))

    def _judge_walk(self, t: float, up: F64, events: list[Event]) -> None:
        first, self.walk_up = self.walk_up is None, up
        if not self.calibrated:
            if first:
                events.append(ReferenceFound(t, "walking"))
            return
        r = self.cal.r
        f = r @ up
        angle = float(np.degrees(np.arccos(np.clip(f[2], -1.0, 1.0))))
        if angle > self.drift_deg and not self.drifted:
            obl = float(np.degrees(np.arctan2(f[1], f[2])))
            events.append(CalibrationDrift(t, angle, float(tilt_deg(r, up)), obl))
        self.drifted = angle > self.drift_deg


def _carry_sum(acc: F64, carry: tuple[float, float, float]) -> F64:
    """carry + sum(acc) as one sequential fold: the same bits however the samples were chunked."""
    seq = acc.copy()
    seq[0] += np.asarray(carry)
    return np.asarray(np.cumsum(seq, axis=0)[-1], np.float64)

