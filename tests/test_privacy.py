"""Health data is the user's only: files we create are 0600 and folders 0700, old looser files are
tightened when opened, and no output shows a secret."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from monitor.calibrate.store import CalibrationStore
from monitor.cli.main import main
from monitor.engine import Calibration
from monitor.sinks.mqtt.outbox import Outbox
from monitor.sinks.stats import StatsStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_what_the_command_writes_is_private(isolated_home: Path) -> None:
    rec = isolated_home / "day.pmrec"
    assert main(["simulate", "--hours", "0.05", "--out", str(rec)]) == 0
    assert main(["demo", "--for", "120", "--speed", "max", "--headless", "--stats"]) == 0
    data = isolated_home / "data" / "posture-monitor"
    assert mode(rec) == 0o600 and mode(data) == 0o700
    assert mode(data / "stats-demo.sqlite") == 0o600


def test_data_files_of_an_older_version_are_tightened(isolated_home: Path) -> None:
    data = isolated_home / "data" / "posture-monitor"
    data.mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    for name in ("stats.sqlite", "outbox.sqlite"):
        (data / name).touch()
        (data / name).chmod(0o644)
    StatsStore(data / "stats.sqlite").close()
    Outbox(data / "outbox.sqlite").close()
    assert mode(data) == 0o700
    assert mode(data / "stats.sqlite") == mode(data / "outbox.sqlite") == 0o600
    saved = CalibrationStore(data / "calibrations").save("p", "AA:BB", Calibration.unknown())
    assert mode(saved) == 0o600 and mode(saved.parent) == 0o700


def test_config_show_never_prints_a_password(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    cfg = isolated_home / "c.toml"
    cfg.write_text('[mqtt]\nurl = "mqtt://anna:s3cret-pw@broker.lan"\n')
    assert main(["config", "show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "s3cret-pw" not in out and "mqtt://anna:***@broker.lan" in out
    assert main(["demo", "--config", str(cfg), "--for", "5", "--headless"]) == 2  # refused, masked
    assert "s3cret-pw" not in capsys.readouterr().err
    monkeypatch.setenv("POSTURE_MONITOR_MQTT_PASSWORD", "env-s3cret")
    assert main(["config", "show", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["settings"]["mqtt.password"]
    assert row == {"value": "********", "source": "$POSTURE_MONITOR_MQTT_PASSWORD"}
