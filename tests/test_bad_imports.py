"""Issue 19's bad inputs for `import`, each run as a user would (tests/test_bad_inputs.py's style): one
line on stderr naming the file, line, column, flag or value, exit code 2, no traceback; files imported
before a bad one are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli.main import main
from monitor.sessions import open_recording


def one_line_error(err: str, expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0] and "Traceback" not in err, err


# --- import (issue 19 part 2): every bad file or flag names the file, line, column or value ---

HEAD = "t,acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z,label"


def rows(n: int = 100, *, step: float = 0.02, acc: str = "0.01,0.02,0.99") -> list[str]:
    """Plausible data rows: 50 Hz, about 1 g, still, sitting."""
    return [f"{i * step:g},{acc},0,0,0,sitting" for i in range(n)]


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GOOD = csv_text(HEAD, *rows())
IMPORT_CASES: list[tuple[str, dict[str, str | bytes], list[str], str]] = [
    # (id, files written in tmp_path, argv after `import`, words in the one stderr line)
    ("acc-two-columns", {"d.csv": GOOD}, ["--acc-columns", "ax,ay"], "--acc-columns: 'ax,ay'"),
    ("gyro-two-columns", {"d.csv": GOOD}, ["--gyro-columns", "gx,gy"], "--gyro-columns: 'gx,gy'"),
    ("acc-repeated", {"d.csv": GOOD}, ["--acc-columns", "ax,ax,az"], "must differ"),
    ("time-is-acc", {"d.csv": GOOD}, ["--time-column", "acc_x"], "'acc_x' is already taken"),
    ("bad-delimiter", {"d.csv": GOOD}, ["--delimiter", "x"], "--delimiter: 'x'"),
    ("bad-unit", {"d.csv": GOOD}, ["--time-unit", "furlong"], "--time-unit 'furlong'"),
    ("recording-as-csv", {}, ["@day.pmrec"], "day.pmrec: is a posture-monitor recording"),
    ("recording-as-hapt", {}, ["@day.pmrec", "--format", "hapt"], "is a posture-monitor recording"),
    ("binary", {"d.csv": bytes(range(256)) * 4}, [], "d.csv: binary data"),
    ("empty", {"d.csv": ""}, [], "d.csv: empty file"),
    ("blank-lines", {"d.csv": "\n \n\n"}, [], "d.csv: empty file"),
    ("no-header", {"d.csv": csv_text(*rows())}, [], "d.csv line 1: no header row"),
    ("prose", {"d.csv": "Dear diary,\ntoday I sat a lot.\n"}, [], "missing column 't' (--time-column)"),
    ("header-only", {"d.csv": csv_text(HEAD)}, [], "0 data rows"),
    ("one-row", {"d.csv": csv_text(HEAD, *rows(1))}, [], "1 data rows"),
    ("not-utf8", {"d.csv": (HEAD + "\n0,0,0,1,0,0,0,caf\xe9\n").encode("latin-1")}, [], "line 2: not UTF-8"),
    ("bad-gzip", {"d.csv.gz": b"\x1f\x8bnot really"}, [], "bad gzip data"),
    ("no-such-file", {}, ["@nothere.csv"], "nothere.csv: cannot read"),
    ("huge-field", {"d.csv": HEAD + "\n" + "x" * 200_000 + "\n"}, [], "line 2: not readable as CSV"),
    ("invisible-char", {"d.csv": GOOD.replace("t,", "\u200bt,", 1)}, [], "'\\u200bt'"),
    ("gyro-missing", {"d.csv": csv_text("t,acc_x,acc_y,acc_z", "0,0,0,1", "0.02,0,0,1")}, [],
     "missing column 'gyro_x' (--gyro-columns; 'none' for an accelerometer-only file)"),
    ("close-name", {"d.csv": GOOD.replace("acc_y", "acc_Y")}, [], "did you mean 'acc_Y'?"),
    ("semicolons-as-comma", {"d.csv": GOOD.replace(",", ";")}, ["--delimiter", ","],
     "read with --delimiter ','"),
    ("label-column-missing", {"d.csv": GOOD}, ["--label-column", "activity"], "missing column 'activity'"),
    ("bad-number", {"d.csv": csv_text(HEAD, *rows(3), "0.06,0,oops,1,0,0,0,sitting")}, [],
     "d.csv line 5: column 'acc_y': 'oops' is not a finite number"),
    ("nan", {"d.csv": csv_text(HEAD, *rows(3), "0.06,0,0,nan,0,0,0,sitting")}, [],
     "line 5: column 'acc_z': 'nan' is not a finite number"),
    ("empty-cell", {"d.csv": csv_text(HEAD, *rows(3), "0.06,0,0,,0,0,0,sitting")}, [],
     "line 5: column 'acc_z': '' is not"),
    ("short-row", {"d.csv": csv_text(HEAD, *rows(3), "0.06,0,0")}, [],
     "line 5: no value for column 'acc_z'"),
    ("time-backwards", {"d.csv": csv_text(HEAD, *rows(50), "0.5,0,0,1,0,0,0,sitting", *rows(60)[50:])}, [],
     "line 52: time column 't' does not increase: goes backwards (0.5 after 0.98)"),
    ("time-repeats", {"d.csv": csv_text(HEAD, *rows(5), "0.08,0,0,1,0,0,0,sitting")}, [], "line 7"),
    ("unknown-label", {"d.csv": GOOD.replace("sitting", "dancing", 1)}, [],
     "line 2: column 'label': unknown label 'dancing'"),
    ("unknown-code", {"d.csv": GOOD.replace("sitting", "99", 1)}, [], "unknown label code 99"),
    ("m/s2-as-g", {"d.csv": csv_text(HEAD, *rows(acc="0.1,0.2,9.8"))}, [], "give --acc-unit m/s2"),
    ("g-as-m/s2", {"d.csv": GOOD}, ["--acc-unit", "m/s2"], "give --acc-unit g"),
    ("no-gravity", {"d.csv": csv_text(HEAD, *rows(acc="0,0,0.01"))}, [], "check --acc-columns"),
    ("ms-as-s", {"d.csv": csv_text(HEAD, *rows(step=20))}, [], "0.05 Hz (median step 20 s)"),
    ("s-as-ms", {"d.csv": GOOD}, ["--time-unit", "ms"], "with --time-unit s it is 50 Hz"),
    ("out-forbidden", {"d.csv": GOOD}, ["--out", "/proc/forbidden"], "--out /proc/forbidden"),
    ("out-under-a-file", {"d.csv": GOOD}, ["--out", "@d.csv/sub"], "d.csv is a file"),
    ("out-is-a-file", {"d.csv": GOOD}, ["--out", "@d.csv"], "not a directory"),
    ("same-target", {"d.csv": GOOD, "x/d.csv": GOOD}, ["@d.csv", "@x/d.csv"], "would both become"),
    ("exists", {"d.csv": GOOD, "out/d.pmrec": "x"}, [], "already exists (use --force"),
]


def run_import(argv: list[str]) -> int:
    """`main` as the installed command ends: argparse errors exit through SystemExit."""
    try:
        return main(argv)
    except SystemExit as e:
        return int(e.code or 0)


@pytest.mark.parametrize("files, args, expected", [c[1:] for c in IMPORT_CASES],
                         ids=[c[0] for c in IMPORT_CASES])
def test_bad_imports_are_one_line_and_exit_2(files: dict[str, str | bytes], args: list[str], expected: str,
                                             tmp_path: Path, isolated_home: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`@NAME` is a path in tmp_path; without an input among the arguments the input is d.csv (the
    case's file or a good one); --format csv and --out tmp/out unless the case gives them."""
    assert main(["simulate", "--hours", "0.001", "--out", str(tmp_path / "day.pmrec")]) == 0
    for name, content in {"d.csv": GOOD, **files}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_text(content, newline="")
    inputs = [a for i, a in enumerate(args) if a.startswith("@") and (i == 0 or args[i - 1] != "--out")]
    if not inputs:
        args = [f"@{next(iter(files), 'd.csv')}", *args]
    argv = ["import", *[str(tmp_path / a[1:]) if a.startswith("@") else a for a in args]]
    argv += [] if "--format" in argv else ["--format", "csv"]
    argv += [] if "--out" in argv else ["--out", str(tmp_path / "out")]
    capsys.readouterr()
    assert run_import(argv) == 2
    one_line_error(capsys.readouterr().err, expected)


def test_a_bad_file_among_several_keeps_the_imports_before_it(tmp_path: Path, isolated_home: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.csv").write_text(GOOD)
    (tmp_path / "b.csv").write_text(GOOD.replace("\n0.02,", "\n0.02,x", 1))
    argv = ["import", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--format", "csv",
            "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    one_line_error(err, "b.csv line 3: column 'acc_x': 'x0.01' is not a finite number")
    assert "a.csv ->" in out and not (tmp_path / "out" / "b.pmrec").exists()
    back = open_recording(tmp_path / "out" / "a.pmrec").samples()
    assert back is not None and len(back) == 100
