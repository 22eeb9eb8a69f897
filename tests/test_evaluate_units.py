"""The evaluation's scoring rules on hand-built cases with known answers: sitting bouts from labels and
from the engine's postures, the bout matcher, slouch episodes, and the calibration fallbacks."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.engine import POSTURES
from monitor.evaluation.bouts import BoutCounts, engine_bouts, label_bouts, match_bouts
from monitor.evaluation.protocol import LabelledRun, calibrate, calibrate_as
from monitor.evaluation.slouch import match_episodes, spans
from monitor.evaluation.subjects import by_subject, subject_of
from monitor.labels import CODES, LabelSegments
from monitor.samples import SampleBlock


def segments(*rows: tuple[float, float, str]) -> LabelSegments:
    return LabelSegments(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
                         np.array([CODES[r[2]] for r in rows], np.int16))


def test_label_bouts_run_from_mid_sit_down_to_mid_get_up_and_merge_across_short_holes() -> None:
    labels = segments((0, 10, "standing"), (10.02, 12, "stand_to_sit"), (12.02, 40, "sitting"),
                      (42, 60, "sitting"),  # 2 s unlabelled: the same bout
                      (60.02, 64, "sit_to_lie"), (64.02, 80, "lying"), (80.02, 82, "lie_to_sit"),
                      (82.02, 100, "sitting"), (110, 120, "sitting"))  # 10 s apart, nothing between
    np.testing.assert_allclose(label_bouts(labels), [(11.01, 62.01), (81.01, 100.0), (110.0, 120.0)])


def test_engine_bouts_merge_across_unknown_but_not_across_standing() -> None:
    t = np.arange(0, 100, 1.0)
    names = ["standing"] * 10 + ["sitting"] * 20 + ["unknown"] * 3 + ["sitting"] * 17 + \
            ["standing"] * 2 + ["sitting"] * 18 + ["unknown"] * 10 + ["sitting"] * 20
    posture = np.array([POSTURES.index(n) for n in names], np.int8)
    assert engine_bouts(t, posture) == [(10.0, 49.0), (52.0, 69.0), (80.0, 99.0)]


def test_bout_matcher_pairs_by_largest_overlap_and_counts_missed_and_extra() -> None:
    truth = [(0.0, 100.0), (200.0, 260.0), (400.0, 420.0)]
    found = [(2.0, 50.0), (55.0, 101.0), (203.0, 258.0), (300.0, 310.0)]
    assert match_bouts(truth, found) == [(0, 0), (1, 2)]  # (2, 50) overlaps truth 0 more than (55, 101)
    counts = BoutCounts.of(truth, found)
    f = counts.figures()
    assert (f["labelled"], f["engine"], f["matched"], f["missed"], f["extra"]) == (3, 4, 2, 1, 2)
    assert counts.errors_s == pytest.approx([52.0, 5.0])
    assert f["duration_error_s"]["median"] == pytest.approx(28.5)
    assert f["sitting_time_s"] == {"labels": 180.0, "engine": 159.0, "error_pct": pytest.approx(-11.67)}


def test_slouch_episodes_by_the_event_window_rule() -> None:
    dwell = 10.0
    episodes = [(100.0, 200.0), (300.0, 305.0), (400.0, 500.0), (600.0, 700.0)]
    events = [110.0,  # the first, found after the dwell
              302.0,  # on the 5 s one: shorter than the dwell, neither found nor a false alarm
              511.0,  # after 400-500 ended, within its dwell + 2 s: found late
              650.0, 660.0,  # the second report of one episode is a false alarm
              800.0]  # no episode: a false alarm
    m = match_episodes(events, episodes, dwell)
    assert (m.tp, m.fp, m.fn, m.short) == (3, 2, 0, 1)
    m = match_episodes([513.0], episodes, dwell)  # too late for 400-500
    assert (m.tp, m.fp, m.fn, m.short) == (0, 1, 3, 1)


def test_spans_of_a_flag() -> None:
    t = np.arange(10.0)
    flag = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], bool)
    assert spans(flag, t) == [(1.0, 2.0), (5.0, 5.0), (7.0, 9.0)]


def test_subjects_from_file_names() -> None:
    assert subject_of("subject07_exp2.csv.gz") == "subject07"
    assert subject_of("day.pmrec") == "day.pmrec"

    class R:
        def __init__(self, name: str) -> None:
            self.name, self.subject = name, subject_of(name)

    groups = by_subject([R("subject02_exp1.csv"), R("b.pmrec"), R("subject02_exp2.csv"), R("a.pmrec")])
    assert {k: [r.name for r in v] for k, v in groups.items()} == {
        "a.pmrec": ["a.pmrec"], "b.pmrec": ["b.pmrec"],
        "subject02": ["subject02_exp1.csv", "subject02_exp2.csv"]}
    assert list(groups) == ["a.pmrec", "b.pmrec", "subject02"]


def still_run(*rows: tuple[float, float, str]) -> LabelledRun:
    """A labelled run at 50 Hz whose samples are only there to be averaged into a calibration."""
    t = np.arange(0, 60, 0.02)
    acc = np.tile([0.0, 0.0, 1.0], (len(t), 1)) + np.where(t[:, None] > 20, [0.3, 0.0, 0.0], 0.0)
    return LabelledRun("x.pmrec", SampleBlock(t, acc, np.zeros((len(t), 3)), 50.0), segments(*rows))


def test_calibration_falls_back_and_says_so() -> None:
    both = still_run((0, 19, "standing"), (20, 59, "sitting"))
    used = calibrate_as(both, "stand+sit")
    assert used.mode == "stand+sit" and used.note is None and used.samples.sum() == 2 * 250
    used = calibrate_as(both, "stand")
    assert used.mode == "stand" and used.note is None and used.samples.sum() == 250
    assert used.calibration is not None and not used.calibration.has_sit_pose
    used = calibrate_as(both, "none")
    assert used.mode == "none" and used.calibration is None and used.note is None and not used.samples.any()

    no_sit = still_run((0, 59, "standing"))
    used = calibrate_as(no_sit, "stand+sit")
    assert used.mode == "stand" and used.note == "no labelled sitting; calibrated from standing only"
    assert calibrate(no_sit)[0] is None  # the default protocol's own call wants both poses

    no_stand = still_run((20, 59, "sitting"))
    for mode in ("stand+sit", "stand"):
        used = calibrate_as(no_stand, mode)  # type: ignore[arg-type]
        assert used.mode == "none" and used.note == "no labelled standing; ran uncalibrated"
