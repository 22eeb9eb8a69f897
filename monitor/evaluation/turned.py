"""The slouch test on real sitting: HAPT sittings turned posterior about the pelvis's left-right axis.

HAPT has no slouch labels, but it has real people sitting, each time a little differently. So the
test makes slouches of a known size out of real data: in every other sitting segment after the
calibration one (counted across the corpus), the accelerometer and gyro are turned about the
pelvis's left-right axis (from the recording's calibration) by `turn_deg` posterior, ramping over
`ramp_s` and held for the segment less `lead_s` at the start and `tail_s` at the end (the gyro also
gets the ramps' angular rate, as a real turn would give). The engine, with `dwell_s` of slouch
dwell, should report a slouch in every turned segment, none in the untouched ones, and measure the
tilt drop within 1 deg.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.transform import Rotation

from monitor.engine import Calibration, EngineSettings
from monitor.evaluation.protocol import LabelledRun, calibrate, evaluate_run
from monitor.labels import CODES
from monitor.samples import SampleBlock

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class TurnSettings:
    turn_deg: float = 15.0  # posterior turn of a slouch
    ramp_s: float = 1.5  # into and out of it
    lead_s: float = 3.0  # untouched at the start of the segment
    tail_s: float = 2.0  # untouched at its end
    dwell_s: float = 3.0  # the engine's slouch dwell for the test


@dataclass
class Segment:
    """One sitting segment after the calibration one, and what the engine made of it."""

    recording: str
    start_s: float
    end_s: float
    turned: bool
    slouch_found: bool = False
    drop_deg: float | None = None  # median tilt drop over the hold (engine, turned vs untouched run)


def sittings_after_calibration(run: LabelledRun) -> list[tuple[float, float]]:
    """Labelled sitting segments after the first (the calibration's)."""
    lab = run.labels
    spans = [(float(s), float(e)) for s, e, c in zip(lab.start_s, lab.end_s, lab.code, strict=True)
             if c == CODES["sitting"]]
    return spans[1:]


def turn_profile_deg(t_s: F64, start_s: float, end_s: float, ts: TurnSettings) -> F64:
    """The turn (deg, >= 0) at each sample: ramps up after `lead_s`, down to end `tail_s` early."""
    up0, down1 = start_s + ts.lead_s, end_s - ts.tail_s
    rise = np.clip((t_s - up0) / ts.ramp_s, 0, 1)
    fall = np.clip((down1 - t_s) / ts.ramp_s, 0, 1)
    return np.asarray(ts.turn_deg * np.minimum(rise, fall), np.float64)


def turned_block(block: SampleBlock, ml_axis: F64, spans: list[tuple[float, float]],
                 ts: TurnSettings) -> SampleBlock:
    """The block with the pelvis turned posterior by the profile in each span (sensor frame)."""
    angle = np.zeros(len(block))
    for s, e in spans:
        angle += turn_profile_deg(block.t_s, s, e, ts)
    rot = Rotation.from_rotvec(np.outer(np.radians(angle), ml_axis))
    acc = rot.apply(block.acc_g)  # the pelvis turning back about ML turns gravity forward in its frame
    gyro = None
    if block.gyro_dps is not None:
        rate_dps = np.gradient(angle, block.t_s)
        gyro = rot.apply(block.gyro_dps) - np.outer(rate_dps, ml_axis)
    return SampleBlock(block.t_s, acc, gyro, block.rate_hz)


def run_test(runs: list[LabelledRun], settings: EngineSettings | None = None,
             ts: TurnSettings | None = None, parity: int = 1) -> list[Segment]:
    """Turn every other post-calibration sitting segment across `runs` (those whose index has this
    parity: 1 turns the second, fourth, ...; 0 the first, third, ...); score each segment."""
    ts = ts or TurnSettings()
    s = replace(settings or EngineSettings(), slouch_dwell_s=ts.dwell_s)
    out: list[Segment] = []
    for run in runs:
        cal, _ = calibrate(run)
        spans = sittings_after_calibration(run)
        if cal is None or not spans:
            continue
        turned = [len(out) + i for i in range(len(spans)) if (len(out) + i) % 2 == parity]
        segs = [Segment(run.name, a, b, len(out) + i in turned) for i, (a, b) in enumerate(spans)]
        out.extend(_score(run, cal, segs, s, ts))
    return out


def _score(run: LabelledRun, cal: Calibration, segs: list[Segment], s: EngineSettings,
           ts: TurnSettings) -> list[Segment]:
    # the protocol calibrates both the same way: the calibration sitting is never turned
    plain = evaluate_run(LabelledRun(run.name, run.block, run.labels), s)
    block = turned_block(run.block, cal.r[1], [(g.start_s, g.end_s) for g in segs if g.turned], ts)
    bent = evaluate_run(LabelledRun(run.name, block, run.labels), s)
    t = run.block.t_s
    for g in segs:
        inside = (t >= g.start_s) & (t <= g.end_s)
        g.slouch_found = bool((bent.slouch if g.turned else plain.slouch)[inside].any())
        hold = (t >= g.start_s + ts.lead_s + ts.ramp_s) & (t <= g.end_s - ts.tail_s - ts.ramp_s)
        if g.turned and hold.any():
            g.drop_deg = float(np.median(plain.tilt_deg[hold] - bent.tilt_deg[hold]))
    return segs


def figures(segs: list[Segment], ts: TurnSettings | None = None) -> dict[str, Any]:
    """Slouch F1 over the turned segments (a slouch in an untouched one is a false positive)."""
    ts = ts or TurnSettings()
    tp = sum(g.turned and g.slouch_found for g in segs)
    fn = sum(g.turned and not g.slouch_found for g in segs)
    fp = sum(not g.turned and g.slouch_found for g in segs)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    drops = [g.drop_deg for g in segs if g.drop_deg is not None]
    err = [abs(d - ts.turn_deg) for d in drops]
    return {"turned": tp + fn, "untouched": sum(not g.turned for g in segs), "tp": tp, "fn": fn, "fp": fp,
            "f1": round(f1, 4), "drop_error_deg": {"median": round(float(np.median(err)), 3) if err else None,
                                                   "max": round(float(max(err)), 3) if err else None}}
