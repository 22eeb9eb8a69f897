"""The decode stage of the pipeline, and gap accounting shared with `info`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.errors import InputError
from monitor.samples import SampleBlock
from monitor.sources.base import Frames, SourceItem

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
    """Passes sample blocks through; raw frames need the device profile named in the header."""

    def __init__(self, profile: dict[str, object] | None = None) -> None:
        self.profile = profile

    def decode(self, item: SourceItem) -> SampleBlock | None:
        if isinstance(item, SampleBlock):
            return item
        assert isinstance(item, Frames)
        name = (self.profile or {}).get("id", "unknown")
        raise InputError(f"raw frames of device profile {name!r} cannot be decoded: "
                         "this version has no device profiles yet")
