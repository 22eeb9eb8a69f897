"""Guided calibration: the protocol (data in calibration/), the math, the checks, storage, drift."""
