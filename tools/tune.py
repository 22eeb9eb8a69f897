"""Choose engine parameters by leave-subjects-out cross-validation on labelled recordings.

Every grid point is evaluated once per recording; folds then pick the best point on their
training subjects and are scored on the held-out ones, so the reported figures are for subjects
the chosen parameters never saw.  Usage: python tools/tune.py [DATA_DIR] [--folds 5] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from monitor.engine import EngineSettings
from monitor.evaluation import Totals, evaluate_run, load_labelled
from monitor.evaluation.protocol import LabelledRun

GRID: dict[str, list[float]] = {
    "tilt_evidence_deg": [8.0, 10.0, 12.0, 15.0],
    "correct_margin_deg": [15.0, 20.0, 25.0, 30.0],
    "lift_min_g": [0.04, 0.06, 0.08],
    "agree_deg": [3.0, 6.0, 10.0],
    "lift_stand_g": [0.12, 0.18],
}
_RUNS: list[LabelledRun] = []


def objective(t: Totals) -> float:
    """What tuning maximises: the mean of the four headline figures of the issue."""
    f = t.figures(per_recording=False)
    tr = f["transitions"]
    return float((f["static"]["balanced_accuracy"] + (f["walking_upright"] or 0)
                  + tr["stand_to_sit"]["f1"] + tr["sit_to_stand"]["f1"]) / 4)


def subject_of(name: str) -> str:
    m = re.search(r"subject(\d+)", name)
    return m.group(1) if m else name


def _load(files: list[Path]) -> None:
    _RUNS.extend(load_labelled(f, None) for f in files)


def _score_point(point: dict[str, float]) -> list[Totals]:
    """Per-recording totals for one grid point."""
    settings = replace(EngineSettings(), **point)  # type: ignore[arg-type]  # floats, by the grid
    out = []
    for run in _RUNS:
        t = Totals()
        t.add(evaluate_run(run, settings))
        out.append(t)
    return out


def _pool(per_run: list[Totals], keep: list[int]) -> Totals:
    t = Totals()
    for i in keep:
        t.merge(per_run[i])
    return t


def cross_validate(points: list[dict[str, float]], table: list[list[Totals]], subjects: list[str],
                   n_folds: int) -> tuple[Totals, list[dict[str, Any]]]:
    """Pick the best point on each fold's training subjects; pool the held-out scores."""
    order = sorted(set(subjects))
    held_out, folds = Totals(), []
    for k in range(n_folds):
        test_subj = set(order[k::n_folds])
        train = [i for i, s in enumerate(subjects) if s not in test_subj]
        test = [i for i, s in enumerate(subjects) if s in test_subj]
        best = max(range(len(points)), key=lambda p: objective(_pool(table[p], train)))
        held_out.merge(_pool(table[best], test))
        folds.append({"test_subjects": sorted(test_subj), "chosen": points[best]})
    return held_out, folds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=Path(__file__).parents[1] / "../shared/data/hapt")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--grid", type=Path, help="TOML file of setting = [values] to search instead of GRID")
    args = ap.parse_args(argv)
    grid = GRID
    if args.grid is not None:
        import tomllib

        grid = {k: [float(x) for x in v] for k, v in tomllib.loads(args.grid.read_text()).items()}
    files = sorted(args.data.glob("*.csv.gz"))
    if not files:
        print(f"tune: no HAPT recordings in {args.data}", file=sys.stderr)
        return 2
    names = list(grid)
    points = [dict(zip(names, v, strict=True)) for v in itertools.product(*grid.values())]
    defaults = {k: getattr(EngineSettings(), k) for k in names}
    if defaults not in points:
        points.append(defaults)  # always scored, so the report can show where the defaults stand
    with ProcessPoolExecutor(initializer=_load, initargs=(files,)) as pool:
        table = list(pool.map(_score_point, points))
    subjects = [subject_of(f.name) for f in files]
    everyone = list(range(len(files)))
    best = max(range(len(points)), key=lambda p: objective(_pool(table[p], everyone)))
    held_out, folds = cross_validate(points, table, subjects, args.folds)
    report = {"grid_points": len(points), "defaults": defaults,
              "in_sample_defaults": _pool(table[points.index(defaults)], everyone)
              .figures(per_recording=False),
              "in_sample_best": {"point": points[best],
                                 "figures": _pool(table[best], everyone).figures(per_recording=False)},
              "leave_subjects_out": {"folds": folds, "figures": held_out.figures(per_recording=False)}}
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
