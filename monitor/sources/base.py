"""The one interface every source offers the run: BLE (real or virtual sensors), a recording's replay
and the simulated wearer all yield timestamped items (raw Frames or SampleBlocks) on one time base."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Protocol

from monitor.profiles.model import Profile
from monitor.samples import SourceItem


class Source(Protocol):
    """A stream of items whose `t_s` count from the stream's t = 0.

    `epoch_utc_s` is the UTC wall time of t = 0 (taken when a live stream starts, read from a
    recording's header, chosen for the simulator); it is known once `start()` returned.
    `profile` is the device profile that decodes its raw frames (None: it yields sample blocks)."""

    name: str
    rate_hz: float
    profile: Profile | None

    @property
    def epoch_utc_s(self) -> float: ...

    def start(self) -> None:
        """Begin producing (a live link connects; pacing starts)."""

    def items(self, stop: threading.Event) -> Iterator[SourceItem]:
        """Items in stream order until the source ends or `stop` is set; blocks between items."""
        ...

    def stream_s(self) -> float | None:
        """The stream's own clock now (live sources), else None: the last item's time is 'now'."""
        ...

    def summary(self) -> dict[str, object]:
        """Figures for the end-of-run summary (a live link's faults and measured rate)."""
        ...

    def close(self) -> None:
        """Release what the source holds (links, files)."""


class PacedSource:
    """What the simulator and a replay share: no clock of their own (an item's time is 'now'), no
    link to report on, nothing to release."""

    def start(self) -> None:
        pass

    def stream_s(self) -> float | None:
        return None

    def summary(self) -> dict[str, object]:
        return {}

    def close(self) -> None:
        pass
