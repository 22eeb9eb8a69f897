"""The HAPT turned-sitting slouch test (monitor/evaluation/turned.py) with leave-subjects-out choice of the
upright-sitting settings: each fold picks the grid point with the best F1 on the other subjects' segments
and is scored on its own. Prints in-sample figures of the defaults and the pooled held-out figures.

Usage: python tools/slouch_cv.py [DATA_DIR] [--folds 5] [--parity 1]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

from monitor.engine import EngineSettings
from monitor.evaluation.protocol import load_labelled
from monitor.evaluation.subjects import subject_of
from monitor.evaluation.tuning import fold_subjects
from monitor.evaluation.turned import Segment, figures, run_test

GRID: dict[str, list[float]] = {
    "sit_calm_g": [0.04, 0.06, 0.1, 0.15],
    "sit_learn_s": [5.0, 10.0, 20.0],
    "sit_allow_deg": [6.0, 10.0, 15.0],
}


def cross_validate(points: list[dict[str, float]], table: list[list[Segment]], n_folds: int) -> list[Segment]:
    """Held-out segments, each scored with the point its fold chose on the other subjects."""
    held: list[Segment] = []
    for test in fold_subjects([subject_of(g.recording) for g in table[0]], n_folds):
        best = max(range(len(points)), key=lambda p: figures(
            [g for g in table[p] if subject_of(g.recording) not in test])["f1"])
        held.extend(g for g in table[best] if subject_of(g.recording) in test)
    return held


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", nargs="?", type=Path, default=Path(__file__).parents[1] / "../shared/data/hapt")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--parity", type=int, default=1, choices=[0, 1],
                    help="which half of the sittings to turn")
    args = ap.parse_args(argv)
    files = sorted(args.data.glob("*.csv.gz"))
    if not files:
        print(f"slouch_cv: no HAPT recordings in {args.data}", file=sys.stderr)
        return 2
    runs = [load_labelled(f, None) for f in files]
    points = [dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values())]
    settings = [replace(EngineSettings(), **p) for p in points]  # type: ignore[arg-type]  # all floats
    table = [run_test(runs, s, parity=args.parity) for s in settings]
    defaults = figures(run_test(runs, parity=args.parity))
    held = figures(cross_validate(points, table, args.folds))
    print(json.dumps({"grid_points": len(points), "in_sample_defaults": defaults,
                      "leave_subjects_out": held}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
