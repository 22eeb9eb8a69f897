"""Sitting bouts and slouching, from the tick-level posture and tilt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.settings import EngineSettings
from monitor.engine.ticks import hysteresis, runs
from monitor.events import BoutEnded, Event, ProlongedSitting, SlouchEnded, SlouchStarted


@dataclass
class TrackerState:
    bout_start: float | None = None
    left_at: float | None = None
    prolonged_sent: bool = False
    cand: bool = False  # tilt past the slouch threshold (with hysteresis)
    cand_since: float | None = None
    slouch: bool = False
    slouch_since: float = 0.0


class SittingTracker:
    """Bouts (a short stand does not end one), prolonged-sitting alerts, slouch episodes."""

    def __init__(self, s: EngineSettings, sit_deg: float) -> None:
        self.s, self.sit_deg = s, sit_deg
        self.st = TrackerState()

    def _candidates(self, tilt: NDArray[np.float64]) -> NDArray[np.bool_]:
        on = self.sit_deg - self.s.slouch_threshold_deg
        return hysteresis(tilt < on, tilt > on + self.s.slouch_hysteresis_deg, self.st.cand)

    def process(self, t: NDArray[np.float64], sitting: NDArray[np.bool_],
                tilt: NDArray[np.float64]) -> tuple[list[Event], NDArray[np.bool_]]:
        """Events and the per-tick slouch flag for ticks with times t."""
        events: list[Event] = []
        flag = np.zeros(len(t), bool)
        if len(t) == 0:
            return events, flag
        cand = self._candidates(tilt)
        self.st.cand = bool(cand[-1])
        key = (sitting.astype(np.int8) * 2 + (cand & sitting)).astype(np.int8)
        for i0, i1, _ in runs(key):
            self._bout(t, i0, i1, bool(sitting[i0]), events)
            self._slouch(t, tilt, i0, i1, bool(sitting[i0] and cand[i0]), events, flag)
        return events, flag

    def _bout(self, t: NDArray[np.float64], i0: int, i1: int, sitting: bool, ev: list[Event]) -> None:
        st, s = self.st, self.s
        if sitting:
            if st.bout_start is None:
                st.bout_start, st.prolonged_sent = float(t[i0]), False
            st.left_at = None
            due = st.bout_start + s.sitting_limit_s
            if not st.prolonged_sent and due <= t[i1]:
                k = i0 + int(np.searchsorted(t[i0:i1 + 1], due))
                ev.append(ProlongedSitting(float(t[k]), float(t[k]) - st.bout_start, s.sitting_limit_s))
                st.prolonged_sent = True
            return
        if st.bout_start is None:
            return
        if st.left_at is None:
            st.left_at = float(t[i0])
        if t[i1] - st.left_at >= s.min_stand_s:
            k = i0 + int(np.searchsorted(t[i0:i1 + 1], st.left_at + s.min_stand_s))
            ev.append(BoutEnded(float(t[k]), st.bout_start, st.left_at - st.bout_start))
            st.bout_start, st.left_at = None, None

    def _slouch(self, t: NDArray[np.float64], tilt: NDArray[np.float64], i0: int, i1: int,
                cand: bool, ev: list[Event], flag: NDArray[np.bool_]) -> None:
        st = self.st
        if not cand:
            st.cand_since = None
            if st.slouch:
                st.slouch = False
                ev.append(SlouchEnded(float(t[i0]), float(tilt[i0]) - self.sit_deg,
                                      float(t[i0]) - st.slouch_since))
            return
        if st.cand_since is None:
            st.cand_since = float(t[i0])
        if not st.slouch and t[i1] - st.cand_since >= self.s.slouch_dwell_s:
            k = i0 + int(np.searchsorted(t[i0:i1 + 1], st.cand_since + self.s.slouch_dwell_s))
            st.slouch, st.slouch_since = True, float(t[k])
            ev.append(SlouchStarted(float(t[k]), float(tilt[k]) - self.sit_deg))
        if st.slouch:
            since = st.slouch_since
            first = i0 if since < t[i0] else i0 + int(np.searchsorted(t[i0:i1 + 1], since))
            flag[first:i1 + 1] = True

    def gap(self, last_t: float) -> None:
        """Data stopped at last_t: a bout in progress is left then (the gap is not sitting)."""
        if self.st.bout_start is not None and self.st.left_at is None:
            self.st.left_at = last_t
        self.st.cand_since = None
