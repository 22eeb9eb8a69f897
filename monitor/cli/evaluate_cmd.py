"""`posture-monitor evaluate FILE_OR_DIR... [--format hapt] [--json]`: the engine on labelled data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config
from monitor.errors import InputError


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluate", parents=[parent], help="score the engine on labelled recordings")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    p.add_argument("--format", choices=["hapt", "recording"], default=None,
                   help="input format (default: by file name: .csv/.csv.gz = hapt, else recording)")
    p.set_defaults(handler=cmd_evaluate)


def _files(paths: list[Path], fmt: str | None) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            pattern = "*.pmrec" if fmt == "recording" else "*.csv*" if fmt == "hapt" else "*"
            out.extend(sorted(f for f in p.glob(pattern)
                              if f.name.endswith((".pmrec", ".csv", ".csv.gz"))))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    if not out:
        raise InputError(f"no recordings found in {', '.join(map(str, paths))}")
    return out


def cmd_evaluate(args: argparse.Namespace) -> int:
    from monitor.engine.factory import settings_from_config
    from monitor.evaluation import Totals, evaluate_run, load_labelled

    cfg = load_config(args)
    settings = settings_from_config(cfg)
    totals, rows = Totals(), []
    for path in _files(args.paths, args.format):
        fmt = "hapt" if args.format == "hapt" else None if args.format is None else "recording"
        rows.append(totals.add(evaluate_run(load_labelled(path, fmt), settings)))
    result = {**totals.figures(), "per_recording": rows}
    if cfg["output.json"]:
        print(json.dumps(result))
    else:
        _table(result)
    return 0


def _fmt(x: Any) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _table(r: dict[str, Any]) -> None:
    print(f"{'recording':<24} {'sit':>6} {'stand':>6} {'lie':>6} {'walk':>6}  s2s tp/fp/fn  st2s tp/fp/fn")
    for row in r["per_recording"]:
        rec, tr = row["static"]["recall"], row["transitions"]
        s2s, st = tr["stand_to_sit"], tr["sit_to_stand"]
        print(f"{row['recording'][:24]:<24} {_fmt(rec['sitting']):>6} {_fmt(rec['standing']):>6} "
              f"{_fmt(rec['lying']):>6} {_fmt(row['walking_upright']):>6}  "
              f"{s2s['tp']:>3}/{s2s['fp']}/{s2s['fn']:<6} {st['tp']:>3}/{st['fp']}/{st['fn']}")
    st = r["static"]
    print(f"\n{r['recordings']} recordings, {r['samples']} samples")
    print(f"static balanced accuracy {_fmt(st['balanced_accuracy'])}  (recall sitting "
          f"{_fmt(st['recall']['sitting'])}, standing {_fmt(st['recall']['standing'])}, lying "
          f"{_fmt(st['recall']['lying'])})")
    print(f"walking upright {_fmt(r['walking_upright'])}")
    for kind, m in r["transitions"].items():
        print(f"{kind:<13} precision {_fmt(m['precision'])} recall {_fmt(m['recall'])} F1 {_fmt(m['f1'])}")
    if "transition_emission_latency_s" in r:
        lat = r["transition_emission_latency_s"]
        print(f"transition emission latency: median {lat['median']} s, max {lat['max']} s")
