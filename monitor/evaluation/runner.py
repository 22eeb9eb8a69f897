"""Evaluating recordings in this process, a pool of them (`--jobs N`) or on a Dask cluster
(`--cluster`, monitor/evaluation/workers.py): each recording is loaded, run through the protocol and
scored in a worker, which hands back only its counts. Results come back in the order the files were
given, so pooled figures are the same however the work was spread. `compare` loads each recording
once and runs it with every settings file in the same worker."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NoReturn, TypeVar

from monitor.engine import EngineSettings
from monitor.errors import MonitorError
from monitor.evaluation.bouts import BoutCounts, bout_counts
from monitor.evaluation.protocol import CalibrationMode, LabelledRun, evaluate_run, load_labelled
from monitor.evaluation.scoring import Totals
from monitor.evaluation.slouch import SlouchCounts, score_slouch
from monitor.evaluation.subjects import subject_of
from monitor.evaluation.workers import open_workers

R = TypeVar("R")


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

    def raise_again(self) -> NoReturn:
        error = MonitorError(self.message)
        error.exit_code = self.exit_code
        raise error


def score(run: LabelledRun, settings: EngineSettings) -> RecordingResult:
    """Every score of one evaluated run."""
    bouts = bout_counts(run)
    return RecordingResult(run.name, subject_of(run.name), run.calibration, run.note, Totals.of(run),
                           score_slouch(run, settings.slouch_dwell_s), bouts)


def evaluate_file(path: Path, fmt: str | None, mode: CalibrationMode, settings: EngineSettings
                  ) -> RecordingResult | Failed:
    """Load, run and score one recording (in a worker process when there are several jobs)."""
    try:
        return score(evaluate_run(load_labelled(path, fmt), settings, mode=mode), settings)
    except MonitorError as e:
        return Failed(str(e), e.exit_code)


def evaluate_each(path: Path, fmt: str | None, mode: CalibrationMode, settings: Sequence[EngineSettings]
                  ) -> list[RecordingResult] | Failed:
    """Load one recording once and run and score it with each of `settings` in turn (what `compare`
    needs: the load, not the engine, is what would repeat)."""
    try:
        run = load_labelled(path, fmt)
        return [score(evaluate_run(run, s, mode=mode), s) for s in settings]
    except MonitorError as e:
        return Failed(str(e), e.exit_code)


def evaluate_files(paths: list[Path], fmt: str | None, mode: CalibrationMode, settings: EngineSettings,
                   jobs: int = 1, cluster: str | None = None) -> Iterator[RecordingResult]:
    """Results in the order of `paths`, from `jobs` worker processes (1: in this process) or from the
    Dask scheduler at `cluster` (which wins over `jobs`)."""
    work = partial(evaluate_file, fmt=fmt, mode=mode, settings=settings)
    with open_workers(jobs, cluster, len(paths)) as workers:
        yield from (_checked(r) for r in workers.map(work, paths))


def evaluate_files_each(paths: list[Path], fmt: str | None, mode: CalibrationMode,
                        settings: Sequence[EngineSettings], jobs: int = 1, cluster: str | None = None
                        ) -> Iterator[list[RecordingResult]]:
    """Per recording (in the order of `paths`), its results under each of `settings` (in that order)."""
    work = partial(evaluate_each, fmt=fmt, mode=mode, settings=tuple(settings))
    with open_workers(jobs, cluster, len(paths)) as workers:
        yield from (_checked(r) for r in workers.map(work, paths))


def _checked(result: R | Failed) -> R:
    if isinstance(result, Failed):
        result.raise_again()
    return result
