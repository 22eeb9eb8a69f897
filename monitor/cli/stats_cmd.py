"""`stats`: daily totals from the statistics store (or the demo's), as a table, JSON or CSV; the week
(`--week [DATE]`) and the trend (`--trend`); and `--delete DAY` for a day that should not be there."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from monitor import history
from monitor.cli.common import load_config, local_date, settings_parent, whole_number
from monitor.cli.stats_history import print_trend, print_week
from monitor.errors import InputError
from monitor.sinks.stats import COLUMNS, StatsStore
from monitor.sinks.summary import plain
from monitor.ui.widgets.fmt import hm

WHOLE = whole_number(0, 100_000)  # 0 passes, for the one-line "must be at least 1" below
SHOWN = (("sitting_s", "sitting"), ("standing_s", "standing"), ("walking_s", "walking"),
         ("lying_s", "lying"), ("longest_bout_s", "longest bout"))


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    own = settings_parent("print the days (with --week: the week's days; --trend: the weeks) as JSON")
    p = sub.add_parser("stats", parents=[own], help="daily statistics (kept across restarts)")
    p.add_argument("--days", type=WHOLE, default=None, metavar="N",
                   help="last N days with data (default 7; the daily table only)")
    p.add_argument("--export", type=Path, default=None, metavar="CSV", help="write the days to a CSV file")
    p.add_argument("--demo", action="store_true", help="the demo's statistics (demo --stats)")
    view = p.add_mutually_exclusive_group()
    view.add_argument("--delete", default=None, metavar="DAY",
                      help="remove a day (YYYY-MM-DD or today): its totals and its event log")
    view.add_argument("--week", nargs="?", const="today", default=None, metavar="DATE",
                      help="the week (Monday-Sunday) holding DATE (YYYY-MM-DD, default today), day by day")
    view.add_argument("--trend", action="store_true", help="week by week, with the change and the direction")
    p.add_argument("--weeks", type=WHOLE, default=None, metavar="N",
                   help="weeks in --trend (default 8)")
    p.set_defaults(handler=cmd_stats)


def _check_weeks(args: argparse.Namespace) -> None:
    """--weeks goes with --trend (8 unless given); --days and --export with the daily table only."""
    if args.weeks is not None and not args.trend:
        raise InputError(f"--weeks {args.weeks}: goes with --trend")
    args.weeks = 8 if args.weeks is None else args.weeks
    if args.weeks <= 0:
        raise InputError(f"--weeks {args.weeks}: must be at least 1")
    if args.days is not None and (args.trend or args.week is not None or args.delete is not None):
        raise InputError(f"--days {args.days}: goes with the daily table, not --week, --trend or --delete")
    args.days = 7 if args.days is None else args.days
    if args.days <= 0:
        raise InputError(f"--days {args.days}: must be at least 1")
    if args.export is not None and (args.trend or args.week is not None):
        raise InputError(f"--export {args.export}: exports the daily table, not --week or --trend")


def cmd_delete(store: StatsStore, text: str) -> int:
    """Remove one day and say so in one line; a day with no data is an error."""
    day = local_date("--delete", text).isoformat()
    rows, events = store.delete_day(day)
    if not rows and not events:
        raise InputError(f"--delete {text}: no statistics for {day} in {store.path}")
    print(f"Deleted {day} from {store.path}: the day's totals and {events} logged events")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    _check_weeks(args)
    cfg = load_config(args)
    store = StatsStore(demo=args.demo)
    try:
        if args.delete is not None:
            return cmd_delete(store, args.delete)
        if args.week is not None or args.trend:
            return cmd_history(store, args, cfg["output.json"])
        days: list[dict[str, Any]] = plain(store.days(args.days))
    finally:
        store.close()
    if args.export is not None:
        _export(args.export, days)
    if cfg["output.json"]:
        print(json.dumps(days))
        return 0
    _print_table(days, args.demo)
    return 0


def cmd_history(store: StatsStore, args: argparse.Namespace, as_json: bool) -> int:
    """--week [DATE] or --trend [--weeks N], from the store's days (monitor/history.py)."""
    today = dt.date.today()
    if args.week is not None:
        day = local_date("--week", args.week)
        monday = history.monday_of(day)
        rows = history.stored_rows(store, monday, monday + dt.timedelta(days=6))
        print_week(history.week(rows, day, today), as_json)
        return 0
    mondays = history.weeks_until(today, args.weeks + 1)
    rows = history.stored_rows(store, mondays[0], today)
    print_trend(history.trend(rows, today, args.weeks), as_json)
    return 0


def _export(path: Path, days: list[dict[str, Any]]) -> None:
    try:
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["day", *COLUMNS])
            w.writeheader()
            w.writerows(days)
    except OSError as e:
        raise InputError(f"--export {path}: {e.strerror}") from None


def _print_table(days: list[dict[str, Any]], demo: bool) -> None:
    if demo:
        print("# the demo's statistics (simulated wearers), not yours")
    head = f"{'day':10}  " + "  ".join(f"{label:>12}" for _, label in SHOWN)
    print(head + f"  {'breaks':>6}  {'skipped':>7}  {'snoozed':>7}  {'slouched':>8}  {'sit->stand':>10}")
    for d in days:
        cells = "  ".join(f"{hm(d[k]):>12}" for k, _ in SHOWN)
        slouch = d["slouch_s"] / d["sitting_s"] if d["sitting_s"] else 0.0
        print(f"{d['day']:10}  {cells}  {d['breaks']:>6}  {d['skipped']:>7}  "
              f"{d['snoozed']:>7}  {slouch:>8.0%}  {d['sit_to_stand']:>10}")
    if not days:
        print("(no demo statistics: `posture-monitor demo --stats` adds them)" if demo else
              "(no statistics yet: `posture-monitor run` with your sensor adds them)")
