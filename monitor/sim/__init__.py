"""A seeded, deterministic simulated wearer: schedule -> pelvis motion -> IMU signals."""

from monitor.sim.wearer import SimChunk, SimulatedWearer

__all__ = ["SimChunk", "SimulatedWearer"]
