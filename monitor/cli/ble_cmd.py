"""`scan`, `run` and `virtual-sensor`: the BLE side of the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from monitor.cli.common import load_config, rate_hz, say_stderr, seconds, seed, speed_factor

VIRTUAL_HELP = ("no radio: start a simulated sensor of this profile in-process and reach it over the "
                "bumble link (repeat for two sensors)")


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("scan", parents=[parent], help="list nearby sensors that match a device profile")
    p.add_argument("--timeout", type=seconds, default=5.0, metavar="S", help="seconds to listen (default 5)")
    p.add_argument("--all", action="store_true", help="also list devices that match no profile")
    p.add_argument("--virtual", action="append", default=[], metavar="PROFILE", help=VIRTUAL_HELP)
    p.set_defaults(handler=cmd_scan)

    p = sub.add_parser("run", parents=[parent], help="stream a live sensor through the pipeline")
    p.add_argument("--device", action="append", default=[], metavar="NAME_OR_ADDRESS",
                   help="the sensor (repeat for two, e.g. left and right hip)")
    p.add_argument("--profile", default=None, metavar="ID", help="device profile (default: found by a scan)")
    p.add_argument("--record", type=Path, default=None, metavar="FILE",
                   help="record the raw frames (a second sensor goes to FILE-2)")
    p.add_argument("--force", action="store_true", help="overwrite an existing recording")
    p.add_argument("--rate", type=rate_hz, default=None, metavar="HZ",
                   help="sample rate to ask for (nearest the profile offers; default: the profile's)")
    p.add_argument("--for", dest="duration_s", type=seconds, default=None, metavar="SECONDS",
                   help="stop after this long (default: until Ctrl-C)")
    p.add_argument("--scan-timeout", type=seconds, default=5.0, metavar="S")
    p.add_argument("--virtual", action="append", default=[], metavar="PROFILE", help=VIRTUAL_HELP)
    p.add_argument("--seed", type=seed, default=0, help="simulated wearer of --virtual sensors")
    p.add_argument("--speed", type=speed_factor, default=1.0, metavar="N",
                   help="--virtual sensors only: times real time (default 1)")
    p.add_argument("--headless", action="store_true",
                   help="events on stdout even in a terminal (default there: the dashboard)")
    stats = p.add_mutually_exclusive_group()
    stats.add_argument("--stats", dest="stats", action="store_true", default=None,
                       help="add to the statistics store (default for real sensors)")
    stats.add_argument("--no-stats", dest="stats", action="store_false",
                       help="leave the statistics store alone")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("virtual-sensor", parents=[parent],
                       help="be a sensor: stream a profile's GATT service from the simulator or a recording")
    p.add_argument("--profile", required=True, metavar="ID")
    p.add_argument("--transport", required=True, metavar="SPEC",
                   help="bumble HCI transport of the controller to advertise on, e.g. usb:0, "
                        "hci-socket:0, serial:/dev/ttyACM0, tcp-client:127.0.0.1:9001")
    p.add_argument("--from", dest="source", type=Path, default=None, metavar="RECORDING",
                   help="stream this recording (default: a simulated wearer)")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--rate", type=rate_hz, default=None, metavar="HZ",
                   help="simulated sample rate (nearest the profile offers)")
    p.add_argument("--speed", type=speed_factor, default=1.0, metavar="N", help="times real time (default 1)")
    p.add_argument("--for", dest="duration_s", type=seconds, default=None, metavar="SECONDS",
                   help="stop after this many wall-clock seconds "
                        "(default: until Ctrl-C or the recording ends)")
    p.add_argument("--address", default="C0:98:E5:00:02:01")
    p.add_argument("--name", default=None, help="advertised name (default: one the profile's patterns match)")
    p.set_defaults(handler=cmd_virtual_sensor)


def cmd_scan(args: argparse.Namespace) -> int:
    from monitor.profiles import Registry
    from monitor.run.ble_sources import start_virtual_sensors
    from monitor.run.spec import BleSpec
    from monitor.sources.live import BleHub
    from monitor.sources.scan import scan

    cfg = load_config(args)
    registry = Registry.load(cfg["paths.profiles_dir"])
    hub = BleHub()
    try:
        sensors = start_virtual_sensors(BleSpec(virtual=tuple(args.virtual)), registry, hub, say_stderr)
        backend = None
        if sensors:
            from monitor.virtual.bleak_backend import BumbleScanner

            backend = BumbleScanner
        found = hub.call(scan(registry, args.timeout, backend))
        for sensor in sensors:
            hub.call(sensor.stop())
    finally:
        hub.close()
    _print_scan([f for f in found if args.all or f.profile], cfg["output.json"], args.timeout)
    return 0


def _print_scan(shown: list[Any], as_json: bool, timeout_s: float) -> None:
    if as_json:
        print(json.dumps([f.to_dict() for f in shown]))
        return
    print(f"{'name':24} {'address':18} {'rssi':>5}  profile")
    for f in shown:
        rssi = "" if f.rssi is None else f.rssi
        print(f"{f.name[:24]:24} {f.address:18} {rssi:>5}  {f.profile or '-'}")
    if not shown:
        print(f"(no matching sensor heard in {timeout_s:g} s; --all lists every device)")


def cmd_run(args: argparse.Namespace) -> int:
    from monitor.errors import InputError
    from monitor.run import BleSpec, RunSpec
    from monitor.run.drive import execute

    if args.speed != 1.0 and not args.virtual:
        raise InputError(f"--speed {args.speed:g}: a real sensor streams in real time; "
                         "only --virtual can go faster")
    source = BleSpec(devices=tuple(args.device), virtual=tuple(args.virtual), profile_id=args.profile,
                     rate_hz=args.rate, duration_s=args.duration_s, speed=args.speed, seed=args.seed,
                     scan_timeout_s=args.scan_timeout)
    ui = sys.stdout.isatty() and not args.headless
    spec = RunSpec(load_config(args), source, "dashboard" if ui else "headless",
                   f"run: {', '.join(args.device or args.virtual)}", stats=args.stats, record=args.record,
                   force=args.force, demo=bool(args.virtual) and not args.device)  # virtual only: a demo
    return execute(spec)


def cmd_virtual_sensor(args: argparse.Namespace) -> int:
    return asyncio.run(_virtual_sensor(args))


async def _virtual_sensor(args: argparse.Namespace) -> int:
    from monitor.virtual.fleet import serve

    cfg = load_config(args)
    from monitor.profiles import Registry

    profile = Registry.load(cfg["paths.profiles_dir"]).get(args.profile)
    return await serve(profile, args.transport, source=args.source, seed=args.seed, rate_hz=args.rate,
                       speed=args.speed, duration_s=args.duration_s, address=args.address, name=args.name)
