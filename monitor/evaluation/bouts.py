"""Sitting bouts against the labels: how long each bout the engine saw lasted against the labelled one,
bouts missed and bouts made up, and the total sitting time (the issue's "sitting time over a simulated
day within 5 % of the truth").

A labelled bout is a run of sitting segments with at most MERGE_S of unlabelled time between them, timed
from the middle of the sit-down before it to the middle of the get-up after it (a stand_to_sit or
lie_to_sit label ending within ADJACENT_S of its start; sit_to_stand or sit_to_lie after its end), as
the coach times a bout. An engine bout is a run of samples the engine called sitting, merged across at
most MERGE_S of `unknown` (a gap in the data and the settling after it is not getting up). Bouts match
one-to-one by overlap, the largest overlaps first. Bouts are over the whole recording: the calibration
samples are engine input like any other, not a score of the engine, but bouts have no per-sample score.

The wearer's `not_X` spans ("that was wrong") say what the wearer was not, so for the labelled bouts
(`sitting_truth`): a `not_sitting` span is not sitting; in a `not_X` span of another posture, where the
engine said sitting the wearer agrees (sitting), where it said X or `unknown` the truth is not known
(unlabelled: counted as sitting by neither side, as the engine said something else there), and where
it said a third posture the wearer agrees that it was not sitting. So a correction that agrees with
the engine never changes the bouts or the sitting time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.engine import POSTURES
from monitor.evaluation.protocol import LabelledRun
from monitor.evaluation.slouch import Span, spans
from monitor.labels import CODES, CORRECTIONS, SLOUCHING, UNLABELLED, LabelSegments

MERGE_S = 5.0
ADJACENT_S = 1.0
SIT_DOWN = (CODES["stand_to_sit"], CODES["lie_to_sit"])
GET_UP = (CODES["sit_to_stand"], CODES["sit_to_lie"])
SAT = (CODES["sitting"], SLOUCHING)  # a `slouching` label is sitting too


def label_bouts(labels: LabelSegments) -> list[Span]:
    """Labelled sitting bouts (start, end) in s, by the rule in the module docstring."""
    start, end, code = labels.start_s, labels.end_s, labels.code
    out: list[Span] = []
    i, n = 0, len(code)
    while i < n:
        if code[i] not in SAT:
            i += 1
            continue
        j = i
        while j + 1 < n and code[j + 1] in SAT and start[j + 1] - end[j] <= MERGE_S:
            j += 1
        a, b = float(start[i]), float(end[j])
        if i > 0 and code[i - 1] in SIT_DOWN and a - end[i - 1] <= ADJACENT_S:
            a = float(start[i - 1] + end[i - 1]) / 2
        if j + 1 < n and code[j + 1] in GET_UP and start[j + 1] - b <= ADJACENT_S:
            b = float(start[j + 1] + end[j + 1]) / 2
        out.append((a, b))
        i = j + 1
    return out


def sitting_truth(labels: LabelSegments, t_s: NDArray[np.float64], posture: NDArray[np.int8]
                  ) -> LabelSegments:
    """`labels` with each `not_X` span (X not sitting) resolved against what the engine said there, as
    the module docstring says: engine-sitting samples sitting, X or unknown unlabelled, the rest kept."""
    denied = {code: POSTURES.index(x) for code, x in CORRECTIONS.items() if x != "sitting"}
    if not np.isin(labels.code, list(denied)).any():
        return labels
    parts = []
    for s, e, c in zip(labels.start_s, labels.end_s, labels.code, strict=True):
        if int(c) not in denied:
            parts.append(LabelSegments(np.array([s]), np.array([e]), np.array([c], np.int16)))
            continue
        lo, hi = int(np.searchsorted(t_s, s, "left")), int(np.searchsorted(t_s, e, "right"))
        said = posture[lo:hi]
        codes = np.full(len(said), c, np.int16)
        codes[said == POSTURES.index("sitting")] = CODES["sitting"]
        codes[(said == denied[int(c)]) | (said == POSTURES.index("unknown"))] = UNLABELLED
        parts.append(LabelSegments.from_per_sample(t_s[lo:hi], codes))
    return LabelSegments(*(np.concatenate(a) for a in zip(
        *((p.start_s, p.end_s, p.code) for p in parts), strict=True)))


def bout_counts(run: LabelledRun) -> BoutCounts:
    """An evaluated run's bout counts: labelled bouts (corrections resolved) against the engine's."""
    t = run.block.t_s
    return BoutCounts.of(label_bouts(sitting_truth(run.labels, t, run.posture)), engine_bouts(t, run.posture))


def engine_bouts(t_s: NDArray[np.float64], posture: NDArray[np.int8]) -> list[Span]:
    """The engine's sitting runs (first, last sample time), merged across short `unknown` stretches."""
    sitting = posture == POSTURES.index("sitting")
    unknown = posture == POSTURES.index("unknown")
    out: list[Span] = []
    for a, b in spans(sitting, t_s):
        if out:
            lo, hi = np.searchsorted(t_s, [out[-1][1], a])
            if a - out[-1][1] <= MERGE_S and unknown[lo + 1:hi].all():
                out[-1] = (out[-1][0], b)
                continue
        out.append((a, b))
    return out


def match_bouts(truth: list[Span], found: list[Span]) -> list[tuple[int, int]]:
    """One-to-one (truth index, found index) pairs of overlapping bouts, the largest overlaps first."""
    pairs = [(min(b, d) - max(a, c), i, j) for i, (a, b) in enumerate(truth)
             for j, (c, d) in enumerate(found) if min(b, d) > max(a, c)]
    used_t: set[int] = set()
    used_f: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            out.append((i, j))
    return sorted(out)


@dataclass
class BoutCounts:
    """Bout counts pooled over recordings; figures derive from them."""

    labelled: int = 0
    engine: int = 0
    matched: int = 0
    errors_s: list[float] = field(default_factory=list)  # |engine - labelled| duration of each match
    labelled_s: float = 0.0  # total sitting time in labelled bouts
    engine_s: float = 0.0  # ... and in engine bouts

    @staticmethod
    def of(truth: list[Span], found: list[Span]) -> BoutCounts:
        """One recording's counts from its labelled and engine bouts."""
        pairs = match_bouts(truth, found)
        errors = [abs((found[j][1] - found[j][0]) - (truth[i][1] - truth[i][0])) for i, j in pairs]
        return BoutCounts(len(truth), len(found), len(pairs), errors,
                          sum(b - a for a, b in truth), sum(b - a for a, b in found))

    def merge(self, other: BoutCounts) -> None:
        self.labelled += other.labelled
        self.engine += other.engine
        self.matched += other.matched
        self.errors_s.extend(other.errors_s)
        self.labelled_s += other.labelled_s
        self.engine_s += other.engine_s

    def figures(self) -> dict[str, Any]:
        err = np.array(self.errors_s)
        pct = 100.0 * (self.engine_s / self.labelled_s - 1.0) if self.labelled_s else None
        return {"labelled": self.labelled, "engine": self.engine, "matched": self.matched,
                "missed": self.labelled - self.matched, "extra": self.engine - self.matched,
                "duration_error_s": {"median": round(float(np.median(err)), 2),
                                     "p90": round(float(np.percentile(err, 90)), 2)} if len(err) else None,
                "sitting_time_s": {"labels": round(self.labelled_s, 1), "engine": round(self.engine_s, 1),
                                   "error_pct": None if pct is None else round(pct, 2)}}
