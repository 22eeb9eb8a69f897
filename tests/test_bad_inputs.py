"""Issue 19's bad inputs, each run as a user would: one line on stderr naming the flag, file, field or
value, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli.main import main

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
