"""The decision layer: walks runs of tick classes and turns them into posture states and events.

It keeps only plain values and sees ticks through a history window, so a run split
across chunks is handled exactly like a whole one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from monitor.engine.history import History
from monitor.engine.judge import Judge, Movement, swing_g
from monitor.engine.settings import EngineSettings
from monitor.engine.ticks import LIE_MOVING, LYING, MOVING, VIGOROUS
from monitor.events import Event, PostureChanged, Transition


@dataclass(frozen=True)
class Posed:
    """A sit-down or getting-up judged without an up: its time, the posture it left and the mean
    low-passed acceleration (g, pelvis frame) of the standing and the sitting spell around it."""

    t_s: float
    posture: str
    stand_g: NDArray[np.float64]
    sit_g: NDArray[np.float64]
    transition: Transition  # what the movement was, told once the poses confirm it


@dataclass
class MachineState:
    """Everything the decision layer remembers between ticks."""

    posture: str = "unknown"
    ep_start: int | None = None  # first tick of the movement episode being watched
    ep_last_move: int = -1
    vig_start: int | None = None  # first tick of the current vigorous (walking-like) stretch
    contra_since: int | None = None  # tick since which tilt contradicts the posture
    lie_from: str = "unknown"  # the posture lying was entered from
    run_cls: int = -1  # class of the current run of ticks, and its first tick (runs span chunks)
    run_from: int = 0
    recline_from: int | None = None  # first tick of the current stretch inclined as lying (still or not)
    rejudge: bool = False  # a new reference: judge sitting or standing again at the next still spell
    oriented: bool = True  # up is known; False (no calibration yet): only the lift can judge
    changes: list[tuple[int, str]] = field(default_factory=list)  # (tick, posture) this chunk


def mean(x: NDArray[np.float64]) -> float:
    """x.mean() of a non-empty 1-D array, bit for bit (numpy's mean is this sum over the count),
    without the few microseconds of its Python wrapper: the decision layer takes many short means."""
    return float(np.add.reduce(x)) / len(x)


class Machine:
    """Posture states with transitions judged from the movement, not from the angle alone."""

    def __init__(self, s: EngineSettings, sit_deg: float, tick_hz: float) -> None:
        self.s, self.judge = s, Judge(s, sit_deg)
        self.n_walk = round(s.walk_s * tick_hz)
        self.n_confirm = max(1, round(s.confirm_s * tick_hz))
        self.n_window = round(s.transition_window_s * tick_hz)
        self.n_correct = round(s.correct_s * tick_hz)
        self.n_lie = max(1, round(s.lie_dwell_s * tick_hz))
        self.n_settle = max(1, round(s.settle_s * tick_hz))
        self.n_back = max(self.n_window, round(s.lookback_s * tick_hz))
        self.st = MachineState()
        # judging looks back n_back + 3 ticks from a movement's end: the history must always hold them
        self.hist = History(max(self.n_back, 4 * self.n_lie, self.n_settle) + self.n_confirm + 64)
        self.events: list[Event] = []
        self.found: Posed | None = None  # unoriented: the first sit-down or getting-up, for a reference

    @property
    def sit_deg(self) -> float:
        return self.judge.sit_deg

    @sit_deg.setter
    def sit_deg(self, value: float) -> None:
        self.judge.sit_deg = value

    # -- helpers -------------------------------------------------------------------------
    def t(self, tick: int) -> float:
        return float(self.hist.t_s[tick - self.hist.first])

    def _set(self, tick: int, posture: str) -> None:
        if posture == self.st.posture:
            return
        self.events.append(PostureChanged(self.t(tick), posture, self.st.posture))
        if posture == "lying":
            self.st.lie_from = self.st.posture
        self.st.posture = posture
        self.st.changes.append((tick, posture))
        self.st.contra_since = None

    # -- runs ----------------------------------------------------------------------------
    def run(self, a: int, b: int, cls: int) -> None:
        """Process ticks a..b (absolute, inclusive) of one class."""
        st = self.st
        if cls != st.run_cls:
            st.run_cls, st.run_from = cls, a
        if cls == VIGOROUS and st.vig_start is None:
            st.vig_start = a
        elif cls != VIGOROUS:
            st.vig_start = None
        reclined = cls in (LYING, LIE_MOVING)
        if reclined and st.recline_from is None:
            st.recline_from = a
        elif not reclined:
            st.recline_from = None
        if cls in (MOVING, VIGOROUS, LIE_MOVING):
            self._moving(a, b)
            if cls == LIE_MOVING:
                self._lying_down(a, b)
            return
        if st.ep_start is not None:
            done = st.ep_last_move + self.n_confirm
            if done > b:
                return
            self._judge(st.ep_start, st.ep_last_move, done, cls)
            st.ep_start = None
            a = done + 1
            if a > b:
                return
        self._still(a, b, cls)

    def _moving(self, a: int, b: int) -> None:
        st = self.st
        if st.ep_start is None:
            st.ep_start = a
        st.ep_last_move = b
        if st.vig_start is None:
            return
        onset = st.vig_start + self.n_walk - 1
        if st.posture != "walking" and onset <= b:
            self._set(max(a, onset), "walking")

    def _lying_down(self, a: int, b: int) -> None:
        """Inclined as lying for `lie_dwell_s` while still settling in (moving lightly): lying now,
        not when the wearer is at last still; the movement, judged later, then changes nothing."""
        st = self.st
        assert st.recline_from is not None
        k = self._dwelt(a, b, st.recline_from, self.n_lie)
        if k is None or st.posture == "lying" or not st.oriented:
            return
        if st.posture in ("sitting", "standing"):
            start = st.ep_start if st.ep_start is not None else a
            kind = "sit_to_lie" if st.posture == "sitting" else "stand_to_lie"
            self._transition(kind, max(start, k - self.n_window + 1), k, k)
        self._set(k, "lying")

    def _transition(self, kind: str, a: int, b: int, decided: int) -> None:
        self.events.append(self._transition_event(kind, a, b, decided))

    def _transition_event(self, kind: str, a: int, b: int, decided: int) -> Transition:
        """The transition of a movement from tick a to b decided at tick `decided`, timed at the middle."""
        return Transition((self.t(a) + self.t(min(b, decided))) / 2, kind, self.t(decided))

    def _dwelt(self, a: int, b: int, since: int, need: int) -> int | None:
        """The tick in a..b where a state held from tick `since` has lasted `need` ticks, if any."""
        k = max(a, since + need - 1)
        return k if k <= b else None

    def _judge(self, s: int, e: int, k: int, post_cls: int) -> None:
        """A movement from tick s to e has been followed by stillness up to tick k: what was it?"""
        h = self.hist
        w = max(s, e - self.n_window + 1)  # the movement's last seconds: its time
        p0 = max(s, e - self.n_back + 1)  # where it began, or lookback_s before its end
        pre = h.tilt[h.span(p0 - 3, p0 - 1)]
        move = Movement(mean(pre) if len(pre) else float(h.tilt[h.span(w, w)][0]),
                        mean(h.tilt[h.span(e + 1, k)]), swing_g(h.lift[h.span(p0 - 3, k)]),
                        post_cls == LYING)
        if not self.st.oriented:
            self._unoriented(move, (p0 - 3, p0 - 1), (e + 1, k), (w, e, k))
            return
        v = self.judge.verdict(move, self.st.posture, self.st.lie_from)
        if v.kind is not None:
            self._transition(v.kind, w, e, k)
        if v.posture is not None:
            self._set(k, v.posture)

    def _unoriented(self, move: Movement, pre: tuple[int, int], post: tuple[int, int],
                    times: tuple[int, int, int]) -> None:
        """Without an up, a movement that clearly went down (or up) by the lift is a sit-down (or
        getting up): the still spells either side of it are the poses a reference is made of."""
        posture = self.judge.by_lift(move.swing_g)
        if posture is None or posture == self.st.posture:
            return
        h = self.hist
        g_pre, g_post = (h.grav[:, h.span(*span)].mean(axis=1) for span in (pre, post))
        stand, sit = (g_pre, g_post) if posture == "sitting" else (g_post, g_pre)
        w, e, k = times
        if self.found is None:
            kind = "stand_to_sit" if posture == "sitting" else "sit_to_stand"
            self.found = Posed(self.t(k), posture, stand, sit, self._transition_event(kind, w, e, k))
        self._set(k, posture)

    def _still(self, a: int, b: int, cls: int) -> None:
        """Still ticks a..b: a posture first claimed, lying entered or left without a movement
        (after a dwell counted from the run's first tick, so chunking cannot matter), or a check."""
        st, h = self.st, self.hist
        if not st.oriented:
            return  # nothing to claim a posture by
        if st.rejudge and st.posture in ("sitting", "standing") and cls != LYING:
            a = self._rejudge(a, b)
            if a > b:
                return
        if st.posture in ("sitting", "standing") and cls != LYING:
            self._correct(a, b)
            return
        if st.posture == "unknown":
            need = self.n_settle
        elif (cls == LYING) != (st.posture == "lying"):
            need = self.n_lie
        else:
            return
        k = self._dwelt(a, b, st.run_from, need)
        if k is not None:
            tilt = mean(h.tilt[h.span(k - need + 1, k)])
            self._set(k, "lying" if cls == LYING else self.judge.by_tilt(tilt))

    def _rejudge(self, a: int, b: int) -> int:
        """Sitting or standing by tilt alone once the run has been still `settle_s` (the reference
        changed under it); returns the first tick left to check as usual."""
        st, h = self.st, self.hist
        k = self._dwelt(a, b, st.run_from, self.n_settle)
        if k is None:
            return b + 1
        st.rejudge = False
        self._set(k, self.judge.by_tilt(mean(h.tilt[h.span(k - self.n_settle + 1, k)])))
        return k + 1

    def _correct(self, a: int, b: int) -> None:
        """A posture that tilt contradicts for `correct_s` (a missed transition) is corrected."""
        st, h = self.st, self.hist
        tilt = h.tilt[h.span(a, b)]
        margin = self.s.correct_margin_deg
        if st.posture == "standing":
            contra = np.abs(tilt - self.sit_deg) + margin < np.abs(tilt)
        else:
            contra = np.abs(tilt) + margin < np.abs(tilt - self.sit_deg)
        if not contra.any():  # the usual case: nothing contradicts it, so no contradiction carries on
            st.contra_since = None
            return
        idx = np.arange(len(contra))
        last_ok = np.maximum.accumulate(np.where(~contra, idx, -1))
        carried = st.contra_since if st.contra_since is not None else a
        start = np.where(last_ok >= 0, a + last_ok + 1, carried)
        hit = np.flatnonzero(contra & (a + idx - start + 1 >= self.n_correct))
        if hit.size:
            self._set(a + int(hit[0]), "sitting" if st.posture == "standing" else "standing")
            return
        st.contra_since = int(start[-1]) if contra[-1] else None

    def reset(self) -> None:
        """After a gap: posture unknown, no movement in progress, no history."""
        self.st.ep_start, self.st.contra_since, self.st.run_cls = None, None, -1
        self.hist.clear()
