"""`posture-monitor service install|uninstall|status`: run the monitor as a systemd user service."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from monitor.errors import InputError


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("service", help="run as a background service (systemd user unit)")
    ssub = p.add_subparsers(dest="service_command", metavar="ACTION", required=True)
    inst = ssub.add_parser("install", help="write ~/.config/systemd/user/posture-monitor.service for "
                                           "`run --headless` and enable it")
    which = inst.add_mutually_exclusive_group(required=True)
    which.add_argument("--device", metavar="NAME_OR_ADDRESS", help="the sensor to stream from")
    which.add_argument("--virtual", metavar="PROFILE", help="a simulated sensor (to try the service out)")
    inst.add_argument("--profile", metavar="ID", help="device profile (default: by the sensor's name)")
    inst.add_argument("--mqtt", metavar="URL", help="broker to publish to (default: the config file's)")
    inst.add_argument("--config", type=Path, metavar="FILE", help="config file the service reads")
    inst.add_argument("--no-start", action="store_true", help="write the unit only; say how to start it")
    inst.add_argument("--force", action="store_true", help="replace an installed unit")
    inst.add_argument("--print", action="store_true", help="print the unit and write nothing")
    inst.set_defaults(handler=cmd_install)
    ssub.add_parser("uninstall", help="stop, disable and remove the unit").set_defaults(handler=cmd_uninstall)
    ssub.add_parser("status", help="installed or not, what it runs, its state").set_defaults(
        handler=cmd_status)


def cmd_install(args: argparse.Namespace) -> int:
    from monitor import service

    config = args.config.expanduser().resolve() if args.config is not None else None
    if config is not None and not config.is_file():
        raise InputError(f"--config {args.config}: no such file (the service would start without it)")
    spec = service.ServiceSpec(args.device, args.virtual, args.profile, args.mqtt, config)
    if args.print:
        print(service.render(spec), end="")
        return 0
    _, done = service.install(spec, start=not args.no_start, force=args.force)
    print("\n".join(done))
    return 0


def cmd_uninstall(args: argparse.Namespace) -> int:
    from monitor import service

    print("\n".join(service.uninstall()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from monitor import service

    print(service.status())
    return 0
