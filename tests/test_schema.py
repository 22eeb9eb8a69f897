"""The schema layer (monitor/schema.py) and every source on it: config file and flags, device profiles,
stretches, the calibration protocol and mounting presets. Each kind of bad value is refused with the
file (or flag), the key and the value named."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from monitor import config
from monitor.calibrate.protocol import load_presets, load_protocol
from monitor.cli.main import main
from monitor.coach.settings import CoachSettings
from monitor.coach.stretches import load_catalogue
from monitor.engine.settings import EngineSettings
from monitor.errors import ConfigError, FieldError, InputError
from monitor.paths import shipped
from monitor.profiles import Registry, load_profile
from monitor.run.build import coach_settings
from monitor.schema import Spec, check, in_file, spec_of, table_of

KEY = "a.b"


def refused(value: object, spec: Spec) -> str:
    """The message of the error `check` raises for this value."""
    with pytest.raises(FieldError) as e:
        check(value, spec, KEY, in_file("f.toml"))
    assert e.value.key.startswith(KEY) and str(e.value).startswith(f"f.toml: {e.value.key}")
    return str(e.value)


@pytest.mark.parametrize("value, spec, says", [
    (float("nan"), Spec("num", lo=0, hi=10), "nan: must be a finite number"),
    (float("inf"), Spec("num"), "inf: must be a finite number"),
    (-float("inf"), Spec("int"), "expected a whole number"),
    (11, Spec("num", unit="s", lo=0, hi=10), "11: must be between 0 and 10 s"),
    (-1, Spec("num", unit="s", lo=0, hi=10), "-1: must be between 0 and 10 s"),
    (0, Spec("num", unit="Hz", lo=0, lo_open=True), "0: must be above 0 Hz"),
    (0.5, Spec("num", lo=1), "0.5: must be at least 1"),
    (0.0, Spec("num", nonzero=True), "0.0: must not be 0"),
    (True, Spec("num"), "True: expected a number"),
    ("3", Spec("num"), "'3': expected a number"),
    (2.5, Spec("int"), "2.5: expected a whole number"),
    (1, Spec("bool"), "1: expected true or false"),
    (3, Spec("str"), "3: expected a string"),
    ("loud", Spec("str", choices=("on", "off")), "'loud': must be one of on, off"),
    ("ZZ", Spec("str", "hex bytes", pattern=r"^([0-9a-f]{2})+$"), "'ZZ': has the wrong format (hex bytes)"),
    ([1, 2], Spec("list", items=Spec("num"), min_items=3, max_items=3), "wrong number of items (needs 3)"),
    ({"c": 1}, Spec("table", keys={"d": Spec("num")}), "a.b.c = 1: unknown key (known: d)"),
    ({}, Spec("table", keys={"d": Spec("num", required=True)}), "a.b.d: missing"),
    ([1, float("nan")], Spec("list", items=Spec("num")), "a.b[1] = nan: must be a finite number"),
    ({"x": "1"}, Spec("table", values=Spec("num")), "a.b.x = '1': expected a number"),
    (7, Spec("path"), "7: expected a path string"),
])
def test_each_kind_of_bad_value_is_named_with_its_key_and_value(value: object, spec: Spec, says: str) -> None:
    assert says in refused(value, spec)


def test_good_values_come_back_in_their_type(tmp_path: Path) -> None:
    assert check(3, Spec("num", lo=0, hi=10), KEY, in_file("f")) == 3.0
    assert isinstance(check(3, Spec("num"), KEY, in_file("f")), float)
    assert check(str(tmp_path), Spec("path", exists="dir"), KEY, in_file("f")) == tmp_path
    assert "no such directory" in refused(str(tmp_path / "none"), Spec("path", exists="dir"))
    (tmp_path / "file").write_text("x")
    assert "is not a directory" in refused(str(tmp_path / "file"), Spec("path", exists="dir"))


@pytest.mark.parametrize("cls", [EngineSettings, CoachSettings])
def test_every_settings_field_has_a_spec_its_default_passes(cls: type) -> None:
    table = table_of(cls)
    defaults = {f.name: list(v) if isinstance(v := getattr(cls(), f.name), tuple) else v
                for f in dataclasses.fields(cls)}
    assert check(defaults, table, "", in_file("defaults")) == defaults
    assert all(spec_of(cls, name).help for name in defaults)


def test_config_keys_are_made_from_the_settings_fields() -> None:
    """The minutes keys of the coach's seconds fields: default and bounds are the field's, over 60."""
    limit, field = config.BY_KEY["engine.sitting_limit_min"], spec_of(CoachSettings, "sitting_limit_s")
    assert (limit.default, limit.lo, limit.hi) == (CoachSettings().sitting_limit_s / 60, field.lo / 60,
                                                   field.hi / 60)
    assert config.BY_KEY["engine.slouch_threshold_deg"].hi == spec_of(EngineSettings, "slouch_threshold_deg").hi
    assert config.setting("engine.still_g").lo == 0 and config.setting("engine.still_g").lo_open


def test_the_coach_gets_the_config_in_its_units(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("[engine]\nsitting_limit_min = 45\n[coach]\nbreak_min = 3\nmax_snoozes_per_day = 1\n"
                 "work_start_h = 19\nwork_end_h = 8\n")
    s = coach_settings(config.load(f))
    assert (s.sitting_limit_s, s.break_s, s.max_snoozes_per_day) == (2700.0, 180.0, 1)
    assert (s.work_start_h, s.work_end_h) == (19.0, 8.0)  # a night shift: monitor/timebase.py


@pytest.mark.parametrize("text, key, says", [
    ("[engine]\nsitting_limit_min = nan\n", "engine.sitting_limit_min", "nan: must be a finite number"),
    ("[engine]\nslouch_threshold_deg = nan\n", "engine.slouch_threshold_deg", "must be a finite number"),
    ("[engine]\nslouch_threshold_deg = 31\n", "engine.slouch_threshold_deg", "between 2 and 30 deg"),
    ("[engine]\ntick_hz = 0\n", "engine.tick_hz", "0: must be between 1 and 100 Hz"),
    ("[engine]\nstill_g = 0\n", "engine.still_g", "must be above 0 and at most 1 g"),
    ("[engine]\nwalk_s = -inf\n", "engine.walk_s", "must be a finite number"),
    ("[coach]\nmax_snoozes_per_day = 2.5\n", "coach.max_snoozes_per_day", "expected a whole number"),
    ("[coach]\nwork_end_h = 25\n", "coach.work_end_h", "between 0 and 24 h"),
    ("[coach]\nwork_start_h = 9\nwork_end_h = 9\n", "coach.work_end_h", "are empty"),
    ("[mqtt]\nprotocol = \"4\"\n", "mqtt.protocol", "must be one of 5, 3.1.1"),
    ("[paths]\nprofiles_dir = \"{tmp}/nosuchdir\"\n", "paths.profiles_dir", "no such directory"),
])
def test_config_file_values_name_file_key_and_value(tmp_path: Path, text: str, key: str, says: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text.format(tmp=tmp_path))
    with pytest.raises(ConfigError) as e:
        config.load(f)
    assert e.value.key == key and str(f) in str(e.value) and says in str(e.value)


def test_flags_go_through_the_same_checks(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"--slouch-threshold-deg: engine.slouch_threshold_deg = nan"):
        config.load(tmp_path / "none.toml", {"engine.slouch_threshold_deg": float("nan")})
    with pytest.raises(ConfigError, match=r"--profiles-dir: paths.profiles_dir = 'nosuchdir': no such"):
        config.load(tmp_path / "none.toml", {"paths.profiles_dir": Path("nosuchdir")})
    with pytest.raises(ConfigError, match=r"coach.work_start_h = 18.0: working hours from 18 h to 18 h"):
        config.load(tmp_path / "none.toml", {"coach.work_start_h": 18.0})


def test_a_config_file_given_must_exist_the_default_need_not(tmp_path: Path) -> None:
    assert config.load(tmp_path / "none.toml").sources["engine.sitting_limit_min"] == "default"
    with pytest.raises(ConfigError, match=r"none.toml'?: no such config file"):
        config.load(tmp_path / "none.toml", required=True)
    with pytest.raises(ConfigError, match="is a directory"):
        config.load(tmp_path, required=True)


def microbit_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (shipped("device_profiles") / "microbit-accelerometer.toml").read_text()
    assert old in text
    path = tmp_path / "p.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("old, new, key, says", [
    ("scale = 0.001 }", "scale = 0 }", "streams[0].fields[0].scale", "must not be 0"),
    ("scale = 0.001 }", "scale = nan }", "streams[0].fields[0].scale", "must be a finite number"),
    ("scale = 0.001 }", "scale = inf }", "streams[0].fields[0].scale", "must be a finite number"),
    ("frame_bytes = 6\n", "frame_bytes = 6\nmatch = [{ at = 5, hex = \"0102\" }]\n", "streams[0].match[0].at",
     "2 byte(s) there run past the 6-byte frame"),
    ("offset = 4, ", "offset = 6, ", "streams[0].fields[2].offset", "does not fit in a 6-byte sample"),
    ("default_hz = 50", "default_hz = nan", "rate.default_hz", "must be a finite number"),
    ("acc_g = 16", "acc_g = 0", "limits.acc_g", "must be between 0.5 and 1000 g"),
])
def test_profile_values_name_file_key_and_value(tmp_path: Path, old: str, new: str, key: str,
                                                says: str) -> None:
    path = microbit_with(tmp_path, old, new)
    with pytest.raises(FieldError) as e:
        load_profile(path)
    assert e.value.key == key and str(path) in str(e.value) and says in str(e.value)


def test_a_match_beyond_the_shortest_variable_frame_is_refused(tmp_path: Path) -> None:
    """Without frame_bytes the shortest frame is the header and one sample (Movesense: 6 + 24)."""
    text = (shipped("device_profiles") / "movesense-imu6.toml").read_text()
    path = tmp_path / "m.toml"
    path.write_text(text.replace('match = [{ at = 0, hex = "0263" }]', 'match = [{ at = 29, hex = "0263" }]'))
    with pytest.raises(FieldError, match=r"match\[0\].at = 29: 2 byte\(s\) there run past the 30-byte frame"):
        load_profile(path)


def test_a_profile_replacing_a_shipped_one_says_so_every_time(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    microbit_with(tmp_path, 'name = "BBC micro:bit accelerometer service"', 'name = "Mine"').rename(
        mine / "mb.toml")
    for _ in range(2):
        said: list[str] = []
        registry = Registry.load(mine, said.append)
        assert registry.get("microbit-accelerometer").name == "Mine"
        assert len(said) == 1 and "'microbit-accelerometer'" in said[0] and str(mine / "mb.toml") in said[0]
    with pytest.raises(InputError, match="no such directory"):
        Registry.load(tmp_path / "none")


STRETCH = '[[stretch]]\nid = "a"\nname = "A"\nposition = "standing"\nsteps = ["x"]\n'


@pytest.mark.parametrize("extra, key, says", [
    ("hold_s = nan\n", "stretch[0].hold_s", "must be a finite number"),
    ("hold_s = 0\n", "stretch[0].hold_s", "must be above 0 and at most 600 s"),
    ("reps = 0\n", "stretch[0].reps", "must be between 1 and 20"),
    ("reps = 2.5\n", "stretch[0].reps", "expected a whole number"),
    ("sides = [\"up\"]\n", "stretch[0].sides[0]", "must be one of left, right"),
    ("colour = \"red\"\n", "stretch[0].colour", "unknown key"),
])
def test_stretch_values_name_file_key_and_value(tmp_path: Path, extra: str, key: str, says: str) -> None:
    user = tmp_path / "stretches.toml"
    user.write_text(STRETCH + extra)
    with pytest.raises(FieldError) as e:
        load_catalogue(user)
    assert e.value.key == key and str(user) in str(e.value) and says in str(e.value)


def protocol_with(tmp_path: Path, old: str, new: str, name: str = "protocol.toml") -> Path:
    text = (shipped("calibration") / name).read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("old, new, key, says", [
    ("tile_s = 0.5", "tile_s = nan", "checks.tile_s", "must be a finite number"),
    ("tile_s = 0.5", "tile_s = 0", "checks.tile_s", "must be above 0"),
    ("tile_s = 0.5", "tile_z = 0.5", "checks.tile_z", "unknown key"),
    ("gravity_g = [0.85, 1.15]", "gravity_g = [1.15, 0.85]", "checks.gravity_g", "low end must be below"),
    ("gravity_g = [0.85, 1.15]", "gravity_g = [0.85]", "checks.gravity_g", "wrong number of items"),
    ("timeout_s = 30.0", "timeout_s = inf", "step[0].timeout_s", "must be a finite number"),
    ('kind = "still"', 'kind = "dance"', "step[0].kind", "must be one of still, bends"),
    ('say = "Stand up straight', 'sai = "Stand up straight', "step[0].sai", "unknown key"),
])
def test_protocol_values_name_file_key_and_value(tmp_path: Path, old: str, new: str, key: str,
                                                 says: str) -> None:
    path = protocol_with(tmp_path, old, new)
    with pytest.raises(FieldError) as e:
        load_protocol(path)
    assert e.value.key == key and str(path) in str(e.value) and says in str(e.value)


def test_a_step_without_a_required_key_names_it(tmp_path: Path) -> None:
    with pytest.raises(FieldError, match=r"step\[0\].timeout_s: missing"):
        load_protocol(protocol_with(tmp_path, "timeout_s = 30.0\n", ""))


@pytest.mark.parametrize("new, says", [
    ("up = [0.0, nan, 0.0]", "preset[0].up[1] = nan: must be a finite number"),
    ("up = [0.0, 2.0, 0.0]", "preset[0].up[1] = 2.0: must be between -1 and 1"),
    ("up = [0.0, 1.0]", "preset[0].up = [0.0, 1.0]: has the wrong number of items"),
])
def test_preset_values_name_file_key_and_value(tmp_path: Path, new: str, says: str) -> None:
    path = protocol_with(tmp_path, "up = [0.0, 1.0, 0.0]", new, "mounting.toml")
    with pytest.raises(FieldError, match=says.replace("[", r"\[").replace("]", r"\]")):
        load_presets(path)


def test_config_keys_lists_every_setting_from_the_schema(isolated_home: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "keys", "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert {f"engine.{f.name}" for f in dataclasses.fields(EngineSettings)} <= set(rows)
    assert set(config.BY_KEY) <= set(rows)
    limit = rows["engine.sitting_limit_min"]
    assert (limit["unit"], limit["range"], limit["default"], limit["flag"]) == (
        "min", "between 1 and 480 min", 30, "--sitting-limit-min")
    assert main(["config", "keys"]) == 0
    assert "engine.tilt_evidence_deg = 12  (number; between 0 and 90 deg)" in capsys.readouterr().out
