"""The shape of a movement between poses: min-jerk tilt, obliquity and heading waypoints plus min-jerk
vertical and forward displacements, over the movement's phase u in [0, 1].

A plan without extra parameters is the simulator's original sit-down/stand-up (pelvis drop 0.45 m,
peak anterior tilt 18-28 deg, 0.2 m forward shift); a segment's `params` reshape it (`drop_m`, `peak_deg`,
`turn_deg`, `lean_side_deg`, `false_start_s`), see monitor.sim.styles for the ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from monitor.sim.motion import F64, LIE_DEG, vertical_move

Points = tuple[tuple[float, float], ...]  # (u, value) waypoints
Moves = tuple[tuple[float, float, float], ...]  # (displacement m, u0, u1)


@dataclass(frozen=True)
class Plan:
    """tilt/obl/turn: (u, deg) waypoints (turn relative to the start heading; obl None = from the start
    to level); lifts: vertical moves (m, up positive); shifts: moves along the heading (m)."""

    tilt: Points
    lifts: Moves = ()
    shifts: Moves = ((0.2, 0.1, 0.7),)
    turn: Points = ((0.0, 0.0), (1.0, 0.0))
    obl: Points | None = None

    def vertical_g(self, u: F64, dur_s: float) -> F64:
        """Noise-free vertical acceleration (g) of the lifts at phases u."""
        return _moves_g(self.lifts, u, dur_s)

    def forward_g(self, u: F64, dur_s: float) -> F64:
        """Noise-free acceleration (g) along the heading."""
        return _moves_g(self.shifts, u, dur_s)

    def squeezed(self, a: float, b: float) -> Plan:
        """The same movement over the phase [a, b] of a longer one."""
        def pts(p: Points) -> Points:
            return tuple((a + u * (b - a), v) for u, v in p)

        def mv(m: Moves) -> Moves:
            return tuple((h, a + u0 * (b - a), a + u1 * (b - a)) for h, u0, u1 in m)

        return Plan(pts(self.tilt), mv(self.lifts), mv(self.shifts), pts(self.turn),
                    None if self.obl is None else pts(self.obl))


def _moves_g(moves: Moves, u: F64, dur_s: float) -> F64:
    out = np.zeros(len(u))
    for h_m, u0, u1 in moves:
        out += vertical_move(u, dur_s, h_m, u0, u1)
    return out


def _join(first: Plan, second: Plan, at: float) -> Plan:
    """`first` over [0, at] then `second` over [at, 1] (tilt, lifts and shifts; turn and obl from second)."""
    a, b = first.squeezed(0.0, at), second.squeezed(at, 1.0)
    tilt = a.tilt + (b.tilt[1:] if b.tilt[0][0] <= a.tilt[-1][0] else b.tilt)
    return Plan(tilt, a.lifts + b.lifts, a.shifts + b.shifts, second.turn, second.obl)


def basic(kind: str, start_deg: float, sit_deg: float, peak_deg: float, drop_m: float = 0.45) -> Plan:
    """The original transitions: tilt via a forward-lean peak, one vertical move, a 0.2 m shift."""
    plans = {
        "stand_to_sit": Plan(((0, start_deg), (0.55, peak_deg), (1, sit_deg)), ((-drop_m, 0.15, 0.85),)),
        "sit_to_stand": Plan(((0, start_deg), (0.35, peak_deg), (1, 0.0)), ((drop_m, 0.30, 1.0),)),
        "sit_to_lie": Plan(((0, start_deg), (1, LIE_DEG)), ((-0.25, 0.2, 0.9),)),
        "lie_to_sit": Plan(((0, start_deg), (1, sit_deg)), ((0.25, 0.1, 0.8),)),
        "stand_to_lie": Plan(((0, start_deg), (0.3, peak_deg * 0.8), (1, LIE_DEG)), ((-0.6, 0.1, 0.8),)),
        "lie_to_stand": Plan(((0, start_deg), (0.6, peak_deg), (1, 0.0)), ((0.6, 0.3, 1.0),)),
    }
    return plans[kind]


def false_start(rise: Plan, start_deg: float, peak_deg: float, share: float) -> Plan:
    """A failed first attempt before `rise`: lean most of the way, lift the pelvis 6 cm, sit back,
    pause; it takes the first `share` of the movement."""
    attempt = Plan(((0, start_deg), (0.4, start_deg + 0.7 * (peak_deg - start_deg)), (0.75, start_deg)),
                   ((0.06, 0.25, 0.45), (-0.06, 0.5, 0.75)), ((0.1, 0.0, 0.4), (-0.1, 0.45, 0.8)))
    return _join(attempt, rise, share)


def car_in(start_deg: float, seat_deg: float, peak_deg: float, drop_m: float, turn_deg: float,
           side_deg: float) -> Plan:
    """Back into the seat ducking forward, drop, then swing the legs in (the pelvis turns ~90 deg)
    while leaning sideways, settling into the reclined seat."""
    return Plan(((0, start_deg), (0.4, peak_deg), (0.8, seat_deg + 3.0), (1, seat_deg)),
                ((-drop_m, 0.1, 0.6),), ((-0.15, 0.1, 0.6),),
                ((0, 0.0), (0.45, 0.0), (0.95, turn_deg), (1, turn_deg)),
                ((0, 0.0), (0.65, side_deg), (1, 0.0)))


def car_out(start_deg: float, peak_deg: float, drop_m: float, turn_deg: float, side_deg: float) -> Plan:
    """Swing the legs out (turn), lean forward and rise out of the low seat."""
    return Plan(((0, start_deg), (0.4, start_deg + 4.0), (0.65, peak_deg), (1, 0.0)),
                ((drop_m, 0.45, 1.0),), ((0.2, 0.45, 0.95),),
                ((0, 0.0), (0.05, 0.0), (0.45, turn_deg), (1, turn_deg)),
                ((0, 0.0), (0.3, side_deg), (0.7, 0.0), (1, 0.0)))


def bend(start_deg: float, peak_deg: float, drop_m: float, back_m: float, down_u: float,
         up_u: float) -> Plan:
    """Down to a bent (or squatting) pose by `down_u`, held until `up_u`, back up to standing; the
    pelvis drops and moves back (hip hinge) while down."""
    return Plan(((0, start_deg), (down_u, peak_deg), (up_u, peak_deg - 3.0), (1, 0.0)),
                ((-drop_m, 0.0, down_u), (drop_m, up_u, 1.0)),
                ((-back_m, 0.0, down_u), (back_m, up_u, 1.0)))


def for_segment(kind: str, params: dict[str, float], start_deg: float, sit_deg: float,
                peak_deg: float, dur_s: float) -> Plan:
    """The plan of a transition segment from its kind and parameters."""
    p = params
    if "turn_deg" in p and kind == "stand_to_sit":
        return car_in(start_deg, sit_deg, peak_deg, p["drop_m"], p["turn_deg"], p.get("lean_side_deg", 0.0))
    if "turn_deg" in p and kind == "sit_to_stand":
        return car_out(start_deg, peak_deg, p["drop_m"], p["turn_deg"], p.get("lean_side_deg", 0.0))
    plan = basic(kind, start_deg, sit_deg, peak_deg, p.get("drop_m", 0.45))
    if p.get("false_start_s", 0.0) > 0 and kind == "sit_to_stand":
        plan = false_start(plan, start_deg, peak_deg, min(0.6, p["false_start_s"] / dur_s))
    return plan


def with_obliquity(plan: Plan, start_deg: float) -> Plan:
    """Obliquity waypoints from the start value (level at the end when the plan has none)."""
    if plan.obl is None:
        return replace(plan, obl=((0.0, start_deg), (1.0, 0.0)))
    return replace(plan, obl=tuple((u, v + start_deg * (1.0 - u)) for u, v in plan.obl))
