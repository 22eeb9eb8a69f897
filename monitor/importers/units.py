"""Unit sanity on import: a worn sensor reads about 1 g and samples at a rate a wearable can have.

A file in m/s2 read as g (median |acc| near 9.8), g read as m/s2 (near 0.1) or milliseconds read as
seconds (a rate of a few mHz) would import without complaint and give an engine nothing it can use.
Both checks use the median over the whole file, so a first row taken while moving does not decide.
The hint names the unit flag that would make the file plausible. Angular rate has no such anchor
(rad/s read as deg/s looks like a wearer holding still), so it is not checked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from monitor.errors import ImportFormatError

ACC_UNITS = {"g": 1.0, "m/s2": 1 / 9.80665, "mg": 1e-3}
GYRO_UNITS = {"deg/s": 1.0, "rad/s": 180 / np.pi}
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6}

ACC_PLAUSIBLE_G = (0.5, 2.0)  # median |acc| of a worn sensor: gravity, walking adds little to the median
RATE_PLAUSIBLE_HZ = (1.0, 2000.0)  # wearable IMUs: 1 Hz loggers to 2 kHz (the --rate bound)
FORCE = "--no-unit-check to import it as it is"


def _within(value: float, band: tuple[float, float]) -> bool:
    return band[0] <= value <= band[1]


def median_acc_g(acc_g: np.ndarray) -> float:
    """The median magnitude of the acceleration over every sample."""
    return float(np.median(np.linalg.norm(acc_g, axis=1))) if len(acc_g) else 0.0


def check_acc_unit(path: Path, acc_raw: np.ndarray, unit: str) -> None:
    """Refuse an acceleration unit under which the file's median |acc| is not about 1 g."""
    median_g = median_acc_g(acc_raw * ACC_UNITS[unit])
    if _within(median_g, ACC_PLAUSIBLE_G):
        return
    raw = median_g / ACC_UNITS[unit]
    fits = [u for u, f in ACC_UNITS.items() if u != unit and _within(raw * f, ACC_PLAUSIBLE_G)]
    hint = (f"looks like {fits[0]}: give --acc-unit {fits[0]}" if fits
            else "check --acc-columns and --acc-unit")
    raise ImportFormatError(path, f"median |acc| is {median_g:.3g} g with --acc-unit {unit}, a worn "
                                  f"sensor reads about 1 g; {hint} (or {FORCE})")


def check_time_unit(path: Path, column: str, step_raw: float, unit: str) -> None:
    """Refuse a time unit under which the median sample step gives an implausible sample rate."""
    rate_hz = 1.0 / (step_raw * TIME_UNITS[unit])
    if _within(rate_hz, RATE_PLAUSIBLE_HZ):
        return
    fits = {u: 1.0 / (step_raw * f) for u, f in TIME_UNITS.items() if u != unit}
    fits = {u: r for u, r in fits.items() if _within(r, RATE_PLAUSIBLE_HZ)}
    hint = (", ".join(f"with --time-unit {u} it is {r:.4g} Hz" for u, r in fits.items()) if fits
            else "check --time-column and --time-unit")
    raise ImportFormatError(path, f"column {column!r} read in {unit} gives {rate_hz:.4g} Hz (median step "
                                  f"{step_raw:g} {unit}), implausible for a wearable; {hint} (or {FORCE})")
