"""CLI behaviour: subcommands end to end, one-line errors with exit code 2, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli.main import main

REPO = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=120)


def test_simulate_info_replay(tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "day.pmrec"
    assert main(["simulate", "--hours", "0.05", "--rate", "50", "--seed", "4", "--out", str(out)]) == 0
    assert main(["info", str(out), "--json"]) == 0
    captured = capsys.readouterr().out
    info = json.loads(captured[captured.index("{"):])
    assert info["samples"] > 0.9 * 0.05 * 3600 * 50 and info["gyro"] and info["ground_truth"]
    assert info["header"]["simulation"]["seed"] == 4 and "standing" in info["labels_s"]
    assert main(["replay", str(out), "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[-1]["type"] == "summary" and lines[-1]["samples"] == info["samples"]


def test_import_hapt_cli(hapt_dir: Path, tmp_path: Path, isolated_home: Path) -> None:
    files = [str(hapt_dir / "subject02_exp1.csv.gz"), str(hapt_dir / "subject03_exp2.csv.gz")]
    assert main(["import", *files, "--format", "hapt", "--out", str(tmp_path / "rec")]) == 0
    assert sorted(p.name for p in (tmp_path / "rec").iterdir()) == ["subject02_exp1.pmrec", "subject03_exp2.pmrec"]


@pytest.mark.parametrize("args, needle", [
    (["info", "missing.pmrec"], "missing.pmrec: cannot open"),
    (["info", "notrec.txt"], "not a posture-monitor recording"),
    (["import", "notrec.txt", "--format", "hapt", "--out", "o"], "not a HAPT file"),
    (["replay", "notrec.txt"], "notrec.txt"),
    (["config", "show"], "engine.bogus"),
])
def test_user_errors_are_one_line_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    (tmp_path / "notrec.txt").write_text("hello\n")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[engine]\nbogus = 1\n")
    res = _cli(*args, cwd=tmp_path, env={"POSTURE_MONITOR_CONFIG": str(cfg) if args[0] == "config"
                                         else str(tmp_path / "none.toml")})
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_config_show_reports_sources(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[engine]\nsitting_limit_min = 40\n")
    res = _cli("config", "show", "--break-min", "3", "--json",
               env={"POSTURE_MONITOR_CONFIG": str(cfg)})
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)["settings"]
    assert rows["engine.sitting_limit_min"] == {"value": 40.0, "source": str(cfg)}
    assert rows["coach.break_min"] == {"value": 3.0, "source": "--break-min"}
    assert rows["engine.slouch_threshold_deg"]["source"] == "default"


def test_replay_does_not_import_ui_ble_or_mqtt(tmp_path: Path) -> None:
    out = tmp_path / "r.pmrec"
    assert _cli("simulate", "--hours", "0.01", "--out", str(out)).returncode == 0
    code = ("import sys; from monitor.cli.main import main; main(['replay', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'bleak', 'aiomqtt', 'bumble')))")
    res = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().splitlines()[-1] == "[]"


def test_demo_runs_for_simulated_seconds(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--for", "120", "--speed", "max", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert summary["type"] == "summary" and 119 < summary["duration_s"] <= 120


def test_evaluate_json_on_hapt(hapt_dir: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(hapt_dir / "subject01_exp1.csv.gz"), str(hapt_dir / "subject07_exp1.csv.gz")]
    assert main(["evaluate", *files, "--format", "hapt", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["recordings"] == 2 and len(r["per_recording"]) == 2
    assert set(r["static"]["recall"]) == {"sitting", "standing", "lying"}
    assert 0.5 < r["static"]["balanced_accuracy"] <= 1.0 and r["walking_upright"] > 0.8
    for kind in ("stand_to_sit", "sit_to_stand"):
        assert r["transitions"][kind]["tp"] >= 1 and 0 <= r["transitions"][kind]["f1"] <= 1
