"""Shared by the engine tests: the calibration a guided one would take from a simulated day."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.engine import Calibration
from monitor.sim.wearer import SimChunk


def guided_calibration(chunks: Sequence[SimChunk]) -> Calibration:
    """The first 5 s of the day's opening stand and 5 s into its first sit (a schedule starts
    standing, sits down, then sits); the gyro bias from the same 5 s of standing."""
    assert [c.segment.kind for c in chunks[:3]] == ["standing", "stand_to_sit", "sitting"]
    stand, sit = chunks[0].block, chunks[2].block
    n = int(5 * stand.rate_hz)
    gyro = None if stand.gyro_dps is None else stand.gyro_dps[:n]
    return Calibration.from_poses(stand.acc_g[:n], sit.acc_g[n:2 * n], gyro)
