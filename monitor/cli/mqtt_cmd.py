"""`posture-monitor mqtt forget [--demo]`: remove this install's devices from Home Assistant."""

from __future__ import annotations

import argparse
from typing import Any

from monitor.cli.common import load_config
from monitor.errors import InputError


def register(sub: Any, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("mqtt", help="MQTT and Home Assistant housekeeping")
    msub = p.add_subparsers(dest="mqtt_command", metavar="ACTION", required=True)
    forget = msub.add_parser("forget", parents=[parent],
                             help="remove this install's devices (app and sensor) from Home Assistant and "
                                  "clear its retained topics")
    forget.add_argument("--demo", action="store_true", help="the demo's device (<device_id>_demo) instead")
    forget.set_defaults(handler=cmd_forget)


def cmd_forget(args: argparse.Namespace) -> int:
    from monitor.sinks.mqtt.forget import forget
    from monitor.sinks.mqtt.settings import from_config

    cfg = load_config(args)
    s = from_config(cfg, demo=args.demo)
    if s is None:
        raise InputError("mqtt forget: no broker: give --mqtt URL or set url under [mqtt] in the config file")
    cleared = forget(s)
    print(f"Removed {s.device_name} ({s.device_id}) from Home Assistant at {s.describe()}: "
          f"{len(cleared)} retained topics cleared")
    return 0
