"""Slouching, from the tick-level posture and tilt. The sitting bout is not the engine's: it is
`monitor.coach.bout.SittingBout`, kept by the coach (one bout for every consumer)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.settings import EngineSettings
from monitor.engine.ticks import hysteresis, runs
from monitor.events import Event, SlouchEnded, SlouchStarted


@dataclass
class TrackerState:
    cand: bool = False  # tilt past the slouch threshold (with hysteresis)
    cand_since: float | None = None
    slouch: bool = False
    slouch_since: float = 0.0


class SittingTracker:
    """Slouch episodes: tilt past the threshold (with hysteresis) behind the upright-sitting reference
    (`monitor.engine.upright`, per tick) while sitting, for the dwell time. Depths in events are
    relative to that reference."""

    def __init__(self, s: EngineSettings) -> None:
        self.s = s
        self.st = TrackerState()

    def _candidates(self, behind_deg: NDArray[np.float64]) -> NDArray[np.bool_]:
        on = self.s.slouch_threshold_deg
        return hysteresis(behind_deg > on, behind_deg < on - self.s.slouch_hysteresis_deg, self.st.cand)

    def process(self, t: NDArray[np.float64], sitting: NDArray[np.bool_], tilt: NDArray[np.float64],
                ref_deg: NDArray[np.float64]) -> tuple[list[Event], NDArray[np.bool_]]:
        """Events and the per-tick slouch flag for ticks with times t (`ref_deg`: upright sitting)."""
        events: list[Event] = []
        flag = np.zeros(len(t), bool)
        if len(t) == 0:
            return events, flag
        rel = tilt - ref_deg  # + anterior of upright sitting; a slouch is behind it
        cand = self._candidates(-rel)
        self.st.cand = bool(cand[-1])
        key = (sitting.astype(np.int8) * 2 + (cand & sitting)).astype(np.int8)
        for i0, i1, _ in runs(key):
            self._slouch(t, rel, i0, i1, bool(sitting[i0] and cand[i0]), events, flag)
        return events, flag

    def _slouch(self, t: NDArray[np.float64], rel: NDArray[np.float64], i0: int, i1: int,
                cand: bool, ev: list[Event], flag: NDArray[np.bool_]) -> None:
        st = self.st
        if not cand:
            st.cand_since = None
            if st.slouch:
                st.slouch = False
                ev.append(SlouchEnded(float(t[i0]), float(rel[i0]),
                                      float(t[i0]) - st.slouch_since))
            return
        if st.cand_since is None:
            st.cand_since = float(t[i0])
        if not st.slouch and t[i1] - st.cand_since >= self.s.slouch_dwell_s:
            k = i0 + int(np.searchsorted(t[i0:i1 + 1], st.cand_since + self.s.slouch_dwell_s))
            st.slouch, st.slouch_since = True, float(t[k])
            ev.append(SlouchStarted(float(t[k]), float(rel[k])))
        if st.slouch:
            since = st.slouch_since
            first = i0 if since < t[i0] else i0 + int(np.searchsorted(t[i0:i1 + 1], since))
            flag[first:i1 + 1] = True

    def gap(self, last_t: float) -> None:
        """Data stopped at last_t: a slouch candidate starts afresh after the gap."""
        self.st.cand_since = None
