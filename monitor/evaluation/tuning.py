"""Choosing engine settings by leave-subjects-out cross-validation on labelled recordings (`tune`).

Every point is evaluated once on every recording (one task per point: the point on all recordings, so a
task is big enough to be worth sending to a worker); the folds then choose among the per-recording
counts. Each fold picks the best point on its training subjects and is scored on its held-out ones,
so the pooled held-out figures are for subjects the chosen settings never saw. The point written out
is the best on all subjects. Ties go to the earlier point, and the settings in effect (the defaults, or
what the config file sets) come first: a setting changes only for a better score."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.engine import EngineSettings
from monitor.errors import InputError, MonitorError
from monitor.evaluation.grid import Point, settings_at
from monitor.evaluation.protocol import CalibrationMode, LabelledRun, evaluate_run, load_labelled
from monitor.evaluation.runner import Failed
from monitor.evaluation.scoring import Totals
from monitor.evaluation.subjects import subject_of
from monitor.evaluation.workers import Workers

OBJECTIVE = "mean of static balanced accuracy, walking upright, stand_to_sit F1 and sit_to_stand F1"
Table = list[list[Totals]]  # [point][recording]


def objective(t: Totals) -> float:
    """What tuning maximises (OBJECTIVE), from pooled counts; a figure with nothing to score is 0."""
    f = t.figures(per_recording=False)
    tr = f["transitions"]
    return float((f["static"]["balanced_accuracy"] or 0) + (f["walking_upright"] or 0)
                 + tr["stand_to_sit"]["f1"] + tr["sit_to_stand"]["f1"]) / 4


@functools.lru_cache(maxsize=256)
def _loaded(path: Path, fmt: str | None, stamp: tuple[int, int]) -> LabelledRun:
    """Each recording is read once per worker process (the cache lives in the worker, which on a
    cluster outlives one run: `stamp`, the file's mtime and size, keeps a changed file from being
    served stale)."""
    return load_labelled(path, fmt)


def _fresh(path: Path, fmt: str | None) -> LabelledRun:
    """The cached recording's data in a new run (evaluate_run fills in a run's results)."""
    try:
        st = path.stat()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    r = _loaded(path, fmt, (st.st_mtime_ns, st.st_size))
    return LabelledRun(r.name, r.block, r.labels, r.truth_tilt_deg, r.truth_slouch)


@dataclass(frozen=True)
class Task:
    """What every point is scored on: the recordings, their format, the calibration, the base settings."""

    paths: tuple[Path, ...]
    fmt: str | None
    mode: CalibrationMode
    base: EngineSettings


def score_point(point: Point, task: Task) -> list[Totals] | Failed:
    """The point's counts on each recording, in the task's order (run in a worker)."""
    settings = settings_at(task.base, point)
    try:
        return [Totals.of(evaluate_run(_fresh(p, task.fmt), settings, mode=task.mode)) for p in task.paths]
    except MonitorError as e:
        return Failed(str(e), e.exit_code)


def score_points(points: Sequence[Point], task: Task, workers: Workers,
                 on_done: Callable[[int], None] = lambda n: None) -> Table:
    """Every point on every recording, in point order; `on_done(n)` after each point."""
    table: Table = []
    for result in workers.map(functools.partial(score_point, task=task), points):
        if isinstance(result, Failed):
            result.raise_again()
        assert isinstance(result, list)
        table.append(result)
        on_done(len(table))
    return table


def pooled(per_run: list[Totals], keep: Sequence[int]) -> Totals:
    """The counts of the recordings `keep`, pooled."""
    t = Totals()
    for i in keep:
        t.merge(per_run[i])
    return t


def best(table: Table, keep: Sequence[int]) -> int:
    """The point with the highest objective on the recordings `keep` (the first of equals)."""
    scores = [objective(pooled(row, keep)) for row in table]
    return scores.index(max(scores))


def fold_count(subjects: Sequence[str], asked: int) -> tuple[int, str | None]:
    """The folds to run: as asked, or one per subject when there are fewer (with a note saying so).
    Held-out figures need at least two subjects."""
    n = len(set(subjects))
    if asked < 2:
        raise InputError(f"--folds {asked}: at least 2 (a fold holds subjects out of the choice)")
    if n < 2:
        raise InputError(f"leave-subjects-out folds need recordings of at least 2 subjects, got {n} "
                         "(recordings without subjectNN in the name are subjects of their own)")
    if asked > n:
        return n, f"--folds {asked}: only {n} subjects, so {n} folds (one subject held out in each)"
    return asked, None


def fold_subjects(subjects: Sequence[str], n_folds: int) -> list[list[str]]:
    """Subjects in name order dealt into `n_folds` held-out groups (fold k: every n_folds-th from k)."""
    order = sorted(set(subjects))
    return [order[k::n_folds] for k in range(n_folds)]


@dataclass(frozen=True)
class Fold:
    """One fold: its held-out subjects, the point chosen on the others, and both objectives."""

    test_subjects: list[str]
    chosen: int
    train_objective: float
    test_objective: float


def cross_validate(table: Table, subjects: Sequence[str], n_folds: int) -> tuple[list[Fold], Totals]:
    """Each fold's choice on its training subjects, and the held-out counts pooled over the folds."""
    held_out, folds = Totals(), []
    for test in fold_subjects(subjects, n_folds):
        train = [i for i, s in enumerate(subjects) if s not in test]
        tested = [i for i, s in enumerate(subjects) if s in test]
        k = best(table, train)
        mine = pooled(table[k], tested)
        held_out.merge(mine)
        folds.append(Fold(test, k, objective(pooled(table[k], train)), objective(mine)))
    return folds, held_out


def summary(point: Point, totals: Totals) -> dict[str, Any]:
    """A point with its objective and pooled figures, as the report shows it."""
    return {"point": point, "objective": round(objective(totals), 4),
            "figures": totals.figures(per_recording=False)}


def tune_report(points: Sequence[Point], table: Table, names: Sequence[str], n_folds: int,
                start: str = "defaults") -> dict[str, Any]:
    """The settings in effect (point 0, named `start`: "defaults" or "current settings (from FILE)"),
    the best point on all subjects, and the leave-subjects-out figures."""
    subjects = [subject_of(n) for n in names]
    everyone = range(len(names))
    k = best(table, everyone)
    folds, held_out = cross_validate(table, subjects, n_folds)
    return {"recordings": len(names), "subjects": len(set(subjects)), "points": len(points),
            "objective": OBJECTIVE,
            "current": {"name": start, **summary(points[0], pooled(table[0], everyone))},
            "in_sample_best": summary(points[k], pooled(table[k], everyone)),
            "leave_subjects_out": {
                "folds": [{"test_subjects": f.test_subjects, "chosen": points[f.chosen],
                           "train_objective": round(f.train_objective, 4),
                           "test_objective": round(f.test_objective, 4)} for f in folds],
                "objective": round(objective(held_out), 4),
                "figures": held_out.figures(per_recording=False)}}
