"""The decision layer's look-back: recent ticks kept across chunks, numbered absolutely."""

from __future__ import annotations

import numpy as np

from monitor.engine.ticks import Ticks


class History:
    """The last ticks (absolute numbering) so movement episodes can look back across chunks: one
    row each of time (s), tilt (deg), lift (g) and low-passed acceleration (g, pelvis frame), kept
    and trimmed together."""

    ROWS = ("t_s", "tilt", "lift", "gx", "gy", "gz")
    first: int  # absolute number of the first kept tick
    rows: np.ndarray

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.clear()

    @property
    def t_s(self) -> np.ndarray:
        return self.rows[0]

    @property
    def tilt(self) -> np.ndarray:
        return self.rows[1]

    @property
    def lift(self) -> np.ndarray:
        return self.rows[2]

    @property
    def grav(self) -> np.ndarray:
        return self.rows[3:6]

    def extend(self, ticks: Ticks) -> None:
        if len(ticks) == 0:
            return
        if self.rows.shape[1] == 0:
            self.first = int(ticks.index[0])
        new = np.vstack([ticks.t_s, ticks.tilt_deg, ticks.lift_g, ticks.grav_g])
        self.rows = np.concatenate([self.rows, new], axis=1)

    def trim(self) -> None:
        drop = max(0, self.rows.shape[1] - self.keep)
        self.first += drop
        self.rows = self.rows[:, drop:]

    def clear(self) -> None:
        self.first, self.rows = 0, np.zeros((len(self.ROWS), 0))

    def span(self, a: int, b: int) -> slice:
        """Positions of absolute ticks a..b (clipped to what is kept)."""
        return slice(max(0, a - self.first), max(0, b - self.first + 1))
