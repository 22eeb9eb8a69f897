"""Configuration: defaults < file < flags, provenance, and errors that name the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor import config
from monitor.cli.main import build_parser, main
from monitor.errors import ConfigError, InputError


def test_layers_and_sources(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("[engine]\nsitting_limit_min = 45\nslouch_threshold_deg = 10\n")
    cfg = config.load(f, {"engine.slouch_threshold_deg": 6.0})
    assert cfg["engine.sitting_limit_min"] == 45.0 and cfg.sources["engine.sitting_limit_min"] == str(f)
    assert cfg["engine.slouch_threshold_deg"] == 6.0
    assert cfg.sources["engine.slouch_threshold_deg"] == "--slouch-threshold-deg"
    assert cfg["coach.break_min"] == 2.0 and cfg.sources["coach.break_min"] == "default"


@pytest.mark.parametrize("text, key", [
    ("[engine]\nsitting_limt_min = 45\n", "engine.sitting_limt_min"),
    ("[engine]\nsitting_limit_min = 'long'\n", "engine.sitting_limit_min"),
    ("[engine]\nsitting_limit_min = 0\n", "engine.sitting_limit_min"),
    ("[output]\njson = 1\n", "output.json"),
    ("[engine]\nslouch_threshold_deg = nan\n", "engine.slouch_threshold_deg"),
    ("[engine]\nsitting_limit_min = inf\n", "engine.sitting_limit_min"),
    ("[engine]\nlift_min_g = nan\n", "engine.lift_min_g"),
    ("[engine]\nsit_follow = 1\n", "engine.sit_follow"),
])
def test_bad_keys_and_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        config.load(f)
    assert err.value.key == key and str(f) in str(err.value)


def test_bad_flag_value_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--sitting-limit-min"):
        config.load(tmp_path / "none.toml", {"engine.sitting_limit_min": -3.0})


def test_broken_toml_is_one_line_with_the_reason_and_line(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("[engine]\nsitting_limit_min = = 3\n")
    with pytest.raises(InputError) as e:
        config.load(f)
    assert str(e.value) == f"{f}: not valid TOML: Invalid value (at line 2, column 21)"
    f.write_bytes(b"[engine]\nsitting_limit_min = 3 # \xff\n")
    with pytest.raises(InputError, match="not valid TOML: not UTF-8 text"):
        config.load(f)


@pytest.mark.parametrize("text, says", [
    ("tilt_evidence_deg = 8\n", "tilt_evidence_deg = 8: unknown setting: put it under [engine]"),
    ("json = true\n", "json = True: unknown setting: put it under [output]"),
    ("tilt_evidence_deg = [8, 10]\n", "tilt_evidence_deg = [8, 10]: this looks like a tune grid file"),
    ("still_g = {min = 0.01, max = 0.04}\n", "still_g.min = 0.01: this looks like a tune grid file"),
    ("[engine]\nbogus = 1\n", "engine.bogus = 1: unknown setting (`posture-monitor config keys` lists"),
])
def test_a_misplaced_key_or_a_grid_file_says_what_it_looks_like(tmp_path: Path, text: str, says: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as e:
        config.load(f)
    assert str(e.value).startswith(f"config in {f}: {says}")


def test_default_location_follows_xdg(isolated_home: Path) -> None:
    cfg = config.load()
    assert cfg.file == isolated_home / "config" / "posture-monitor" / "config.toml"


def test_the_old_stand_length_is_read_as_the_break_length_with_a_notice(tmp_path: Path) -> None:
    """`engine.min_stand_s` (seconds) and `coach.break_min` were two settings for one thing."""
    f = tmp_path / "c.toml"
    f.write_text("[engine]\nmin_stand_s = 90\n")
    cfg = config.load(f)
    assert cfg["coach.break_min"] == 1.5 and cfg.sources["coach.break_min"] == str(f)
    assert len(cfg.notices) == 1 and "engine.min_stand_s" in cfg.notices[0] and "coach.break_min" in cfg.notices[0]
    f.write_text("[engine]\nmin_stand_s = 90\n[coach]\nbreak_min = 3\n")
    assert config.load(f)["coach.break_min"] == 3.0  # the new key wins
    f.write_text("[engine]\nmin_stand_s = 5\n")
    with pytest.raises(ConfigError, match="min_stand_s"):
        config.load(f)


def test_engine_tuning_fields_are_read_from_the_file_and_reach_the_engine(tmp_path: Path) -> None:
    """What `tune` writes: any EngineSettings field under [engine], given with --config."""
    from monitor.engine import EngineSettings
    from monitor.engine.factory import settings_from_config

    f = tmp_path / "tuned.toml"
    f.write_text("[engine]\ntilt_evidence_deg = 10\nsit_follow = false\nslouch_threshold_deg = 9\n")
    cfg = config.load(f)
    assert cfg.sources["engine.tilt_evidence_deg"] == str(f)
    s = settings_from_config(cfg)
    assert (s.tilt_evidence_deg, s.sit_follow, s.slouch_threshold_deg) == (10.0, False, 9.0)
    assert s.lift_min_g == EngineSettings().lift_min_g
    assert settings_from_config(config.load(tmp_path / "none.toml")) == EngineSettings(
        slouch_threshold_deg=8.0, slouch_dwell_s=10.0)


def test_every_tuning_field_has_a_value_and_a_source(tmp_path: Path) -> None:
    from monitor.engine import EngineSettings

    f = tmp_path / "t3.toml"
    f.write_text("[engine]\ntilt_evidence_deg = 8\n")
    cfg = config.load(f)
    assert {k for k in cfg.values if config.is_tuning(k)} == {
        f"engine.{name}" for name in EngineSettings.__dataclass_fields__} - set(config.BY_KEY)
    assert (cfg["engine.tilt_evidence_deg"], cfg.sources["engine.tilt_evidence_deg"]) == (8.0, str(f))
    assert (cfg["engine.lift_min_g"], cfg.sources["engine.lift_min_g"]) == (EngineSettings().lift_min_g, "default")


def test_config_show_lists_the_tuning_fields_in_their_own_section(
        tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "t3.toml"
    f.write_text("[engine]\ntilt_evidence_deg = 8\n")
    assert main(["config", "show", "--config", str(f)]) == 0
    main_part, tuning = capsys.readouterr().out.split("\n# engine tuning")
    assert "engine.lift_min_g" not in main_part and "engine.sitting_limit_min" in main_part
    assert "`posture-monitor config keys`" in tuning.splitlines()[0]
    assert f"engine.tilt_evidence_deg     = 8            # from {f}" in tuning
    assert "engine.lift_min_g            = 0.06         # from default" in tuning
    assert main(["config", "show", "--config", str(f), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["tuning"]["engine.tilt_evidence_deg"] == {"value": 8, "source": str(f)}
    assert "engine.lift_min_g" not in shown["settings"] and "engine.lift_min_g" in shown["tuning"]


def help_of(*command: str) -> dict[str, str]:
    """Each option's help text, one line, by its first option string."""
    parser = build_parser()
    for name in command:
        sub = next(a for a in parser._actions if a.dest in ("command", "config_command"))
        parser = sub.choices[name]
    return {a.option_strings[0]: " ".join((a.help or "").split()) for a in parser._actions if a.option_strings}


def test_json_help_says_what_each_command_prints_and_no_help_cites_source_files() -> None:
    assert help_of("replay")["--json"].startswith("print JSON instead of text (events as JSON lines")
    assert help_of("compare")["--json"].startswith("print the comparison as one JSON object")
    assert help_of("tune")["--json"].startswith("print the report")
    assert help_of("stats")["--json"].startswith("print the days")
    assert help_of("config", "show")["--json"].startswith("print every setting's value and source")
    assert help_of("replay")["--json"] == help_of("run")["--json"]  # the shared parent is untouched
    assert "config keys" in help_of("tune")["--grid"] and "settings.py" not in help_of("tune")["--grid"]
    simulate = help_of("simulate")
    assert "default 1" in simulate["--hours"] and "default 100 Hz" in simulate["--rate"]
    assert "default 0" in simulate["--seed"]


@pytest.mark.parametrize("argv, says", [
    (["--weeks", "x"], "argument --weeks: 'x' is not a whole number"),
    (["--days", "x"], "argument --days: 'x' is not a whole number"),
])
def test_stats_counts_are_whole_numbers(isolated_home: Path, capsys: pytest.CaptureFixture[str],
                                        argv: list[str], says: str) -> None:
    with pytest.raises(SystemExit) as e:
        main(["stats", *argv])
    assert e.value.code == 2 and says in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--trend", "--days", "3"], ["--week", "--days", "3"]])
def test_stats_days_goes_with_the_daily_table_only(isolated_home: Path, capsys: pytest.CaptureFixture[str],
                                                   argv: list[str]) -> None:
    assert main(["stats", *argv]) == 2
    assert capsys.readouterr().err.strip() == ("posture-monitor: error: --days 3: goes with the daily table, "
                                               "not --week, --trend or --delete")
