"""Calibration: sensor-to-pelvis rotation, gyro bias and the wearer's own reference angles."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
MIN_SIT_ANGLE_DEG = 5.0


def _unit(v: F64) -> F64:
    return np.asarray(v / np.linalg.norm(v), np.float64)


def frame_from(up: F64, ml_hint: F64) -> F64:
    """Rows AP, ML, up in sensor coordinates; ML orthogonalised against up (evidence 3.3)."""
    up = _unit(up)
    ml = ml_hint - (ml_hint @ up) * up
    ml = _unit(ml)
    return np.stack([np.cross(ml, up), ml, up])


def tilt_deg(r: F64, acc_g: F64) -> F64:
    """Sagittal tilt (deg, + anterior) of accelerometer vectors in the pelvis frame r."""
    f = acc_g @ r.T
    return np.asarray(np.degrees(np.arctan2(-f[..., 0], f[..., 2])), np.float64)


@dataclass(frozen=True)
class Calibration:
    """R rows: pelvis AP, ML, up axes in sensor coordinates. Angles relative to standing (deg)."""

    rotation: tuple[tuple[float, float, float], ...]
    gyro_bias_dps: tuple[float, float, float] = (0.0, 0.0, 0.0)
    sit_deg: float = -17.0
    slump_deg: float | None = None
    has_sit_pose: bool = False
    slouch_threshold_deg: float | None = None  # personalised from the slumped pose, else the setting
    ml_known: bool = True  # the left-right axis is measured (sitting, bends, a preset), not guessed

    @property
    def r(self) -> F64:
        return np.array(self.rotation, np.float64)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Calibration:
        return Calibration(tuple(tuple(r) for r in d["rotation"]), tuple(d["gyro_bias_dps"]),
                           d["sit_deg"], d.get("slump_deg"), d.get("has_sit_pose", False),
                           d.get("slouch_threshold_deg"), d.get("ml_known", True))

    @staticmethod
    def from_poses(stand_acc: F64, sit_acc: F64 | None = None,
                   stand_gyro: F64 | None = None) -> Calibration:
        """Up from standing; ML from the standing-to-sitting rotation when they differ enough."""
        up = _unit(stand_acc.mean(axis=0))
        bias = tuple(stand_gyro.mean(axis=0)) if stand_gyro is not None else (0.0, 0.0, 0.0)
        if sit_acc is None:
            return Calibration(_tuples(frame_from(up, _least_aligned(up))), bias,  # type: ignore[arg-type]
                               ml_known=False)
        sit = _unit(sit_acc.mean(axis=0))
        ml = ml_from_sit(up, sit)
        r = frame_from(up, _least_aligned(up) if ml is None else ml)
        sit_deg = float(tilt_deg(r, sit))
        # a sitting within MIN_SIT_ANGLE_DEG of standing leaves left-right a guess, but then tilt
        # cannot tell the two anyway (the lift does): measuring about the guess is harmless
        return Calibration(_tuples(r), bias, sit_deg, None, True)  # type: ignore[arg-type]

    @staticmethod
    def unknown() -> Calibration:
        """No calibration: the sensor's z axis taken for up and nothing known about left-right."""
        return Calibration(((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)), ml_known=False)

    def rebased(self, up: F64, sit_dir: F64 | None = None) -> Calibration:
        """This calibration with up replaced by `up` (sensor frame, unit); left-right from standing x
        sitting when a sitting direction is known and far enough from up, else the old axis."""
        ml = None if sit_dir is None else ml_from_sit(up, sit_dir)
        r = frame_from(up, self.r[1] if ml is None else ml)
        sit = float(tilt_deg(r, sit_dir)) if sit_dir is not None else self.sit_deg
        return Calibration(_tuples(r), self.gyro_bias_dps, sit, self.slump_deg,  # type: ignore[arg-type]
                           self.has_sit_pose or sit_dir is not None, self.slouch_threshold_deg,
                           self.ml_known or ml is not None)


def ml_from_sit(up: F64, sit: F64) -> F64 | None:
    """Left-right as up x sitting (unit vectors), or None when the two poses are under
    MIN_SIT_ANGLE_DEG apart and the cross product says nothing."""
    ml = np.cross(up, sit)
    if np.degrees(np.arcsin(min(1.0, float(np.linalg.norm(ml))))) < MIN_SIT_ANGLE_DEG:
        return None
    return np.asarray(ml, np.float64)


def _least_aligned(up: F64) -> F64:
    """A sensor axis far from up, a guess for ML until movement tells us better."""
    axis = np.zeros(3)
    axis[int(np.argmin(np.abs(up)))] = 1.0
    return axis


def _tuples(r: F64) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in row) for row in r)
