"""The wearer's own labels, marked live (the dashboard's label key) into the running recording.

A mark names what the wearer is doing (`sitting`, `standing`, `walking`, `lying`, `slouching`) or says
the dashboard was wrong (`not_<posture>`: the engine said that posture, and it was not so). It starts at
the stream time the dashboard showed when the key was pressed (the wearer's "now", at most a redraw,
0.25 s, behind the stream) and ends at the first of:
- the next mark (just before it starts);
- the engine leaving the mark's posture (`slouching` is sitting, `not_X` is X), at the time the engine
  dates that change to: when the engine was right the label ends where the posture did, and when it was
  wrong the label stops before it can claim anything about what came next;
- MAX_MARK_S after it started (a forgotten mark does not label the rest of the day);
- the end of the stream.
Each mark is written as one LABELS record when it ends, on the stream's thread and clock (sample
times), so a crash loses at most the mark still open. Runs on the stream's thread only."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.events import Event, PostureChanged
from monitor.events.coach import RequestRefused
from monitor.events.types import clock
from monitor.labels import CORRECTIONS, NAMES, SLOUCHING, LabelSegments, code_for

MAX_MARK_S = 600.0
MARKABLE = ("sitting", "standing", "walking", "lying", "slouching",
            *(f"not_{posture}" for posture in CORRECTIONS.values()))


@dataclass(frozen=True)
class Mark:
    """An open mark: from `start_s`, label `code`, until the engine leaves `posture`."""

    start_s: float
    code: int
    posture: str

    @property
    def name(self) -> str:
        return NAMES[self.code]


def posture_of(code: int) -> str:
    """The engine posture a label is about: `slouching` is sitting, `not_X` is X."""
    if code == SLOUCHING:
        return "sitting"
    return CORRECTIONS.get(code, NAMES[code])


class LabelMarks:
    """Marks on one stream: `mark()` is the label request's handler (Actions' `on_label`); as a sink it
    sees the engine's posture changes (`handle`), the stream time (`tick`) and the end (`close`).
    `write` stores one finished span (RecordingWriter.write_labels); `say` is a notice for the user."""

    def __init__(self, write: Callable[[LabelSegments], None], say: Callable[[str], None],
                 max_s: float = MAX_MARK_S) -> None:
        self.write, self.say, self.max_s = write, say, max_s
        self.open: Mark | None = None
        self.last_t_s = 0.0
        self.written = 0  # marks stored so far

    def mark(self, arg: Any, t_s: float) -> list[Event]:
        """Start a mark: `arg` is (label name, stream time shown when the key was pressed)."""
        name, shown_s = arg
        if name not in MARKABLE:  # refused, never raised: the stream must go on
            return [RequestRefused(t_s, "label", f"{name!r} is not a label ({', '.join(MARKABLE)})")]
        code = code_for(str(name))
        start = min(float(shown_s), t_s)
        if self.open is not None:
            start = max(start, self.open.start_s)
            self._end(math.nextafter(start, -math.inf))
        self.open = Mark(start, code, posture_of(code))
        self.last_t_s = max(self.last_t_s, t_s)
        until = f"until you leave {self.open.posture}, the next label or {self.max_s / 60:g} min"
        self.say(f"Label {self.open.name} from {clock(start)} ({until})")
        return []

    def handle(self, event: Event) -> None:
        """The engine leaving the open mark's posture ends the mark."""
        if (self.open is not None and isinstance(event, PostureChanged)
                and event.previous == self.open.posture and event.posture != self.open.posture):
            self._end(event.t_s, f"the engine left {self.open.posture}")

    def tick(self, t_s: float) -> None:
        """Stream time after each block: a mark open for `max_s` ends."""
        self.last_t_s = max(self.last_t_s, t_s)
        if self.open is not None and t_s >= self.open.start_s + self.max_s:
            self._end(self.open.start_s + self.max_s, f"{self.max_s / 60:g} min")

    def close(self, summary: dict[str, Any]) -> None:
        """End of the stream: the open mark ends with it."""
        if self.open is not None:
            self._end(max(self.last_t_s, self.open.start_s), "end of the stream")

    def _end(self, end_s: float, why: str = "") -> None:
        """Store the open mark up to `end_s` (nothing when that is before its start)."""
        m, self.open = self.open, None
        assert m is not None
        if end_s < m.start_s:
            self.say(f"Label {m.name} dropped: the engine had left {m.posture} at {clock(end_s)}, before it")
            return
        self.write(LabelSegments(np.array([m.start_s]), np.array([end_s]), np.array([m.code], np.int16)))
        self.written += 1
        self.say(f"Labelled {m.name} {clock(m.start_s)}-{clock(end_s)}" + (f" ({why})" if why else ""))
