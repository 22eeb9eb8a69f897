"""`report`: one self-contained HTML page (and PNGs with --png) of recordings, a day or a week."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config, local_date, settings_parent
from monitor.errors import InputError

EXTRA = "matplotlib is not installed: pip install 'posture-monitor[report]'"


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    from monitor.cli.streams import replay_calibration

    own = settings_parent("not for report (it writes HTML and PNG); refused")
    p = sub.add_parser("report", parents=[own], help="an HTML report of recordings, a day or a week")
    p.add_argument("files", nargs="*", type=Path, metavar="RECORDING_OR_DIR",
                   help="recordings, or folders of them (the *.pmrec inside)")
    p.add_argument("--day", default=None, metavar="DATE", help="a day from the statistics store "
                   "(YYYY-MM-DD or today)")
    p.add_argument("--week", nargs="?", const="today", default=None, metavar="DATE",
                   help="the week (Monday to Sunday) holding DATE from the statistics store "
                        "(default: this week)")
    p.add_argument("--demo", action="store_true", help="with --day/--week: the demo's statistics")
    p.add_argument("--out", type=Path, default=None, metavar="FILE", help="the HTML file to write")
    p.add_argument("--png", action="store_true", help="also write each figure as a PNG beside it")
    p.add_argument("--force", action="store_true", help="overwrite an existing page (and PNGs)")
    p.add_argument("--calibration", type=replay_calibration, default=None, metavar="FILE|DEVICE|none",
                   help="recordings: the calibration to start from, as for replay")
    p.add_argument("--profile", default=None, metavar="ID", help="recordings of raw frames: device profile")
    p.set_defaults(handler=cmd_report)


def recordings_of(paths: list[Path]) -> list[Path]:
    """The recordings named, each folder as the *.pmrec inside it (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.pmrec"))
            if not found:
                raise InputError(f"no recordings in {path}")
            out += found
        elif not path.is_file():
            raise InputError(f"{path}: no such recording")
        elif path.name.endswith((".csv", ".csv.gz")):
            raise InputError(f"{path}: report draws recordings; make one first: posture-monitor import "
                             f"{path} --format hapt --out DIR (or --format csv)")
        else:
            out.append(path)
    return out


def _check_args(args: argparse.Namespace) -> None:
    chosen = sum([bool(args.files), args.day is not None, args.week is not None])
    if chosen != 1:
        raise InputError("report: give recordings, or --day DATE, or --week [DATE] (one of them)")
    if args.demo and args.files:
        raise InputError("report: --demo is for --day and --week (the demo's statistics store)")
    if getattr(args, "output__json", None):
        raise InputError("report: --json is not supported (the report is an HTML page; stats --json and "
                         "replay --json give the figures and events as JSON)")
    if args.out is not None and args.out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--out {args.out}: the report is an HTML page: name it .html or .htm")


def check_out(pages: list[Path], force: bool) -> None:
    """Refuse to overwrite the page or its PNGs without --force."""
    taken = [p for p in pages if p.exists()]
    if taken and not force:
        raise InputError(f"{taken[0]}: already exists (use --force to overwrite)")


def _write(report: Any, out: Path, png: bool, force: bool) -> None:
    from monitor.report.make import png_paths

    check_out([out, *(png_paths(out, report.names) if png else [])], force)
    written = report.write(out, png)
    print(", ".join(f"{p} ({p.stat().st_size / 1e6:.2f} MB)" for p in written))


def cmd_report(args: argparse.Namespace) -> int:
    _check_args(args)
    files = recordings_of(args.files)
    cfg = load_config(args)
    try:
        import matplotlib  # noqa: F401  (the optional [report] extra)
    except ImportError:
        raise InputError(EXTRA) from None
    from monitor.history import monday_of
    from monitor.report import make
    from monitor.sinks.stats import StatsStore

    if files:
        name = f"report-{files[0].stem}.html" if len(files) == 1 else "report.html"
        out = args.out or Path(name)  # checked before the replay too: the names are known
        check_out([out, *(make.png_paths(out, [f.stem for f in files]) if args.png else [])], args.force)
        report = make.recordings_report(files, cfg, args.calibration, args.profile)
    else:
        store = StatsStore(demo=args.demo)
        try:
            if args.day is not None:
                day = local_date("--day", args.day).isoformat()
                report, name = make.day_report(store, day, cfg, args.demo), f"report-{day}.html"
            else:
                day_in = local_date("--week", args.week)
                report = make.week_report(store, day_in, cfg, args.demo)
                name = f"report-week-{monday_of(day_in).isoformat()}.html"
        finally:
            store.close()
        name = name.replace("report-", "report-demo-") if args.demo else name
    _write(report, args.out or Path(name), args.png, args.force)
    return 0
