"""The guided calibration as a pure state machine fed with sample blocks from any source (a live
sensor, the virtual one, a recording): for each step, a stillness meter, a hold countdown, the checks,
and a clear message when a step fails; a failed step can be retried, an optional one skipped."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from monitor.calibrate.protocol import Preset, Protocol, Step
from monitor.calibrate.solve import Captured, solve
from monitor.calibrate.tiles import F64, Tile, Tiler, angle_deg
from monitor.engine.calibration import Calibration
from monitor.samples import SampleBlock


@dataclass
class StepState:
    state: str = "waiting"  # waiting -> holding -> done | failed | skipped
    t0_s: float | None = None
    run: list[Tile] = field(default_factory=list)  # consecutive still tiles
    similar_seen: bool = False
    longest_still_s: float = 0.0
    stillness: float = 0.0
    bends: int = 0
    bent: bool = False
    ready: bool = False  # standing again after the sitting steps
    peak_deg: float = 0.0
    peak_acc: F64 | None = None
    moving_gyro: list[F64] = field(default_factory=list)
    message: str | None = None


@dataclass(frozen=True)
class Status:
    """What the screen or the command line shows right now."""

    step: Step
    index: int
    total: int
    state: str
    stillness: float
    held_s: float
    remaining_s: float
    bends: int
    message: str | None
    warnings: tuple[str, ...]
    finished: bool


class GuidedCalibration:
    def __init__(self, protocol: Protocol, rate_hz: float, preset: Preset | None = None) -> None:
        self.p, self.c, self.preset = protocol, protocol.checks, preset
        self.tiler = Tiler(rate_hz, self.c.tile_s)
        self.index, self.st = 0, StepState()
        self.captured = Captured()
        self.warnings: list[str] = []
        self.done_steps: list[str] = []
        self.prev: Tile | None = None  # the tile before, to see slow turns the gyro spread misses
        self.last_t_s = 0.0  # end of the latest tile: the step's clock

    @property
    def step(self) -> Step:
        return self.p.steps[min(self.index, len(self.p.steps) - 1)]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.p.steps)

    def update(self, block: SampleBlock) -> Status:
        for tile in self.tiler.update(block):
            if self.finished or self.st.state == "failed":
                break
            self.last_t_s = tile.t_end_s
            self._tile(tile)
        return self.status()

    def _tile(self, tile: Tile) -> None:
        st, step = self.st, self.step
        if st.t0_s is None:
            st.t0_s = tile.t_end_s - self.c.tile_s
        elapsed = tile.t_end_s - st.t0_s
        st.stillness = float(np.clip(1.5 - max(tile.gyro_dev_dps / self.c.still_gyro_dev_dps,
                                               tile.acc_sd_g / self.c.still_acc_sd_g), 0.0, 1.0))
        if elapsed <= self.c.settle_s:
            return
        if step.kind == "still":
            self._still(tile, step)
        else:
            self._bend(tile, step)
        if st.state not in ("done", "failed") and elapsed >= step.timeout_s:
            self._fail(f"'{step.title}' timed out after {step.timeout_s:g} s: {self._why(step)}")

    def _still(self, tile: Tile, step: Step) -> None:
        st = self.st
        prev, self.prev = self.prev, tile
        turning = prev is not None and angle_deg(prev.acc_mean_g, tile.acc_mean_g) > \
            self.c.still_turn_dps * self.c.tile_s
        if turning or not tile.still(self.c.still_gyro_dev_dps, self.c.still_acc_sd_g):
            st.run, st.state = [], "waiting"
            return
        st.run.append(tile)
        st.state = "holding"
        held = len(st.run) * self.c.tile_s
        st.longest_still_s = max(st.longest_still_s, held)
        if held + 1e-9 < step.hold_s:
            return
        acc = np.mean([t.acc_mean_g for t in st.run], axis=0)
        ref = self.captured.acc_g.get(step.differs_from or "")
        if ref is not None and angle_deg(acc, ref) < step.min_change_deg:
            st.similar_seen = True
            st.run.pop(0)  # maybe the wearer has not changed pose yet: keep looking
            return
        self._capture(step, acc, np.mean([t.gyro_mean_dps for t in st.run], axis=0),
                      sum(t.n for t in st.run))

    def _capture(self, step: Step, acc: F64, gyro: F64, n: int) -> None:
        if step.id == "stand":
            problem = self._check_stand(acc)
            if problem is not None:
                self._fail(problem)
                return
        self.captured.acc_g[step.id], self.captured.gyro_dps[step.id] = acc, gyro
        self.captured.samples[step.id] = n
        self._next("done")

    def _check_stand(self, acc: F64) -> str | None:
        g = float(np.linalg.norm(acc))
        lo, hi = self.c.gravity_g
        if not lo <= g <= hi:
            return (f"the sensor reads {g:.2f} g at rest, not about 1 g: the device profile's accelerometer "
                    "scale or units are wrong for this sensor")
        if self.preset is not None:
            off = angle_deg(acc, np.array(self.preset.up))
            if off >= self.c.upside_down_deg:
                self.warnings.append(f"the sensor looks upside down for '{self.preset.name}' ({off:.0f} deg "
                                     "from the preset's up): turn it over, or choose the preset you use")
            elif off >= self.c.swapped_deg:
                self.warnings.append(f"the sensor's axes look swapped for '{self.preset.name}' "
                                     f"({off:.0f} deg from the preset's up): check how it is clipped, "
                                     "or choose another preset")
        return None

    def _bend(self, tile: Tile, step: Step) -> None:
        st, up = self.st, self.captured.acc_g["stand"]
        incl = angle_deg(tile.acc_mean_g, up)
        if not st.ready:  # wait until the wearer stands again
            st.ready = incl < step.min_angle_deg / 2.0
            return
        if self._backward(tile.acc_mean_g, up):
            incl = 0.0  # leaning back or sitting is not a forward bend
        if tile.gyro_dev_dps > self.c.still_gyro_dev_dps or incl > 5.0:
            st.moving_gyro.append(tile.gyro_dps)
        st.state = "holding"
        if incl > st.peak_deg:
            st.peak_deg, st.peak_acc = incl, tile.acc_mean_g
        if not st.bent and incl >= step.min_angle_deg:
            st.bent = True
        elif st.bent and incl < step.min_angle_deg / 2.0:
            st.bent, st.bends = False, st.bends + 1
            if st.bends >= step.count:
                self.captured.bend_gyro_dps = np.concatenate(st.moving_gyro)
                self.captured.bend_peak_acc_g = st.peak_acc
                self._next("done")

    def _backward(self, acc: F64, up: F64) -> bool:
        """Towards the sitting pose's side: sitting tilts the pelvis back, a bend tilts it forward."""
        sit = self.captured.acc_g.get("sit")
        if sit is None:
            return False
        u = up / np.linalg.norm(up)
        return float((acc - (acc @ u) * u) @ (sit - (sit @ u) * u)) > 0.0

    def _why(self, step: Step) -> str:
        st = self.st
        if step.kind == "bends":
            return (f"saw {st.bends} of {step.count} forward bends of at least {step.min_angle_deg:g} deg "
                    "(deepest {:.0f} deg): bend further from the hips, slowly, or skip this step"
                    .format(st.peak_deg))
        if st.similar_seen:
            return step.too_similar
        return (f"you moved during the step (held still {st.longest_still_s:.1f} of {step.hold_s:g} s): "
                "hold still until the countdown ends")

    def _fail(self, message: str) -> None:
        self.st.state, self.st.message = "failed", message

    def _next(self, how: str) -> None:
        self.done_steps.append(f"{self.step.id}:{how}")
        self.index += 1
        self.st = StepState()

    def retry(self) -> None:
        """Start the current (failed) step again."""
        self.st = StepState()

    def skip(self) -> bool:
        """Skip the current step if it is optional."""
        if self.finished or self.step.required:
            return False
        self._next("skipped")
        return True

    def status(self) -> Status:
        st, step = self.st, self.step
        held = len(st.run) * self.c.tile_s if step.kind == "still" else 0.0
        elapsed = 0.0 if st.t0_s is None else self.last_t_s - st.t0_s
        return Status(step, self.index, len(self.p.steps), "finished" if self.finished else st.state,
                      st.stillness, held, max(0.0, step.timeout_s - elapsed), st.bends, st.message,
                      tuple(self.warnings), self.finished)

    def result(self) -> tuple[Calibration, str]:
        """The calibration (after the required steps), and where its left-right axis came from."""
        fallback = None
        if self.preset is not None:
            fallback = np.cross(np.array(self.preset.up), np.array(self.preset.forward))
        return solve(self.captured, fallback)
