"""The protocol: calibrate from the recording's own labelled poses (by default the first 5 s of the first
standing and of the first sitting segment), run the engine live (causal), and keep what it reported at each
sample (posture, tilt, slouch) plus its events. Only the samples used to calibrate leave scoring. The
wearer's own labels count too: `slouching` is sitting for the posture scores and slouch truth where the
recording has no simulator truth; `not_X` spans are scored apart (monitor/evaluation/scoring.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from monitor.engine import Calibration, EngineSettings, PostureEngine
from monitor.errors import ImportFormatError, InputError
from monitor.events import Event
from monitor.labels import CODES, SLOUCHING, LabelSegments
from monitor.samples import SampleBlock

if TYPE_CHECKING:
    from monitor.sessions.reader import Recording

CAL_S = 5.0
CalibrationMode = Literal["stand+sit", "stand", "none"]
CALIBRATION_MODES: tuple[CalibrationMode, ...] = ("stand+sit", "stand", "none")
SITTING, STANDING = CODES["sitting"], CODES["standing"]
SITTING_CODES = (SITTING, SLOUCHING)  # labels that say the wearer sat


@dataclass
class LabelledRun:
    """A recording with labels (and, when simulated, per-sample truth tilt and slouch); after evaluation,
    what the engine said and which calibration it ran with."""

    name: str
    block: SampleBlock
    labels: LabelSegments
    truth_tilt_deg: NDArray[np.float64] | None = None
    truth_slouch: NDArray[np.bool_] | None = None
    slouch_from_labels: bool = False  # truth_slouch is `slouching` labels: known only where labelled sitting
    codes: NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))
    posture: NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, np.int8))
    tilt_deg: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0, np.float64))
    slouch: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    events: list[Event] = field(default_factory=list)
    excluded: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    calibration: CalibrationMode = "none"  # what the engine got
    note: str | None = None  # why it got less than was asked for

    @property
    def calibrated(self) -> bool:
        return self.calibration != "none"


def load_labelled(path: Path, fmt: str | None) -> LabelledRun:
    """A HAPT CSV (`--format hapt` or a .csv/.csv.gz name) or a recording with labels (and its
    simulator truth, when it has one; else its `slouching` labels as slouch truth, when it has any).
    A live recording's raw frames are decoded as a replay decodes them, so its labels, made on the
    live stream's sample times, land on the same samples."""
    if fmt == "hapt" or (fmt is None and path.name.endswith((".csv", ".csv.gz"))):
        return _load_hapt(path)
    from monitor.sessions.edits import open_to_label

    rec = open_to_label(path)
    labels = rec.labels()
    block = rec.samples() if not rec.has_frames or rec.stored else decoded(rec)
    if block is None or len(block) == 0 or len(labels) == 0:
        raise InputError(f"{path}: has no labelled samples to evaluate")
    truth = rec.truth_arrays()
    if truth is not None and len(truth[0]) == len(block):
        return LabelledRun(path.name, block, labels, truth[0], truth[1])
    if np.any(labels.code == SLOUCHING):
        return LabelledRun(path.name, block, labels, None, labels.at(block.t_s) == SLOUCHING, True)
    return LabelledRun(path.name, block, labels)


def _load_hapt(path: Path) -> LabelledRun:
    """A HAPT CSV; a recording or a generic CSV is an InputError saying what to do instead."""
    from monitor.importers import read_hapt
    from monitor.sessions.format import MAGIC

    try:
        with open(path, "rb") as f:
            is_recording = f.read(len(MAGIC)) == MAGIC
    except OSError as e:
        raise InputError(f"{path}: cannot read it: {e.strerror}") from None
    if is_recording:
        raise InputError(f"{path}: is a posture-monitor recording, not a HAPT CSV: drop --format hapt")
    try:
        data = read_hapt(path)
    except ImportFormatError as e:
        if e.line != 1:
            raise
        raise InputError(f"{e}; a generic CSV: import it with --format csv first (posture-monitor "
                         f"import {path} --format csv --out DIR), then evaluate the recording") from None
    return LabelledRun(path.name, data.block, data.labels)


def decoded(rec: Recording) -> SampleBlock | None:
    """A raw-frame recording's samples, decoded with its profile and clock settings in the chunks of
    `replay --speed max`."""
    from monitor.decode import Decoder
    from monitor.decode.clock import ClockSettings
    from monitor.profiles import Registry
    from monitor.samples import concat
    from monitor.sources.recorded import replay_items

    profile = Registry.load().get(str(rec.header.get("profile")))
    clock = rec.header.get("clock")
    rate = float(rec.header.get("sample_rate_hz") or profile.rate.default_hz)
    decoder = Decoder(profile, rate, ClockSettings.from_dict(clock) if isinstance(clock, dict) else None)
    blocks = [decoder.decode(item) for item in replay_items(rec, None)] + [decoder.flush()]
    found = [b for b in blocks if b is not None and len(b)]
    return concat(found) if found else None


def _window(labels: LabelSegments, code: int, t_s: NDArray[np.float64]) -> NDArray[np.bool_] | None:
    """Samples of the first CAL_S seconds of the first segment with this label."""
    hits = np.flatnonzero(labels.code == code)
    if len(hits) == 0:
        return None
    start = labels.start_s[hits[0]]
    return (t_s >= start) & (t_s < start + CAL_S)


@dataclass(frozen=True)
class CalibrationUsed:
    """What a run was calibrated with: the calibration (None: the engine finds its own reference), the
    samples it was made from (excluded from scoring), the mode it got, and a note when that is less
    than was asked for."""

    calibration: Calibration | None
    samples: NDArray[np.bool_]
    mode: CalibrationMode
    note: str | None = None


def calibrate_as(run: LabelledRun, mode: CalibrationMode = "stand+sit") -> CalibrationUsed:
    """The calibration `mode` asks for, or the most of it the labels allow (sitting needs standing)."""
    b = run.block
    stand = _window(run.labels, STANDING, b.t_s) if mode != "none" else None
    if stand is None:
        note = None if mode == "none" else "no labelled standing; ran uncalibrated"
        return CalibrationUsed(None, np.zeros(len(b), bool), "none", note)
    gyro = b.gyro_dps[stand] if b.gyro_dps is not None else None
    sit = _window(run.labels, SITTING, b.t_s) if mode == "stand+sit" else None
    if sit is None:
        note = "no labelled sitting; calibrated from standing only" if mode == "stand+sit" else None
        return CalibrationUsed(Calibration.from_poses(b.acc_g[stand], None, gyro), stand, "stand", note)
    return CalibrationUsed(Calibration.from_poses(b.acc_g[stand], b.acc_g[sit], gyro), stand | sit,
                           "stand+sit")


def calibrate(run: LabelledRun) -> tuple[Calibration | None, NDArray[np.bool_]]:
    """The default protocol's calibration from the first standing and sitting 5 s and the samples it
    used; (None, nothing) unless the recording has both."""
    used = calibrate_as(run, "stand+sit")
    if used.mode != "stand+sit":
        return None, np.zeros(len(run.block), bool)
    return used.calibration, used.samples


def evaluate_run(run: LabelledRun, settings: EngineSettings | None = None, chunk: int = 1 << 20,
                 mode: CalibrationMode = "stand+sit") -> LabelledRun:
    """Run the engine over the recording in `chunk`-sample blocks; fill in its per-sample posture,
    tilt and slouch flag, its events, and the calibration it ran with."""
    used = calibrate_as(run, mode)
    run.excluded, run.calibration, run.note = used.samples, used.mode, used.note
    engine = PostureEngine(run.block.rate_hz, used.calibration, settings)
    postures, tilts, slouches, events = [], [], [], []
    for i in range(0, len(run.block), chunk):
        events.extend(engine.update(run.block.slice(i, i + chunk)))
        assert engine.estimates is not None
        postures.append(engine.estimates.posture)
        tilts.append(engine.estimates.tilt_deg)
        slouches.append(engine.estimates.slouch)
    run.posture, run.tilt_deg, run.slouch = (np.concatenate(postures), np.concatenate(tilts),
                                             np.concatenate(slouches))
    run.events = events
    run.codes = run.labels.at(run.block.t_s)
    return run
