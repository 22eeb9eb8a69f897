"""`posture-monitor tune` end to end on four HAPT subjects with a four-point grid: the chosen point is the
best by the objective as computed from `evaluate`'s own figures for each point, each fold chooses on its
training subjects only and is scored on the held-out ones, the written config reads back as the chosen
settings, and --jobs 2 gives what one process gives."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from monitor import config
from monitor.cli.main import main
from monitor.engine import EngineSettings
from monitor.engine.factory import settings_from_config
from monitor.evaluation import tuning

FILES = ("subject01_exp1.csv.gz", "subject02_exp1.csv.gz", "subject05_exp1.csv.gz", "subject06_exp1.csv.gz")
# On these subjects still_g and confirm_s move the figures, and not the same way for everyone.
GRID = {"still_g": [0.025, 0.06], "confirm_s": [0.1, 0.3]}


def files(hapt_dir: Path, names: tuple[str, ...] | list[str] = FILES) -> list[str]:
    return [str(hapt_dir / n) for n in names]


def grid_file(tmp_path: Path) -> Path:
    path = tmp_path / "grid.toml"
    path.write_text("".join(f"{k} = {v}\n" for k, v in GRID.items()))
    return path


def tune(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], str]:
    assert main(["tune", *args, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def objective_by_evaluate(capsys: pytest.CaptureFixture[str], tmp_path: Path, point: dict[str, float],
                          recordings: list[str]) -> float:
    """The objective from `evaluate --json` pooled figures, the point given as a config file."""
    cfg = tmp_path / "point.toml"
    cfg.write_text("[engine]\n" + "".join(f"{k} = {v!r}\n" for k, v in point.items()))
    assert main(["evaluate", *recordings, "--config", str(cfg), "--json"]) == 0
    f = json.loads(capsys.readouterr().out)
    tr = f["transitions"]
    return (f["static"]["balanced_accuracy"] + f["walking_upright"] + tr["stand_to_sit"]["f1"]
            + tr["sit_to_stand"]["f1"]) / 4


@pytest.fixture(scope="module")
def tuned(hapt_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """One serial run (two folds): its JSON report and the file it wrote."""
    tmp = tmp_path_factory.mktemp("tune")
    out, stdout = tmp / "tuned.toml", io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(stdout):
        mp.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
        mp.delenv("POSTURE_MONITOR_CONFIG", raising=False)
        code = main(["tune", *files(hapt_dir), "--grid", str(grid_file(tmp)), "--folds", "2",
                     "--out", str(out), "--json"])
    assert code == 0
    return json.loads(stdout.getvalue()), out


def all_points() -> list[dict[str, float]]:
    defaults = {k: getattr(EngineSettings(), k) for k in GRID}
    return [defaults, *(dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values()))]


def test_the_chosen_point_is_the_best_by_evaluate(tuned: tuple[dict[str, Any], Path], hapt_dir: Path,
                                                  isolated_home: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    r, _ = tuned
    scores = {json.dumps(p): objective_by_evaluate(capsys, tmp_path, p, files(hapt_dir)) for p in all_points()}
    assert r["points"] == len(scores) == 4  # the defaults are one of the grid's points
    assert len({round(v, 4) for v in scores.values()}) > 1  # the grid matters on these subjects
    chosen = r["in_sample_best"]
    assert chosen["objective"] == pytest.approx(max(scores.values()), abs=1e-4)
    assert scores[json.dumps(chosen["point"])] == pytest.approx(max(scores.values()), abs=1e-9)
    defaults = {k: getattr(EngineSettings(), k) for k in GRID}
    assert r["current"]["point"] == defaults and r["current"]["name"] == "defaults"
    assert r["current"]["objective"] == pytest.approx(scores[json.dumps(defaults)], abs=1e-4)


def test_folds_choose_on_their_training_subjects_only(tuned: tuple[dict[str, Any], Path], hapt_dir: Path,
                                                      isolated_home: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    r, _ = tuned
    folds = r["leave_subjects_out"]["folds"]
    held = [s for f in folds for s in f["test_subjects"]]
    assert len(folds) == 2 and sorted(held) == ["subject01", "subject02", "subject05", "subject06"]
    for fold in folds:
        train = [f for f in FILES if f.split("_")[0] not in fold["test_subjects"]]
        test = [f for f in FILES if f.split("_")[0] in fold["test_subjects"]]
        on_train = {json.dumps(p): objective_by_evaluate(capsys, tmp_path, p, files(hapt_dir, train))
                    for p in all_points()}
        assert on_train[json.dumps(fold["chosen"])] == pytest.approx(max(on_train.values()), abs=1e-9)
        assert fold["train_objective"] == pytest.approx(max(on_train.values()), abs=1e-4)
        assert fold["test_objective"] == pytest.approx(
            objective_by_evaluate(capsys, tmp_path, fold["chosen"], files(hapt_dir, test)), abs=1e-4)


def test_the_written_file_reads_back_as_the_chosen_settings(tuned: tuple[dict[str, Any], Path],
                                                            isolated_home: Path) -> None:
    r, out = tuned
    text = out.read_text()
    assert text.startswith("# Engine settings chosen by `posture-monitor tune`")
    assert "recordings: 4 (4 subjects)" in text and "2 folds by subject" in text
    assert f"held-out {r['leave_subjects_out']['objective']:.4f}" in text
    expected = replace(EngineSettings(), **r["in_sample_best"]["point"])
    assert settings_from_config(config.load(out)) == expected
    assert r["out"]["engine"] == r["in_sample_best"]["point"]


def test_jobs_2_gives_the_serial_report_and_file(tuned: tuple[dict[str, Any], Path], hapt_dir: Path,
                                                 isolated_home: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    serial, serial_out = tuned
    out = tmp_path / "two.toml"
    two, _ = tune(capsys, *files(hapt_dir), "--grid", str(grid_file(tmp_path)), "--folds", "2",
                  "--out", str(out), "--jobs", "2")
    grids = str(serial_out.parent / "grid.toml"), str(tmp_path / "grid.toml")
    assert two["search"] == serial["search"].replace(*grids) == f"grid {grids[1]}"
    assert {**two, "out": None, "search": None} == {**serial, "out": None, "search": None}
    assert out.read_text() == serial_out.read_text().replace(*grids)


def test_more_folds_than_subjects_runs_one_per_subject_with_a_note(hapt_dir: Path, isolated_home: Path,
                                                                   tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    grid = tmp_path / "g.toml"
    grid.write_text("confirm_s = [0.3]\n")
    r, err = tune(capsys, *files(hapt_dir, FILES[:3]), "--grid", str(grid), "--out", str(tmp_path / "t.toml"))
    assert len(r["leave_subjects_out"]["folds"]) == 3 and r["points"] == 1
    assert err.strip() == "posture-monitor: --folds 5: only 3 subjects, so 3 folds (one subject held out in each)"


def test_one_subject_cannot_be_cross_validated(hapt_dir: Path, isolated_home: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.toml"
    code = main(["tune", *files(hapt_dir, ["subject01_exp1.csv.gz", "subject01_exp2.csv.gz"]),
                 "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "at least 2 subjects, got 1" in err[0] and not out.exists()


def test_an_existing_out_file_needs_force(hapt_dir: Path, isolated_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.toml"
    out.write_text("mine\n")
    code = main(["tune", *files(hapt_dir), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"posture-monitor: error: --out {out}: exists (use --force to overwrite)"]
    assert out.read_text() == "mine\n"


def test_each_recording_is_loaded_once_per_process(hapt_dir: Path, isolated_home: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    tuning._loaded.cache_clear()  # serial: the cache of this process is the worker's
    tune(capsys, *files(hapt_dir, FILES[:2]), "--grid", str(grid_file(tmp_path)), "--out", str(tmp_path / "t"))
    info = tuning._loaded.cache_info()
    assert (info.misses, info.hits) == (2, 2 * 4 - 2)  # four points on two recordings


def test_a_bad_recording_in_a_worker_is_one_line_exit_2(hapt_dir: Path, isolated_home: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pmrec"
    bad.write_text("not a recording\n")
    code = main(["tune", *files(hapt_dir, FILES[:2]), str(bad), "--grid", str(grid_file(tmp_path)),
                 "--folds", "2", "--jobs", "2", "--out", str(tmp_path / "t.toml")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "bad.pmrec" in err[0] and not (tmp_path / "t.toml").exists()


def test_a_cluster_gives_the_serial_report(tuned: tuple[dict[str, Any], Path], hapt_dir: Path,
                                           isolated_home: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    serial, _ = tuned
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True) as cluster:
        on_cluster, _ = tune(capsys, *files(hapt_dir), "--grid", str(grid_file(tmp_path)), "--folds", "2",
                             "--out", str(tmp_path / "t.toml"), "--cluster", cluster.scheduler_address)
    assert {**on_cluster, "out": None, "search": None} == {**serial, "out": None, "search": None}


def test_a_recording_changed_on_disk_is_read_again(hapt_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "subject01_exp1.csv.gz"
    path.write_bytes((hapt_dir / FILES[0]).read_bytes())
    first = len(tuning._fresh(path, None).block)
    path.write_bytes((hapt_dir / FILES[1]).read_bytes())  # a worker's cache outlives a run on a cluster
    assert len(tuning._fresh(path, None).block) != first
    assert len(tuning._fresh(path, None).block) == len(tuning._fresh(hapt_dir / FILES[1], None).block)


def test_random_search_draws_from_ranges_and_writes_what_it_chose(hapt_dir: Path, isolated_home: Path,
                                                                  tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    grid = tmp_path / "g.toml"
    grid.write_text("confirm_s = {min = 0.1, max = 0.5}\n")
    out = tmp_path / "t.toml"
    r, _ = tune(capsys, *files(hapt_dir, FILES[:2]), "--grid", str(grid), "--random", "3", "--seed", "4",
                "--out", str(out))
    assert r["search"] == f"random, 3 draws (seed 4) from grid {grid}" and r["points"] == 4
    chosen = r["in_sample_best"]["point"]["confirm_s"]
    assert 0.1 <= chosen <= 0.5  # the default, 0.3, or a draw
    assert f"search: random, 3 draws (seed 4) from grid {grid}, 4 points over confirm_s" in out.read_text()
    assert settings_from_config(config.load(out)) == replace(EngineSettings(), confirm_s=chosen)


def test_settings_from_config_are_the_current_settings_and_stay_in_the_written_file(
        hapt_dir: Path, isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --config, point 0 is that file's settings, named as such (not "defaults"), and the file
    written keeps the file's other settings: `--config tuned.toml` changes only what tune chose."""
    mine = tmp_path / "bad.toml"
    mine.write_text("[engine]\nstill_g = 0.06\nsitting_limit_min = 50\n[coach]\nbreak_min = 3\n")
    grid = tmp_path / "g.toml"
    grid.write_text("confirm_s = [0.1, 0.3]\n")
    out = tmp_path / "t.toml"
    args = [*files(hapt_dir, FILES[:2]), "--grid", str(grid), "--folds", "2", "--config", str(mine), "--out"]
    assert main(["tune", *args, str(out)]) == 0
    text = capsys.readouterr().out
    name = f"current settings (from {mine})"
    assert f"\n{name} " in text and "defaults" not in text
    written = out.read_text()
    assert "in-sample: chosen " in written and f", {name} " in written and "defaults" not in written
    before, after = config.load(mine), config.load(out)
    chosen = {f"engine.{k}": v for k, v in tune(capsys, *args, str(out), "--force")[0]["out"]["engine"].items()}
    assert after.values == {**before.values, **chosen} and after["engine.still_g"] == 0.06
    assert after["engine.sitting_limit_min"] == 50 and after["coach.break_min"] == 3
