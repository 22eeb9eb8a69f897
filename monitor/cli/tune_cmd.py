"""`posture-monitor tune RECORDINGS... [--grid FILE] [--random N --seed S] [--folds K] [--out FILE]
[--force] [--jobs N] [--cluster tcp://HOST:8786] [--calibration ...] [--format ...] [--json]`: choose
engine settings by leave-subjects-out cross-validation (monitor/evaluation/tuning.py) and write them
as a config file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.cli.common import at_least_one, load_config, say_stderr, settings_parent
from monitor.cli.evaluate_cmd import add_protocol_flags, add_work_flags, file_format, recording_files

if TYPE_CHECKING:
    from monitor.engine import EngineSettings
    from monitor.evaluation.grid import Point
    from monitor.evaluation.tuning import Table

GRID_HELP = ("TOML file of settings to search, one line each: field = [values] (numbers, or true/false), "
             "or for --random also field = {min = .., max = ..}; fields: the engine.* keys of "
             "`posture-monitor config keys` "
             "(default: a grid of 288 points over five judge settings the defaults were tuned over)")


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    own = settings_parent("print the report (the settings in effect, the in-sample best, the held-out "
                          "figures and each fold) and what was written as one JSON object")
    p = sub.add_parser("tune", parents=[own],
                       help="choose engine settings by leave-subjects-out cross-validation")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR",
                   help="HAPT CSVs, labelled recordings, or directories of them")
    p.add_argument("--grid", type=Path, metavar="FILE", help=GRID_HELP)
    p.add_argument("--random", type=at_least_one, metavar="N",
                   help="score N points drawn from the grid (a list: one of its values; a range: "
                        "uniformly) instead of every combination; the defaults are always scored")
    p.add_argument("--seed", type=int, default=0, help="seed of --random (default 0)")
    p.add_argument("--folds", type=at_least_one, default=5, metavar="K",
                   help="leave-subjects-out folds (default 5; at least 2, at most one per subject)")
    p.add_argument("--out", type=Path, default=Path("tuned.toml"), metavar="FILE",
                   help="config file for the chosen settings (default tuned.toml)")
    p.add_argument("--force", action="store_true", help="overwrite --out")
    add_protocol_flags(p)
    add_work_flags(p)
    p.set_defaults(handler=cmd_tune)


def cmd_tune(args: argparse.Namespace) -> int:
    from monitor.engine.factory import settings_from_config
    from monitor.evaluation import tuned_config, tuning
    from monitor.evaluation.tune_table import print_tuning

    cfg = load_config(args)
    base = settings_from_config(cfg)  # the defaults, with what --config sets: what the search starts from
    tuned_config.check_out(args.out, args.force)
    points, search, searched = _points(args, base)
    paths = recording_files(args.paths, args.format)
    table, n_folds = _score(args, points, paths, base)
    report = {"calibration": args.calibration, "search": search,
              **tuning.tune_report(points, table, [p.name for p in paths], n_folds,
                                   tuned_config.start_name(cfg))}
    report["out"] = tuned_config.write_chosen(args.out, report, base, searched, cfg,
                                              [str(p) for p in args.paths])
    if cfg["output.json"]:
        print(json.dumps(report))
    else:
        print_tuning(report)
        print(f"wrote {args.out} (use it with --config {args.out})")
    return 0


def _points(args: argparse.Namespace, base: EngineSettings) -> tuple[list[Point], str, list[str]]:
    """The points to score, the search in words, and the searched fields."""
    from monitor.evaluation import grid

    space = grid.load_grid(args.grid) if args.grid is not None else grid.from_dict(grid.DEFAULT_GRID)
    where = f"grid {args.grid}" if args.grid is not None else "the default grid"
    if args.random is None:
        return grid.grid_points(space, base), where, space.names
    search = f"random, {args.random} draws (seed {args.seed}) from {where}"
    return grid.random_points(space, args.random, args.seed, base), search, space.names


def _score(args: argparse.Namespace, points: list[Point], paths: list[Path], base: EngineSettings
           ) -> tuple[Table, int]:
    """Every point on every recording (in workers, with a progress bar), and the folds to run."""
    from monitor.cli.progress import CountProgress
    from monitor.evaluation import tuning
    from monitor.evaluation.subjects import subject_of
    from monitor.evaluation.workers import open_workers

    n_folds, note = tuning.fold_count([subject_of(p.name) for p in paths], args.folds)
    if note is not None:
        say_stderr(note)
    task = tuning.Task(tuple(paths), file_format(args.format), args.calibration, base)
    progress = CountProgress(len(points), "points")
    try:
        with open_workers(args.jobs, args.cluster, len(points)) as workers:
            return tuning.score_points(points, task, workers, progress.update), n_folds
    finally:
        progress.done()
