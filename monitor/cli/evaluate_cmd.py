"""`posture-monitor evaluate FILE_OR_DIR... [--format hapt|recording] [--calibration stand+sit|stand|none]
[--per recording|subject|both] [--jobs N] [--cluster tcp://HOST:8786] [--json]`: the engine on labelled
data (monitor/evaluation)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import at_least_one, load_config, say_stderr
from monitor.errors import InputError


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluate", parents=[parent], help="score the engine on labelled recordings")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR",
                   help="HAPT CSVs, labelled recordings, or directories of them")
    add_protocol_flags(p)
    p.add_argument("--per", choices=["recording", "subject", "both"], default="recording",
                   help="table rows per recording (default), per subject (subjectNN in the file name; "
                        "others are their own subject) or both; --json always has both")
    add_work_flags(p)
    p.set_defaults(handler=cmd_evaluate)


def add_protocol_flags(p: argparse.ArgumentParser) -> None:
    """--format and --calibration (evaluate and compare)."""
    p.add_argument("--format", choices=["hapt", "recording"], default=None,
                   help="input format (default: by file name: .csv/.csv.gz = hapt, else recording)")
    p.add_argument("--calibration", choices=["stand+sit", "stand", "none"], default="stand+sit",
                   help="calibrate from the first 5 s of the first standing and sitting segments "
                        "(default), of standing only, or not at all (the engine finds its own reference); "
                        "only the samples used are left out of the scores")


def add_work_flags(p: argparse.ArgumentParser) -> None:
    """--jobs and --cluster (evaluate and compare): where the recordings are evaluated."""
    p.add_argument("--jobs", type=at_least_one, default=1, metavar="N",
                   help="recordings evaluated in N processes at once (default 1); the figures are the same")
    p.add_argument("--cluster", default=None, metavar="tcp://SCHEDULER:8786",
                   help="evaluate on this Dask distributed scheduler instead (wins over --jobs; needs the "
                        "[cluster] extra here and on the workers); the figures are the same")


def recording_files(paths: list[Path], fmt: str | None) -> list[Path]:
    """The recordings named, directories expanded (sorted), as absolute paths (a Dask worker started in
    another folder finds them too); none found is an InputError."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            pattern = "*.pmrec" if fmt == "recording" else "*.csv*" if fmt == "hapt" else "*"
            out.extend(sorted(f.absolute() for f in p.glob(pattern)
                              if f.name.endswith((".pmrec", ".csv", ".csv.gz"))))
        elif p.suffix.lower() == ".toml":
            raise InputError(f"{p}: a settings file, not a recording: settings files go to `compare "
                             f"A.toml B.toml FILE_OR_DIR...` (or `--config {p}` to run with one)")
        elif p.exists():
            out.append(p.absolute())
        else:
            raise InputError(f"{p}: no such file or directory")
    if not out:
        raise InputError(f"no recordings found in {', '.join(map(str, paths))}")
    return out


def file_format(flag: str | None) -> str | None:
    """The loader's format from --format (None: by file name)."""
    return "hapt" if flag == "hapt" else None if flag is None else "recording"


def warn_damaged(files: list[Path]) -> None:
    """One warning line per damaged recording (its intact records are evaluated)."""
    from monitor.sessions import open_recording
    from monitor.sessions.recovery import damage_note

    for path in files:
        if path.suffix == ".pmrec" and (note := damage_note(path, open_recording(path).damaged)):
            say_stderr(note)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from monitor.engine.factory import settings_from_config
    from monitor.evaluation.report import report
    from monitor.evaluation.runner import evaluate_files
    from monitor.evaluation.table import print_table

    cfg = load_config(args)
    files = recording_files(args.paths, args.format)
    warn_damaged(files)
    results = []
    for r in evaluate_files(files, file_format(args.format),
                            args.calibration, settings_from_config(cfg), args.jobs, args.cluster):
        if r.note is not None:
            say_stderr(f"{r.name}: {r.note}")
        results.append(r)
    result = report(results, args.calibration, files)
    if cfg["output.json"]:
        print(json.dumps(result))
    else:
        print_table(result, args.per)
    return 0
