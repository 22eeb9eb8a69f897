"""`evaluate` given the wrong kind of file says what to do instead (one line, exit 2), and its table
names the transitions and tells same-named recordings in different folders apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.evaluation.report import distinct_names
from tests.test_label_evaluate import simulated_without_truth


def one_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["evaluate", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("posture-monitor: error: "), err
    return err[0]


def test_wrong_files_say_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "x.pmrec"
    simulated_without_truth(rec, [])
    walk = tmp_path / "walk.csv"
    walk.write_text("t,ax,ay,az\n0,0,0,1\n")
    toml = tmp_path / "A.toml"
    toml.write_text("[engine]\n")
    assert one_error(capsys, str(rec), "--format", "hapt").endswith(
        "is a posture-monitor recording, not a HAPT CSV: drop --format hapt")
    assert "not a HAPT file" in (e := one_error(capsys, str(walk))) and "import it with --format csv first" in e
    assert "import it first (posture-monitor import" in one_error(capsys, str(walk), "--format", "recording")
    assert "settings files go to `compare A.toml B.toml FILE_OR_DIR...`" in one_error(capsys, str(toml), str(rec))


def test_same_names_in_two_folders_get_distinct_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    simulated_without_truth(tmp_path / "a" / "day.pmrec", [])
    shutil.copy(tmp_path / "a" / "day.pmrec", tmp_path / "b" / "day.pmrec")
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "stand>sit tp/fp/fn" in lines[0] and "sit>stand tp/fp/fn" in lines[0]
    assert [x.split()[0] for x in lines[1:3]] == ["a/day.pmrec", "b/day.pmrec"]
    assert any(x.startswith("(stand>sit: stand_to_sit, sit>stand: sit_to_stand") for x in lines)


def test_distinct_names_use_the_shortest_distinguishing_path() -> None:
    paths = [Path("/d/x/a/day.pmrec"), Path("/d/y/a/day.pmrec"), Path("/d/b/day.pmrec"), Path("/d/s1.csv")]
    assert distinct_names(paths) == ["x/a/day.pmrec", "y/a/day.pmrec", "b/day.pmrec", "s1.csv"]
