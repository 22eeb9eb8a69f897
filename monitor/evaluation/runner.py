"""Evaluating recordings, one process or a pool of them (`--jobs N`): each recording is loaded, run
through the protocol and scored in a worker, which hands back only its counts. Results come back in
the order the files were given, so pooled figures are the same for any number of jobs."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from monitor.engine import EngineSettings
from monitor.errors import MonitorError
from monitor.evaluation.bouts import BoutCounts, engine_bouts, label_bouts
from monitor.evaluation.protocol import CalibrationMode, LabelledRun, evaluate_run, load_labelled
from monitor.evaluation.scoring import Totals
from monitor.evaluation.slouch import SlouchCounts, score_slouch
from monitor.evaluation.subjects import subject_of


@dataclass
class RecordingResult:
    """One recording's counts, and the calibration it ran with (`note`: why less than asked)."""

    name: str
    subject: str
    calibration: CalibrationMode
    note: str | None
    totals: Totals
    slouch: SlouchCounts | None
    bouts: BoutCounts

    @property
    def calibrated(self) -> bool:
        return self.calibration != "none"


@dataclass(frozen=True)
class Failed:
    """A worker's MonitorError, handed back as text (exceptions with their own arguments do not
    always survive pickling) and raised again in the parent with the same exit code."""

    message: str
    exit_code: int

    def raise_again(self) -> None:
        error = MonitorError(self.message)
        error.exit_code = self.exit_code
        raise error


def score(run: LabelledRun, settings: EngineSettings) -> RecordingResult:
    """Every score of one evaluated run."""
    bouts = BoutCounts.of(label_bouts(run.labels), engine_bouts(run.block.t_s, run.posture))
    return RecordingResult(run.name, subject_of(run.name), run.calibration, run.note, Totals.of(run),
                           score_slouch(run, settings.slouch_dwell_s), bouts)


def evaluate_file(path: Path, fmt: str | None, mode: CalibrationMode, settings: EngineSettings
                  ) -> RecordingResult | Failed:
    """Load, run and score one recording (in a worker process when there are several jobs)."""
    try:
        return score(evaluate_run(load_labelled(path, fmt), settings, mode=mode), settings)
    except MonitorError as e:
        return Failed(str(e), e.exit_code)


def evaluate_files(paths: list[Path], fmt: str | None, mode: CalibrationMode, settings: EngineSettings,
                   jobs: int = 1) -> Iterator[RecordingResult]:
    """Results in the order of `paths`, from `jobs` worker processes (1: in this process)."""
    work = partial(evaluate_file, fmt=fmt, mode=mode, settings=settings)
    if jobs <= 1 or len(paths) <= 1:
        yield from (_checked(r) for r in map(work, paths))
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        yield from (_checked(r) for r in pool.map(work, paths))


def _checked(result: RecordingResult | Failed) -> RecordingResult:
    if isinstance(result, Failed):
        result.raise_again()
    assert isinstance(result, RecordingResult)
    return result
