"""The posture engine: pure, synchronous, causal and chunk-invariant (no asyncio, BLE, MQTT or UI)."""

from monitor.engine.calibration import Calibration
from monitor.engine.engine import POSTURES, Estimates, PostureEngine
from monitor.engine.settings import EngineSettings

__all__ = ["POSTURES", "Calibration", "EngineSettings", "Estimates", "PostureEngine"]
