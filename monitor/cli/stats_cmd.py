"""`stats`: daily totals from the statistics store, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config
from monitor.errors import InputError
from monitor.sinks.stats import COLUMNS, StatsStore

SHOWN = (("sitting_s", "sitting"), ("standing_s", "standing"), ("walking_s", "walking"),
         ("lying_s", "lying"), ("longest_bout_s", "longest bout"))


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("stats", parents=[parent], help="daily statistics (kept across restarts)")
    p.add_argument("--days", type=int, default=7, metavar="N", help="last N days with data (default 7)")
    p.add_argument("--export", type=Path, default=None, metavar="CSV", help="write the days to a CSV file")
    p.set_defaults(handler=cmd_stats)


def _hm(seconds: float) -> str:
    m = round(seconds / 60)
    return f"{m // 60}h{m % 60:02d}"


def cmd_stats(args: argparse.Namespace) -> int:
    if args.days <= 0:
        raise InputError(f"--days {args.days}: must be at least 1")
    cfg = load_config(args)
    store = StatsStore()
    days = store.days(args.days)
    store.close()
    if args.export is not None:
        try:
            with args.export.open("w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=["day", *COLUMNS])
                w.writeheader()
                w.writerows(days)
        except OSError as e:
            raise InputError(f"--export {args.export}: {e.strerror}") from None
    if cfg["output.json"]:
        print(json.dumps(days))
        return 0
    head = f"{'day':10}  " + "  ".join(f"{label:>12}" for _, label in SHOWN)
    print(head + f"  {'breaks':>6}  {'skipped':>7}  {'snoozed':>7}  {'slouched':>8}  {'sit->stand':>10}")
    for d in days:
        cells = "  ".join(f"{_hm(d[k]):>12}" for k, _ in SHOWN)
        slouch = d["slouch_s"] / d["sitting_s"] if d["sitting_s"] else 0.0
        print(f"{d['day']:10}  {cells}  {int(d['breaks']):>6}  {int(d['skipped']):>7}  "
              f"{int(d['snoozed']):>7}  {slouch:>8.0%}  {int(d['sit_to_stand']):>10}")
    if not days:
        print("(no statistics yet: run `posture-monitor demo` or `run`)")
    return 0
