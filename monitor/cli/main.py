"""Entry point: builds the parser, dispatches, and turns MonitorError into one line + exit code."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from monitor import __version__
from monitor.cli import (
    ble_cmd,
    calibrate_cmd,
    common,
    compare_cmd,
    config_cmd,
    evaluate_cmd,
    label_cmd,
    mqtt_cmd,
    profiles_cmd,
    recordings,
    report_cmd,
    service_cmd,
    stats_cmd,
    streams,
    tune_cmd,
)
from monitor.errors import MonitorError
from monitor.privacy import restrict_umask

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = common.OneLineParser(
        prog="posture-monitor",
        description="Sitting-posture companion for a BLE motion sensor clipped at the pelvis.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parent = common.settings_parent()
    for module in (recordings, streams, ble_cmd, calibrate_cmd, evaluate_cmd, compare_cmd, profiles_cmd,
                   stats_cmd, config_cmd, mqtt_cmd, service_cmd, tune_cmd, report_cmd, label_cmd):
        module.register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.getLogger("bumble").setLevel(logging.ERROR)  # the virtual link's chatter is not for users
    restrict_umask()  # health data: what we create is the user's only (monitor/privacy.py)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except MonitorError as e:
        print(f"posture-monitor: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("posture-monitor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
