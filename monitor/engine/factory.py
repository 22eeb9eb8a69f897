"""Build an engine from the effective configuration (settings file and flags)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from monitor.config import Config, tuning, values_for
from monitor.engine.calibration import Calibration
from monitor.engine.engine import PostureEngine
from monitor.engine.settings import EngineSettings


def settings_from_config(cfg: Config) -> EngineSettings:
    """The engine's settings: the tuning fields and the user-facing keys that set EngineSettings
    fields (the slouch ones), as the coach's come from `values_for` (monitor/run/build.py)."""
    return EngineSettings(**tuning(cfg), **values_for(cfg, EngineSettings))  # type: ignore[arg-type]  # checked by config


def engine_from_config(cfg: Config, rate_hz: float, calibration: Any = None) -> PostureEngine:
    cal = Calibration.from_dict(calibration) if isinstance(calibration, dict) else calibration
    s = settings_from_config(cfg)
    personal = getattr(cal, "slouch_threshold_deg", None)
    if personal is not None and cfg.sources["engine.slouch_threshold_deg"] == "default":
        s = replace(s, slouch_threshold_deg=personal)  # the calibration's, unless the user set one
    return PostureEngine(rate_hz, cal, s)
