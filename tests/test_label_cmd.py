"""`posture-monitor label`: adding, overriding, clearing and listing labels afterwards, as the reader
then sees them; the recorded data is kept byte for byte; bad input is one line and exit 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.labels import CODES, LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions import RecordingWriter, open_recording
from monitor.sessions.writer import base_header

RATE_HZ = 10.0


def small_recording(path: Path, epoch: dt.datetime = dt.datetime(2026, 11, 23, 9, 0, 0)) -> Path:
    """100 s of still samples at 10 Hz (local epoch `epoch`), labelled standing 0-50 s, sitting 50-100 s."""
    t = np.arange(1000) / RATE_HZ
    acc = np.tile([0.0, 0.0, 1.0], (len(t), 1))
    header = base_header(sample_rate_hz=RATE_HZ, kind="samples", epoch_utc_s=epoch.timestamp())
    with RecordingWriter(path, header) as w:
        w.write_samples(SampleBlock(t, acc, None, RATE_HZ))
        w.write_labels(LabelSegments(np.array([0.0, 50.0]), np.array([49.9, 99.9]),
                                     np.array([CODES["standing"], CODES["sitting"]], np.int16)))
    return path


def spans(path: Path) -> list[tuple[float, float, str]]:
    from monitor.labels import NAMES

    labels = open_recording(path).labels()
    return [(round(float(s), 6), round(float(e), 6), NAMES[int(c)])
            for s, e, c in zip(labels.start_s, labels.end_s, labels.code, strict=True)]


def label(*args: str) -> int:
    return main(["label", *args])


def test_add_override_clear_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    original = path.read_bytes()
    assert label(str(path), "--from", "20", "--to", "+0:30", "slouching") == 0
    assert spans(path) == [(0.0, 20.0, "standing"), (20.0, 30.0, "slouching"), (30.0, 49.9, "standing"),
                           (50.0, 99.9, "sitting")]
    assert label(str(path), "--from", "25", "--to", "60", "not_sitting") == 0  # overrides both
    assert label(str(path), "--from", "+1:10", "--to", "end", "none") == 0  # clears to the end
    assert label(str(path), "--from", "5", "--to", "10", "--clear") == 0
    got = spans(path)
    assert [g[2] for g in got] == ["standing", "standing", "slouching", "not_sitting", "sitting"]
    assert [g[:2] for g in got] == [(0.0, 5.0), (10.0, 20.0), (20.0, 25.0), (25.0, 60.0), (60.0, 70.0)]
    rec = open_recording(path)
    assert path.read_bytes()[:len(original)] == original  # appended only: every recorded byte kept
    assert len(rec.samples() or []) == 1000 and rec.damage is None
    old = rec.recorded_labels()  # what a reader without LABEL_EDITS sees: the labels as recorded
    assert old.code.tolist() == [CODES["standing"], CODES["sitting"]]
    capsys.readouterr()
    assert label(str(path), "--list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(round(x["start_s"], 6), round(x["end_s"], 6), x["label"]) for x in listed] == got
    local = dt.datetime(2026, 11, 23, 9, 0, 25).astimezone()  # the wall clock from the recording's epoch
    assert listed[3]["start"] == "+0:00:25" and listed[3]["end"] == "+0:01:00"
    assert dt.datetime.fromisoformat(listed[3]["start_wall"]) == local  # ISO with the UTC offset
    assert listed[3]["start_wall"].endswith(local.isoformat()[-6:])
    assert label(str(path), "--list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and lines[0].split()[:4] == ["from", "to", "wall", "clock"]
    assert lines[4].split() == ["+0:00:25", "+0:01:00", "09:00:25-09:01:00", "35s", "not_sitting"]


def test_what_the_list_prints_reads_back_with_the_same_meaning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Offsets and wall-clock times from `--list`, typed back, give the same span; a bare 0:00:20 (the
    old list's form) is 00:00:20 the next day as a wall time, so it is read as the offset, with a note."""
    path = small_recording(tmp_path / "r.pmrec", dt.datetime(2026, 11, 23, 20, 6, 52, 900_000))
    capsys.readouterr()
    assert label(str(path), "--list") == 0
    first = capsys.readouterr().out.splitlines()[1].split()
    assert first[:3] == ["+0:00:00", "+0:00:49.9", "20:06:52.9-20:07:42.8"]
    start, end = first[2].split("-")
    assert label(str(path), "--from", start, "--to", end, "walking") == 0  # the wall-clock column
    assert spans(path)[0] == (0.0, 49.9, "walking")
    assert label(str(path), "--from", first[0], "--to", "+0:00:10", "lying") == 0  # the offset column
    assert label(str(path), "--from", "0:00:20", "--to", "0:00:30", "sitting") == 0
    out = capsys.readouterr()
    assert "read as +0:00:20 from the start" in out.err and "wall clock 00:00:20 on 2026-11-24" in out.err
    assert out.out.strip().endswith("labelled sitting +0:00:20-+0:00:30 (wall clock 20:07:12.9-20:07:22.9)")
    assert [s for s in spans(path) if s[2] in ("lying", "sitting")][:2] == [(0.0, 10.0, "lying"),
                                                                           (20.0, 30.0, "sitting")]


def test_an_end_past_the_recording_is_clipped_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    capsys.readouterr()
    assert label(str(path), "--from", "10", "--to", "99999", "sitting") == 0
    out = capsys.readouterr()
    assert "--to '99999' (+27:46:39" in out.err and "clipped to its end, +0:01:39.9" in out.err
    assert out.out.strip().endswith("labelled sitting +0:00:10-+0:01:39.9 (wall clock 09:00:10-09:01:39.9)")
    assert label(str(path), "--from", "0", "--to", "end", "lying") == 0
    assert capsys.readouterr().err == ""  # `end` is no clipping


def test_wall_clock_times_are_on_the_recording_day(tmp_path: Path) -> None:
    path = small_recording(tmp_path / "r.pmrec")  # starts 09:00:00 local
    assert label(str(path), "--from", "09:00:30", "--to", "9:01", "walking") == 0
    assert [s[:2] for s in spans(path) if s[2] == "walking"] == [(30.0, 60.0)]
    late = small_recording(tmp_path / "late.pmrec", dt.datetime(2026, 11, 23, 23, 59, 0))
    assert label(str(late), "--from", "23:59:10", "--to", "00:00:20", "lying") == 0  # across midnight
    assert [s[:2] for s in spans(late) if s[2] == "lying"] == [(10.0, 80.0)]


def test_a_damaged_tail_is_left_behind_and_every_readable_record_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    good = path.read_bytes()
    path.write_bytes(good + b"\x02\x00\x00\x00\xff\x00\x00\x00torn")  # a record cut by a kill
    assert open_recording(path).damage is not None
    assert label(str(path), "--from", "0", "--to", "10", "lying") == 0
    assert "unreadable tail" in capsys.readouterr().err
    rec = open_recording(path)
    assert rec.damage is None and path.read_bytes()[:len(good)] == good
    assert [s for s in spans(path) if s[2] == "lying"] == [(0.0, 10.0, "lying")]


@pytest.mark.parametrize("args, says", [
    (["--from", "ten", "--to", "20", "sitting"], "--from 'ten': not a time"),
    (["--from", "12:75", "--to", "20", "sitting"], "--from '12:75': not a time"),
    (["--from", "30", "--to", "20", "sitting"], "is not before --to '20'"),
    (["--from", "200", "--to", "end", "sitting"], "is not before the end of"),
    (["--from", "1", "--to", "2", "dancing"], "unknown label 'dancing'"),
    (["--from", "1", "--to", "2"], "give either a LABEL or --clear"),
    (["--from", "1", "sitting"], "--from and --to are both needed"),
    (["--list", "sitting"], "--list takes no other option or LABEL"),
    (["--undo", "--from", "1"], "--undo takes no other option"),
    (["--undo"], "no label edit to undo (the labels are as recorded)"),
    (["--reset"], "no label edits to reset"),
    (["--from", "23:00", "--to", "end", "sitting"], "(+14:00:00, wall clock 23:00:00) is not before the end"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         args: list[str], says: str) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    before = path.read_bytes()
    assert label(str(path), *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("posture-monitor: error: ") and says in err[0], err
    assert path.read_bytes() == before


def test_not_a_recording_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    assert label(str(other), "--list") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a posture-monitor recording" in err[0]
    csv = tmp_path / "subject01_exp1.csv.gz"
    csv.write_bytes(b"\x1f\x8b not really")
    assert label(str(csv), "--list") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"import it first (posture-monitor import {csv} --format hapt|csv --out DIR)" in err[0]
