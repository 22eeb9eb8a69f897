"""A guided break: the suggested stretches as steps (stretch x rep x side), with a hold timer that
runs only while the sensor says the user is out of the chair."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.coach.bout import OUT_OF_CHAIR
from monitor.coach.stretches import Stretch


@dataclass(frozen=True)
class Step:
    stretch: Stretch
    side: str | None
    rep: int  # 1-based


class GuidedBreak:
    """Steps in order; `update` is called at every posture change and on the coach's grid, so the hold
    timer counts exactly the time out of the chair (the same for any chunking of the stream)."""

    def __init__(self, stretches: list[Stretch], t_s: float = 0.0) -> None:
        self.stretches = stretches
        self.steps = [Step(s, side, rep) for s in stretches for rep in range(1, s.reps + 1)
                      for side in (s.sides or (None,))]
        self.index = 0
        self.held_s = 0.0
        self.up = False
        self.up_s = 0.0  # out of the chair in all, for the summary at the end
        self.started_s = t_s
        self.progress_s = t_s  # the last time the hold timer ran (a break without progress is dropped)
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
        """Advance the hold timer by the time since the last call if the user was up since then
        (the posture of the last call), then take `posture` as the one from now on."""
        dt = 0.0 if self.last_t_s is None else max(0.0, t_s - self.last_t_s)
        self.last_t_s = t_s
        if self.up and dt > 0:
            self.up_s += dt
            self.progress_s = t_s
            self._hold(dt)
        self.up = posture in OUT_OF_CHAIR

    def _hold(self, dt: float) -> None:
        while dt > 0 and not self.done:
            used = min(dt, self.remaining_s)
            self.held_s += used
            dt -= used
            if self.remaining_s <= 0:
                self.index, self.held_s = self.index + 1, 0.0
