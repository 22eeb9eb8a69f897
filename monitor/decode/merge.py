"""Joining decoded streams into 6-axis sample blocks in the profile's axis convention.

Sensors that send acceleration and rotation in separate notifications (MetaMotion, Arduino
BLESense) are merged on the accelerometer's clock: each sample takes the latest gyro reading
(zero-order hold, carried across calls)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from monitor.profiles.model import Profile, StreamSpec
from monitor.samples import SampleBlock

F64 = NDArray[np.float64]
Part = tuple[StreamSpec, F64, dict[str, F64]]


def axis_matrix(axes: tuple[str, ...]) -> F64:
    """Rows pick (and sign) the sensor axes that form the profile's x, y, z."""
    m = np.zeros((3, 3))
    for row, a in enumerate(axes):
        m[row, "xyz".index(a[-1])] = -1.0 if a.startswith("-") else 1.0
    return m


def _xyz(values: dict[str, F64], kind: str) -> F64:
    return np.stack([values[f"{kind}_{a}"] for a in "xyz"], axis=1)


class ImuMerger:
    def __init__(self, profile: Profile, rate_hz: float) -> None:
        self.rate_hz = rate_hz
        self.has_gyro = profile.has_gyro
        self.axes = axis_matrix(profile.axes)
        self.last_gyro = np.zeros(3)
        self.last_gyro_t = -np.inf

    def merge(self, parts: list[Part]) -> SampleBlock | None:
        acc = [(t, v) for s, t, v in parts if "acc" in s.provides]
        g_t, g_v = self._separate_gyro(parts)
        if not acc:
            self._remember_gyro(g_t, g_v)
            return None
        t_s = np.concatenate([t for t, _ in acc])
        acc_g = np.concatenate([_xyz(v, "acc") for _, v in acc])
        gyro = self._gyro_for(t_s, acc, g_t, g_v) if self.has_gyro else None
        order = np.argsort(t_s, kind="stable")
        acc_g = acc_g[order] @ self.axes.T
        gyro = gyro[order] @ self.axes.T if gyro is not None else None
        return SampleBlock(t_s[order], acc_g, gyro, self.rate_hz)

    def _gyro_for(self, t_s: F64, acc: list[tuple[F64, dict[str, F64]]], g_t: F64, g_v: F64) -> F64:
        if all("gyro_x" in v for _, v in acc):
            out = np.concatenate([_xyz(v, "gyro") for _, v in acc])
            self.last_gyro, self.last_gyro_t = out[-1], float(t_s[-1])
            return out
        times = np.concatenate([[self.last_gyro_t], g_t])
        vals = np.concatenate([self.last_gyro[None, :], g_v])
        order = np.argsort(times, kind="stable")
        times, vals = times[order], vals[order]
        idx = np.maximum(np.searchsorted(times, t_s, side="right") - 1, 0)
        self._remember_gyro(g_t, g_v)
        return np.asarray(vals[idx], np.float64)

    def _separate_gyro(self, parts: list[Part]) -> tuple[F64, F64]:
        gy = [(t, v) for s, t, v in parts if "gyro" in s.provides and "acc" not in s.provides]
        if not gy:
            return np.zeros(0), np.zeros((0, 3))
        return np.concatenate([t for t, _ in gy]), np.concatenate([_xyz(v, "gyro") for _, v in gy])

    def _remember_gyro(self, g_t: F64, g_v: F64) -> None:
        if len(g_t):
            k = int(np.argmax(g_t))
            if g_t[k] >= self.last_gyro_t:
                self.last_gyro, self.last_gyro_t = g_v[k], float(g_t[k])
