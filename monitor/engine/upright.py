"""The wearer's upright sitting, learned from their own sitting bouts: the reference slouch is measured from.

A calibration says how the wearer sat once. Real people do not sit the same way twice (another
chair, another task, a cushion): on UCI HAPT the later sittings of a recording differ from the
calibration sitting by a median 16 deg, mostly more upright. A reference fixed at calibration then
misses slouches of a person sitting taller than at calibration and flags a whole bout of someone
sitting further back. So the calibrated sitting is where the reference starts, not where it stays:

- a *level* is the mid-range tilt of `sit_level_s` held: every tick of the window calm (no vigorous
  movement) and the tilt within `sit_hold_deg` over it. A posture held, not a fidget or the tail of
  sitting down; judged on the tilt itself because a wearer settling into a chair stops turning
  before the accelerometer calms down, and the first upright seconds of a bout are what count;
- a bout's reference is the most upright level it has held so far, counting the calm spell it
  began in (the decision layer declares sitting a moment after the wearer has sat still, later
  out of lying; those first calm seconds are sitting too): slouching is going posterior
  from how this person sits upright *now*; a reclined calibration cannot blind it. After the
  bout's first `sit_learn_s`, a level must be held for `sit_relearn_s` (within twice `sit_hold_deg`) to raise
  it: sitting up tall later in a bout counts, a forward lean to the desk or the seconds of standing
  before a missed getting-up is corrected do not;
- a new bout starts from the previous bout's reference (the calibration's before the first; bouts
  shorter than `sit_min_bout_s` are not taken: a moment's misjudged sitting must not set it), and
  until it has held a level that is its reference. A bout whose every level lies more than
  `sit_allow_deg` behind the previous bout's reference (one who sits down straight into a slump) keeps
  that floor: `ref = max(bout's most upright level, previous reference - allow_deg)`;
- nor is it ever more upright than `sit_max_deg` from standing: sitting that upright cannot be told
  from standing by tilt, so such levels are standing misjudged as sitting (a missed getting-up,
  corrected later), and they must not raise the next bout's reference.

Per tick and vectorised; the window's last ticks, the bout's maximum and the previous reference are
carried, so any chunking gives the same references.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.settings import EngineSettings
from monitor.engine.ticks import runs

F64 = NDArray[np.float64]
BOOL = NDArray[np.bool_]
SLICE = 8192  # ticks worked through at once


@dataclass
class UprightState:
    """What the reference carries between chunks (plain values, for snapshots)."""

    prior_deg: float  # the previous bout's upright sitting (at first: the calibration's)
    bout_deg: float | None = None  # this bout's most upright level so far
    bout_ticks: int = 0  # ticks of sitting in this bout so far
    in_bout: bool = False  # the last tick was sitting
    calm_deg: float | None = None  # the most upright level since the last tick that was not calm
    tail_tilt: list[float] | None = None  # the window's last ticks before this chunk (nan: none)
    tail_ok: list[bool] | None = None


class UprightSitting:
    """Per-tick upright-sitting reference (deg from standing) from tick tilt, sitting and calm."""

    def __init__(self, start_deg: float, tick_hz: float, s: EngineSettings) -> None:
        self.n = max(1, round(s.sit_level_s * tick_hz))
        self.n_long = max(self.n, round(s.sit_relearn_s * tick_hz))
        self.n_learn = round(s.sit_learn_s * tick_hz)
        self.min_bout = round(s.sit_min_bout_s * tick_hz)
        self.max_deg, self.hold_deg, self.allow_deg = s.sit_max_deg, s.sit_hold_deg, s.sit_allow_deg
        self.st = UprightState(start_deg)
        self._tail: tuple[object, object, F64, BOOL] = (None, None, np.zeros((2, 0)), np.zeros(0, bool))
        self.gap()

    @property
    def now_deg(self) -> float:
        """The reference at the latest tick: this bout's, or the previous bout's between bouts."""
        st = self.st
        return self._ref(st.bout_deg) if st.in_bout else st.prior_deg

    def restart(self, start_deg: float) -> None:
        """A new calibration: its sitting is the reference from here on."""
        self.st = UprightState(start_deg)
        self.gap()

    def gap(self) -> None:
        """Data stopped: a bout ends, and no level spans the gap."""
        self._end_bout()
        self.st.calm_deg = None
        self.st.tail_tilt, self.st.tail_ok = [float("nan")] * (self.n_long - 1), [False] * (self.n_long - 1)

    def process(self, tilt_deg: F64, sitting: BOOL, calm: BOOL) -> F64:
        """The reference at each tick of a chunk; a long one in slices of SLICE ticks (the state
        carries across them as across chunks, and their working arrays stay small and cached)."""
        if len(tilt_deg) > SLICE:
            cut = range(0, len(tilt_deg), SLICE)
            return np.concatenate([self.process(tilt_deg[i:i + SLICE], sitting[i:i + SLICE],
                                                calm[i:i + SLICE]) for i in cut])
        if len(tilt_deg) == 0:
            return np.zeros(0)
        levels, sustained = self._levels(tilt_deg, calm)
        out = np.full(len(tilt_deg), np.nan)
        for a, b, sit in runs(sitting.astype(np.int8)):
            if not sit:
                self._end_bout()
                out[a:b + 1] = self.st.prior_deg
                continue
            if not self.st.in_bout:
                self.st.in_bout, self.st.bout_deg = True, self._calm_before(levels, calm, a)
                self.st.bout_ticks = 0
            at = self.st.bout_ticks + np.arange(b - a + 1)
            self.st.bout_ticks += b - a + 1
            out[a:b + 1] = self._bout(np.where(at < self.n_learn, levels[a:b + 1], sustained[a:b + 1]))
        self.st.calm_deg = self._calm_before(levels, calm, len(levels))
        return out

    # -- internals -----------------------------------------------------------------------
    def _levels(self, tilt_deg: F64, ok: BOOL) -> tuple[F64, F64]:
        """Levels of the short and the long window ending at each tick (nan: not held)."""
        both, good = self._behind_tail(tilt_deg, ok)
        bad = np.concatenate([[0], np.cumsum(~good)])  # ticks not calm before each position
        skip = self.n_long - self.n
        short = self._held(both[:, skip:], bad[skip:], self.n, self.hold_deg)
        return short, self._held(both, bad, self.n_long, 2 * self.hold_deg)

    def _behind_tail(self, tilt_deg: F64, ok: BOOL) -> tuple[F64, BOOL]:
        """The chunk's ticks behind the window's last ticks before it, as rows of tilt and of minus
        tilt (their maxima give a window's range); keeps the new tail, as plain lists in the state
        (for snapshots) and as arrays here (so that the next chunk need not convert them)."""
        st = self.st
        assert st.tail_tilt is not None and st.tail_ok is not None
        if self._tail[0] is not st.tail_tilt or self._tail[1] is not st.tail_ok:  # restored, or a gap
            tail = np.asarray(st.tail_tilt, np.float64)
            self._tail = (st.tail_tilt, st.tail_ok, np.stack([tail, -tail]), np.asarray(st.tail_ok, bool))
        keep = self.n_long - 1
        both = np.empty((2, keep + len(tilt_deg)))
        both[:, :keep] = self._tail[2]
        both[0, keep:] = tilt_deg
        np.negative(tilt_deg, out=both[1, keep:])
        good = np.concatenate([self._tail[3], ok])
        tail_both, tail_ok = both[:, both.shape[1] - keep:].copy(), good[len(good) - keep:].copy()
        st.tail_tilt, st.tail_ok = tail_both[0].tolist(), tail_ok.tolist()
        self._tail = (st.tail_tilt, st.tail_ok, tail_both, tail_ok)
        return both, good

    @staticmethod
    def _held(both: F64, bad: NDArray[np.int64], n: int, hold_deg: float) -> F64:
        """Mid-range tilt of each n-tick window; nan where it was not held (calm, within hold_deg).
        `both`: rows of tilt and minus tilt; `bad[i]`: how many of the first i ticks were not calm."""
        hi, neg_lo = sliding_max(both, n)
        lo = -neg_lo
        calm = bad[n:] - bad[:-n] == 0
        held = calm & (hi - lo <= hold_deg)  # nan tilt (no tick yet) compares false
        return np.where(held, (hi + lo) / 2, np.nan)

    def _calm_before(self, levels: F64, calm: BOOL, a: int) -> float | None:
        """The most upright level of the calm spell that tick `a` of this chunk continues."""
        moved = np.flatnonzero(~calm[:a])
        first = int(moved[-1]) + 1 if len(moved) else 0
        held = levels[first:a]
        held = held[~np.isnan(held)]
        best = float(held.max()) if len(held) else None
        carried = self.st.calm_deg if not len(moved) else None
        if best is None or carried is None:
            return best if carried is None else carried
        return max(best, carried)

    def _bout(self, levels: F64) -> F64:
        """References through one stretch of a bout: the running most upright level, floored."""
        st = self.st
        start = -np.inf if st.bout_deg is None else st.bout_deg
        seen = np.where(np.isnan(levels), -np.inf, levels)
        best = np.maximum.accumulate(np.concatenate([[start], seen]))[1:]
        if np.isfinite(best[-1]):
            st.bout_deg = float(best[-1])
        floor = st.prior_deg - self.allow_deg
        return np.where(np.isfinite(best), np.clip(best, floor, max(floor, self.max_deg)), st.prior_deg)

    def _ref(self, bout_deg: float | None) -> float:
        if bout_deg is None:
            return self.st.prior_deg
        floor = self.st.prior_deg - self.allow_deg
        return min(max(bout_deg, floor), max(floor, self.max_deg))

    def _end_bout(self) -> None:
        st = self.st
        if st.in_bout and st.bout_deg is not None and st.bout_ticks >= self.min_bout:
            st.prior_deg = self._ref(st.bout_deg)
        st.in_bout, st.bout_deg = False, None


def sliding_max(x: F64, n: int) -> F64:
    """Maximum of each n-long window along the last axis of x (len - n + 1 of them): maxima of
    power-of-two windows by doubling, then each window as the larger of the two such windows that
    overlap to cover it. Elementwise maxima only (O(len log n), all vectorised), so exact and the
    same for any chunking; nan propagates, as in the windows that hold one. Rows are independent."""
    m = x.shape[-1] - n + 1
    if m == 1:  # one window (a live chunk's one tick): a plain maximum
        return x.max(axis=-1, keepdims=True)
    span, most = 1, x
    while 2 * span <= n:
        most = np.maximum(most[..., :-span], most[..., span:])  # most[i]: max of x[i:i + 2 span]
        span *= 2
    return np.maximum(most[..., :m], most[..., n - span:n - span + m])
