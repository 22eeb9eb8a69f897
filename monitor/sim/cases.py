"""Finite, seeded, labelled simulator test cases: a wearer's segment list with the spans under test marked,
run into sample blocks with per-sample truth (label code, tilt, slouch) and LabelSegments.

Every case opens with a calibration prelude (stand 12 s, sit down, sit 12 s, stand up, stand 8 s) so an
engine can be calibrated from the case's own truth as a guided calibration would be (`calibration`):
5 s of the opening stand, and 5-10 s into the prelude's sit, as monitor.sim.calibration does.

A test over 200 short sits, say:

    for case in scenarios.short_sits(seed=0, n=200):
        run = case.run()
        engine = PostureEngine(case.rate_hz, run.calibration("stand+sit"))
        postures = []
        for block in run.blocks():  # 1 s blocks, as live
            engine.update(block)
            postures.append(engine.estimates.posture)
        posture = np.concatenate(postures)
        (start_s, end_s), = run.spans_s(case.items[0], "sitting")
        seen = (run.block.t_s >= start_s) & (run.block.t_s <= end_s + 3.0)
        assert np.any(posture[seen] == POSTURES.index("sitting"))
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from monitor.engine.calibration import Calibration
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock, concat
from monitor.sim.people import Person
from monitor.sim.segment import Segment
from monitor.sim.wearer import SensorModel, SimChunk, SimulatedWearer, samples_in

CAL_S = 5.0
# Short drops as a live link has them, but no lost-link gaps (a 5-30 s gap would void a case).
CASE_SENSOR = SensorModel(gap_every_s=1e12)


@dataclass(frozen=True)
class Item:
    """A span under test: `kind` (short_sit, sit_down, stand_up, bend, car_in, car_seat, car_out, day)
    over the case's segments first..last (inclusive)."""

    kind: str
    first: int
    last: int


@dataclass(frozen=True)
class Case:
    """One scenario: who, at what rate, which segments; `prelude` segments calibrate, `items` are
    scored; `group` names what varies (chair, speed, age, style, ...)."""

    name: str
    seed: int
    rate_hz: float
    person: Person
    segments: tuple[Segment, ...]
    items: tuple[Item, ...]
    prelude: int
    group: dict[str, str] = field(default_factory=dict)
    sensor: SensorModel = CASE_SENSOR

    def item(self, kind: str) -> Item:
        """The first item of `kind`."""
        return next(it for it in self.items if it.kind == kind)

    def run(self) -> CaseRun:
        """Simulate the case (deterministic for its seed)."""
        w = SimulatedWearer(seed=self.seed, rate_hz=self.rate_hz, person=self.person, sensor=self.sensor,
                            segments=self.segments)
        return CaseRun(self, list(w.chunks()))


@dataclass
class CaseRun:
    """A simulated case: its chunks (one per segment) and the truth, concatenated."""

    case: Case
    chunks: list[SimChunk]

    @cached_property
    def block(self) -> SampleBlock:
        return concat([c.block for c in self.chunks])

    @cached_property
    def code(self) -> NDArray[np.int16]:
        return np.concatenate([c.code for c in self.chunks])

    @cached_property
    def tilt_deg(self) -> NDArray[np.float64]:
        return np.concatenate([c.tilt_deg for c in self.chunks])

    @cached_property
    def slouch(self) -> NDArray[np.bool_]:
        return np.concatenate([c.slouch for c in self.chunks])

    @cached_property
    def labels(self) -> LabelSegments:
        return LabelSegments.from_per_sample(self.block.t_s, self.code)

    @cached_property
    def starts_s(self) -> NDArray[np.float64]:
        """Stream time of each segment's first sample (and, last, the end of the case)."""
        n = [samples_in(s.duration_s, self.case.rate_hz) for s in self.case.segments]
        return np.concatenate([[0], np.cumsum(n)]) / self.case.rate_hz

    def span_s(self, first: int, last: int | None = None) -> tuple[float, float]:
        """From segment `first`'s first sample to segment `last`'s (default `first`) last one."""
        last = first if last is None else last
        return float(self.starts_s[first]), float(self.starts_s[last + 1] - 1 / self.case.rate_hz)

    def item_span_s(self, item: Item) -> tuple[float, float]:
        return self.span_s(item.first, item.last)

    def spans_s(self, item: Item, kind: str) -> list[tuple[float, float]]:
        """Spans of the item's segments of `kind` (the seated part of a short sit: `sitting`)."""
        segs = self.case.segments
        return [self.span_s(i) for i in range(item.first, item.last + 1) if segs[i].kind == kind]

    @property
    def scored_from_s(self) -> float:
        """Where the prelude's movements are over: 3 s before its closing stand ends."""
        return float(self.starts_s[self.case.prelude]) - 3.0

    def blocks(self, chunk_s: float = 1.0) -> Iterator[SampleBlock]:
        """The samples in blocks of `chunk_s` (as a live stream delivers them)."""
        step = max(1, round(chunk_s * self.case.rate_hz))
        for i in range(0, len(self.block), step):
            yield self.block.slice(i, i + step)

    def calibration(self, mode: str = "stand+sit") -> Calibration | None:
        """`stand+sit`: up, left-right and the sitting angle from the prelude; `stand`: up from the
        opening stand only; `none`: None (the engine finds its own reference)."""
        if mode == "none":
            return None
        stand, n = self.chunks[0].block, round(CAL_S * self.case.rate_hz)
        gyro = None if stand.gyro_dps is None else stand.gyro_dps[:n]
        if mode == "stand":
            return Calibration.from_poses(stand.acc_g[:n], None, gyro)
        sit = next(c.block for c in self.chunks if c.segment.kind == "sitting")
        return Calibration.from_poses(stand.acc_g[:n], sit.acc_g[n:2 * n], gyro)
