"""Real-time pacing for replay and demo: stream time t_s is released at t_s / speed wall seconds."""

from __future__ import annotations

import threading
import time


class Pacer:
    """Waits until the wall clock catches up with stream time; speed None means as fast as possible.
    A set `stop` event ends any wait at once, so a signal never waits for the next item."""

    def __init__(self, speed: float | None, stop: threading.Event | None = None) -> None:
        self.speed = speed
        self.stop = stop or threading.Event()
        self._t0_wall: float | None = None
        self._t0_stream = 0.0

    def wait_until(self, t_s: float) -> None:
        if self.speed is None:
            return
        now = time.monotonic()
        if self._t0_wall is None:
            self._t0_wall, self._t0_stream = now, t_s
            return
        due = self._t0_wall + (t_s - self._t0_stream) / self.speed
        if due > now:
            self.stop.wait(due - now)


def chunk_samples(rate_hz: float, speed: float | None) -> int:
    """Chunk size a live sensor would deliver (about 0.1 s of samples), or large when unpaced."""
    if speed is None:
        return 65536
    return max(1, round(rate_hz / 10))
