"""The evaluation report as data (what `evaluate --json` prints and the table shows): figures pooled
over all recordings, per recording and per subject. Figures always derive from pooled counts, never
from averaging figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.evaluation.bouts import BoutCounts
from monitor.evaluation.protocol import CalibrationMode
from monitor.evaluation.runner import RecordingResult
from monitor.evaluation.scoring import Totals
from monitor.evaluation.slouch import SlouchCounts
from monitor.evaluation.subjects import by_subject


@dataclass
class Pool:
    """Counts of a group of recordings: all of them, or one subject's."""

    totals: Totals = field(default_factory=Totals)
    slouch: SlouchCounts | None = None  # None while no recording had slouch truth
    bouts: BoutCounts = field(default_factory=BoutCounts)
    calibrated: int = 0  # recordings that ran calibrated

    @staticmethod
    def of(results: Iterable[RecordingResult]) -> Pool:
        pool = Pool()
        for r in results:
            pool.add(r)
        return pool

    def add(self, r: RecordingResult) -> None:
        self.totals.merge(r.totals)
        if r.slouch is not None:
            self.slouch = self.slouch or SlouchCounts()
            self.slouch.merge(r.slouch)
        self.bouts.merge(r.bouts)
        self.calibrated += int(r.calibrated)

    def figures(self) -> dict[str, Any]:
        return {**self.totals.figures(), "calibrated_recordings": self.calibrated,
                "slouch": self.slouch.figures() if self.slouch is not None else None,
                "bouts": self.bouts.figures()}


def recording_figures(r: RecordingResult) -> dict[str, Any]:
    """One recording's row: its name, subject, the calibration it ran with, its figures."""
    figures = Pool.of([r]).figures()
    figures.pop("calibrated_recordings")
    return {"recording": r.name, "subject": r.subject, "calibration": r.calibration,
            "calibrated": r.calibrated, "note": r.note, **figures}


def subject_figures(results: list[RecordingResult]) -> list[dict[str, Any]]:
    """One row per subject, from the pooled counts of the subject's recordings."""
    return [{"subject": subject, **Pool.of(rs).figures()} for subject, rs in by_subject(results).items()]


def report(results: list[RecordingResult], asked: CalibrationMode,
           paths: Sequence[Path] | None = None) -> dict[str, Any]:
    """Pooled figures, then per recording and per subject (`calibration`: the mode asked for). With
    the recordings' `paths` (in the order of `results`), recordings whose file names clash are named
    by the shortest path ends that tell them apart."""
    rows = [recording_figures(r) for r in results]
    if paths is not None:
        for row, name in zip(rows, distinct_names(paths), strict=True):
            row["recording"] = name
    return {"calibration": asked, **Pool.of(results).figures(), "per_recording": rows,
            "per_subject": subject_figures(results)}


def distinct_names(paths: Sequence[Path]) -> list[str]:
    """Each path's file name, or where names clash the fewest last path parts that differ
    (a/day.pmrec, b/day.pmrec)."""
    depth = [1] * len(paths)
    while True:
        names = ["/".join(p.parts[-d:]) for p, d in zip(paths, depth, strict=True)]
        clash = [i for i, n in enumerate(names) if names.count(n) > 1 and depth[i] < len(paths[i].parts)]
        if not clash:
            return names
        for i in clash:
            depth[i] += 1
