"""tune's pieces without recordings: grid files and their errors, grid and random points, folds, the
objective's choice on made-up counts, and the written config file read back by monitor/config.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from monitor import config
from monitor.cli.main import main
from monitor.engine import EngineSettings
from monitor.engine.factory import settings_from_config
from monitor.errors import InputError
from monitor.evaluation import grid, tuned_config, tuning
from monitor.evaluation.scoring import Totals


def grid_of(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "grid.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, message", [
    ("still_g = [0.02,", "not valid TOML: Invalid value (at end of document)"),
    ("still_g = [0.02]\nconfirm_s = = 1\n", "not valid TOML: Invalid value (at line 2, column 13)"),
    ("[engine]\nstill_g = 0.02\n", "engine = {'still_g': 0.02}: this looks like a settings file; a grid "
                                    "lists field = [values] at the top level"),
    ("", "names no setting to search"),
    ("stil_g = [0.02]", "stil_g = [0.02]: not an engine setting (`posture-monitor config keys` lists"),
    ("sitting_limit_min = [30]", "sitting_limit_min = [30]: not an engine setting"),
    ("still_g = []", "still_g = []: expected a non-empty list"),
    ("still_g = 0.02", "still_g = 0.02: expected a non-empty list"),
    ('still_g = ["a"]', "still_g = 'a': expected a number"),
    ("still_g = [true]", "still_g = True: expected a number"),
    ("still_g = [0.02, nan]", "still_g = nan: must be a finite number"),
    ("still_g = [inf]", "still_g = inf: must be a finite number"),
    ("slouch_threshold_deg = [1.0]", "slouch_threshold_deg = 1.0: must be between 2 and 30"),
    ("sit_follow = [1]", "sit_follow = 1: expected true or false"),
    ("sit_follow = {min = 0, max = 1}", "sit_follow = {'min': 0, 'max': 1}: a switch takes a list"),
    ("still_g = {min = 0.03, max = 0.02}", "min is above max"),
    ("still_g = {lo = 0.01}", "a range is {min = .., max = ..}"),
])
def test_bad_grid_files_name_file_key_and_value(tmp_path: Path, text: str, message: str) -> None:
    path = grid_of(tmp_path, text)
    with pytest.raises(InputError) as e:
        grid.load_grid(path)
    assert str(e.value).startswith(f"--grid {path}: ") and message in str(e.value)


def test_a_bad_grid_is_one_line_and_exit_2_before_any_work(tmp_path: Path, isolated_home: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = grid_of(tmp_path, "still_g = [nan]\n")
    code = main(["tune", str(tmp_path / "none-such"), "--grid", str(path), "--out", str(tmp_path / "t.toml")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"posture-monitor: error: --grid {path}: still_g = nan: must be a finite number"]


def test_grid_points_start_with_the_defaults_and_cover_every_combination(tmp_path: Path) -> None:
    space = grid.load_grid(grid_of(tmp_path, "still_g = [0.02, 0.025]\nsit_follow = [true, false]\n"))
    points = grid.grid_points(space, EngineSettings())
    assert points[0] == {"still_g": 0.025, "sit_follow": True}  # the defaults, not repeated later
    assert len(points) == 4 and {(p["still_g"], p["sit_follow"]) for p in points} == {
        (0.02, True), (0.02, False), (0.025, True), (0.025, False)}
    base = dataclasses.replace(EngineSettings(), still_g=0.05)  # e.g. from --config: the base's own value
    assert grid.grid_points(space, base)[0] == {"still_g": 0.05, "sit_follow": True}
    assert len(grid.grid_points(space, base)) == 5


def test_ranges_need_random_and_random_points_stay_in_their_lists_and_ranges(tmp_path: Path) -> None:
    space = grid.load_grid(grid_of(tmp_path, "still_g = {min = 0.01, max = 0.04}\nconfirm_s = [0.1, 0.3]\n"))
    with pytest.raises(InputError, match="still_g is a range; ranges need --random N"):
        grid.grid_points(space, EngineSettings())
    points = grid.random_points(space, 20, 7, EngineSettings())
    assert points[0] == {"still_g": 0.025, "confirm_s": 0.3} and 2 <= len(points) <= 21
    assert all(0.01 <= p["still_g"] <= 0.04 and p["confirm_s"] in (0.1, 0.3) for p in points[1:])
    assert len({p["still_g"] for p in points}) > 10 and {p["confirm_s"] for p in points} == {0.1, 0.3}
    assert points == grid.random_points(space, 20, 7, EngineSettings())  # the seed decides
    assert points != grid.random_points(space, 20, 8, EngineSettings())


def test_folds_deal_subjects_and_never_train_on_a_held_out_one() -> None:
    subjects = ["s3", "s1", "s2", "s1", "s4", "s5"]
    folds = tuning.fold_subjects(subjects, 2)
    assert folds == [["s1", "s3", "s5"], ["s2", "s4"]]
    assert tuning.fold_count(subjects, 9) == (5, "--folds 9: only 5 subjects, so 5 folds (one subject held "
                                                 "out in each)")
    with pytest.raises(InputError, match="--folds 1: at least 2"):
        tuning.fold_count(subjects, 1)
    with pytest.raises(InputError, match="at least 2 subjects, got 1"):
        tuning.fold_count(["s1", "s1"], 2)


def _walk(ok: int, n: int = 100) -> Totals:
    """Counts of a recording that only walks: the objective moves with walking upright alone."""
    t = Totals()
    t.walk_ok, t.walk_n, t.recordings = ok, n, 1
    return t


def test_each_fold_chooses_what_is_best_on_its_training_subjects() -> None:
    # Point 0 is best for s1 and s2, point 1 for s3 and s4: the folds holding out s1/s3 and s2/s4
    # each see both kinds in training, point 1 winning by the margin below.
    subjects = ["s1", "s2", "s3", "s4"]
    table = [[_walk(90), _walk(90), _walk(50), _walk(50)],
             [_walk(80), _walk(80), _walk(70), _walk(70)]]
    folds, held = tuning.cross_validate(table, subjects, 2)
    assert [f.test_subjects for f in folds] == [["s1", "s3"], ["s2", "s4"]]
    assert [f.chosen for f in folds] == [1, 1]
    assert [f.train_objective for f in folds] == [pytest.approx(0.75 / 4)] * 2
    assert held.walk_ok == 80 + 70 + 80 + 70
    table[0][1], table[0][3] = _walk(100), _walk(55)  # now point 0 is best trained on s2 and s4...
    folds, held = tuning.cross_validate(table, subjects, 2)
    assert [f.chosen for f in folds] == [0, 1]  # ...and only there
    assert held.walk_ok == (90 + 50) + (80 + 70)
    assert tuning.best(table, range(4)) == 1 and tuning.best([table[0], table[0]], range(4)) == 0  # ties: first


def test_the_written_config_reads_back_exactly(tmp_path: Path, isolated_home: Path) -> None:
    chosen = dataclasses.replace(EngineSettings(), still_g=0.1 + 0.2, sit_follow=False, lie_dwell_s=1e-5,
                                 slouch_threshold_deg=9.5, tilt_evidence_deg=12.0)
    fields = tuned_config.engine_fields(chosen, ["tilt_evidence_deg", "still_g"])
    assert list(fields) == ["still_g", "lie_dwell_s", "tilt_evidence_deg", "slouch_threshold_deg",
                            "sit_follow"]  # searched ones (even at their default) and what else differs
    out = tmp_path / "tuned.toml"
    tuned_config.write_tuned(out, fields, {}, ["how it was chosen", "second line"])
    assert out.read_text().startswith("# how it was chosen\n# second line\n\n[engine]\n")
    assert settings_from_config(config.load(out)) == chosen


def test_out_is_checked_before_the_search(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such directory"):
        tuned_config.check_out(tmp_path / "missing" / "t.toml", force=False)
    with pytest.raises(InputError, match="is a directory"):
        tuned_config.check_out(tmp_path, force=True)
    (tmp_path / "t.toml").write_text("")
    tuned_config.check_out(tmp_path / "t.toml", force=True)


def test_the_written_file_keeps_the_config_files_other_settings(tmp_path: Path, isolated_home: Path) -> None:
    """tuned.toml is a complete config: what the --config file set, as it was, with tune's [engine]
    fields in place of its own; a secret is left out and the header says so."""
    mine = tmp_path / "mine.toml"
    mine.write_text('[engine]\nsitting_limit_min = 50\ntilt_evidence_deg = 9\n[coach]\nmax_snoozes_per_day = 1\n'
                    'work_start_h = 7\n[mqtt]\nprefix = "a \\"b\\""\npassword = "s3cret"\n'
                    f'[paths]\nprofiles_dir = "{tmp_path / "profiles"}"\n')
    (tmp_path / "profiles").mkdir()
    cfg = config.load(mine)
    assert tuned_config.start_name(cfg) == f"current settings (from {mine})"
    assert tuned_config.start_name(config.load(tmp_path / "none.toml")) == "defaults"
    kept, secret = tuned_config.kept_settings(cfg)
    assert list(kept) == ["paths.profiles_dir", "engine.sitting_limit_min", "coach.max_snoozes_per_day",
                          "coach.work_start_h", "mqtt.prefix"] and secret == ["mqtt.password"]
    chosen = dataclasses.replace(settings_from_config(cfg), still_g=0.03)
    fields = tuned_config.engine_fields(chosen, ["still_g"], cfg)
    assert fields == {"still_g": 0.03, "tilt_evidence_deg": 9.0}
    report = {"leave_subjects_out": {"folds": [], "objective": 0.5, "figures": figures()}, "recordings": 2,
              "subjects": 2, "search": "grid g.toml", "points": 2, "calibration": "none", "objective": "x",
              "in_sample_best": {"objective": 0.6}, "current": {"name": tuned_config.start_name(cfg),
                                                                "point": {"still_g": 0.025}, "objective": 0.5}}
    out = tmp_path / "tuned.toml"
    tuned_config.write_tuned(out, fields, kept, tuned_config.header(report, ["a"], cfg))
    text = out.read_text()
    assert "s3cret" not in text and "Not copied (secret): mqtt.password" in text
    assert f"in-sample: chosen 0.6000, current settings (from {mine}) 0.5000" in text and "defaults" not in text
    back = config.load(out)
    assert settings_from_config(back) == chosen
    expected = {k: v for k, v in cfg.values.items() if k != "mqtt.password"} | {"engine.still_g": 0.03}
    assert {k: v for k, v in back.values.items() if k != "mqtt.password"} == expected
    assert back["mqtt.password"] is None
    assert {k for k, v in back.sources.items() if v == str(out)} == {*kept, "engine.still_g",
                                                                      "engine.tilt_evidence_deg"}


def figures() -> dict[str, object]:
    return Totals().figures(per_recording=False)
