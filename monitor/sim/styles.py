"""How a movement is done: chairs, speeds, bends and the car, drawn into fully specified Segments.

Ranges (young adult; an older Person stretches durations by `pace` and adds `lean_deg` of lean):
- chairs: standard (seat ~0.45 m: pelvis drop 0.40-0.45 m, peak anterior tilt 18-28 deg);
  low / sofa (seat ~0.40 m on a soft cushion: drop 0.48-0.55 m, peak 25-38 deg, seated 3-7 deg more
  reclined, 15 % longer); half-height (seat ~0.30 m: drop 0.55-0.60 m, peak 30-45 deg, up to 4 deg more
  reclined, 30 % longer);
- speeds: quick 1.2-1.8 s, normal 2.0-2.8 s down / 1.8-2.6 s up (the default schedule's), slow
  2.8-3.8 s down / 2.6-3.6 s up;
- car: getting in 3-5 s (drop 0.50-0.60 m, duck forward 15-30 deg, the pelvis turns 80-100 deg as the
  legs swing in, leans 6-12 deg sideways, seat 8-18 deg more reclined than the person's upright
  sitting: -25..-35 deg for the default -17); getting out 2.5-4.5 s, the reverse (lean 25-40 deg);
- bends (labelled standing): down over 0.8-2.5 s, held 1-6 s, up again in 0.9-1.3 times the way down;
  see BENDS; `tie_shoes` is a deep squat (drop 0.40-0.50 m, tilt 15-30 deg): a sit-down look-alike;
- short sits: 2-5 s seated between a sit-down and a stand-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.sim.people import Person
from monitor.sim.segment import Segment

Range = tuple[float, float]


@dataclass(frozen=True)
class Chair:
    """seat_m: seat height; drop_m: pelvis drop standing -> seated; peak_deg: peak forward lean;
    seat_deg: upright seated angle relative to the person's own; pace: duration multiplier."""

    seat_m: float
    drop_m: Range
    peak_deg: Range
    seat_deg: Range
    pace: float


CHAIRS: dict[str, Chair] = {
    "standard": Chair(0.45, (0.40, 0.45), (18.0, 28.0), (0.0, 0.0), 1.0),
    "low": Chair(0.40, (0.48, 0.55), (25.0, 38.0), (-7.0, -3.0), 1.15),
    "half": Chair(0.30, (0.55, 0.60), (30.0, 45.0), (-4.0, 0.0), 1.3),
}
SPEEDS: dict[str, dict[str, Range]] = {
    "quick": {"stand_to_sit": (1.2, 1.8), "sit_to_stand": (1.2, 1.8)},
    "normal": {"stand_to_sit": (2.0, 2.8), "sit_to_stand": (1.8, 2.6)},
    "slow": {"stand_to_sit": (2.8, 3.8), "sit_to_stand": (2.6, 3.6)},
}
FALSE_START_S: Range = (1.5, 2.5)  # lean, lift a little, sit back and pause (young time, x pace)
SHORT_SIT_S: Range = (2.0, 5.0)


@dataclass(frozen=True)
class BendStyle:
    """peak_deg: anterior tilt held; drop_m: pelvis drop; back_m: pelvis shift back (hip hinge);
    down_s: time to get down (young); hold_s: time held down."""

    peak_deg: Range
    drop_m: Range
    back_m: float
    down_s: Range
    hold_s: Range


BENDS: dict[str, BendStyle] = {
    "reach_low": BendStyle((20.0, 30.0), (0.05, 0.12), 0.05, (0.8, 1.5), (1.0, 4.0)),  # a low drawer
    "stoop": BendStyle((40.0, 60.0), (0.10, 0.18), 0.12, (1.0, 2.0), (1.0, 3.0)),  # pick up, legs straight
    "knee_bend": BendStyle((25.0, 45.0), (0.20, 0.30), 0.08, (1.2, 2.0), (1.0, 3.0)),  # pick up, knees bent
    "tie_shoes": BendStyle((15.0, 30.0), (0.40, 0.50), 0.05, (1.5, 2.5), (2.0, 6.0)),  # deep squat
}


def _u(rng: np.random.Generator, r: Range) -> float:
    return float(rng.uniform(*r))


def sit_down(rng: np.random.Generator, who: Person, chair: str = "standard",
             speed: str = "normal") -> Segment:
    """A stand_to_sit onto `chair` at `speed`."""
    c = CHAIRS[chair]
    dur_s = _u(rng, SPEEDS[speed]["stand_to_sit"]) * c.pace * who.pace
    params = {"drop_m": _u(rng, c.drop_m), "peak_deg": _u(rng, c.peak_deg) + who.lean_deg,
              "seat_deg": _u(rng, c.seat_deg)}
    return Segment("stand_to_sit", dur_s, params, f"{chair}/{speed}")


def stand_up(rng: np.random.Generator, who: Person, chair: str = "standard",
             speed: str = "normal") -> Segment:
    """A sit_to_stand from `chair` at `speed`, sometimes after a failed attempt (Person.false_start_p)."""
    c = CHAIRS[chair]
    dur_s = _u(rng, SPEEDS[speed]["sit_to_stand"]) * c.pace * who.pace
    params = {"drop_m": _u(rng, c.drop_m), "peak_deg": _u(rng, c.peak_deg) + who.lean_deg}
    params |= false_start(rng, who)
    return Segment("sit_to_stand", dur_s + params.get("false_start_s", 0.0), params, f"{chair}/{speed}")


def false_start(rng: np.random.Generator, who: Person) -> dict[str, float]:
    """{"false_start_s": s} for a stand-up that begins with a failed attempt, else {} (no draw when the
    person never does)."""
    if who.false_start_p > 0 and rng.random() < who.false_start_p:
        return {"false_start_s": _u(rng, FALSE_START_S) * who.pace}
    return {}


def short_sit(rng: np.random.Generator, who: Person, chair: str = "standard",
              speed: str = "normal", seated_s: Range = SHORT_SIT_S) -> list[Segment]:
    """Sit down, stay 2-5 s, get up again."""
    down = sit_down(rng, who, chair, speed)
    seated = Segment("sitting", _u(rng, seated_s), {}, "short")
    return [down, seated, stand_up(rng, who, chair, speed)]


def car_in(rng: np.random.Generator, who: Person, side: float = 1.0) -> Segment:
    """Into a car seat, turning towards `side` (+1 left, -1 right)."""
    params = {"drop_m": _u(rng, (0.50, 0.60)), "peak_deg": _u(rng, (15.0, 30.0)) + who.lean_deg,
              "seat_deg": _u(rng, (-18.0, -8.0)), "turn_deg": side * _u(rng, (80.0, 100.0)),
              "lean_side_deg": side * _u(rng, (6.0, 12.0))}
    return Segment("stand_to_sit", _u(rng, (3.0, 5.0)) * who.pace, params, "car")


def car_out(rng: np.random.Generator, who: Person, turn_deg: float) -> Segment:
    """Out of a car seat, turning `turn_deg` (the way back of getting in)."""
    side = float(np.sign(turn_deg))
    params = {"drop_m": _u(rng, (0.50, 0.60)), "peak_deg": _u(rng, (25.0, 40.0)) + who.lean_deg,
              "turn_deg": turn_deg, "lean_side_deg": side * _u(rng, (6.0, 12.0))}
    return Segment("sit_to_stand", _u(rng, (2.5, 4.5)) * who.pace, params, "car")


def bend(rng: np.random.Generator, who: Person, style: str) -> Segment:
    """A bend while standing (labelled standing) in one of BENDS' styles."""
    b = BENDS[style]
    down_s = _u(rng, b.down_s) * who.pace
    hold_s = _u(rng, b.hold_s)
    up_s = down_s * _u(rng, (0.9, 1.3))
    params = {"peak_deg": _u(rng, b.peak_deg), "drop_m": _u(rng, b.drop_m), "back_m": b.back_m,
              "down_s": down_s, "hold_s": hold_s}
    return Segment("bend", down_s + hold_s + up_s, params, style)


BEND_MIX = {"reach_low": 0.35, "stoop": 0.3, "knee_bend": 0.25, "tie_shoes": 0.1}


def any_bend(rng: np.random.Generator, who: Person) -> Segment:
    """A bend of a style drawn from BEND_MIX (how often each happens in a day)."""
    style = str(rng.choice(list(BEND_MIX), p=list(BEND_MIX.values())))
    return bend(rng, who, style)
