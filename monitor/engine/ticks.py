"""Tick-level view: per-sample features sampled at a fixed decision rate, classified and run-length coded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.features import SampleFeatures
from monitor.engine.settings import EngineSettings

UPRIGHT, MOVING, LYING, VIGOROUS, LIE_MOVING = 0, 1, 2, 3, 4
PRONE_DEG = 75.0  # tilted forward beyond this: lying face down
SIDE_DEG = 30.0  # rolled beyond this: lying on one's side
SHORT = 8  # up to this many ticks, plain Python beats numpy's per-call cost


@dataclass
class Ticks:
    """Decision ticks of one stretch of samples: absolute index, time, tilt and lift (what the
    decision layer looks back at)."""

    index: NDArray[np.int64]  # absolute tick number
    t_s: NDArray[np.float64]
    tilt_deg: NDArray[np.float64]
    lift_g: NDArray[np.float64]
    grav_g: NDArray[np.float64]  # (3, ticks), pelvis frame

    def __len__(self) -> int:
        return len(self.index)


def tick_positions(first_sample: int, n: int, per_tick: int) -> NDArray[np.int64]:
    """Positions (within the chunk) of samples whose absolute number closes a tick."""
    start = (-(first_sample + 1)) % per_tick
    return np.arange(start, n, per_tick, dtype=np.int64)


def hysteresis(on: NDArray[np.bool_], off: NDArray[np.bool_], state0: bool) -> NDArray[np.bool_]:
    """Schmitt trigger: true from an `on` sample until an `off` one; `state0` before either.
    A few samples (a live chunk's ticks) go through a plain loop: numpy's calls cost more there."""
    if len(on) <= SHORT:
        out, state = [], state0
        for up, down in zip(on.tolist(), off.tolist(), strict=True):
            state = False if down else (True if up else state)
            out.append(state)
        return np.array(out, bool)
    ev = np.zeros(len(on), np.int8)
    ev[on] = 1
    ev[off] = -1
    idx = np.maximum.accumulate(np.where(ev != 0, np.arange(len(on)), -1))
    return np.where(idx >= 0, ev[np.maximum(idx, 0)] > 0, state0)


def lie_limits_deg(s: EngineSettings, sit_deg: float) -> tuple[float, float]:
    """Inclination to enter and to leave lying: never within `lie_margin_deg` of the wearer's
    own sitting reference (someone sitting far back must not count as lying)."""
    enter = max(s.lie_deg, abs(sit_deg) + s.lie_margin_deg)
    return enter, enter - (s.lie_deg - s.lie_exit_deg)


def classify(f: SampleFeatures, lying_before: bool, s: EngineSettings,
             lie_deg: tuple[float, float]) -> tuple[NDArray[np.int8], bool]:
    """VIGOROUS above the walking level, MOVING above stillness (LIE_MOVING when inclined as lying,
    `lie_move_g` at most: settling into bed), else LYING by inclination (with hysteresis; not when
    bent forward beyond `bend_deg`, short of prone), else UPRIGHT; from the features at the ticks."""
    incl, tilt, intensity = f.incl_tick_deg, f.tilt_tick_deg, f.intensity_tick_g
    # leaning straight forward this far is a bend (prone, or on one's side, is lying)
    bent = (tilt > s.bend_deg) & (tilt < PRONE_DEG) & (np.abs(f.obl_tick_deg) < SIDE_DEG)
    lying = hysteresis((incl > lie_deg[0]) & ~bent, (incl < lie_deg[1]) | bent, lying_before)
    cls = np.where(lying, LYING, UPRIGHT).astype(np.int8)
    moving = intensity > s.still_g
    cls[moving] = MOVING
    cls[lying & moving & (intensity <= s.lie_move_g)] = LIE_MOVING
    cls[intensity > s.walk_g] = VIGOROUS
    return cls, bool(lying[-1]) if len(lying) else lying_before


def runs(cls: NDArray[np.int8]) -> list[tuple[int, int, int]]:
    """(first, last, class) of each run of equal classes, inclusive."""
    n = len(cls)
    if n <= 1:
        return [(0, 0, int(cls[0]))] if n else []
    change = (np.flatnonzero(cls[1:] != cls[:-1]) + 1).tolist()
    starts = [0, *change]
    ends = [c - 1 for c in change] + [n - 1]
    return list(zip(starts, ends, cls[starts].tolist(), strict=True))
