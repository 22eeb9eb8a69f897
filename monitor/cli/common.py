"""Shared CLI pieces: the settings flags every subcommand takes, and value parsers."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from monitor import config
from monitor.errors import InputError


def settings_parent() -> argparse.ArgumentParser:
    """A parent parser with --config and one flag per setting (default None = not given)."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("settings (override the config file)")
    g.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    for s in config.SETTINGS:
        dest = s.key.replace(".", "__")
        if not s.cli:
            continue
        if s.kind is bool:
            g.add_argument(s.flag, dest=dest, action=argparse.BooleanOptionalAction, default=None,
                           help=s.help)
        else:
            conv = {float: float, str: str}.get(s.kind, Path)
            g.add_argument(s.flag, dest=dest, type=conv, metavar="X", help=s.help)
    return p


def say_stderr(text: str) -> None:
    """A one-line notice for the user on stderr (stdout stays for events and results). Under journald
    (systemd sets $JOURNAL_STREAM) without our name in front: the journal already says who wrote it."""
    prefix = "" if os.environ.get("JOURNAL_STREAM") else "posture-monitor: "
    print(f"{prefix}{text}", file=sys.stderr, flush=True)


def setting_flags(args: argparse.Namespace) -> dict[str, object]:
    """The settings given as flags, {key: value} (None: not given)."""
    return {s.key: getattr(args, s.key.replace(".", "__"), None) for s in config.SETTINGS}


def load_config(args: argparse.Namespace) -> config.Config:
    cfg = config.load(getattr(args, "config", None), setting_flags(args))
    for line in cfg.notices:  # e.g. a renamed setting still read from an old config file
        say_stderr(line)
    return cfg


def speed(text: str) -> float | None:
    """`max` -> None (as fast as possible), else a positive factor of real time."""
    if text == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"speed {text!r}: a number or 'max'") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"speed {text!r}: must be positive")
    return value


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be positive")
    return value


def out_dir(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path}: exists and is not a directory")
    path.mkdir(parents=True, exist_ok=True)
    return path
