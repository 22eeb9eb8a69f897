"""The protocol: calibrate from the recording's own first standing and sitting 5 s, run the engine
live (causal), and keep the posture it reported at each sample plus its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from monitor.engine import Calibration, EngineSettings, PostureEngine
from monitor.errors import InputError
from monitor.events import Event
from monitor.labels import LabelSegments
from monitor.samples import SampleBlock

CAL_S = 5.0


@dataclass
class LabelledRun:
    """A recording with labels, and (after evaluation) what the engine said."""

    name: str
    block: SampleBlock
    labels: LabelSegments
    codes: NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))
    posture: NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    events: list[Event] = field(default_factory=list)
    excluded: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    calibrated: bool = False


def load_labelled(path: Path, fmt: str | None) -> LabelledRun:
    """A HAPT CSV (`--format hapt` or a .csv.gz name) or a recording with labels."""
    if fmt == "hapt" or (fmt is None and path.name.endswith((".csv", ".csv.gz"))):
        from monitor.importers import read_hapt

        data = read_hapt(path)
        return LabelledRun(path.name, data.block, data.labels)
    from monitor.sessions import open_recording

    rec = open_recording(path)
    block = rec.samples()
    if block is None or len(rec.labels()) == 0:
        raise InputError(f"{path}: has no labelled samples to evaluate")
    return LabelledRun(path.name, block, rec.labels())


def _window(labels: LabelSegments, code: int, t_s: NDArray[np.float64]) -> NDArray[np.bool_] | None:
    """Samples of the first CAL_S seconds of the first segment with this label."""
    hits = np.flatnonzero(labels.code == code)
    if len(hits) == 0:
        return None
    start = labels.start_s[hits[0]]
    return (t_s >= start) & (t_s < start + CAL_S)


def calibrate(run: LabelledRun) -> tuple[Calibration | None, NDArray[np.bool_]]:
    """Calibration from the first standing and sitting 5 s; those samples are excluded from scoring."""
    b = run.block
    stand, sit = _window(run.labels, 5, b.t_s), _window(run.labels, 4, b.t_s)
    excluded = np.zeros(len(b), bool)
    if stand is None or sit is None:
        return None, excluded
    gyro = b.gyro_dps[stand] if b.gyro_dps is not None else None
    return Calibration.from_poses(b.acc_g[stand], b.acc_g[sit], gyro), stand | sit


def evaluate_run(run: LabelledRun, settings: EngineSettings | None = None,
                 chunk: int = 1 << 20) -> LabelledRun:
    """Run the engine over the recording in `chunk`-sample blocks; fill in posture and events."""
    cal, run.excluded = calibrate(run)
    run.calibrated = cal is not None
    engine = PostureEngine(run.block.rate_hz, cal, settings)
    postures, events = [], []
    for i in range(0, len(run.block), chunk):
        events.extend(engine.update(run.block.slice(i, i + chunk)))
        assert engine.estimates is not None
        postures.append(engine.estimates.posture)
    run.posture, run.events = np.concatenate(postures), events
    run.codes = run.labels.at(run.block.t_s)
    return run
