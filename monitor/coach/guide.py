"""A guided break: the suggested stretches as steps (stretch x rep x side), with a hold timer that
runs only while the sensor says the user is out of the chair."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.coach.coach import OUT_OF_CHAIR
from monitor.coach.stretches import Stretch


@dataclass(frozen=True)
class Step:
    stretch: Stretch
    side: str | None
    rep: int  # 1-based


class GuidedBreak:
    def __init__(self, stretches: list[Stretch]) -> None:
        self.stretches = stretches
        self.steps = [Step(s, side, rep) for s in stretches for rep in range(1, s.reps + 1)
                      for side in (s.sides or (None,))]
        self.index = 0
        self.held_s = 0.0
        self.up = False
        self.last_t_s: float | None = None

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def step(self) -> Step | None:
        return None if self.done else self.steps[self.index]

    @property
    def remaining_s(self) -> float:
        step = self.step
        return 0.0 if step is None else max(0.0, step.stretch.hold_s - self.held_s)

    def update(self, t_s: float, posture: str) -> None:
        """Advance the hold timer by the time since the last call, if the user was up meanwhile."""
        dt = 0.0 if self.last_t_s is None else max(0.0, t_s - self.last_t_s)
        self.last_t_s = t_s
        was_up, self.up = self.up, posture in OUT_OF_CHAIR
        if not (was_up and self.up):
            return
        while dt > 0 and not self.done:
            used = min(dt, self.remaining_s)
            self.held_s += used
            dt -= used
            if self.remaining_s <= 0:
                self.index, self.held_s = self.index + 1, 0.0
