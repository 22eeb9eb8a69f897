"""Running as a background service: a systemd user unit for `run --headless [--mqtt ...]`, which is how a
home-automation user runs the monitor. The unit starts the same interpreter that installed it (a venv,
pipx or uv tool included), restarts on failure, stops with SIGTERM (a clean stop, exit 0), and leaves
timestamps to journald: the app's own lines carry only stream times."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import InputError, MonitorError
from monitor.paths import config_home

UNIT = "posture-monitor.service"


class ServiceError(MonitorError):
    """systemd refused (or is not there). Exit code 1."""


@dataclass(frozen=True)
class ServiceSpec:
    """What the service runs: a sensor (`device`) or a virtual one (`virtual`, to try it out)."""

    device: str | None = None
    virtual: str | None = None
    profile: str | None = None
    mqtt: str | None = None  # None: the config file's mqtt.url, if any
    config: Path | None = None

    def command(self) -> list[str]:
        if (self.device is None) == (self.virtual is None):
            raise InputError("service install: give --device NAME_OR_ADDRESS or --virtual PROFILE")
        args = [sys.executable, "-m", "monitor", "run", "--headless"]
        args += ["--device", self.device] if self.device is not None else ["--virtual", str(self.virtual)]
        for flag, value in (("--profile", self.profile), ("--mqtt", self.mqtt), ("--config", self.config)):
            if value is not None:
                args += [flag, str(value)]
        return args


def unit_dir() -> Path:
    """~/.config/systemd/user (XDG_CONFIG_HOME honoured)."""
    return config_home() / "systemd" / "user"


def unit_path() -> Path:
    return unit_dir() / UNIT


def _quote(arg: str) -> str:
    """systemd's ExecStart quoting: double quotes, backslash escapes; `%` doubled (specifiers)."""
    text = arg.replace("%", "%%")
    if text and all(c.isalnum() or c in "-_./:=@+," for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(spec: ServiceSpec) -> str:
    """The unit file's text."""
    exec_start = " ".join(_quote(a) for a in spec.command())
    return f"""[Unit]
Description=posture-monitor: sitting posture from a BLE sensor, published over MQTT
Documentation=https://github.com/posture-monitor/posture-monitor
After=network-online.target bluetooth.target
Wants=network-online.target

[Service]
Type=simple
ExecStart={exec_start}
Restart=on-failure
RestartSec=10
KillSignal=SIGTERM
TimeoutStopSec=20
SyslogIdentifier=posture-monitor
Environment=PYTHONUNBUFFERED=1 NO_COLOR=1
UMask=0077

[Install]
WantedBy=default.target
"""


def install(spec: ServiceSpec, start: bool = True, force: bool = False) -> tuple[Path, list[str]]:
    """Write the unit (0600, folder 0700); with `start`, enable and start it. Returns the path and what
    was done, one line each (or how to start it when there is no user systemd)."""
    path = unit_path()
    if path.exists() and not force:
        raise InputError(f"{path}: already installed (--force replaces it; `service uninstall` removes it)")
    text = render(spec)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    done = [f"wrote {path}", f"runs: {shlex.join(spec.command())}"]
    if not start:
        return path, [*done, f"start it with: systemctl --user enable --now {UNIT}"]
    try:
        return path, done + _systemctl("daemon-reload") + _systemctl("enable", "--now", UNIT)
    except ServiceError as e:
        raise ServiceError(f"{e} (the unit is written: {path}; without a user session, "
                           "`loginctl enable-linger` lets user services run)") from None


def uninstall() -> list[str]:
    path = unit_path()
    if not path.exists():
        raise InputError(f"{path}: not installed")
    done = _systemctl("disable", "--now", UNIT, check=False)
    path.unlink()
    return [*done, f"removed {path}", *_systemctl("daemon-reload", check=False)]


def status() -> str:
    """Installed or not, what it runs, and systemd's view when a user manager is reachable."""
    path = unit_path()
    if not path.exists():
        return f"not installed ({path})"
    line = next((x for x in path.read_text().splitlines() if x.startswith("ExecStart=")), "ExecStart=?")
    out = [f"installed: {path}", f"runs: {line.removeprefix('ExecStart=')}"]
    state = _query("is-active", UNIT) or "unknown (no user systemd reachable)"
    return "\n".join([*out, f"state: {state}", f"logs: journalctl --user -u {UNIT} -f"])


def _systemctl(*args: str, check: bool = True) -> list[str]:
    exe = shutil.which("systemctl")
    if exe is None:
        if check:
            raise ServiceError("systemctl not found: this system has no systemd; the unit is written, "
                               "start `posture-monitor run --headless ...` another way")
        return []
    r = subprocess.run([exe, "--user", *args], capture_output=True, text=True, check=False)
    if r.returncode != 0 and check:
        reason = (r.stderr.strip().splitlines() or ["failed"])[-1]
        raise ServiceError(f"systemctl --user {' '.join(args)}: {reason}")
    return [f"systemctl --user {' '.join(args)}"] if r.returncode == 0 else []


def _query(*args: str) -> str | None:
    exe = shutil.which("systemctl")
    if exe is None:
        return None
    r = subprocess.run([exe, "--user", *args], capture_output=True, text=True, check=False)
    return r.stdout.strip() or None
