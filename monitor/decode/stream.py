"""The decode stage of the pipeline, and gap accounting shared with `info`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.decode.clock import ClockSettings
from monitor.decode.frames import FrameDecoder
from monitor.errors import InputError
from monitor.profiles.model import Profile
from monitor.samples import Frames, SampleBlock, SourceItem

GAP_FACTOR = 1.5  # an interval longer than 1.5 sample periods means samples are missing


@dataclass
class GapCounter:
    """Counts gaps (missing samples) across chunks: carries the last timestamp."""

    rate_hz: float
    count: int = 0
    missing_s: float = 0.0
    last_t_s: float | None = None

    def update(self, t_s: np.ndarray) -> None:
        if len(t_s) == 0:
            return
        prev = t_s[:1] if self.last_t_s is None else np.array([self.last_t_s])
        dt = np.diff(np.concatenate([prev, t_s]))
        gaps = dt[dt > GAP_FACTOR / self.rate_hz]
        self.count += len(gaps)
        self.missing_s += float(np.sum(gaps - 1.0 / self.rate_hz))
        self.last_t_s = float(t_s[-1])


class Decoder:
    """Passes sample blocks through; decodes raw frames with the device profile of the stream."""

    def __init__(self, profile: Profile | None = None, rate_hz: float | None = None,
                 clock: ClockSettings | None = None) -> None:
        self.profile = profile
        self.frames = FrameDecoder(profile, rate_hz, clock) if profile is not None else None

    def decode(self, item: SourceItem) -> SampleBlock | None:
        if isinstance(item, SampleBlock):
            return item
        assert isinstance(item, Frames)
        if self.frames is None:
            raise InputError("raw frames cannot be decoded without a device profile (--profile ID)")
        return self.frames.decode(item)

    def flush(self) -> SampleBlock | None:
        """At the end of a run: the samples of frames the sample clock still held (None if none)."""
        return self.frames.flush() if self.frames is not None else None

    def counts(self) -> dict[str, int]:
        """Frames decoded and dropped per reason (empty for sample-block sources)."""
        return self.frames.counts() if self.frames is not None else {}
