"""What a movement between two still spells was: sat down, got up, lay down, got out of bed, or nothing.

Two kinds of evidence, either of which can carry a sit/stand transition:
- tilt: the pelvis turned posterior (sitting down) or anterior (getting up) by `tilt_evidence_deg`;
- lift: the low-passed acceleration magnitude less 1 g. Getting up pushes the body up (lift peaks)
  and then slows it at the top (lift dips); sitting down drops it (dip) and then lands (peak). The
  order of the peak and the dip gives the direction without any orientation (Atrsaei et al. 2020,
  evidence.md section 2), which is what separates sitting from standing for wearers whose pelvis
  barely tilts when they sit. The tilt after the movement must not contradict it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import MIN_SIT_ANGLE_DEG
from monitor.engine.settings import EngineSettings


@dataclass(frozen=True)
class Movement:
    """The ticks around one movement, reduced: mean tilt before and after it (deg), the signed lift
    swing (g; + peak before dip, i.e. upwards) and whether it ended lying."""

    pre_tilt_deg: float
    post_tilt_deg: float
    swing_g: float
    ends_lying: bool


@dataclass(frozen=True)
class Verdict:
    """The transition the movement was (None: not one) and the posture it leaves (None: unchanged)."""

    kind: str | None
    posture: str | None


def swing_g(lift_g: NDArray[np.float64]) -> float:
    """Peak-to-dip range of the lift, signed by their order: + when the peak comes first (upwards)."""
    i_max, i_min = int(np.argmax(lift_g)), int(np.argmin(lift_g))
    swing = float(lift_g[i_max] - lift_g[i_min])
    return swing if i_max < i_min else -swing


class Judge:
    """Settings and the wearer's sitting reference, applied to one movement at a time."""

    def __init__(self, s: EngineSettings, sit_deg: float) -> None:
        self.s, self.sit_deg = s, sit_deg

    def toward_sit_deg(self, tilt_deg: float) -> float:
        """How far the tilt lies past the midpoint between the standing and sitting references,
        towards sitting (deg; negative: towards standing)."""
        side = 1.0 if self.sit_deg > 0 else -1.0
        return (tilt_deg - self.sit_deg / 2) * side

    def by_tilt(self, tilt_deg: float) -> str:
        """Sitting or standing by tilt alone: whichever reference is nearer."""
        return "sitting" if self.toward_sit_deg(tilt_deg) > 0 else "standing"

    def like(self, posture: str, tilt_deg: float, swing_g: float = 0.0) -> bool:
        """The tilt does not contradict `posture`: it is at most `agree_deg` past the midpoint the
        other way (a lift-judged change may end near the midpoint, not far on the wrong side); after
        a clear lift (`swing_g` beyond lift_unoriented_g), twice that, so long as it does not end at
        the other posture's reference (a sitter more upright today than at calibration)."""
        if abs(self.sit_deg) < MIN_SIT_ANGLE_DEG:
            # references this close say nothing about the side: only a clear lean contradicts
            cap = self.s.lean_cap_deg
            return tilt_deg < cap if posture == "sitting" else tilt_deg > -cap
        toward, a = self.toward_sit_deg(tilt_deg), self.s.agree_deg
        if toward > -a if posture == "sitting" else toward < a:
            return True
        if abs(swing_g) < self.s.lift_unoriented_g:
            return False
        # a clear lift may end twice as far past the midpoint, but not at the other posture's reference
        if posture == "sitting":
            return toward > -2 * a and abs(tilt_deg) > a
        return toward < 2 * a and abs(tilt_deg - self.sit_deg) > a

    def verdict(self, m: Movement, was: str, lie_from: str) -> Verdict:
        if m.ends_lying:
            if was == "lying":
                return Verdict(None, None)
            return Verdict("sit_to_lie" if was == "sitting" else "stand_to_lie", "lying")
        if was == "lying":
            up = self._out_of_lying(m, lie_from)
            return Verdict("lie_to_sit" if up == "sitting" else "lie_to_stand", up)
        if was == "standing" and self._sat_down(m):
            return Verdict("stand_to_sit", "sitting")
        if was == "sitting" and self._got_up(m):
            return Verdict("sit_to_stand", "standing")
        if was == "walking":
            return Verdict(None, "standing")
        if was == "unknown":
            return Verdict(None, self.by_tilt(m.post_tilt_deg))
        return Verdict(None, None)

    def _sat_down(self, m: Movement) -> bool:
        # turning back out of a forward bend is a posterior change too: a forward lean before the
        # movement counts only up to lean_cap_deg (a sit-down's own lean), and the end must look like sitting
        by_tilt = min(m.pre_tilt_deg, self.s.lean_cap_deg) - m.post_tilt_deg > self.s.tilt_evidence_deg
        by_lift = m.swing_g < -self.s.lift_min_g
        return (by_tilt or by_lift) and self.like("sitting", m.post_tilt_deg, m.swing_g)

    def _got_up(self, m: Movement) -> bool:
        # sitting up out of a slump is not getting up: count only the rise above the sitting reference
        rise = m.post_tilt_deg - max(m.pre_tilt_deg, self.sit_deg)
        by_tilt = min(m.post_tilt_deg - m.pre_tilt_deg, rise) > self.s.tilt_evidence_deg
        by_lift = m.swing_g > self.s.lift_min_g and self.like("standing", m.post_tilt_deg, m.swing_g)
        return by_tilt or by_lift

    def by_lift(self, swing_g: float) -> str | None:
        """Sitting after a movement that clearly went down, standing after one that went up, else None.
        Needs no orientation: what an engine with no reference yet can tell."""
        if abs(swing_g) < self.s.lift_unoriented_g:
            return None
        return "sitting" if swing_g < 0 else "standing"

    def _out_of_lying(self, m: Movement, lie_from: str) -> str:
        """Out of bed one sits up first: standing needs a clear stand-up swing. Lying never seen
        begun (the stream started so, e.g. a sensor put down on a table) is left by tilt alone."""
        if lie_from == "unknown":
            return self.by_tilt(m.post_tilt_deg)
        stood = m.swing_g > self.s.lift_stand_g and self.like("standing", m.post_tilt_deg)
        return "standing" if stood else "sitting"
