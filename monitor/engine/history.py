"""The decision layer's look-back: recent ticks kept across chunks, numbered absolutely."""

from __future__ import annotations

import numpy as np

from monitor.engine.ticks import Ticks

SLACK = 1024  # room for this many more ticks after the kept ones, so live chunks append in place


class History:
    """The last ticks (absolute numbering) so movement episodes can look back across chunks: one
    row each of time (s), tilt (deg), lift (g) and low-passed acceleration (g, pelvis frame), kept
    and trimmed together. The rows live in a buffer with room behind them: a chunk's ticks are
    written in place, and trimming only moves the start, so neither copies what is kept."""

    ROWS = ("t_s", "tilt", "lift", "gx", "gy", "gz")
    first: int  # absolute number of the first kept tick

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.clear()

    @property
    def rows(self) -> np.ndarray:
        """(6, kept ticks), a view of the buffer."""
        return self._rows

    @rows.setter
    def rows(self, rows: np.ndarray) -> None:
        self._buf = np.array(rows, np.float64)
        self._lo, self._hi = 0, self._buf.shape[1]
        self._view()

    @property
    def t_s(self) -> np.ndarray:
        return self._rows[0]

    @property
    def tilt(self) -> np.ndarray:
        return self._rows[1]

    @property
    def lift(self) -> np.ndarray:
        return self._rows[2]

    @property
    def grav(self) -> np.ndarray:
        return self._rows[3:6]

    def extend(self, ticks: Ticks) -> None:
        n = len(ticks)
        if n == 0:
            return
        if self._hi == self._lo:
            self.first = int(ticks.index[0])
        if self._hi + n > self._buf.shape[1]:
            self._compact(n)
        new = self._buf[:, self._hi:self._hi + n]
        new[0], new[1], new[2], new[3:6] = ticks.t_s, ticks.tilt_deg, ticks.lift_g, ticks.grav_g
        self._hi += n
        self._view()

    def _compact(self, n: int) -> None:
        """Move the kept ticks to the front, into a new buffer when they and n more do not fit."""
        kept = self._hi - self._lo
        if kept + n > self._buf.shape[1]:
            buf = np.empty((len(self.ROWS), kept + n + SLACK))
            buf[:, :kept] = self._rows
            self._buf = buf
        else:
            self._buf[:, :kept] = self._rows  # numpy copies overlapping views correctly
        self._lo, self._hi = 0, kept

    def trim(self) -> None:
        drop = max(0, self._hi - self._lo - self.keep)
        self.first += drop
        self._lo += drop
        self._view()

    def clear(self) -> None:
        self.first, self._buf = 0, np.zeros((len(self.ROWS), SLACK))
        self._lo = self._hi = 0
        self._view()

    def _view(self) -> None:
        self._rows = self._buf[:, self._lo:self._hi]

    def span(self, a: int, b: int) -> slice:
        """Positions of absolute ticks a..b (clipped to what is kept)."""
        return slice(max(0, a - self.first), max(0, b - self.first + 1))
