"""Shared CLI pieces: the settings flags every subcommand takes, and value parsers."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from monitor import config
from monitor.errors import InputError


def settings_parent(json_help: str | None = None) -> argparse.ArgumentParser:
    """A parent parser with --config and one flag per setting (default None = not given). A command
    that says what its --json prints makes its own, with that `json_help` (argparse shares a parent's
    flags between the commands that use it, so one command cannot change their help)."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("settings (override the config file)")
    g.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    for s in config.SETTINGS:
        dest = s.key.replace(".", "__")
        if not s.cli:
            continue
        if s.kind is bool:
            g.add_argument(s.flag, dest=dest, action=argparse.BooleanOptionalAction, default=None,
                           help=(json_help if s.key == "output.json" else None) or s.help)
        else:
            conv = {float: float, int: int, str: str}.get(s.kind, Path)
            g.add_argument(s.flag, dest=dest, type=conv, metavar="X", help=flag_help(s))
    return p


def flag_help(s: config.Setting) -> str:
    """A setting flag's help from its schema: what it does, its unit and range, its default (checked by
    config.load, so a flag and the config file give the same error)."""
    bounds = s.spec.range_text()
    extra = [bounds or s.unit, f"default {s.default:g}" if isinstance(s.default, float | int) else ""]
    return s.help + "".join(f"; {x}" for x in extra if x).replace("%", "%%")


def say_stderr(text: str) -> None:
    """A one-line notice for the user on stderr (stdout stays for events and results). Under journald
    (systemd sets $JOURNAL_STREAM) without our name in front: the journal already says who wrote it."""
    prefix = "" if os.environ.get("JOURNAL_STREAM") else "posture-monitor: "
    print(f"{prefix}{text}", file=sys.stderr, flush=True)


def setting_flags(args: argparse.Namespace) -> dict[str, object]:
    """The settings given as flags, {key: value} (None: not given)."""
    return {s.key: getattr(args, s.key.replace(".", "__"), None) for s in config.SETTINGS}


def load_config(args: argparse.Namespace) -> config.Config:
    path = getattr(args, "config", None)
    cfg = config.load(path, setting_flags(args), required=path is not None)
    for line in cfg.notices:  # e.g. a renamed setting still read from an old config file
        say_stderr(line)
    return cfg


def speed(text: str) -> float | None:
    """`max` -> None (as fast as possible), else a positive factor of real time."""
    if text == "max":
        return None
    try:
        return speed_factor(text)
    except argparse.ArgumentTypeError as e:
        raise argparse.ArgumentTypeError(f"speed {e} (or 'max')") from None


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line naming it (and where help is), not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def number(lo: float, hi: float, unit: str = "", lo_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number in [lo, hi] (lo excluded with `lo_open`), its unit named."""
    shown = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if value < lo or value > hi or (lo_open and value == lo):
            low = f"above {lo:g}" if lo_open else f"at least {lo:g}"
            raise argparse.ArgumentTypeError(f"{text}{shown}: must be {low} and at most {hi:g}{shown}")
        return value
    return parse


def positive(text: str) -> float:
    """A finite positive number (no upper bound beyond finiteness)."""
    return number(0.0, sys.float_info.max, lo_open=True)(text)


rate_hz = number(0.0, 2000.0, "Hz", lo_open=True)  # a sensor's sample rate
seconds = number(0.0, 366 * 86400.0, "s", lo_open=True)  # a run's length: up to a year
hours = number(0.0, 24 * 31.0, "h", lo_open=True)  # a simulated recording: up to a month


speed_factor = number(0.0, 1e6, "x real time", lo_open=True)


def whole_number(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `lo` to `hi`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text}: must be from {lo} to {hi}")
        return value
    return parse


count = whole_number(0, 1000)  # retries, repeats
at_least_one = whole_number(1, 100_000)  # jobs, folds, random points
seed = whole_number(0, 2**32 - 1)  # a random seed numpy takes


def local_date(flag: str, text: str) -> dt.date:
    """A local date given to `flag`: YYYY-MM-DD or today (the statistics store's days are local)."""
    if text == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{flag} {text}: not a date (YYYY-MM-DD or today)") from None
