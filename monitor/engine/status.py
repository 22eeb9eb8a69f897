"""EngineStatus: what front ends (the dashboard, the MQTT state message) read of the engine after a
block, as one typed, immutable value, so none of them reaches into the engine's attributes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from monitor.engine.settings import EngineSettings

TiltSeconds = tuple[tuple[float, float], ...]  # (t_s, tilt_deg) pairs


@dataclass(frozen=True)
class EngineStatus:
    """The engine after its latest block. The defaults describe an engine that has seen nothing
    (also what a front end shows for a pipeline without an engine)."""

    t_s: float | None = None  # time of the latest sample; None before the first block
    posture: str = "unknown"
    tilt_deg: float | None = None  # latest finite pelvic tilt of the latest block (0 = calibrated standing)
    slouching: bool = False
    slouch_threshold_deg: float = EngineSettings.slouch_threshold_deg
    calibrated: bool = False  # a calibration was given or made (not an automatic reference)
    auto_reference: str | None = None  # uncalibrated: where the upright reference came from
    # The first sample of each whole second in the latest block, for once-a-second histories; a
    # consumer keeps the seconds later than the last one it has (a block may start mid-second).
    tilt_by_second: TiltSeconds = ()
    sit_reference_deg: float = 0.0  # upright sitting's tilt from standing: slouch is measured from it
    slouch_since_s: float | None = None  # when the slouch under way started (None: not slouching)

    @property
    def tilt_from_sitting_deg(self) -> float | None:
        """While sitting, the tilt from your upright sitting (negative = slouched back), the angle the
        slouch threshold applies to; None otherwise."""
        if self.posture != "sitting" or self.tilt_deg is None:
            return None
        return self.tilt_deg - self.sit_reference_deg

    @property
    def shown_tilt_deg(self) -> float | None:
        """The one tilt every front end shows (dashboard, events, MQTT): from upright sitting while
        sitting, from calibrated standing otherwise."""
        return self.tilt_from_sitting_deg if self.posture == "sitting" else self.tilt_deg

    def seconds_after(self, last_s: float | None) -> TiltSeconds:
        """The per-second tilt samples whose whole second is later than `last_s`'s (all if None).
        Reading the same status twice therefore adds nothing the second time."""
        if last_s is None:
            return self.tilt_by_second
        floor_s = np.floor(last_s)
        return tuple(p for p in self.tilt_by_second if np.floor(p[0]) > floor_s)


def latest_finite(values_deg: NDArray[np.float64]) -> float | None:
    """The last finite value, or None if there is none."""
    finite = np.flatnonzero(np.isfinite(values_deg))
    return float(values_deg[finite[-1]]) if len(finite) else None


def first_of_each_second(t_s: NDArray[np.float64], tilt_deg: NDArray[np.float64]) -> TiltSeconds:
    """(t_s, tilt_deg) of the block's first sample and of each sample that starts a new whole second."""
    if len(t_s) == 0:
        return ()
    whole_s = np.floor(t_s)
    starts = np.flatnonzero(np.diff(whole_s, prepend=whole_s[0] - 1.0))
    return tuple(zip(t_s[starts].tolist(), tilt_deg[starts].tolist(), strict=True))
