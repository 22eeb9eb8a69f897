"""`service install|uninstall|status`: the systemd user unit is valid (systemd-analyze verify), runs the
same interpreter with the arguments given, survives odd paths, and is private to the user."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.service import ServiceSpec, render

ANALYZE = shutil.which("systemd-analyze")


@pytest.fixture()
def units(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_home / "config"))
    return isolated_home / "config" / "systemd" / "user"


def exec_argv(unit_text: str) -> list[str]:
    """ExecStart as systemd splits it (double quotes, backslash escapes, %% for %)."""
    line = next(x for x in unit_text.splitlines() if x.startswith("ExecStart="))
    return [a.replace("%%", "%") for a in shlex.split(line.removeprefix("ExecStart="))]


def test_install_writes_a_unit_that_systemd_accepts(units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ANALYZE is not None, "systemd-analyze (Debian systemd) is needed; .ci/run installs it"
    odd = units.parent.parent / "my conf %h \"x\".toml"
    assert main(["service", "install", "--device", "x", "--config", str(odd), "--no-start"]) == 2
    assert "no such file" in capsys.readouterr().err
    odd.parent.mkdir(parents=True, exist_ok=True)
    odd.write_text("[engine]\nsitting_limit_min = 45\n")
    assert main(["service", "install", "--device", "WT901 desk", "--mqtt", "mqtt://broker.lan",
                 "--config", str(odd), "--no-start"]) == 0
    unit = units / "posture-monitor.service"
    assert "systemctl --user enable --now" in capsys.readouterr().out
    assert unit.stat().st_mode & 0o777 == 0o600 and units.stat().st_mode & 0o777 == 0o700
    argv = exec_argv(unit.read_text())
    assert argv == [sys.executable, "-m", "monitor", "run", "--headless", "--device", "WT901 desk",
                    "--mqtt", "mqtt://broker.lan", "--config", str(odd)]
    r = subprocess.run([ANALYZE, "verify", str(unit)], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and str(unit) not in r.stderr, r.stderr


def test_the_units_command_runs_the_monitor(units: Path, isolated_home: Path) -> None:
    """What the unit starts, with a virtual sensor, stops cleanly (the service's own run, shortened);
    under journald ($JOURNAL_STREAM set, as systemd does) its notices carry no name of their own."""
    argv = exec_argv(render(ServiceSpec(virtual="witmotion-wt901ble")))
    env = {**os.environ, "HOME": str(isolated_home), "JOURNAL_STREAM": "8:12345"}
    r = subprocess.run([*argv, "--for", "30", "--speed", "30", "--no-stats", "--no-desktop-notify"],
                       capture_output=True, text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "summary" in r.stdout and "Traceback" not in r.stderr
    notices = r.stderr.splitlines()
    assert any("streaming" in line for line in notices)
    assert not any(line.startswith("posture-monitor:") for line in notices)


def test_reinstall_uninstall_and_status(units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["service", "status"]) == 0 and "not installed" in capsys.readouterr().out
    assert main(["service", "install", "--virtual", "microbit-accelerometer", "--no-start"]) == 0
    assert main(["service", "install", "--device", "AA:BB:CC:DD:EE:FF", "--no-start"]) == 2
    assert "already installed" in capsys.readouterr().err
    assert main(["service", "install", "--device", "AA:BB:CC:DD:EE:FF", "--no-start", "--force"]) == 0
    capsys.readouterr()
    assert main(["service", "status"]) == 0
    out = capsys.readouterr().out
    assert "installed:" in out and "--device AA:BB:CC:DD:EE:FF" in out and "journalctl --user" in out
    assert main(["service", "uninstall"]) == 0 and not (units / "posture-monitor.service").exists()
    assert main(["service", "uninstall"]) == 2


def test_install_needs_a_sensor(units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["service", "install"])
    assert e.value.code == 2
    assert main(["service", "install", "--device", "x", "--print"]) == 0
    assert "ExecStart=" in capsys.readouterr().out and not units.exists()
