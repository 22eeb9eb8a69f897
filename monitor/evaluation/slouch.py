"""Slouch scores against a simulated recording's per-sample truth (HAPT has none): slouch episodes, the
per-sample slouch flag while sitting, and the tilt error while sitting.

Episode rule: a true episode is a run of truth-slouching samples. It is found when an engine
`SlouchStarted` event falls in [episode start, episode end + dwell + EVENT_AFTER_S]: the engine reports a
slouch only after `dwell` s past its threshold, so the event comes late by design, and the end allowance
lets a report that lags the episode count. Events and episodes match one-to-one, greedily in time. A true
episode shorter than the dwell is too short to be reported: an event on it is no false alarm and
missing it is no miss. Any other event is a false alarm.

Sample scores are over labelled sitting samples not used to calibrate (a `slouching` label is sitting).
Where the truth is the wearer's `slouching` labels (no simulator truth), it is known only in labelled
sitting, so only slouch events there are scored."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.evaluation.protocol import SITTING_CODES, LabelledRun
from monitor.evaluation.scoring import prf, ratio
from monitor.events import SlouchStarted

EVENT_AFTER_S = 2.0
Span = tuple[float, float]


def spans(flag: NDArray[np.bool_], t_s: NDArray[np.float64]) -> list[Span]:
    """(first, last) sample times of each run of true samples."""
    edges = np.diff(np.concatenate([[0], flag.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(float(t_s[a]), float(t_s[b - 1])) for a, b in zip(starts, stops, strict=True)]


@dataclass
class EpisodeMatch:
    """One recording's (or a pool's) episode counts; `short` true episodes were too short to count."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    short: int = 0


def match_episodes(event_s: list[float], episodes: list[Span], dwell_s: float) -> EpisodeMatch:
    """Events against true episodes by the rule in the module docstring."""
    used = [False] * len(episodes)
    out = EpisodeMatch()
    for t in sorted(event_s):
        hit = next((i for i, (a, b) in enumerate(episodes)
                    if not used[i] and a <= t <= b + dwell_s + EVENT_AFTER_S), None)
        if hit is None:
            out.fp += 1
            continue
        used[hit] = True
        out.tp += int(episodes[hit][1] - episodes[hit][0] >= dwell_s)
    for i, (a, b) in enumerate(episodes):
        if b - a < dwell_s:
            out.short += 1
        elif not used[i]:
            out.fn += 1
    return out


@dataclass
class SlouchCounts:
    """Slouch counts pooled over recordings with truth; figures derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    short: int = 0
    sitting_n: int = 0  # scored sitting samples
    agree_n: int = 0  # ... where the engine's slouch flag equals the truth
    tilt_n: int = 0  # ... with a finite engine and true tilt
    tilt_sq_deg2: float = 0.0  # sum of squared tilt errors over those
    recordings: int = 0

    def merge(self, other: SlouchCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def figures(self) -> dict[str, Any]:
        rmse = float(np.sqrt(self.tilt_sq_deg2 / self.tilt_n)) if self.tilt_n else None
        return {"episodes": {**prf(self.tp, self.fp, self.fn), "short_ignored": self.short},
                "sample_agreement": ratio(self.agree_n, self.sitting_n), "sitting_samples": self.sitting_n,
                "tilt_rmse_sitting_deg": None if rmse is None else round(rmse, 3)}


def score_slouch(run: LabelledRun, dwell_s: float) -> SlouchCounts | None:
    """An evaluated run's slouch counts, or None without slouch truth."""
    if run.truth_slouch is None:
        return None
    t = run.block.t_s
    starts = [e.t_s for e in run.events if isinstance(e, SlouchStarted)]
    if run.slouch_from_labels:
        starts = [s for s in starts if int(run.labels.at(np.array([s]))[0]) in SITTING_CODES]
    m = match_episodes(starts, spans(run.truth_slouch, t), dwell_s)
    sitting = np.isin(run.codes, SITTING_CODES) & ~run.excluded
    out = SlouchCounts(m.tp, m.fp, m.fn, m.short, int(sitting.sum()),
                       int((run.slouch[sitting] == run.truth_slouch[sitting]).sum()), recordings=1)
    if run.truth_tilt_deg is not None:
        err = run.tilt_deg[sitting] - run.truth_tilt_deg[sitting]
        err = err[np.isfinite(err)]
        out.tilt_n, out.tilt_sq_deg2 = len(err), float(np.sum(err ** 2))
    return out
