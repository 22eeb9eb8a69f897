"""Evaluating recordings with the wearer's own labels: `slouching` is sitting for the posture scores and
slouch truth without simulator truth; `not_X` spans score "corrections agreed" and stay out of the
posture scores. A tiny hand-made case, worked out by hand, and a recording through `evaluate`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from monitor.cli.main import main
from monitor.engine import POSTURES
from monitor.evaluation.bouts import BoutCounts, bout_counts
from monitor.evaluation.protocol import LabelledRun
from monitor.evaluation.scoring import Totals
from monitor.evaluation.slouch import score_slouch
from monitor.events import SlouchStarted
from monitor.labels import CODES, LabelSegments
from monitor.samples import SampleBlock
from monitor.sessions import RecordingWriter
from monitor.sessions.writer import base_header

RATE_HZ = 10.0


def tiny_run() -> LabelledRun:
    """30 s at 10 Hz: sitting 0-9.9 s, slouching 10-19.9 s, not_standing 20-29.9 s. The engine (made up
    here) says sitting until 15 s, standing 15-25 s, sitting 25-27 s, unknown after; its slouch flag is
    on from 13 s to 20 s; it reports slouches at 5 s, 13 s and 22 s."""
    t = np.arange(300) / RATE_HZ
    labels = LabelSegments(np.array([0.0, 10.0, 20.0]), np.array([9.9, 19.9, 29.9]),
                           np.array([CODES["sitting"], CODES["slouching"], CODES["not_standing"]], np.int16))
    block = SampleBlock(t, np.tile([0.0, 0.0, 1.0], (300, 1)), None, RATE_HZ)
    run = LabelledRun("tiny", block, labels, None, labels.at(t) == CODES["slouching"], True)
    posture = np.full(300, POSTURES.index("unknown"), np.int8)
    posture[t < 15.0] = POSTURES.index("sitting")
    posture[(t >= 15.0) & (t < 25.0)] = POSTURES.index("standing")
    posture[(t >= 25.0) & (t < 27.0)] = POSTURES.index("sitting")
    run.posture, run.codes, run.excluded = posture, labels.at(t), np.zeros(300, bool)
    run.slouch = (t >= 13.0) & (t < 20.0)
    run.tilt_deg = np.zeros(300)
    run.events = [SlouchStarted(5.0), SlouchStarted(13.0), SlouchStarted(22.0)]
    return run


def test_a_tiny_case_by_hand() -> None:
    run = tiny_run()
    f = Totals.of(run).figures()
    # sitting: 1.5-9.9 s settled (85 samples, all sitting) and 10-19.9 s (slouching goes on from
    # sitting: no latency; 100 samples, 10-14.9 s sitting = 50): 135 of 185
    assert f["static"]["recall"]["sitting"] == round(135 / 185, 4)
    assert f["static"]["recall"]["standing"] is None  # not_standing is not standing
    # not_standing 20-29.9 s: 100 samples; standing 20-24.9, sitting 25-26.9 (20), unknown 27-29.9
    assert f["corrections"] == {"spans": 1, "samples": 100, "agreed": 0.2}
    s = score_slouch(run, dwell_s=3.0)
    assert s is not None
    # the one true episode (10-19.9 s) found by the 13 s report; 5 s is a false alarm in labelled
    # sitting; 22 s is in no sitting label, so there is no truth to score it against
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)
    # sitting samples 0-19.9 s: agree before 10 s (100) and from 13 s (70), not at 10-12.9 s
    assert (s.agree_n, s.sitting_n) == (170, 200)
    b = bout_counts(run)
    # labelled: sitting + slouching 0-19.9 s is one bout; in not_standing the engine's standing (20-24.9 s)
    # and unknown (27-29.9 s) are unknown truth, its sitting (25-26.9 s) agreed: a bout 5.1 s after the
    # first (more than MERGE_S). The engine: sitting 0-14.9 s and 25-26.9 s
    assert (b.labelled, b.engine, b.matched) == (2, 2, 2)
    assert (round(b.labelled_s, 6), round(b.engine_s, 6)) == (21.8, 16.8)
    assert sorted(round(e, 6) for e in b.errors_s) == [0.0, 5.0]


def _bouts(labels: list[tuple[float, float, str]], engine: list[tuple[float, float, str]]) -> BoutCounts:
    """Bout counts of 30 s at 10 Hz with these labels and what the engine said (from, to, posture)."""
    t = np.arange(300) / RATE_HZ
    segs = LabelSegments(np.array([x[0] for x in labels]), np.array([x[1] for x in labels]),
                         np.array([CODES[x[2]] for x in labels], np.int16))
    run = LabelledRun("hand", SampleBlock(t, np.tile([0.0, 0.0, 1.0], (300, 1)), None, RATE_HZ), segs)
    run.posture = np.full(300, POSTURES.index("unknown"), np.int8)
    for a, b, name in engine:
        run.posture[(t >= a) & (t < b)] = POSTURES.index(name)
    return bout_counts(run)


@pytest.mark.parametrize("labels, engine, expected", [
    # the engine said sitting in a not_standing span: the wearer agrees, one bout of 29.9 s on both sides
    ([(0, 9.9, "sitting"), (10, 19.9, "not_standing"), (20, 29.9, "sitting")], [(0, 30, "sitting")],
     (1, 1, 1, 29.9, 29.9)),
    # the engine said walking there: the wearer agrees it was not sitting, two bouts both sides
    ([(0, 9.9, "sitting"), (10, 11.9, "not_standing"), (12, 29.9, "sitting")],
     [(0, 10, "sitting"), (10, 12, "walking"), (12, 30, "sitting")], (2, 2, 2, 27.8, 27.8)),
    # standing, as the wearer denies: unknown truth, unlabelled 10-11.9 s (merged across, <= MERGE_S);
    # the engine's standing splits its bout: 1 labelled (29.9 s), 2 engine (9.9 + 17.9 s), 1 matched
    ([(0, 9.9, "sitting"), (10, 11.9, "not_standing"), (12, 29.9, "sitting")],
     [(0, 10, "sitting"), (10, 12, "standing"), (12, 30, "sitting")], (1, 2, 1, 29.9, 27.8)),
    # not_sitting where the engine said sitting: the wearer says it was wrong, so not sitting
    ([(0, 9.9, "sitting"), (10, 14.9, "not_sitting"), (15, 29.9, "sitting")], [(0, 30, "sitting")],
     (2, 1, 1, 24.8, 29.9)),
])
def test_corrections_in_bouts_and_sitting_time_by_hand(
        labels: list[tuple[float, float, str]], engine: list[tuple[float, float, str]],
        expected: tuple[int, int, int, float, float]) -> None:
    b = _bouts(labels, engine)
    assert (b.labelled, b.engine, b.matched, round(b.labelled_s, 6), round(b.engine_s, 6)) == expected


def simulated_without_truth(path: Path, extra: list[tuple[float, float, str]]) -> None:
    """A simulated wearer's samples and posture labels, no simulator truth, plus `extra` labels
    added with `posture-monitor label`."""
    from monitor.sim import SimulatedWearer

    wearer = SimulatedWearer(seed=4, rate_hz=25.0)
    header = base_header(sample_rate_hz=25.0, kind="samples", source={"format": "simulator"})
    with RecordingWriter(path, header) as w:
        for c in wearer.run(1200):
            if len(c.block):
                w.write_samples(c.block)
                w.write_labels(LabelSegments.from_per_sample(c.block.t_s, c.code))
    for start, end, name in extra:
        assert main(["label", str(path), "--from", str(start), "--to", str(end), name]) == 0


def evaluate_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["evaluate", str(path), "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_evaluate_takes_slouching_and_not_x_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same recording with a stretch of its sitting relabelled `slouching` scores the same posture
    figures and gains slouch figures; a `not_standing` span leaves the standing recall and is counted
    as corrections (the share computed from what the engine said there)."""
    from monitor.evaluation.protocol import evaluate_run, load_labelled
    from monitor.sessions import open_recording

    plain, marked = tmp_path / "plain.pmrec", tmp_path / "marked.pmrec"
    simulated_without_truth(plain, [])
    labels = open_recording(plain).labels()
    sits = [(float(s), float(e)) for s, e, c in zip(labels.start_s, labels.end_s, labels.code, strict=True)
            if c == CODES["sitting"] and e - s > 60.0]
    stands = [(float(s), float(e)) for s, e, c in zip(labels.start_s, labels.end_s, labels.code, strict=True)
              if c == CODES["standing"] and e - s > 20.0]
    sit, stand = sits[0], stands[-1]
    slouch_span = (sit[0] + 20.0, sit[0] + 50.0)
    not_span = (stand[0] + 5.0, stand[0] + 15.0)
    simulated_without_truth(marked, [(*slouch_span, "slouching"), (*not_span, "not_standing")])
    a, b = evaluate_json(plain, capsys), evaluate_json(marked, capsys)
    assert a["slouch"] is None and b["slouch"] is not None
    assert b["static"]["recall"]["sitting"] == a["static"]["recall"]["sitting"]  # type: ignore[index]
    assert b["bouts"] == a["bouts"]
    agreed_span = (sit[0] + 10.0, sit[1] - 10.0)  # the engine said sitting here: a not_standing agrees
    agreeing = tmp_path / "agreeing.pmrec"
    simulated_without_truth(agreeing, [(*agreed_span, "not_standing")])
    assert evaluate_json(agreeing, capsys)["bouts"] == a["bouts"]  # a correction that agrees changes nothing
    run = evaluate_run(load_labelled(marked, None))
    in_span = (run.block.t_s >= not_span[0]) & (run.block.t_s <= not_span[1])
    said = run.posture[in_span]
    agreed = np.sum((said != POSTURES.index("standing")) & (said != POSTURES.index("unknown")))
    assert b["corrections"] == {"spans": 1, "samples": int(in_span.sum()),
                                "agreed": round(int(agreed) / int(in_span.sum()), 4)}
    assert a["corrections"] == {"spans": 0, "samples": 0, "agreed": None}
    slouch = b["slouch"]
    assert isinstance(slouch, dict)
    sitting_n = int(np.sum(np.isin(run.codes, (CODES["sitting"], CODES["slouching"])) & ~run.excluded))
    assert slouch["sitting_samples"] == sitting_n and slouch["episodes"]["tp"] + slouch["episodes"]["fn"] == 1
