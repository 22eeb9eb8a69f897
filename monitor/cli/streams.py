"""`replay` and `demo`: run a recording or a simulated wearer through the pipeline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config, rate_hz, seconds, seed, speed
from monitor.errors import InputError
from monitor.run import BleSpec, ReplaySpec, RunSpec, SimulatorSpec
from monitor.run.drive import execute
from monitor.run.spec import ReplayCalibration


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("replay", parents=[parent], help="stream a recording through the pipeline")
    p.add_argument("file", type=Path)
    p.add_argument("--speed", type=speed, default=None, metavar="1|10|max",
                   help="times real time, or max (default: max)")
    p.add_argument("--profile", default=None, metavar="ID",
                   help="device profile for raw frames (default: the one named in the recording)")
    p.add_argument("--calibration", type=replay_calibration, default=ReplayCalibration(),
                   metavar="FILE|DEVICE|none",
                   help="start the engine from this calibration: a calibration JSON file, the one stored "
                        "for sensor DEVICE by `calibrate`, or none (the engine finds its own reference); "
                        "default: the one in the recording's header")
    p.add_argument("--ui", action="store_true", help="show the dashboard")
    p.add_argument("--stats", action="store_true", help="also add this replay to the statistics store")
    p.set_defaults(handler=cmd_replay)

    p = sub.add_parser("demo", parents=[parent], help="a simulated wearer, live (no hardware)")
    p.add_argument("--for", dest="duration_s", type=seconds, default=None, metavar="SECONDS",
                   help="simulated seconds to run, then a summary (default: forever)")
    p.add_argument("--speed", type=speed, default=1.0, metavar="N|max",
                   help="times real time (default 1), or max")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--rate", type=rate_hz, default=50.0, metavar="HZ")
    p.add_argument("--ble", action="store_true",
                   help="through the full BLE stack: a virtual sensor on the bumble link, our bleak client")
    p.add_argument("--profile", default="witmotion-wt901ble", metavar="ID",
                   help="with --ble: the sensor model to simulate (default witmotion-wt901ble)")
    p.add_argument("--headless", action="store_true",
                   help="events on stdout even in a terminal (default there: the dashboard)")
    p.add_argument("--stats", action="store_true", help="also add the demo to the statistics store")
    p.set_defaults(handler=cmd_demo)


def replay_calibration(text: str) -> ReplayCalibration:
    """`none`; a file (an existing one, or a value that looks like a path: `.json`, a directory part);
    else a sensor name to look up among the stored calibrations."""
    if text.strip().lower() == "none":
        return ReplayCalibration("none")
    path = Path(text).expanduser()
    if path.exists() or path.suffix.lower() == ".json" or len(path.parts) > 1:
        return ReplayCalibration("file", path=path)
    return ReplayCalibration("device", device=text)


def front_end(ui: bool) -> Any:
    """The dashboard when asked for (or on a terminal), else events on stdout."""
    return "dashboard" if ui else "headless"


def on_terminal(headless: bool) -> bool:
    return sys.stdout.isatty() and not headless


def cmd_replay(args: argparse.Namespace) -> int:
    cfg = load_config(args)
    source = ReplaySpec(args.file, args.speed, args.profile, args.calibration)
    spec = RunSpec(cfg, source, front_end(args.ui),
                   f"replay {args.file.name}", stats=bool(args.stats))
    return execute(spec)


def cmd_demo(args: argparse.Namespace) -> int:
    """A simulated wearer through the real pipeline (or the whole BLE stack with --ble); the demo's
    coach prompts at any hour, and its stream starts now."""
    cfg = load_config(args)
    ui = on_terminal(args.headless)
    if args.ble:
        if args.speed is None:
            raise InputError("--speed max: a BLE link streams in time; give a factor such as --speed 30")
        source: Any = BleSpec(virtual=(args.profile,), rate_hz=args.rate, duration_s=args.duration_s,
                              speed=args.speed, seed=args.seed)
        title = f"demo --ble: {args.profile}"
    else:
        source = SimulatorSpec(args.seed, args.rate, args.duration_s, args.speed)
        title = "demo: a simulated wearer"
    return execute(RunSpec(cfg, source, front_end(ui), title, stats=bool(args.stats), working_hours=False,
                           demo=True))
