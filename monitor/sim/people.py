"""Who the simulated wearer is: their own angles and how they move, with young and older presets.

Ranges (documented so the scenarios stay plausible):
- upright sitting is posterior of standing by 5-25 deg (the default -17 deg); it differs from sit to sit
  (chairs and habits): a per-bout offset, normal with `bout_sd_deg` (4 deg: about 95 % within +-8 deg),
  clipped at 2.5 SD (+-10 deg);
- young adults stand up from a standard chair in 1.5-2.5 s; older adults (60-75 years) take 2.5-4.5 s
  (`pace` about 1.45 stretches every transition), lean the trunk further forward (`lean_deg`), so their
  smaller vertical acceleration peaks follow from the longer moves, and sometimes rock forward and sit
  back before rising: a failed first attempt (`false_start_p`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Person:
    """The wearer's own angles (deg, relative to standing) and movement habits.

    sit_deg: typical upright sitting; slouch_deg: slouch depth range beyond that bout's upright sitting;
    bout_sd_deg: SD of the per-bout offset of upright sitting (0 = every bout at sit_deg);
    pace: multiplies transition and bend durations; lean_deg: extra forward lean at sit/stand transitions;
    false_start_p: chance that a stand-up starts with a failed attempt (lean, lift, sit back, pause).
    """

    sit_deg: float = -17.0
    slouch_deg: tuple[float, float] = (10.0, 14.0)
    bout_sd_deg: float = 4.0
    pace: float = 1.0
    lean_deg: float = 0.0
    false_start_p: float = 0.0
    age: str = "young"

    @staticmethod
    def young(sit_deg: float = -17.0) -> Person:
        """An adult of 20-50: quick, direct transitions (the default wearer)."""
        return Person(sit_deg=sit_deg)

    @staticmethod
    def older(sit_deg: float = -15.0) -> Person:
        """An adult of 60-75: slower (x1.45), 8 deg more forward lean, a failed first attempt in one
        stand-up of five, and a little less pelvic range (shallower slouches)."""
        return Person(sit_deg=sit_deg, slouch_deg=(8.0, 12.0), pace=1.45, lean_deg=8.0,
                      false_start_p=0.2, age="older")

    def bout_offset_deg(self, rng: np.random.Generator) -> float:
        """This sitting bout's upright angle relative to `sit_deg` (0 when bouts do not vary)."""
        if self.bout_sd_deg <= 0:
            return 0.0
        limit = 2.5 * self.bout_sd_deg
        return float(np.clip(rng.normal(0.0, self.bout_sd_deg), -limit, limit))


PRESETS = {"young": Person.young, "older": Person.older}


def preset(age: str, sit_deg: float | None = None) -> Person:
    """The `young` or `older` preset, with its own upright sitting angle when given."""
    make = PRESETS[age]
    return make() if sit_deg is None else make(sit_deg)
