"""What flows between the stages: raw notifications (Frames) from sources to decode, and sample
blocks from sources or decode to the engine.

Units: `t_s` seconds (float64, from the start of the stream), `acc_g` in g (gravity included),
`gyro_dps` in degrees per second; `None` for accelerometer-only sensors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SampleBlock:
    """A run of IMU samples; arrays are (n,), (n, 3) and (n, 3) or None."""

    t_s: F64
    acc_g: F64
    gyro_dps: F64 | None
    rate_hz: float

    def __post_init__(self) -> None:
        n = len(self.t_s)
        if self.acc_g.shape != (n, 3):
            raise ValueError(f"acc_g shape {self.acc_g.shape} does not match {n} timestamps")
        if self.gyro_dps is not None and self.gyro_dps.shape != (n, 3):
            raise ValueError(f"gyro_dps shape {self.gyro_dps.shape} does not match {n} timestamps")

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def has_gyro(self) -> bool:
        return self.gyro_dps is not None

    def slice(self, start: int, stop: int) -> SampleBlock:
        """Samples [start, stop) as a new block sharing memory."""
        gyro = None if self.gyro_dps is None else self.gyro_dps[start:stop]
        return SampleBlock(self.t_s[start:stop], self.acc_g[start:stop], gyro, self.rate_hz)

    def same_as(self, other: SampleBlock) -> bool:
        """Bitwise equality of all arrays (used by round-trip checks)."""
        if (self.gyro_dps is None) != (other.gyro_dps is None):
            return False
        gyro_ok = self.gyro_dps is None or np.array_equal(self.gyro_dps, other.gyro_dps)  # type: ignore[arg-type]
        return (
            np.array_equal(self.t_s, other.t_s)
            and np.array_equal(self.acc_g, other.acc_g)
            and gyro_ok
            and self.rate_hz == other.rate_hz
        )


def empty_block(rate_hz: float, has_gyro: bool = True) -> SampleBlock:
    """A zero-length block, handy as a neutral element."""
    gyro = np.zeros((0, 3)) if has_gyro else None
    return SampleBlock(np.zeros(0), np.zeros((0, 3)), gyro, rate_hz)


def concat(blocks: list[SampleBlock]) -> SampleBlock:
    """Join blocks of the same rate and gyro presence into one."""
    if not blocks:
        raise ValueError("no blocks to join")
    gyro = None
    if all(b.gyro_dps is not None for b in blocks):
        gyro = np.concatenate([b.gyro_dps for b in blocks if b.gyro_dps is not None])
    t = np.concatenate([b.t_s for b in blocks])
    acc = np.concatenate([b.acc_g for b in blocks])
    return SampleBlock(t, acc, gyro, blocks[0].rate_hz)


@dataclass(frozen=True)
class Frames:
    """Notifications in arrival order: receive time (s, stream clock), characteristic uuid, raw bytes."""

    t_s: np.ndarray
    characteristic: list[str]
    payloads: list[bytes]

    def __len__(self) -> int:
        return len(self.payloads)


SourceItem = Frames | SampleBlock
