"""`label RECORDING --undo` drops the last edit still in effect and `--reset` all of them, each as one more
appended LABEL_EDITS record: the recorded bytes stay, and a reader that applies edits in file order (every
reader that knows LABEL_EDITS) reads the labels as they were without the edits dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.sessions import open_recording
from monitor.sessions.edit_log import in_effect
from tests.test_label_cmd import label, small_recording, spans

AS_RECORDED = [(0.0, 49.9, "standing"), (50.0, 99.9, "sitting")]


def test_undo_steps_back_one_edit_at_a_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    original = path.read_bytes()
    assert label(str(path), "--from", "20", "--to", "60", "walking") == 0
    after_one = spans(path)
    assert label(str(path), "--from", "10", "--to", "end", "--clear") == 0
    assert spans(path) == [(0.0, 10.0, "standing")]
    capsys.readouterr()
    assert label(str(path), "--undo") == 0
    assert "undid cleared +0:00:10-+0:01:39.9" in capsys.readouterr().out
    assert spans(path) == after_one
    assert label(str(path), "--undo") == 0
    assert spans(path) == AS_RECORDED  # whole labels again, not pieces
    assert label(str(path), "--undo") == 2  # nothing left to undo
    assert path.read_bytes()[:len(original)] == original  # appended only
    assert len(open_recording(path).label_edits) == 4 and in_effect(open_recording(path)) == []


def test_an_undo_after_an_undo_drops_the_edit_before(tmp_path: Path) -> None:
    """Three overlapping edits, undone one by one: each state on the way back is the one before it."""
    path = small_recording(tmp_path / "r.pmrec")
    states = [spans(path)]
    for start, end, name in [(40, 70, "lying"), (45, 55, "slouching"), (0, 99.9, "walking")]:
        assert label(str(path), "--from", str(start), "--to", str(end), name) == 0
        states.append(spans(path))
    for expected in reversed(states[:-1]):
        assert label(str(path), "--undo") == 0
        assert spans(path) == expected


def test_reset_drops_every_edit_and_can_be_edited_after(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    path = small_recording(tmp_path / "r.pmrec")
    assert label(str(path), "--from", "10", "--to", "end", "--clear") == 0
    assert label(str(path), "--from", "5", "--to", "8", "lying") == 0
    capsys.readouterr()
    assert label(str(path), "--reset") == 0
    assert "dropped 2 label edit(s); the labels are as recorded" in capsys.readouterr().out
    assert spans(path) == AS_RECORDED
    assert label(str(path), "--reset") == 2
    assert label(str(path), "--from", "0", "--to", "10", "walking") == 0
    assert label(str(path), "--undo") == 0
    assert spans(path) == AS_RECORDED
    assert open_recording(path).recorded_labels().code.tolist() == [5, 4]  # what old readers see
