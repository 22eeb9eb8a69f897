"""What sources yield: raw notifications, or sample blocks where no raw bytes exist."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.samples import SampleBlock


@dataclass(frozen=True)
class Frames:
    """Notifications in arrival order: receive time (s), characteristic uuid, raw bytes."""

    t_s: np.ndarray
    characteristic: list[str]
    payloads: list[bytes]

    def __len__(self) -> int:
        return len(self.payloads)


SourceItem = Frames | SampleBlock
