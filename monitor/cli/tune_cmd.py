"""`posture-monitor tune RECORDINGS... [--grid FILE] [--random N --seed S] [--folds K] [--out FILE]
[--force] [--jobs N] [--cluster tcp://HOST:8786] [--calibration ...] [--format ...] [--json]`: choose
engine settings by leave-subjects-out cross-validation (monitor/evaluation/tuning.py) and write them
as a config file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import at_least_one, load_config, say_stderr
from monitor.cli.evaluate_cmd import add_protocol_flags, add_work_flags, file_format, recording_files

GRID_HELP = ("TOML file of settings to search, one line each: field = [values] (numbers, or true/false), "
             "or for --random also field = {min = .., max = ..}; fields of monitor/engine/settings.py "
             "(default: a grid of 288 points over five judge settings the defaults were tuned over)")


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("tune", parents=[parent],
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
    from monitor.cli.progress import CountProgress
    from monitor.engine.factory import settings_from_config
    from monitor.evaluation import grid, tuned_config, tuning
    from monitor.evaluation.subjects import subject_of
    from monitor.evaluation.tune_table import print_tuning
    from monitor.evaluation.workers import open_workers

    cfg = load_config(args)
    base = settings_from_config(cfg)  # the defaults, with what --config sets: what the search starts from
    tuned_config.check_out(args.out, args.force)
    space = grid.load_grid(args.grid) if args.grid is not None else grid.from_dict(grid.DEFAULT_GRID)
    where = f"grid {args.grid}" if args.grid is not None else "the default grid"
    if args.random is None:
        points, search = grid.grid_points(space, base), where
    else:
        points = grid.random_points(space, args.random, args.seed, base)
        search = f"random, {args.random} draws (seed {args.seed}) from {where}"
    paths = recording_files(args.paths, args.format)
    n_folds, note = tuning.fold_count([subject_of(p.name) for p in paths], args.folds)
    if note is not None:
        say_stderr(note)
    task = tuning.Task(tuple(paths), file_format(args.format), args.calibration, base)
    progress = CountProgress(len(points), "points")
    try:
        with open_workers(args.jobs, args.cluster, len(points)) as workers:
            table = tuning.score_points(points, task, workers, progress.update)
    finally:
        progress.done()
    report = {"calibration": args.calibration, "search": search,
              **tuning.tune_report(points, table, [p.name for p in paths], n_folds)}
    chosen = grid.settings_at(base, report["in_sample_best"]["point"])
    fields = tuned_config.engine_fields(chosen, space.names)
    tuned_config.write_tuned(args.out, fields, tuned_config.header(report, [str(p) for p in args.paths]))
    report["out"] = {"file": str(args.out), "engine": fields}
    if cfg["output.json"]:
        print(json.dumps(report))
    else:
        print_tuning(report)
        print(f"wrote {args.out} (use it with --config {args.out})")
    return 0
