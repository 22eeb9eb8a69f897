"""The simulated wearer as a live source: its samples, sliced and paced like a sensor's."""

from __future__ import annotations

from collections.abc import Iterator

from monitor.samples import SampleBlock
from monitor.sim import SimulatedWearer
from monitor.sources.pacing import Pacer, chunk_samples


def simulated_items(wearer: SimulatedWearer, duration_s: float | None,
                    speed: float | None) -> Iterator[SampleBlock]:
    """Samples of the wearer for `duration_s` (forever if None) at `speed` x real time."""
    pacer = Pacer(speed)
    size = chunk_samples(wearer.rate_hz, speed)
    chunks = wearer.chunks() if duration_s is None else wearer.run(duration_s)
    for c in chunks:
        for i in range(0, len(c.block), size):
            part = c.block.slice(i, i + size)
            pacer.wait_until(float(part.t_s[-1]))
            yield part
