"""Guided calibration: a simulated wearer with a random mounting recovers the sensor-to-pelvis rotation
and the gyro bias; every quality check fires on a crafted case; a failed step is retried without
starting over; stored calibrations round-trip; the command line against a recording and the virtual
sensor; the engine takes the personal slouch threshold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from monitor.calibrate.guided import GuidedCalibration, Status
from monitor.calibrate.protocol import load_presets, load_protocol
from monitor.calibrate.store import CalibrationStore
from monitor.cli.main import main
from monitor.errors import InputError
from monitor.samples import SampleBlock
from monitor.sim.calibration import SCRIPT, calibration_blocks, truth
from monitor.sim.motion import Person
from monitor.sim.wearer import SensorModel

RATE = 50.0
STEADY = SensorModel(drop_every_s=1e12, gap_every_s=1e12, gyro_drift_dps=0.0)


def rotation_error_deg(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip((np.trace(a @ b.T) - 1) / 2, -1, 1))))


def run(blocks: Iterator[SampleBlock], preset: str | None = None, retry: bool = False,
        skip_optional: bool = False) -> tuple[GuidedCalibration, Status]:
    g = GuidedCalibration(load_protocol(), RATE, load_presets()[preset] if preset else None)
    status = g.status()
    for b in blocks:
        status = g.update(b)
        if status.state == "failed":
            if skip_optional and g.skip():
                continue
            if not retry:
                break
            retry = False
            g.retry()
        if g.finished:
            break
    return g, status


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("drift_dps", [0.0, 0.03])
def test_a_random_mounting_is_recovered(seed: int, drift_dps: float) -> None:
    sensor = SensorModel(drop_every_s=1e12, gap_every_s=1e12, gyro_drift_dps=drift_dps)
    g, _ = run(calibration_blocks(seed, RATE, sensor=sensor))
    assert g.finished and g.done_steps == ["stand:done", "sit:done", "slump:done", "bends:done"]
    cal, source = g.result()
    r_true, bias_true = truth(seed, RATE)
    assert source == "forward bends"
    assert rotation_error_deg(cal.r, r_true) <= 2.0
    assert np.abs(np.array(cal.gyro_bias_dps) - bias_true).max() <= 0.05
    assert cal.sit_deg == pytest.approx(-17.0, abs=1.0) and cal.slump_deg == pytest.approx(-29.0, abs=1.0)
    assert cal.slouch_threshold_deg == pytest.approx(6.0, abs=0.5)


def test_without_bends_the_sit_pose_gives_the_axis() -> None:
    g, _ = run(calibration_blocks(3, RATE, sensor=STEADY, script=(*SCRIPT[:7], ("stand", 60.0, 0.0))),
               skip_optional=True)
    assert g.finished and g.done_steps[-1] == "bends:skipped"
    cal, source = g.result()
    assert source == "standing to sitting"
    assert rotation_error_deg(cal.r, truth(3, RATE)[0]) <= 2.0


@settings(max_examples=5, deadline=None)
@given(st.integers(1, 400))
def test_any_chunking_gives_the_same_calibration(chunk: int) -> None:
    whole = np.concatenate([b.acc_g for b in calibration_blocks(1, RATE, sensor=STEADY)])
    gyro = np.concatenate([b.gyro_dps for b in calibration_blocks(1, RATE, sensor=STEADY)])  # type: ignore[misc]
    t = np.arange(len(whole)) / RATE
    pieces = (SampleBlock(t[i:i + chunk], whole[i:i + chunk], gyro[i:i + chunk], RATE)
              for i in range(0, len(t), chunk))
    a, _ = run(pieces)
    b, _ = run(calibration_blocks(1, RATE, sensor=STEADY, chunk_s=10.0))
    assert a.result()[0] == b.result()[0]


def shaky(blocks: Iterator[SampleBlock], until_s: float, gyro_sd: float = 6.0) -> Iterator[SampleBlock]:
    """The wearer fidgets (rate noise) until `until_s`."""
    rng = np.random.default_rng(0)
    for b in blocks:
        g = b.gyro_dps.copy()  # type: ignore[union-attr]
        m = b.t_s < until_s
        g[m] += rng.normal(0, gyro_sd, (int(m.sum()), 3))
        yield SampleBlock(b.t_s, b.acc_g, g, b.rate_hz)


def long_stand(first_s: float) -> tuple[tuple[str, float, str | float], ...]:
    return (("stand", first_s, 0.0), *SCRIPT[1:])


def test_moving_during_a_still_step_fails_it_with_a_reason() -> None:
    _, status = run(shaky(calibration_blocks(0, RATE, sensor=STEADY, script=long_stand(40.0)), 35.0))
    assert status.state == "failed" and status.step.id == "stand"
    assert "timed out after 30 s" in (status.message or "") and "you moved" in (status.message or "")


def test_a_failed_step_can_be_retried_without_starting_over() -> None:
    g, _ = run(shaky(calibration_blocks(0, RATE, sensor=STEADY, script=long_stand(45.0)), 32.0), retry=True)
    assert g.finished and g.done_steps[0] == "stand:done"


SIT_ONLY = (*SCRIPT[:2], ("sit", 45.0, "sit"))  # the wearer sits, and stays sitting


def test_standing_and_sitting_too_similar() -> None:
    _, status = run(calibration_blocks(0, RATE, person=Person(sit_deg=-2.0), sensor=STEADY, script=SIT_ONLY))
    assert status.state == "failed" and status.step.id == "sit"
    assert "standing and sitting look the same" in (status.message or "")


def test_shallow_bends_time_out_and_the_optional_step_can_be_skipped() -> None:
    shallow = (*tuple((p, d, 10.0 if p == "bend" else v) for p, d, v in SCRIPT), ("stand", 50.0, 0.0))
    _, status = run(calibration_blocks(0, RATE, sensor=STEADY, script=shallow))
    assert status.state == "failed" and status.step.id == "bends"
    assert "saw 0 of 2 forward bends" in (status.message or "")
    g, _ = run(calibration_blocks(0, RATE, sensor=STEADY, script=shallow), skip_optional=True)
    assert g.finished and g.done_steps[-1] == "bends:skipped"


def mounted(up_axis: list[float]) -> Rotation:
    """A mounting whose sensor axis `up_axis` points up when standing (R rows: AP, ML, up)."""
    up = np.array(up_axis, float)
    ml = np.cross(up, [1.0, 0.0, 0.0]) if abs(up[0]) < 0.9 else np.cross(up, [0.0, 0.0, 1.0])
    ml /= np.linalg.norm(ml)
    return Rotation.from_matrix(np.stack([np.cross(ml, up), ml, up]))


@pytest.mark.parametrize("up, words", [([0.0, -1.0, 0.0], "upside down"), ([1.0, 0.0, 0.0], "look swapped")])
def test_orientation_against_the_mounting_preset(up: list[float], words: str) -> None:
    g, _ = run(calibration_blocks(0, RATE, mounting=mounted(up), sensor=STEADY), preset="back-centre")
    assert g.finished and len(g.warnings) == 1 and words in g.warnings[0]
    clean, _ = run(calibration_blocks(0, RATE, mounting=mounted([0.0, 1.0, 0.0]), sensor=STEADY),
                   preset="back-centre")
    assert clean.finished and clean.warnings == []


def test_wrong_accelerometer_scale_is_named() -> None:
    doubled = (SampleBlock(b.t_s, 2.0 * b.acc_g, b.gyro_dps, b.rate_hz)
               for b in calibration_blocks(0, RATE, sensor=STEADY))
    _, status = run(doubled)
    assert status.state == "failed" and "reads 2.00 g" in (status.message or "")


def test_stored_calibration_round_trips_and_rejects_other_versions(isolated_home: Path) -> None:
    g, _ = run(calibration_blocks(2, RATE, sensor=STEADY))
    cal, source = g.result()
    store = CalibrationStore()
    path = store.save("witmotion-wt901ble", "C0:98:E5:00:01:01", cal, "back-centre", source, ["w"])
    back = CalibrationStore().load("witmotion-wt901ble", "C0:98:E5:00:01:01")
    assert back is not None and back.calibration_obj() == cal and back.preset == "back-centre"
    assert back.created.endswith("Z") and back.version == 1
    raw = json.loads(path.read_text())
    path.write_text(json.dumps({**raw, "version": 99}))
    with pytest.raises(InputError, match="version = 99"):
        store.load("witmotion-wt901ble", "C0:98:E5:00:01:01")


def test_calibrate_from_a_recording_then_show_list_delete(isolated_home: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.sessions.writer import RecordingWriter, base_header

    rec = tmp_path / "cal.pmrec"
    with RecordingWriter(rec, base_header(sample_rate_hz=RATE, address="AA:BB")) as w:
        for b in calibration_blocks(4, RATE, sensor=STEADY):
            w.write_samples(b)
    assert main(["calibrate", "--from", str(rec), "--preset", "back-centre", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ml_axis_from"] == "forward bends" and out["saved"] and out["slouch_threshold_deg"] == 6.0
    assert main(["calibration", "list"]) == 0 and "AA:BB" in capsys.readouterr().out
    assert main(["calibration", "show", "AA:BB"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["device"] == "AA:BB"
    assert main(["calibration", "delete", "AA:BB"]) == 0
    assert main(["calibration", "show", "AA:BB"]) == 2  # one line, no traceback
    assert "no stored calibration" in capsys.readouterr().err


def test_calibrate_the_virtual_sensor_then_run_uses_it(isolated_home: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", "--virtual", "witmotion-wt901ble", "--speed", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["device"] == "WT-virtual" and out["steps"][-1] == "bends:done"
    assert main(["run", "--virtual", "witmotion-wt901ble", "--speed", "20", "--for", "30", "--headless"]) == 0
    assert "using the calibration of" in capsys.readouterr().err


def test_a_failed_calibration_exits_4_with_the_reason(isolated_home: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.sessions.writer import RecordingWriter, base_header

    rec = tmp_path / "similar.pmrec"
    with RecordingWriter(rec, base_header(sample_rate_hz=RATE)) as w:
        for b in calibration_blocks(0, RATE, person=Person(sit_deg=-2.0), sensor=STEADY, script=SIT_ONLY):
            w.write_samples(b)
    assert main(["calibrate", "--from", str(rec), "--retries", "0"]) == 4
    err = capsys.readouterr().err
    assert "calibration step 'sit'" in err and "Traceback" not in err


def test_the_engine_takes_the_personal_slouch_threshold_unless_set(isolated_home: Path) -> None:
    from monitor.config import load
    from monitor.engine.factory import engine_from_config

    g, _ = run(calibration_blocks(2, RATE, sensor=STEADY))
    cal, _ = g.result()
    assert engine_from_config(load(), RATE, cal).s.slouch_threshold_deg == pytest.approx(6.0, abs=0.5)
    user = load(flags={"engine.slouch_threshold_deg": 10.0})
    assert engine_from_config(user, RATE, cal).s.slouch_threshold_deg == 10.0
