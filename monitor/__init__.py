"""posture-monitor: sitting-posture companion for a BLE motion sensor clipped at the pelvis."""

__version__ = "0.1.0"
