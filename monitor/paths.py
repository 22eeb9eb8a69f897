"""Where things live: user config/data directories (platformdirs-style) and shipped data folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "posture-monitor"


def _base(env: str, posix_default: str, mac: str, win_env: str) -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get(win_env) or Path.home() / "AppData" / "Roaming")
    if sys.platform == "darwin":
        return Path.home() / "Library" / mac
    return Path(os.environ.get(env) or Path.home() / posix_default)


def config_home() -> Path:
    """~/.config on Linux (XDG_CONFIG_HOME honoured): where systemd looks for user units, too."""
    return _base("XDG_CONFIG_HOME", ".config", "Application Support", "APPDATA")


def config_dir() -> Path:
    """~/.config/posture-monitor on Linux (XDG_CONFIG_HOME honoured)."""
    return config_home() / APP


def data_dir() -> Path:
    """~/.local/share/posture-monitor on Linux (XDG_DATA_HOME honoured)."""
    return _base("XDG_DATA_HOME", ".local/share", "Application Support", "LOCALAPPDATA") / APP


def default_config_file() -> Path:
    env = os.environ.get("POSTURE_MONITOR_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


def shipped(folder: str) -> Path:
    """A data folder shipped with the package: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "_data" / folder
    return inside if inside.is_dir() else here.parent / folder
