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
        """The reference at each tick of a chunk."""
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
        st = self.st
        assert st.tail_tilt is not None and st.tail_ok is not None
        tilt = np.concatenate([np.asarray(st.tail_tilt), tilt_deg])
        good = np.concatenate([np.asarray(st.tail_ok, bool), ok])
        keep = self.n_long - 1
        st.tail_tilt = tilt[len(tilt) - keep:].tolist() if keep else []
        st.tail_ok = good[len(good) - keep:].tolist() if keep else []
        short = self._held(tilt[self.n_long - self.n:], good[self.n_long - self.n:], self.n, self.hold_deg)
        return short, self._held(tilt, good, self.n_long, 2 * self.hold_deg)

    @staticmethod
    def _held(tilt: F64, good: BOOL, n: int, hold_deg: float) -> F64:
        """Mid-range tilt of each n-tick window; nan where it was not held (calm, within hold_deg)."""
        hi, lo = sliding_max(tilt, n), -sliding_max(-tilt, n)
        calm = sliding_max(np.where(good, 0.0, 1.0), n) == 0.0
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
    """Maximum of each n-long window of x (len(x) - n + 1 of them) in O(len(x)): the blocked
    prefix/suffix method (van Herk, Gil-Werman). Exact, so the same for any chunking; nan
    propagates, as in the windows that hold one."""
    m = len(x) - n + 1
    if n == 1:
        return x.copy()
    pad = (-len(x)) % n
    blocks = np.concatenate([x, np.full(pad, -np.inf)]).reshape(-1, n)
    prefix = np.maximum.accumulate(blocks, axis=1).ravel()
    suffix = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.maximum(suffix[:m], prefix[n - 1:n - 1 + m])
