"""Scenario families of simulator test cases (monitor.sim.cases.Case), finite and seeded.

Every family draws case i from its own seed sequence (seed, family, i), so case i is the same however
many are asked for. People are the young or older presets with their own upright sitting angle
(preset +-5 deg). Each case: the calibration prelude, then what is under test between short stands:

- short_sits: sit down, 2-5 s seated, up again, over chairs x speeds x ages;
- chair_transitions: a sit-down and (20-40 s later) a stand-up per chair x speed x age x repeat;
- bends: one bend while standing (labelled standing) per style x age;
- car: walk up, get in (turn ~90 deg, low reclined seat), sit 20-90 s, get out, walk off;
- standing_day: hours of standing work, walking and frequent bends, no sitting after the prelude;
- office_day: the endless office-day schedule (monitor.sim.schedule) with the odd bend and short sit,
  cut to `hours`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from monitor.sim import styles
from monitor.sim.cases import Case, Item
from monitor.sim.people import Person, preset
from monitor.sim.schedule import TRANSITION_S, ScheduleSettings, schedule
from monitor.sim.segment import Segment

CHAIRS = tuple(styles.CHAIRS)
SPEEDS = tuple(styles.SPEEDS)
AGES = ("young", "older")
BEND_STYLES = tuple(styles.BENDS)
FAMILY = {"short_sits": 1, "chair_transitions": 2, "bends": 3, "car": 4, "standing_day": 5, "office_day": 6}
Drawn = tuple[list[Segment], list[Item]]  # a case body's segments and items (counted from its start)
Body = Callable[[np.random.Generator, Person], Drawn]
SETTLE = {"stand_to_sit": "sitting", "lie_to_sit": "sitting", "sit_to_stand": "standing",
          "lie_to_stand": "standing", "sit_to_lie": "lying", "stand_to_lie": "lying"}


def _rng(seed: int, family: str, i: int) -> tuple[np.random.Generator, int]:
    """The planning generator of case i and its wearer's seed."""
    seq = np.random.SeedSequence([seed, FAMILY[family], i])
    return np.random.default_rng(seq), int(seq.generate_state(1)[0])


def _person(rng: np.random.Generator, age: str) -> Person:
    return preset(age, preset(age).sit_deg + float(rng.uniform(-5.0, 5.0)))


def _prelude(rng: np.random.Generator, who: Person) -> list[Segment]:
    """Stand 12 s, sit down, sit 12 s, stand up, stand 8 s (standard chair, normal speed)."""
    return [Segment("standing", 12.0), styles.sit_down(rng, who), Segment("sitting", 12.0),
            styles.stand_up(rng, who), Segment("standing", 8.0)]


def _stand(rng: np.random.Generator, lo_s: float, hi_s: float) -> Segment:
    return Segment("standing", float(rng.uniform(lo_s, hi_s)))


def _walk(rng: np.random.Generator, dur_s: float) -> Segment:
    return Segment("walking", dur_s, {"step_hz": float(rng.uniform(1.7, 2.1))})


def _case(seed: int, family: str, i: int, rate_hz: float, age: str, group: dict[str, str],
          body: Body) -> Case:
    """Case i of a family: a person of `age`, the prelude, then `body` (its items count from the
    body's first segment)."""
    rng, wearer_seed = _rng(seed, family, i)
    who = _person(rng, age)
    pre = _prelude(rng, who)
    segs, items = body(rng, who)
    k = len(pre)
    shifted = tuple(Item(it.kind, it.first + k, it.last + k) for it in items)
    return Case(f"{family}-{i}", wearer_seed, rate_hz, who, tuple(pre + segs), shifted, k,
                {"age": age, **group})


def _combos(n: int, *axes: Sequence[str]) -> list[tuple[str, ...]]:
    """The first n of the axes' product, cycled (so every combination comes up evenly)."""
    return list(itertools.islice(itertools.cycle(itertools.product(*axes)), n))


def _short_sit(rng: np.random.Generator, who: Person, chair: str, speed: str) -> Drawn:
    segs = [_stand(rng, 4.0, 10.0), *styles.short_sit(rng, who, chair, speed), Segment("standing", 10.0)]
    return segs, [Item("short_sit", 1, 3)]


def short_sits(seed: int = 0, n: int = 200, rate_hz: float = 50.0, chairs: Sequence[str] = CHAIRS,
               speeds: Sequence[str] = SPEEDS, ages: Sequence[str] = AGES) -> list[Case]:
    """n short sits (2-5 s seated), cycling through chairs x speeds x ages."""
    return [_case(seed, "short_sits", i, rate_hz, age, {"chair": chair, "speed": speed},
                  partial(_short_sit, chair=chair, speed=speed))
            for i, (chair, speed, age) in enumerate(_combos(n, chairs, speeds, ages))]


def _chair(rng: np.random.Generator, who: Person, chair: str, speed: str) -> Drawn:
    segs = [_stand(rng, 4.0, 8.0), styles.sit_down(rng, who, chair, speed),
            Segment("sitting", float(rng.uniform(20.0, 40.0))), styles.stand_up(rng, who, chair, speed),
            Segment("standing", 10.0)]
    return segs, [Item("sit_down", 1, 1), Item("stand_up", 3, 3)]


def chair_transitions(seed: int = 0, repeats: int = 4, rate_hz: float = 50.0,
                      chairs: Sequence[str] = CHAIRS, speeds: Sequence[str] = SPEEDS,
                      ages: Sequence[str] = AGES) -> list[Case]:
    """A sit-down and a stand-up for every chair x speed x age, `repeats` times each."""
    combos = _combos(repeats * len(chairs) * len(speeds) * len(ages), chairs, speeds, ages)
    return [_case(seed, "chair_transitions", i, rate_hz, age, {"chair": chair, "speed": speed},
                  partial(_chair, chair=chair, speed=speed)) for i, (chair, speed, age) in enumerate(combos)]


def _bend(rng: np.random.Generator, who: Person, style: str) -> Drawn:
    segs = [_stand(rng, 5.0, 10.0), styles.bend(rng, who, style), _stand(rng, 8.0, 12.0)]
    return segs, [Item("bend", 1, 1)]


def bends(seed: int = 0, n: int = 80, rate_hz: float = 50.0, kinds: Sequence[str] = BEND_STYLES,
          ages: Sequence[str] = AGES) -> list[Case]:
    """n bends while standing, cycling through the bend styles x ages."""
    return [_case(seed, "bends", i, rate_hz, age, {"style": style}, partial(_bend, style=style))
            for i, (style, age) in enumerate(_combos(n, kinds, ages))]


def _car(rng: np.random.Generator, who: Person) -> Drawn:
    side = float(rng.choice([-1.0, 1.0]))
    into = styles.car_in(rng, who, side)
    segs = [_walk(rng, 15.0), _stand(rng, 2.0, 4.0),
            into, Segment("sitting", float(rng.uniform(20.0, 90.0))),
            styles.car_out(rng, who, -into.params["turn_deg"]), _stand(rng, 3.0, 5.0),
            _walk(rng, 10.0), Segment("standing", 5.0)]
    return segs, [Item("car_in", 2, 2), Item("car_seat", 3, 3), Item("car_out", 4, 4)]


def car(seed: int = 0, n: int = 30, rate_hz: float = 50.0, ages: Sequence[str] = AGES) -> list[Case]:
    """n trips: walk to the car, get in, sit, get out, walk away."""
    return [_case(seed, "car", i, rate_hz, age, {}, _car) for i, (age,) in enumerate(_combos(n, ages))]


def _standing_work(rng: np.random.Generator, who: Person, hours: float) -> Drawn:
    """Standing spells of 20-240 s (a bend in half of them) and walks of 20-300 s, for `hours`."""
    segs: list[Segment] = []
    while sum(s.duration_s for s in segs) < hours * 3600:
        segs.append(_stand(rng, 20.0, 240.0))
        if rng.random() < 0.5:
            segs += [styles.any_bend(rng, who), _stand(rng, 5.0, 60.0)]
        segs.append(_walk(rng, float(rng.uniform(20.0, 300.0))))
    return segs, [Item("day", 0, len(segs) - 1)]


def standing_day(seed: int = 0, hours: float = 2.0, rate_hz: float = 50.0, age: str = "young") -> Case:
    """A standing job: after the prelude, no sitting at all (every sit-down reported is false)."""
    return _case(seed, "standing_day", 0, rate_hz, age, {}, partial(_standing_work, hours=hours))


def _office(rng: np.random.Generator, who: Person, hours: float, plan: ScheduleSettings) -> Drawn:
    """The schedule until `hours`: the segment under way then is cut short (a movement is left out and
    10 s of the posture it was going to is added instead)."""
    segs: list[Segment] = []
    left_s = hours * 3600
    for seg in schedule(rng, plan, who):
        if seg.duration_s >= left_s:
            break
        segs.append(seg)
        left_s -= seg.duration_s
    if seg.kind in TRANSITION_S or seg.kind == "bend":
        segs.append(Segment(SETTLE.get(seg.kind, "standing"), 10.0))
    else:
        segs.append(replace(seg, duration_s=max(10.0, left_s)))
    return segs, [Item("day", 0, len(segs) - 1)]


def office_day(seed: int = 0, hours: float = 2.0, rate_hz: float = 50.0, age: str = "young",
               plan: ScheduleSettings | None = None) -> Case:
    """The office-day schedule with the odd bend and short sit (or `plan`) for `hours` after the prelude."""
    return _case(seed, "office_day", 0, rate_hz, age, {},
                 partial(_office, hours=hours, plan=plan or ScheduleSettings().varied()))
