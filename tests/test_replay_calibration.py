"""`replay --calibration FILE|DEVICE|none`: the engine starts from the calibration asked for, the summary
says whether it ran calibrated, and every bad value is one line naming it, exit code 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monitor.calibrate.store import CalibrationStore
from monitor.cli.main import main
from monitor.cli.streams import replay_calibration as parse
from monitor.engine.calibration import Calibration
from monitor.run.replay_calibration import replay_calibration
from monitor.run.spec import ReplayCalibration
from monitor.sim.calibration import demo_calibration

RATE = 50.0


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three minutes of the simulated wearer of seed 3 (30 s standing, then sitting); no calibration in
    its header."""
    out = tmp_path_factory.mktemp("rec") / "sim3.pmrec"
    assert main(["simulate", "--hours", "0.05", "--rate", str(RATE), "--seed", "3", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    """The same wearer's guided calibration (same seed, so the same sensor mounting)."""
    return demo_calibration(3, RATE)


def summary(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], str]:
    assert main(["replay", *args, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out.splitlines()[-1]), captured.err


def test_a_file_calibrates_and_none_does_not(recording: Path, calibration: Calibration, tmp_path: Path,
                                            isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(calibration.to_dict()))
    stored = CalibrationStore(tmp_path / "store").save("witmotion-wt901ble", "WT901", calibration)
    with_bare, _ = summary(capsys, str(recording), "--calibration", str(bare))
    with_stored, _ = summary(capsys, str(recording), "--calibration", str(stored))
    without, _ = summary(capsys, str(recording), "--calibration", "none")
    default, _ = summary(capsys, str(recording))
    assert with_bare == with_stored and with_bare["calibrated"] is True
    assert without["calibrated"] is False and default == without  # the header has no calibration
    # 150 s of sitting after the sit-down: the calibrated engine sees them from the start; uncalibrated,
    # the sit-down itself gives the upright (the lift says it went down), and the sitting is seen too
    assert with_bare["time_s"]["sitting"] >= 140
    assert without.get("auto_reference", "").startswith("sitting down")
    assert without["time_s"]["sitting"] >= 140
    assert without["time_s"]["unknown"] > with_bare["time_s"]["unknown"]  # until that sit-down


def test_a_device_uses_its_stored_calibration_and_says_which(
        recording: Path, calibration: Calibration, isolated_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    CalibrationStore().save("witmotion-wt901ble", "WT901", calibration)
    got, err = summary(capsys, str(recording), "--calibration", "WT901")
    assert got["calibrated"] is True
    assert "WT901: using the calibration stored for profile witmotion-wt901ble" in err
    CalibrationStore().save("microbit-v2", "WT901", calibration)  # now two profiles: which?
    assert main(["replay", str(recording), "--calibration", "WT901"]) == 2
    err = capsys.readouterr().err
    assert "several profiles (microbit-v2, witmotion-wt901ble); give --profile ID" in err
    got, err = summary(capsys, str(recording), "--calibration", "WT901", "--profile", "microbit-v2")
    assert got["calibrated"] is True and "profile microbit-v2" in err


@pytest.mark.parametrize("value, content, needle", [
    ("missing.json", None, "--calibration missing.json: no such file"),
    ("bad.json", "{not json", "--calibration bad.json: not a JSON file"),
    ("list.json", "[1, 2]", "--calibration list.json: not a calibration"),
    ("short.json", json.dumps({"rotation": [[1, 0, 0]], "gyro_bias_dps": [0, 0, 0], "sit_deg": -17}),
     "--calibration short.json: not a valid calibration"),
    ("NOSUCHSENSOR", None, "--calibration NOSUCHSENSOR: no such file, and no calibration stored"),
])
def test_bad_values_are_one_line_exit_2(recording: Path, tmp_path: Path, isolated_home: Path,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                        value: str, content: str | None, needle: str) -> None:
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / value).write_text(content)
    assert main(["replay", str(recording), "--calibration", value]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err
    assert captured.out == ""


def test_the_value_is_parsed_into_the_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").write_text("{}")
    assert parse("none") == parse("NONE") == ReplayCalibration("none")
    assert parse("cal.json") == ReplayCalibration("file", path=Path("cal.json"))
    assert parse("dir/cal") == ReplayCalibration("file", path=Path("dir/cal"))
    assert parse("mine") == ReplayCalibration("file", path=Path("mine"))  # an existing file
    assert parse("WT901BLE68") == ReplayCalibration("device", device="WT901BLE68")


def test_the_default_is_the_header_and_none_overrides_it(calibration: Calibration) -> None:
    header = {"calibration": calibration.to_dict(), "profile": None}
    assert replay_calibration(ReplayCalibration(), header, None, print) == calibration
    assert replay_calibration(ReplayCalibration("none"), header, None, print) is None
    assert replay_calibration(ReplayCalibration(), {"calibration": None}, None, print) is None
