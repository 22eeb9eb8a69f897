"""`posture-monitor compare SETTINGS_A.toml SETTINGS_B.toml [...] FILE_OR_DIR... [--format ...]
[--calibration ...] [--jobs N] [--cluster tcp://HOST:8786] [--json]`: evaluate's figures under two or
more engine settings files, side by side (monitor/evaluation/compare.py). Arguments ending in .toml are
settings files (in the order given: the first is what the others are compared against), the rest
recordings as for evaluate."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config, say_stderr, setting_flags, settings_parent
from monitor.cli.evaluate_cmd import add_protocol_flags, add_work_flags, file_format, recording_files
from monitor.errors import InputError


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    own = settings_parent("print the comparison as one JSON object: every report, the differences "
                          "against the first file, the per-recording deltas")
    p = sub.add_parser("compare", parents=[own],
                       help="evaluate's figures under two or more settings files, side by side")
    p.add_argument("paths", nargs="+", type=Path, metavar="SETTINGS.toml|FILE_OR_DIR",
                   help="two or more settings files (config files; [engine] may set any engine.* key "
                        "of `posture-monitor config keys`), "
                        "then HAPT CSVs, labelled recordings, or directories of them")
    add_protocol_flags(p)
    add_work_flags(p)
    p.set_defaults(handler=cmd_compare)


def split_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(settings files, recordings): by the .toml suffix."""
    settings = [p for p in paths if p.suffix.lower() == ".toml"]
    recordings = [p for p in paths if p.suffix.lower() != ".toml"]
    if len(settings) < 2:
        raise InputError(f"compare needs two or more settings files (.toml), got {len(settings)}")
    if not recordings:
        raise InputError("compare needs recordings (files or directories) after the settings files")
    return settings, recordings


def cmd_compare(args: argparse.Namespace) -> int:
    from monitor.evaluation.compare import compare, label, load_settings
    from monitor.evaluation.compare_table import print_compare
    from monitor.evaluation.report import report
    from monitor.evaluation.runner import evaluate_files_each

    cfg = load_config(args)  # --json and the flags; each settings file gives the engine's settings
    settings_paths, recordings = split_paths(args.paths)
    files = [load_settings(p, label(i), setting_flags(args)) for i, p in enumerate(settings_paths)]
    for line in dict.fromkeys(n for f in files for n in f.notices):
        say_stderr(line)
    runs = []  # per recording, its results under each settings file
    for rs in evaluate_files_each(recording_files(recordings, args.format), file_format(args.format),
                                  args.calibration, [f.settings for f in files], args.jobs, args.cluster):
        if rs[0].note is not None:  # the calibration depends on the labels only: the same for every file
            say_stderr(f"{rs[0].name}: {rs[0].note}")
        runs.append(rs)
    reports = [report([rs[i] for rs in runs], args.calibration) for i in range(len(files))]
    result = compare(files, reports)
    if cfg["output.json"]:
        print(json.dumps(result))
    else:
        print_compare(result)
    return 0
