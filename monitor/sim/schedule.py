"""Day schedules: an endless, seeded sequence of activity segments with realistic durations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

TRANSITION_S = {"stand_to_sit": (2.0, 2.8), "sit_to_stand": (1.8, 2.6), "sit_to_lie": (3.0, 4.0),
                "lie_to_sit": (3.0, 4.0), "stand_to_lie": (4.0, 5.0), "lie_to_stand": (4.0, 5.0)}


@dataclass(frozen=True)
class Segment:
    """One activity span; `params` hold per-segment draws (slouch episodes, step rate, ...)."""

    kind: str
    duration_s: float
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleSettings:
    """Durations in seconds (min, max) for each activity, and how often the wearer lies down."""

    sit_bout_s: tuple[float, float] = (8 * 60, 55 * 60)
    stand_s: tuple[float, float] = (20, 240)
    short_stand_s: tuple[float, float] = (8, 45)
    walk_s: tuple[float, float] = (40, 480)
    lie_s: tuple[float, float] = (4 * 60, 20 * 60)
    p_short_stand: float = 0.25
    p_lie: float = 0.08
    first_stand_s: float = 30.0
    first_sit_s: float = 20 * 60


def _transition(rng: np.random.Generator, kind: str) -> Segment:
    lo, hi = TRANSITION_S[kind]
    return Segment(kind, float(rng.uniform(lo, hi)))


def _span(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


def schedule(rng: np.random.Generator, s: ScheduleSettings | None = None) -> Iterator[Segment]:
    """Endless schedule: stand (calibration), sit, then a loop of breaks, walks, lying and bouts."""
    s = s or ScheduleSettings()
    yield Segment("standing", s.first_stand_s)
    yield _transition(rng, "stand_to_sit")
    yield Segment("sitting", s.first_sit_s)
    while True:
        if rng.random() < s.p_lie:
            yield _transition(rng, "sit_to_lie")
            yield Segment("lying", _span(rng, s.lie_s))
            yield _transition(rng, "lie_to_sit")
        else:
            yield _transition(rng, "sit_to_stand")
            if rng.random() < s.p_short_stand:
                yield Segment("standing", _span(rng, s.short_stand_s))
            else:
                yield Segment("standing", _span(rng, s.stand_s))
                yield Segment("walking", _span(rng, s.walk_s), {"step_hz": rng.uniform(1.7, 2.1)})
                yield Segment("standing", _span(rng, s.short_stand_s))
            yield _transition(rng, "stand_to_sit")
        yield Segment("sitting", _span(rng, s.sit_bout_s))
