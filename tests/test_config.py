"""Configuration: defaults < file < flags, provenance, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError


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


def test_broken_toml_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("[engine\n")
    with pytest.raises(ConfigError, match="cannot parse"):
        config.load(f)


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
