"""Activity labels shared by importers, the simulator and evaluation.

Codes follow UCI HAPT (1-12, -1 unlabelled) so HAPT files import without a mapping table. The wearer's
own labels (the dashboard's label key, `posture-monitor label`) add 20-24: `slouching` (sitting, and
slouched) and `not_<posture>` ("that was wrong": the engine said that posture, and it was not so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.errors import InputError

UNLABELLED = -1
NAMES: dict[int, str] = {
    -1: "unlabelled",
    1: "walking",
    2: "walking_upstairs",
    3: "walking_downstairs",
    4: "sitting",
    5: "standing",
    6: "lying",
    7: "stand_to_sit",
    8: "sit_to_stand",
    9: "sit_to_lie",
    10: "lie_to_sit",
    11: "stand_to_lie",
    12: "lie_to_stand",
    20: "slouching",
    21: "not_sitting",
    22: "not_standing",
    23: "not_walking",
    24: "not_lying",
}
CODES: dict[str, int] = {name: code for code, name in NAMES.items()}
WALKING_CODES = (1, 2, 3)
STATIC_CODES = {4: "sitting", 5: "standing", 6: "lying"}
TRANSITION_CODES = (7, 8, 9, 10, 11, 12)
SLOUCHING = 20
CORRECTIONS = {21: "sitting", 22: "standing", 23: "walking", 24: "lying"}  # not_X code -> the X it denies


def code_for(name: str) -> int:
    """Label code for a name like `sitting` or `stand_to_sit` (case and dashes tolerated)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in ("", "none", "unknown"):
        return UNLABELLED
    if key not in CODES:
        raise InputError(f"unknown label {name!r}; known: {', '.join(sorted(CODES))}")
    return CODES[key]


@dataclass(frozen=True)
class LabelSegments:
    """Labelled time spans, inclusive of both end samples: start_s[i] <= t <= end_s[i] has code[i]."""

    start_s: NDArray[np.float64]
    end_s: NDArray[np.float64]
    code: NDArray[np.int16]

    def __len__(self) -> int:
        return len(self.code)

    @staticmethod
    def from_per_sample(t_s: NDArray[np.float64], codes: NDArray[np.integer]) -> LabelSegments:
        """Run-length encode per-sample codes into segments (unlabelled runs are dropped)."""
        if len(codes) == 0:
            return LabelSegments(np.zeros(0), np.zeros(0), np.zeros(0, np.int16))
        change = np.flatnonzero(np.diff(codes)) + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change - 1, [len(codes) - 1]])
        keep = codes[starts] != UNLABELLED
        starts, ends = starts[keep], ends[keep]
        return LabelSegments(t_s[starts], t_s[ends], codes[starts].astype(np.int16))

    def at(self, t_s: NDArray[np.float64]) -> NDArray[np.int16]:
        """Label code of each time (UNLABELLED outside every segment)."""
        out = np.full(len(t_s), UNLABELLED, np.int16)
        if len(self.code) == 0:
            return out
        idx = np.searchsorted(self.start_s, t_s, side="right") - 1
        ok = idx >= 0
        ok[ok] = t_s[ok] <= self.end_s[idx[ok]]
        out[ok] = self.code[idx[ok]]
        return out

    def overlaid(self, edits: LabelSegments) -> LabelSegments:
        """These labels with `edits` applied in order: each edit span replaces whatever lay in it
        (code UNLABELLED: clears it). Spans stay inclusive and never overlap (cut at the next float)."""
        spans = [(float(s), float(e), int(c)) for s, e, c in zip(self.start_s, self.end_s, self.code,
                                                                   strict=True)]
        for s, e, c in zip(edits.start_s.tolist(), edits.end_s.tolist(), edits.code.tolist(), strict=True):
            spans = [*_outside(spans, s, e), *([(s, e, c)] if c != UNLABELLED else [])]
        spans.sort()
        return LabelSegments(np.array([x[0] for x in spans], np.float64),
                             np.array([x[1] for x in spans], np.float64),
                             np.array([x[2] for x in spans], np.int16))

    def summary(self) -> dict[str, float]:
        """Total labelled seconds per label name."""
        out: dict[str, float] = {}
        for s, e, c in zip(self.start_s, self.end_s, self.code, strict=True):
            name = NAMES.get(int(c), str(int(c)))
            out[name] = out.get(name, 0.0) + float(e - s)
        return out


def _outside(spans: list[tuple[float, float, int]], start_s: float, end_s: float
             ) -> list[tuple[float, float, int]]:
    """The parts of `spans` before `start_s` and after `end_s`."""
    out = []
    for a, b, c in spans:
        if a < start_s:
            out.append((a, min(b, math.nextafter(start_s, -math.inf)), c))
        if b > end_s:
            out.append((max(a, math.nextafter(end_s, math.inf)), b, c))
    return out
