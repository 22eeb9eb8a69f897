"""Samples cut into fixed-length tiles (whatever the chunking), each summarised for stillness checks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.samples import SampleBlock

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Tile:
    t_end_s: float
    n: int
    acc_mean_g: F64
    acc_sd_g: float  # spread of the acceleration vector around its mean (RMS of the norm of the deviation)
    gyro_mean_dps: F64
    gyro_dev_dps: float  # RMS angular rate around its mean: movement, independent of the gyro bias
    gyro_dps: F64  # the samples, for the forward-bend axis

    def still(self, gyro_dev_dps: float, acc_sd_g: float) -> bool:
        return self.gyro_dev_dps <= gyro_dev_dps and self.acc_sd_g <= acc_sd_g


class Tiler:
    """Collects samples; every `tile_s` of them becomes a Tile."""

    def __init__(self, rate_hz: float, tile_s: float) -> None:
        self.per_tile = max(2, round(rate_hz * tile_s))
        self.t: list[float] = []
        self.acc: list[F64] = []
        self.gyro: list[F64] = []

    def update(self, block: SampleBlock) -> list[Tile]:
        gyro = block.gyro_dps if block.gyro_dps is not None else np.zeros_like(block.acc_g)
        self.t.extend(block.t_s.tolist())
        self.acc.extend(block.acc_g)
        self.gyro.extend(gyro)
        out = []
        while len(self.t) >= self.per_tile:
            k = self.per_tile
            out.append(_tile(self.t[k - 1], np.array(self.acc[:k]), np.array(self.gyro[:k])))
            del self.t[:k], self.acc[:k], self.gyro[:k]
        return out


def _tile(t_end_s: float, acc: F64, gyro: F64) -> Tile:
    am, gm = acc.mean(axis=0), gyro.mean(axis=0)
    acc_sd = float(np.sqrt(((acc - am) ** 2).sum(axis=1).mean()))
    gyro_dev = float(np.sqrt(((gyro - gm) ** 2).sum(axis=1).mean()))
    return Tile(t_end_s, len(acc), am, acc_sd, gm, gyro_dev, gyro)


def angle_deg(a: F64, b: F64) -> float:
    c = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return float(np.degrees(np.arccos(np.clip(c, -1.0, 1.0))))
