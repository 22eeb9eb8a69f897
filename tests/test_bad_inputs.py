"""Issue 19's bad inputs, each run as a user would: one line on stderr naming the flag, file, field or
value, exit code 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.sessions.format import (
    COUNT_HEAD,
    FORMAT_VERSION,
    MAGIC,
    PREAMBLE,
    RecordType,
    pack_arrays,
    record_bytes,
)

FLAG_CASES = [
    (["demo", "--seed", "-1"], "--seed: -1"),
    (["demo", "--seed", "99999999999999999999999"], "--seed"),
    (["demo", "--rate", "nan"], "'nan' is not a finite number"),
    (["demo", "--rate", "1e9"], "--rate: 1e9 Hz"),
    (["demo", "--for", "nan"], "--for: 'nan'"),
    (["demo", "--for", "-5"], "--for: -5"),
    (["demo", "--speed", "inf"], "--speed"),
    (["simulate", "--rate", "1e12", "--out", "x.pmrec"], "--rate: 1e12 Hz"),
    (["simulate", "--hours", "nan", "--out", "x.pmrec"], "--hours: 'nan'"),
    (["simulate", "--hours", "inf", "--out", "x.pmrec"], "--hours: 'inf'"),
    (["demo", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
    (["no-such-command"], "invalid choice: 'no-such-command'"),
    (["run", "--virtual", "witmotion-wt901ble", "--rate", "abc"], "--rate: 'abc' is not a number"),
]


def one_line_error(err: str, expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0] and "Traceback" not in err, err


@pytest.mark.parametrize("argv, expected", FLAG_CASES)
def test_bad_flags_are_one_line_and_exit_2(argv: list[str], expected: str, isolated_home: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    one_line_error(capsys.readouterr().err, expected)


@pytest.mark.parametrize("out, expected", [
    ("/proc/forbidden", "--out /proc/forbidden"),
    ("{tmp}/nodir/x.pmrec", "is not a directory"),
    ("{tmp}/file.txt/sub.pmrec", "is not a directory"),
])
def test_simulate_out_that_cannot_be_written(out: str, expected: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    assert main(["simulate", "--hours", "0.01", "--out", out.format(tmp=tmp_path)]) == 2
    one_line_error(capsys.readouterr().err, expected)


def test_a_simulation_that_would_fill_the_disk_is_refused(tmp_path: Path, isolated_home: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "huge.pmrec"
    assert main(["simulate", "--hours", "744", "--rate", "2000", "--out", str(out)]) == 2
    one_line_error(capsys.readouterr().err, "GB free there")
    assert not out.exists()


def test_the_installed_command_also_exits_2_in_one_line(isolated_home: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "monitor", "demo", "--rate", "nan"], capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 2
    one_line_error(r.stderr, "--rate")


# --- recordings: headers and records (issue 19 part 2) -------------------------------------------

THINGY = "nordic-thingy52"
GOOD_HEADER = {"format_version": 1, "epoch_utc_s": 1.7e9, "sample_rate_hz": 50.0, "kind": "frames"}


def thingy_frames(n: int = 300) -> tuple[str, list[bytes]]:
    """`n` valid Thingy:52 notifications of a sensor lying still (one sample each)."""
    from monitor.decode.layout import encode_frames
    from monitor.profiles import Registry

    spec = Registry.load().get(THINGY).streams[0]
    values = {f.name: np.zeros(n) for f in spec.fields} | {"acc_z": np.ones(n)}
    return spec.characteristic, list(encode_frames(spec, values, 1))


def frames_recording(path: Path, header: bytes | dict[str, Any], declare: bool = True,
                     meta: bytes | None = None) -> Path:
    """A raw-frame recording written record by record: `header` as given (bytes: the payload itself),
    the characteristic declared (index 0) or not, an optional extra META payload."""
    char, frames = thingy_frames()
    payload = header if isinstance(header, bytes) else json.dumps(header).encode()
    raw = PREAMBLE.pack(MAGIC, FORMAT_VERSION, 0) + record_bytes(RecordType.HEADER, payload)
    if declare:
        declared = {"kind": "characteristic", "index": 0, "uuid": char}
        raw += record_bytes(RecordType.META, json.dumps(declared).encode())
    if meta is not None:
        raw += record_bytes(RecordType.META, meta)
    n = len(frames)
    body = pack_arrays(COUNT_HEAD.pack(n), np.arange(n) / 50.0, np.zeros(n, np.uint8),
                       np.array([len(f) for f in frames], np.uint16), np.frombuffer(b"".join(frames), np.uint8))
    path.write_bytes(raw + record_bytes(RecordType.FRAMES, body))
    return path


def with_header(**fields: Any) -> dict[str, Any]:
    return {**GOOD_HEADER, "profile": THINGY, **fields}


HEADER_CASES = [
    (b'{"format_version": 1, "sample_rate_hz": ', "header is not valid JSON"),
    (b"[1, 2, 3]", "header is a JSON array, not an object"),
    (b'{"format_version": 1, "address": "caf\xe9"}', "header is not UTF-8"),
    (b'{"format_version": 1, "sample_rate_hz": NaN}', "sample_rate_hz = NaN: must be a finite number"),
    (b'{"format_version": 1, "sample_rate_hz": Infinity}', "sample_rate_hz = Infinity"),
    (with_header(sample_rate_hz="fast"), 'sample_rate_hz = "fast": expected a number'),
    (with_header(sample_rate_hz=0), "sample_rate_hz = 0: must be above 0"),
    (with_header(sample_rate_hz=-50), "sample_rate_hz = -50"),
    (with_header(sample_rate_hz=1e9), "sample_rate_hz = 1000000000.0: must be above 0 and at most 2000 Hz"),
    (with_header(sample_rate_hz=True), "sample_rate_hz = true"),
    ({"epoch_utc_s": 1.7e9, "profile": THINGY}, "header field format_version missing"),
    (with_header(format_version=99), "format_version = 99"),
    (with_header(epoch_utc_s="yesterday"), 'epoch_utc_s = "yesterday"'),
    (with_header(epoch_utc_s=1e300), "epoch_utc_s = 1e+300"),
    (with_header(start_time="noon"), 'start_time = "noon"'),
    (with_header(profile=42), "profile = 42"),
    (with_header(profile={"version": 1}), 'profile = {"version": 1}'),
    (with_header(profile=""), "profile"),
    (with_header(calibration={"rotation": [[1, 0]]}), "calibration"),
    (with_header(calibration="upright"), 'calibration = "upright": expected a table'),
    (with_header(speed=-1), "speed = -1"),
    (with_header(kind="video"), 'kind = "video": must be one of frames, samples'),
    (with_header(clock=[1, 2]), "clock = [1, 2]"),
]


@pytest.mark.parametrize("command", ["info", "replay", "label"])
@pytest.mark.parametrize("header, expected", HEADER_CASES)
def test_a_bad_recording_header_is_one_line_naming_file_field_and_value(
        header: bytes | dict[str, Any], expected: str, command: str, tmp_path: Path,
        isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = frames_recording(tmp_path / "bad.pmrec", header)
    argv = [command, str(path)] + (["--list"] if command == "label" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    one_line_error(err, expected)
    assert str(path) in err


def test_undeclared_characteristic_info_warns_and_replay_refuses(tmp_path: Path, isolated_home: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = frames_recording(tmp_path / "undeclared.pmrec", with_header(), declare=False)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "300 frames on characteristic index 0, which no META record declares" in out
    assert main(["replay", str(path)]) == 2
    one_line_error(capsys.readouterr().err, f"profile {THINGY} decoded none of 300 frames (dropped: 300 on a "
                                            "characteristic the profile does not read)")


@pytest.mark.parametrize("profile", [THINGY, {"id": THINGY, "version": 1}, {"id": THINGY}])
def test_a_header_profile_as_id_or_as_documented_object_replays(
        profile: object, tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = frames_recording(tmp_path / "p.pmrec", with_header(profile=profile))
    assert main(["replay", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["frames"]["frames_ok"] == 300


def test_a_replay_with_a_profile_that_fits_no_frame_is_one_line_exit_2(
        tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = frames_recording(tmp_path / "r.pmrec", with_header())
    assert main(["replay", str(path), "--profile", "polar-h10-acc"]) == 2
    err = capsys.readouterr().err
    one_line_error(err, "replay ")
    assert "profile polar-h10-acc decoded none of" in err and f"the recording names {THINGY}" in err


@pytest.mark.parametrize("meta, expected", [
    (b"[1]", "malformed record of type 6 (not a JSON object)"),
    (b'{"kind": "characteristic", "index": "zero", "uuid": "x"}', "needs an index 0-255 and a uuid"),
    (b'{"kind": "characteristic", "index": 300, "uuid": "x"}', "needs an index 0-255 and a uuid"),
])
def test_a_malformed_meta_record_is_reported_as_damage_and_the_rest_kept(
        meta: bytes, expected: str, tmp_path: Path, isolated_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = frames_recording(tmp_path / "m.pmrec", with_header(), meta=meta)
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    [span] = info["damage"]
    assert expected in span["reason"] and info["frames"] == 300
    assert main(["replay", str(path), "--json"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "damaged at byte" in err[0] and "every intact record is used" in err[0]


# --- settings and device profiles: the schema layer (issue 19 part 2) ------------------------------

MICROBIT = Path(__file__).resolve().parent.parent / "device_profiles" / "microbit-accelerometer.toml"


def microbit_edited(tmp_path: Path, old: str, new: str, name: str = "p.toml") -> Path:
    text = MICROBIT.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


CONFIG_CASES = [
    (["profiles", "list", "--config", "{tmp}/nosuch.toml"], "--config = '{tmp}/nosuch.toml': no such config file"),
    (["config", "show", "--config", "{tmp}"], "is a directory, not a config file"),
    (["profiles", "list", "--profiles-dir", "{tmp}/nosuchdir"],
     "--profiles-dir: paths.profiles_dir = '{tmp}/nosuchdir': no such directory"),
    (["profiles", "list", "--config", "{tmp}/c.toml"], "c.toml: paths.profiles_dir = '{tmp}/nodir': no such"),
    (["demo", "--for", "5", "--config", "{tmp}/nan.toml"], "engine.sitting_limit_min = nan: must be a finite"),
    (["demo", "--for", "5", "--config", "{tmp}/slouch.toml"], "engine.slouch_threshold_deg = nan: must be"),
    (["demo", "--for", "5", "--slouch-threshold-deg", "nan"], "--slouch-threshold-deg: engine.slouch_thres"),
    (["demo", "--for", "5", "--sitting-limit-min", "inf"], "engine.sitting_limit_min = inf: must be a finite"),
    (["demo", "--for", "5", "--work-start-h", "18"], "coach.work_start_h = 18.0: working hours from 18 h to"),
    (["demo", "--for", "5", "--config", "{tmp}/tick.toml"], "engine.tick_hz = 0: must be between 1 and 100 Hz"),
]


@pytest.mark.parametrize("argv, expected", CONFIG_CASES)
def test_bad_settings_are_one_line_and_exit_2(argv: list[str], expected: str, tmp_path: Path,
                                              isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.toml").write_text(f'[paths]\nprofiles_dir = "{tmp_path}/nodir"\n')
    (tmp_path / "nan.toml").write_text("[engine]\nsitting_limit_min = nan\n")
    (tmp_path / "slouch.toml").write_text("[engine]\nslouch_threshold_deg = nan\n")
    (tmp_path / "tick.toml").write_text("[engine]\ntick_hz = 0\n")
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    one_line_error(capsys.readouterr().err, expected.format(tmp=tmp_path))


PROFILE_CASES = [
    ("scale = 0.001 }", "scale = 0 }", "streams[0].fields[0].scale = 0: must not be 0"),
    ("scale = 0.001 }", "scale = nan }", "streams[0].fields[0].scale = nan: must be a finite number"),
    ("frame_bytes = 6\n", 'frame_bytes = 6\nmatch = [{ at = 6, hex = "01" }]\n',
     "streams[0].match[0].at = 6: 1 byte(s) there run past the 6-byte frame"),
    ("offset = 4, ", "offset = 5, ", "streams[0].fields[2].offset = 5: a i16 there does not fit"),
]


@pytest.mark.parametrize("old, new, expected", PROFILE_CASES)
def test_bad_profiles_fail_check_and_loading_in_one_line(old: str, new: str, expected: str, tmp_path: Path,
                                                          isolated_home: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    path = microbit_edited(mine, old, new)
    assert main(["profiles", "check", str(path)]) == 2
    one_line_error(capsys.readouterr().err, f"{path}: {expected}")
    assert main(["profiles", "list", "--profiles-dir", str(mine)]) == 2
    one_line_error(capsys.readouterr().err, f"{path}: {expected}")


def test_a_profile_replacing_a_shipped_one_is_a_notice_each_time(tmp_path: Path, isolated_home: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = microbit_edited(tmp_path, 'name = "BBC micro:bit accelerometer service"', 'name = "My micro:bit"')
    for _ in range(2):
        assert main(["profiles", "show", "microbit-accelerometer", "--profiles-dir", str(tmp_path)]) == 0
        out, err = capsys.readouterr()
        assert "My micro:bit" in out
        assert err.strip() == (f"posture-monitor: notice: device profile 'microbit-accelerometer' from {path} "
                               f"replaces the one in {MICROBIT}")


def test_overnight_working_hours_are_accepted(tmp_path: Path, isolated_home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "night.toml"
    cfg.write_text("[coach]\nwork_start_h = 19\nwork_end_h = 8\n")
    assert main(["config", "show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "coach.work_start_h" in out and f"19           # from {cfg}" in out
