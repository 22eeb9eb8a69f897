"""The simulated wearer as a source: its samples, sliced and paced like a live sensor's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from monitor.profiles.model import Profile
from monitor.samples import SampleBlock
from monitor.sim import SimulatedWearer
from monitor.sources.base import PacedSource
from monitor.sources.pacing import Pacer, chunk_samples


def simulated_items(wearer: SimulatedWearer, duration_s: float | None, speed: float | None,
                    stop: threading.Event | None = None) -> Iterator[SampleBlock]:
    """Samples of the wearer for `duration_s` (forever if None) at `speed` x real time."""
    pacer = Pacer(speed, stop)
    size = chunk_samples(wearer.rate_hz, speed)
    chunks = wearer.chunks() if duration_s is None else wearer.run(duration_s)
    for c in chunks:
        for i in range(0, len(c.block), size):
            if pacer.stop.is_set():
                return
            part = c.block.slice(i, i + size)
            pacer.wait_until(float(part.t_s[-1]))
            yield part


class SimulatorSource(PacedSource):
    """A seeded simulated wearer; t = 0 is when the run starts (its epoch), unless one is given."""

    profile: Profile | None = None

    def __init__(self, seed: int, rate_hz: float, duration_s: float | None, speed: float | None,
                 epoch_utc_s: float | None = None) -> None:
        self.name = f"simulated wearer (seed {seed})"
        self.wearer = SimulatedWearer(seed=seed, rate_hz=rate_hz)
        self.rate_hz, self.duration_s, self.speed = rate_hz, duration_s, speed
        self._epoch_utc_s = epoch_utc_s

    @property
    def epoch_utc_s(self) -> float:
        if self._epoch_utc_s is None:
            self._epoch_utc_s = time.time()
        return self._epoch_utc_s

    def start(self) -> None:
        _ = self.epoch_utc_s

    def items(self, stop: threading.Event) -> Iterator[SampleBlock]:
        return simulated_items(self.wearer, self.duration_s, self.speed, stop)
