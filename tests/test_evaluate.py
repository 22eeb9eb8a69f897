"""`posture-monitor evaluate` end to end: the calibration modes and what they report, slouch and bout
figures on a simulated recording, the per-subject table, and the same figures from any --jobs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monitor.cli.main import main
from monitor.evaluation import evaluate_run, load_labelled


def evaluate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], str]:
    assert main(["evaluate", *args, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Half an hour of the simulated wearer (seed 3: stands, sits with two slouches, lies down)."""
    out = tmp_path_factory.mktemp("sim") / "sim3.pmrec"
    assert main(["simulate", "--hours", "0.5", "--seed", "3", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("mode, calibrated, used_samples", [
    ("stand+sit", True, 2 * 250), ("stand", True, 250), ("none", False, 0)])
def test_calibration_modes_on_hapt(hapt_dir: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str],
                                   mode: str, calibrated: bool, used_samples: int) -> None:
    path = hapt_dir / "subject01_exp1.csv.gz"
    r, err = evaluate(capsys, str(path), "--calibration", mode)
    row = r["per_recording"][0]
    assert (r["calibration"], row["calibration"], row["calibrated"]) == (mode, mode, calibrated)
    assert r["calibrated_recordings"] == int(calibrated) and row["note"] is None and err == ""
    run = evaluate_run(load_labelled(path, None), mode=mode)  # type: ignore[arg-type]
    assert run.excluded.sum() == used_samples  # only the calibration's own 5 s at 50 Hz leave scoring


def test_default_is_stand_and_sit(hapt_dir: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(hapt_dir / "subject01_exp1.csv.gz")
    assert evaluate(capsys, path)[0] == evaluate(capsys, path, "--calibration", "stand+sit")[0]


def test_a_recording_without_standing_runs_uncalibrated_and_says_so(
        hapt_dir: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r, err = evaluate(capsys, str(hapt_dir / "subject10_exp3.csv.gz"))
    row = r["per_recording"][0]
    assert row["calibration"] == "none" and not row["calibrated"]
    assert row["note"] == "no labelled standing; ran uncalibrated"
    assert err.strip() == "posture-monitor: subject10_exp3.csv.gz: no labelled standing; ran uncalibrated"


def _unit(x: float | None) -> bool:
    return x is not None and 0.0 <= x <= 1.0


def test_slouch_and_bout_figures_on_a_simulated_recording(simulated: Path, isolated_home: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    for mode in ("stand+sit", "none"):
        r, _ = evaluate(capsys, str(simulated), "--calibration", mode)
        s = r["per_recording"][0]["slouch"]
        assert s is not None and s == r["slouch"]
        assert all(_unit(s["episodes"][k]) for k in ("precision", "recall", "f1"))
        assert s["episodes"]["tp"] + s["episodes"]["fn"] == 2  # the wearer slouched twice, both long
        assert _unit(s["sample_agreement"]) and s["sitting_samples"] > 1000 * 100
        assert s["tilt_rmse_sitting_deg"] >= 0.0
        b = r["bouts"]
        assert b["labelled"] == 1 and b["missed"] + b["matched"] == 1
        assert b["sitting_time_s"]["labels"] == pytest.approx(1203.2, abs=0.5)  # mid sit-down to mid lie-down
    r, _ = evaluate(capsys, str(simulated))
    assert r["slouch"]["episodes"]["f1"] == 1.0 and r["slouch"]["tilt_rmse_sitting_deg"] < 2.0
    assert r["bouts"]["matched"] == 1 and abs(r["bouts"]["sitting_time_s"]["error_pct"]) < 5.0


def test_hapt_has_no_slouch_figures_but_bouts(hapt_dir: Path, isolated_home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    r, _ = evaluate(capsys, str(hapt_dir / "subject01_exp1.csv.gz"))
    assert r["slouch"] is None and r["per_recording"][0]["slouch"] is None
    assert r["bouts"]["labelled"] == 2 and r["bouts"]["duration_error_s"]["p90"] >= 0


def test_per_subject_rows(hapt_dir: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(hapt_dir / f) for f in ("subject01_exp1.csv.gz", "subject01_exp2.csv.gz",
                                         "subject02_exp1.csv.gz")]
    r, _ = evaluate(capsys, *files)
    assert [(s["subject"], s["recordings"]) for s in r["per_subject"]] == [("subject01", 2), ("subject02", 1)]
    assert [x["subject"] for x in r["per_recording"]] == ["subject01", "subject01", "subject02"]
    assert r["per_subject"][1]["static"] == r["per_recording"][2]["static"]
    assert main(["evaluate", *files, "--per", "both"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("recording") and any(x.startswith("subject ") for x in out)
    assert any(x.startswith("subject01    ") for x in out)


def test_jobs_give_the_same_figures(hapt_dir: Path, simulated: Path, isolated_home: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(hapt_dir / f) for f in ("subject01_exp1.csv.gz", "subject03_exp2.csv.gz",
                                         "subject10_exp3.csv.gz")] + [str(simulated)]
    one, err_one = evaluate(capsys, *files, "--jobs", "1")
    two, err_two = evaluate(capsys, *files, "--jobs", "2")
    assert one == two and err_one == err_two
    assert [x["recording"] for x in two["per_recording"]] == [Path(f).name for f in files]


def test_a_bad_file_in_a_worker_is_one_line_exit_2(tmp_path: Path, hapt_dir: Path, isolated_home: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pmrec"
    bad.write_text("not a recording\n")
    code = main(["evaluate", str(hapt_dir / "subject01_exp1.csv.gz"), str(bad), "--jobs", "2"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "bad.pmrec" in err[0]
