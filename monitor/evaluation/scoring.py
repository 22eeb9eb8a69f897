"""Scores: static recalls (after the allowed 1.5 s latency), walking upright, transition F1, and the
wearer's corrections. A `slouching` label is sitting here. A `not_X` span ("that was wrong") is left out
of the posture scores; its samples score whether the engine said a posture other than X there
(`unknown` is no posture): the share is "corrections agreed"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.engine import POSTURES
from monitor.evaluation.protocol import SITTING_CODES, LabelledRun
from monitor.events import Transition
from monitor.labels import CORRECTIONS, SLOUCHING, LabelSegments

LATENCY_S = 1.5
STATIC = {4: "sitting", 5: "standing", 6: "lying"}
STATIC_CODES = {4: SITTING_CODES, 5: (5,), 6: (6,)}  # the labels that count as each static posture
SCORED_TRANSITIONS = {7: "stand_to_sit", 8: "sit_to_stand"}
BEFORE_S, AFTER_S = 1.0, 2.0
NEXT_S = 0.5  # a segment starting this soon after the last one's end goes on from it


def _settled(run: LabelledRun) -> NDArray[np.bool_]:
    """Samples at least LATENCY_S into their labelled segment; a `slouching` segment right after a
    sitting one (or the other way) is the same posture, so it needs no latency."""
    ok = np.zeros(len(run.codes), bool)
    t = run.block.t_s
    lab = run.labels
    for i, (s, e) in enumerate(zip(lab.start_s, lab.end_s, strict=True)):
        ok |= (t >= s + (0.0 if _sat_on(lab, i) else LATENCY_S)) & (t <= e)
    return ok & ~run.excluded


def _sat_on(lab: LabelSegments, i: int) -> bool:
    """Segment i goes on sitting from the one before it, one of them labelled `slouching`."""
    if i == 0 or SLOUCHING not in (lab.code[i], lab.code[i - 1]):
        return False
    return bool(lab.code[i] in SITTING_CODES and lab.code[i - 1] in SITTING_CODES
                and lab.start_s[i] - lab.end_s[i - 1] <= NEXT_S)


def match(times: list[float], segments: list[tuple[float, float]]) -> int:
    """One-to-one matches of event times to segments [start - 1 s, end + 2 s], greedy in time."""
    used = [False] * len(segments)
    hits = 0
    for t in sorted(times):
        for i, (s, e) in enumerate(segments):
            if not used[i] and s - BEFORE_S <= t <= e + AFTER_S:
                used[i] = True
                hits += 1
                break
    return hits


@dataclass
class Totals:
    """Counts pooled over recordings; figures derive from them."""

    static_hit: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATIC.values(), 0))
    static_n: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATIC.values(), 0))
    walk_ok: int = 0
    walk_n: int = 0
    tr: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0, 0] for k in SCORED_TRANSITIONS.values()})
    latency_s: list[float] = field(default_factory=list)
    samples: int = 0
    recordings: int = 0
    corrections: list[int] = field(default_factory=lambda: [0, 0, 0])  # not_X spans, samples, agreed

    @staticmethod
    def of(run: LabelledRun) -> Totals:
        """One evaluated run's counts."""
        mine = Totals()
        mine._score(run)
        return mine

    def add(self, run: LabelledRun) -> dict[str, Any]:
        """Score one evaluated run into the totals; returns its own figures."""
        mine = Totals.of(run)
        self.merge(mine)
        return {"recording": run.name, "calibrated": run.calibrated, **mine.figures(per_recording=False)}

    def _score(self, run: LabelledRun) -> None:
        self.samples, self.recordings = len(run.codes), 1
        settled = _settled(run)
        for code, name in STATIC.items():
            m = settled & np.isin(run.codes, STATIC_CODES[code])
            self.static_n[name] = int(m.sum())
            self.static_hit[name] = int((run.posture[m] == POSTURES.index(name)).sum())
        walk = np.isin(run.codes, (1, 2, 3))
        self.walk_n = int(walk.sum())
        upright = np.isin(run.posture[walk], (POSTURES.index("walking"), POSTURES.index("standing")))
        self.walk_ok = int(upright.sum())
        for code, kind in SCORED_TRANSITIONS.items():
            segs = [(float(s), float(e)) for s, e, c in
                    zip(run.labels.start_s, run.labels.end_s, run.labels.code, strict=True) if c == code]
            evs = [e for e in run.events if isinstance(e, Transition) and e.kind == kind]
            hits = match([e.t_s for e in evs], segs)
            self.tr[kind] = [hits, len(evs) - hits, len(segs) - hits]
            self.latency_s.extend(e.emitted_s - e.t_s for e in evs)
        self.corrections = corrections(run)

    def merge(self, o: Totals) -> None:
        for k in self.static_n:
            self.static_n[k] += o.static_n[k]
            self.static_hit[k] += o.static_hit[k]
        self.walk_ok += o.walk_ok
        self.walk_n += o.walk_n
        for k, v in o.tr.items():
            self.tr[k] = [a + b for a, b in zip(self.tr[k], v, strict=True)]
        self.latency_s.extend(o.latency_s)
        self.corrections = [a + b for a, b in zip(self.corrections, o.corrections, strict=True)]
        self.samples += o.samples
        self.recordings += o.recordings

    def figures(self, per_recording: bool = True) -> dict[str, Any]:
        recall = {k: ratio(self.static_hit[k], self.static_n[k]) for k in self.static_n}
        present = [v for v in recall.values() if v is not None]
        out: dict[str, Any] = {
            "recordings": self.recordings, "samples": self.samples,
            "static": {"balanced_accuracy": round(float(np.mean(present)), 4) if present else None,
                       "recall": recall},
            "walking_upright": ratio(self.walk_ok, self.walk_n),
            "transitions": {k: prf(*v) for k, v in self.tr.items()},
            "corrections": {"spans": self.corrections[0], "samples": self.corrections[1],
                            "agreed": ratio(self.corrections[2], self.corrections[1])},
        }
        if self.latency_s:
            lat = np.array(self.latency_s)
            out["transition_emission_latency_s"] = {"median": round(float(np.median(lat)), 3),
                                                    "max": round(float(lat.max()), 3)}
        return out


def corrections(run: LabelledRun) -> list[int]:
    """[not_X spans, their samples (not used to calibrate), samples where the engine said another
    posture than X] of one evaluated run."""
    spans = int(np.isin(run.labels.code, list(CORRECTIONS)).sum())
    n = agreed = 0
    for code, denied in CORRECTIONS.items():
        m = (run.codes == code) & ~run.excluded
        said = run.posture[m]
        n += int(m.sum())
        agreed += int(((said != POSTURES.index(denied)) & (said != POSTURES.index("unknown"))).sum())
    return [spans, n, agreed]


def ratio(a: int, b: int) -> float | None:
    """a / b to 4 places, None when there is nothing to divide by."""
    return round(a / b, 4) if b else None


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 (0 when undefined) with the counts they come from."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}
