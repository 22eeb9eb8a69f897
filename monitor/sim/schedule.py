"""Day schedules: an endless, seeded sequence of activity segments with realistic durations.

An office day: sitting bouts of 8-55 min at a standard chair, broken by standing, walking and now and then
lying down. `ScheduleSettings.varied()` adds the odd bend to a standing spell (something picked up, a shoe
tied) and the odd short sit to a break (sit down on a chair's edge, 2-5 s, up again).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from monitor.sim import styles
from monitor.sim.people import Person
from monitor.sim.segment import Segment as Segment  # re-exported: schedules are made of segments

TRANSITION_S = {"stand_to_sit": (2.0, 2.8), "sit_to_stand": (1.8, 2.6), "sit_to_lie": (3.0, 4.0),
                "lie_to_sit": (3.0, 4.0), "stand_to_lie": (4.0, 5.0), "lie_to_stand": (4.0, 5.0)}


@dataclass(frozen=True)
class ScheduleSettings:
    """Durations in seconds (min, max) for each activity, and how often the wearer lies down, bends
    (per standing spell of the day's loop) and sits only briefly (per break)."""

    sit_bout_s: tuple[float, float] = (8 * 60, 55 * 60)
    stand_s: tuple[float, float] = (20, 240)
    short_stand_s: tuple[float, float] = (8, 45)
    walk_s: tuple[float, float] = (40, 480)
    lie_s: tuple[float, float] = (4 * 60, 20 * 60)
    p_short_stand: float = 0.25
    p_lie: float = 0.08
    p_bend: float = 0.0
    p_short_sit: float = 0.0
    first_stand_s: float = 30.0
    first_sit_s: float = 20 * 60

    def varied(self, p_bend: float = 0.1, p_short_sit: float = 0.05) -> ScheduleSettings:
        """This schedule with the odd bend (in one standing spell of 10) and short sit (in one break
        of 20). Off by default: the default day stays the day it always was, seed for seed."""
        return replace(self, p_bend=p_bend, p_short_sit=p_short_sit)


def _transition(rng: np.random.Generator, kind: str, who: Person) -> Segment:
    """A plain transition (standard chair, the person's pace); a stand-up may begin with a failed try."""
    lo, hi = TRANSITION_S[kind]
    dur_s = float(rng.uniform(lo, hi)) * who.pace
    extra = styles.false_start(rng, who) if kind == "sit_to_stand" else {}
    return Segment(kind, dur_s + extra.get("false_start_s", 0.0), extra)


def _span(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


def _standing(rng: np.random.Generator, span_s: float, s: ScheduleSettings,
              who: Person) -> Iterator[Segment]:
    """A standing spell of `span_s`, split by a bend with probability `p_bend`."""
    if s.p_bend > 0 and rng.random() < s.p_bend:
        before_s = span_s * float(rng.uniform(0.2, 0.8))
        yield Segment("standing", max(3.0, before_s))
        yield styles.any_bend(rng, who)
        yield Segment("standing", max(3.0, span_s - before_s))
    else:
        yield Segment("standing", span_s)


def _short_sit(rng: np.random.Generator, s: ScheduleSettings, who: Person) -> Iterator[Segment]:
    """With probability `p_short_sit`: a 2-5 s sit and a short stand after it."""
    if s.p_short_sit > 0 and rng.random() < s.p_short_sit:
        yield from styles.short_sit(rng, who)
        yield Segment("standing", _span(rng, s.short_stand_s))


def _break(rng: np.random.Generator, s: ScheduleSettings, who: Person) -> Iterator[Segment]:
    """Up from sitting: a short stand, or a stand, a walk and a stand; back down."""
    yield _transition(rng, "sit_to_stand", who)
    if rng.random() < s.p_short_stand:
        yield from _standing(rng, _span(rng, s.short_stand_s), s, who)
    else:
        yield from _standing(rng, _span(rng, s.stand_s), s, who)
        yield Segment("walking", _span(rng, s.walk_s), {"step_hz": rng.uniform(1.7, 2.1)})
        yield from _standing(rng, _span(rng, s.short_stand_s), s, who)
    yield from _short_sit(rng, s, who)
    yield _transition(rng, "stand_to_sit", who)


def schedule(rng: np.random.Generator, s: ScheduleSettings | None = None,
             who: Person | None = None) -> Iterator[Segment]:
    """Endless schedule: stand (calibration), sit, then a loop of breaks, walks, lying and bouts."""
    s, who = s or ScheduleSettings(), who or Person()
    yield Segment("standing", s.first_stand_s)
    yield _transition(rng, "stand_to_sit", who)
    yield Segment("sitting", s.first_sit_s)
    while True:
        if rng.random() < s.p_lie:
            yield _transition(rng, "sit_to_lie", who)
            yield Segment("lying", _span(rng, s.lie_s))
            yield _transition(rng, "lie_to_sit", who)
        else:
            yield from _break(rng, s, who)
        yield Segment("sitting", _span(rng, s.sit_bout_s))
