"""Undoing label edits (`posture-monitor label RECORDING --undo | --reset`) by appending, never rewriting.

An undo or a reset is one more LABEL_EDITS record (monitor/sessions/edits.py), so every reader, old or
new, applies it as it applies any edit, and the frames stay as recorded. Its first span is a marker: a
clear of the single instant UNDO_MARK_S (-1 s) or RESET_MARK_S (-2 s), before any stream time, so it
changes nothing. The spans after it set the labels to what they read without the edit undone: a reset
clears everything and puts back the LABELS records (the importer's, the simulator's, the dashboard's);
an undo clears the span of the last edit still in effect (widened to whole labels) and puts back the
labels there as they read without that edit. Which edits are in effect: each LABEL_EDITS record in file
order, an undo marker dropping the last one still in effect, a reset marker all of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np

from monitor.errors import InputError
from monitor.labels import NAMES, UNLABELLED, LabelSegments
from monitor.sessions.label_times import offset_text
from monitor.sessions.reader import Recording

UNDO_MARK_S, RESET_MARK_S = -1.0, -2.0
EVERYTHING_S = 1e18  # a reset clears [-EVERYTHING_S, EVERYTHING_S]


@dataclass(frozen=True)
class Undo:
    """The record that undoes, and the edits it drops (for telling the user)."""

    record: LabelSegments
    dropped: list[LabelSegments]


def mark_of(edit: LabelSegments) -> float | None:
    """UNDO_MARK_S or RESET_MARK_S when this LABEL_EDITS record is an undo or a reset, else None."""
    if len(edit) == 0 or int(edit.code[0]) != UNLABELLED or edit.start_s[0] != edit.end_s[0]:
        return None
    mark = float(edit.start_s[0])
    return mark if mark in (UNDO_MARK_S, RESET_MARK_S) else None


def in_effect(rec: Recording) -> list[LabelSegments]:
    """The edits still in effect, in file order (undo and reset records applied, not included)."""
    stack: list[LabelSegments] = []
    for edit in rec.label_edits:
        mark = mark_of(edit)
        if mark == UNDO_MARK_S and stack:
            stack.pop()
        elif mark == RESET_MARK_S:
            stack.clear()
        elif mark is None:
            stack.append(edit)
    return stack


def undo_last(rec: Recording) -> Undo:
    """The record dropping the last edit in effect; InputError when there is none."""
    stack = in_effect(rec)
    if not stack:
        raise InputError(f"{rec.path}: no label edit to undo (the labels are as recorded)")
    last = stack.pop()
    target = reduce(LabelSegments.overlaid, stack, rec.recorded_labels())
    lo, hi = float(last.start_s.min()), float(last.end_s.max())
    near = (target.end_s >= lo) & (target.start_s <= hi)
    lo, hi = min([lo, *target.start_s[near].tolist()]), max([hi, *target.end_s[near].tolist()])
    return Undo(_record(UNDO_MARK_S, lo, hi, _subset(target, near)), [last])


def reset_all(rec: Recording) -> Undo:
    """The record dropping every edit in effect; InputError when there is none."""
    stack = in_effect(rec)
    if not stack:
        raise InputError(f"{rec.path}: no label edits to reset (the labels are as recorded)")
    return Undo(_record(RESET_MARK_S, -EVERYTHING_S, EVERYTHING_S, rec.recorded_labels()), stack)


def _subset(labels: LabelSegments, keep: np.ndarray) -> LabelSegments:
    return LabelSegments(labels.start_s[keep], labels.end_s[keep], labels.code[keep])


def _record(mark_s: float, lo: float, hi: float, put_back: LabelSegments) -> LabelSegments:
    """Marker, a clear of [lo, hi], then `put_back`'s spans."""
    return LabelSegments(np.concatenate([[mark_s, lo], put_back.start_s]),
                         np.concatenate([[mark_s, hi], put_back.end_s]),
                         np.concatenate([[UNLABELLED, UNLABELLED], put_back.code]).astype(np.int16))


def describe(edit: LabelSegments) -> str:
    """An edit as the user made it: `sitting +0:00:10-+1:00:00` or `cleared +0:00:05-+0:00:10`."""
    return ", ".join(f"{'cleared' if int(c) == UNLABELLED else NAMES.get(int(c), str(int(c)))} "
                     f"{offset_text(float(s))}-{offset_text(float(e))}"
                     for s, e, c in zip(edit.start_s, edit.end_s, edit.code, strict=True))
