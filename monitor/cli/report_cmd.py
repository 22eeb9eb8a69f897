"""`report`: one self-contained HTML page (and PNGs with --png) of recordings, a day or a week."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config
from monitor.errors import InputError

EXTRA = "matplotlib is not installed: pip install 'posture-monitor[report]'"


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    from monitor.cli.streams import replay_calibration

    p = sub.add_parser("report", parents=[parent], help="an HTML report of recordings, a day or a week")
    p.add_argument("files", nargs="*", type=Path, metavar="RECORDING")
    p.add_argument("--day", default=None, metavar="DATE", help="a day from the statistics store "
                   "(YYYY-MM-DD or today)")
    p.add_argument("--week", nargs="?", const="today", default=None, metavar="DATE",
                   help="the week (Monday to Sunday) holding DATE from the statistics store "
                        "(default: this week)")
    p.add_argument("--demo", action="store_true", help="with --day/--week: the demo's statistics")
    p.add_argument("--out", type=Path, default=None, metavar="FILE", help="the HTML file to write")
    p.add_argument("--png", action="store_true", help="also write each figure as a PNG beside it")
    p.add_argument("--calibration", type=replay_calibration, default=None, metavar="FILE|DEVICE|none",
                   help="recordings: the calibration to start from, as for replay")
    p.add_argument("--profile", default=None, metavar="ID", help="recordings of raw frames: device profile")
    p.set_defaults(handler=cmd_report)


def date_of(flag: str, text: str) -> dt.date:
    """A local date: YYYY-MM-DD or today."""
    if text == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{flag} {text}: not a date (YYYY-MM-DD or today)") from None


def _check_args(args: argparse.Namespace) -> None:
    chosen = sum([bool(args.files), args.day is not None, args.week is not None])
    if chosen != 1:
        raise InputError("report: give recordings, or --day DATE, or --week [DATE] (one of them)")
    if args.demo and args.files:
        raise InputError("report: --demo is for --day and --week (the demo's statistics store)")
    for path in args.files:
        if not path.is_file():
            raise InputError(f"{path}: no such recording")
        if path.name.endswith((".csv", ".csv.gz")):
            raise InputError(f"{path}: report draws recordings; make one first: posture-monitor import "
                             f"{path} --format hapt --out DIR (or --format csv)")


def cmd_report(args: argparse.Namespace) -> int:
    _check_args(args)
    cfg = load_config(args)
    try:
        import matplotlib  # noqa: F401  (the optional [report] extra)
    except ImportError:
        raise InputError(EXTRA) from None
    from monitor.report import make
    from monitor.sinks.stats import StatsStore

    if args.files:
        report = make.recordings_report(args.files, cfg, args.calibration, args.profile)
        name = f"report-{args.files[0].stem}.html" if len(args.files) == 1 else "report.html"
    else:
        store = StatsStore(demo=args.demo)
        try:
            if args.day is not None:
                day = date_of("--day", args.day).isoformat()
                report, name = make.day_report(store, day, cfg, args.demo), f"report-{day}.html"
            else:
                day_in = date_of("--week", args.week)
                report = make.week_report(store, day_in, cfg, args.demo)
                name = f"report-week-{(day_in - dt.timedelta(days=day_in.weekday())).isoformat()}.html"
        finally:
            store.close()
        name = name.replace("report-", "report-demo-") if args.demo else name
    written = report.write(args.out or Path(name), args.png)
    print(", ".join(f"{p} ({p.stat().st_size / 1e6:.2f} MB)" for p in written))
    return 0
