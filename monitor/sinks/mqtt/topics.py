"""Topic layout: everything under `<prefix>/<device_id>/`, discovery under Home Assistant's prefix."""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = ("snooze", "skip", "start_break", "dnd", "calibrate")


@dataclass(frozen=True)
class Topics:
    prefix: str
    device_id: str
    discovery_prefix: str = "homeassistant"

    @property
    def base(self) -> str:
        return f"{self.prefix}/{self.device_id}"

    @property
    def state(self) -> str:
        """Retained JSON: posture, sitting, slouching, tilt, bout, today's totals, battery, link."""
        return f"{self.base}/state"

    @property
    def event(self) -> str:
        """Not retained: one JSON message per engine or coach event."""
        return f"{self.base}/event"

    @property
    def availability(self) -> str:
        """online / offline of the app (offline is the last will)."""
        return f"{self.base}/availability"

    @property
    def sensor_availability(self) -> str:
        """online / offline of the BLE link to the sensor."""
        return f"{self.base}/sensor/availability"

    def command(self, name: str) -> str:
        return f"{self.base}/cmd/{name}"

    @property
    def commands(self) -> str:
        return f"{self.base}/cmd/+"

    @property
    def discovery(self) -> str:
        return f"{self.discovery_prefix}/device/{self.device_id}/config"

    @property
    def ha_status(self) -> str:
        return f"{self.discovery_prefix}/status"
