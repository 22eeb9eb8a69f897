"""`replay` and `demo`: run a recording or a simulated wearer through the pipeline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config, positive, speed
from monitor.cli.progress import Progress
from monitor.config import Config
from monitor.decode import Decoder
from monitor.pipeline import Pipeline
from monitor.samples import SourceItem
from monitor.sinks.console import ConsoleSink
from monitor.timebase import TimeBase


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("replay", parents=[parent], help="stream a recording through the pipeline")
    p.add_argument("file", type=Path)
    p.add_argument("--speed", type=speed, default=None, metavar="1|10|max",
                   help="times real time, or max (default: max)")
    p.add_argument("--profile", default=None, metavar="ID",
                   help="device profile for raw frames (default: the one named in the recording)")
    p.add_argument("--ui", action="store_true", help="show the dashboard")
    p.add_argument("--stats", action="store_true", help="also add this replay to the statistics store")
    p.set_defaults(handler=cmd_replay)

    p = sub.add_parser("demo", parents=[parent], help="a simulated wearer, live (no hardware)")
    p.add_argument("--for", dest="duration_s", type=positive, default=None, metavar="SECONDS",
                   help="simulated seconds to run, then a summary (default: forever)")
    p.add_argument("--speed", type=speed, default=1.0, metavar="N|max",
                   help="times real time (default 1), or max")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rate", type=positive, default=50.0, metavar="HZ")
    p.add_argument("--ble", action="store_true",
                   help="through the full BLE stack: a virtual sensor on the bumble link, our bleak client")
    p.add_argument("--profile", default="witmotion-wt901ble", metavar="ID",
                   help="with --ble: the sensor model to simulate (default witmotion-wt901ble)")
    p.add_argument("--headless", action="store_true",
                   help="events on stdout even in a terminal (default there: the dashboard)")
    p.add_argument("--stats", action="store_true", help="also add the demo to the statistics store")
    p.set_defaults(handler=cmd_demo)


def make_engine(cfg: Config, rate_hz: float, calibration: Any = None) -> Any:
    """The posture engine configured from settings."""
    from monitor.engine.factory import engine_from_config

    return engine_from_config(cfg, rate_hz, calibration)


def _run(cfg: Config, items: Iterator[SourceItem], rate_hz: float, total_s: float | None,
         engine: Any, decoder: Decoder | None = None, ui: str | None = None,
         clock: TimeBase | None = None, stats: bool = False) -> int:
    """Headless: events and summary on stdout, progress on stderr. `ui`: the dashboard, titled so.
    `clock` puts stream seconds on the wall clock (statistics, MQTT timestamps)."""
    from monitor.cli.mqtt_wiring import attach_mqtt, probe_of, stop_mqtt
    from monitor.cli.wiring import make_coach, stats_sink

    clock = clock or TimeBase.now()
    sinks: list[Any] = [] if ui else [ConsoleSink(cfg["output.json"])]
    stats_s = stats_sink(clock) if stats else None
    if stats_s is not None:
        sinks.append(stats_s)
    pipeline = Pipeline(decoder or Decoder(), engine, sinks, rate_hz)
    coach = make_coach(cfg, None)
    board, request, say = _requests(pipeline, coach, ui is not None)
    mqtt = attach_mqtt(cfg, pipeline, request, clock, probe_of(pipeline, coach), say)
    try:
        if ui and board is not None:
            from monitor.cli.ui_run import run_with_ui

            return run_with_ui(items, pipeline, coach, ui, cfg["output.json"],
                               stats_s.store if stats_s else None, board)
        pipeline.coach = coach
        _headless(pipeline, items, total_s)
        return 0
    finally:
        stop_mqtt(mqtt)


def _requests(pipeline: Pipeline, coach: Any, ui: bool) -> tuple[Any, Any, Any]:
    """Where user requests (MQTT commands) go: the dashboard's queue, else the pipeline's own."""
    if ui:
        from monitor.ui.board import Board

        board = Board()
        return board, board.request, board.note
    from monitor.cli.common import say_stderr
    from monitor.coach.actions import Actions
    from monitor.coach.stretches import load_catalogue

    actions = Actions(coach, load_catalogue())
    pipeline.actions = actions
    return None, actions.request, say_stderr


def _headless(pipeline: Pipeline, items: Iterator[SourceItem], total_s: float | None) -> None:
    progress = Progress(total_s or 0.0, enabled=None if total_s else False)
    try:
        for item in items:
            pipeline.feed(item)
            progress.update(pipeline.last_t_s)
    finally:
        progress.done()
        pipeline.close()


def cmd_replay(args: argparse.Namespace) -> int:
    from monitor.sessions import open_recording
    from monitor.sources.recorded import replay_items

    cfg = load_config(args)
    rec = open_recording(args.file)
    if rec.damage:
        import sys
        print(f"posture-monitor: warning: {args.file}: damaged tail at byte {rec.damage.offset} "
              f"({rec.damage.reason}); replaying the intact part", file=sys.stderr)
    rate = float(rec.header.get("sample_rate_hz") or 100.0)
    total = rec.last_sample_t_s
    if total is None:
        total = rec.last_frame_t_s
    engine = make_engine(cfg, rate, rec.header.get("calibration"))
    decoder = _frame_decoder(cfg, args.profile or rec.header.get("profile"), rate) if rec.has_frames else None
    from monitor.cli.wiring import recording_clock

    ui = f"replay {args.file.name}" if args.ui else None
    return _run(cfg, replay_items(rec, args.speed), rate, total, engine, decoder, ui,
                recording_clock(rec.header), args.stats)


def _frame_decoder(cfg: Config, profile_id: str | None, rate_hz: float) -> Decoder:
    from monitor.errors import InputError
    from monitor.profiles import Registry

    if not profile_id:
        raise InputError("the recording holds raw frames but names no device profile: give --profile ID")
    return Decoder(Registry.load(cfg["paths.profiles_dir"]).get(profile_id), rate_hz)


def cmd_demo(args: argparse.Namespace) -> int:
    from monitor.sim import SimulatedWearer
    from monitor.sources.simulated import simulated_items

    cfg = load_config(args)
    if args.ble:
        return _demo_ble(cfg, args)
    wearer = SimulatedWearer(seed=args.seed, rate_hz=args.rate)
    items = simulated_items(wearer, args.duration_s, args.speed)
    calibration = _demo_calibration(args.seed, args.rate)
    ui = "demo: a simulated wearer" if sys.stdout.isatty() and not args.headless else None
    return _run(cfg, items, args.rate, args.duration_s, make_engine(cfg, args.rate, calibration), None, ui,
                TimeBase.now(), args.stats)


def _demo_ble(cfg: Config, args: argparse.Namespace) -> int:
    import asyncio

    from monitor.cli.live_session import LiveOptions, LiveSession
    from monitor.errors import InputError

    if args.speed is None:
        raise InputError("--speed max: a BLE link streams in time; give a factor such as --speed 30")
    opts = LiveOptions(virtual=[args.profile], rate_hz=args.rate, duration_s=args.duration_s,
                       speed=args.speed, seed=args.seed, stats=args.stats)
    session = LiveSession(cfg, opts)
    if sys.stdout.isatty() and not args.headless:
        from monitor.cli.live_session import run_with_dashboard

        return run_with_dashboard(session, f"demo --ble: {args.profile}")
    return asyncio.run(session.run())


def _demo_calibration(seed: int, rate_hz: float) -> Any:
    """The simulated wearer's guided calibration: 5 s standing and 5 s sitting, same sensor mounting."""
    from monitor.engine import Calibration
    from monitor.sim import SimulatedWearer

    chunks = SimulatedWearer(seed=seed, rate_hz=rate_hz).chunks()
    stand, _, sit = next(chunks), next(chunks), next(chunks)
    n = int(5 * rate_hz)
    return Calibration.from_poses(stand.block.acc_g[:n], sit.block.acc_g[n:2 * n], stand.block.gyro_dps)
