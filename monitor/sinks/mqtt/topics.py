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

    def sensor_device_id(self, sensor_key: str) -> str:
        """A sensor's own Home Assistant device: the app's id and the sensor's address."""
        return f"{self.device_id}_{sensor_key}"

    def sensor_discovery(self, sensor_key: str) -> str:
        return f"{self.discovery_prefix}/device/{self.sensor_device_id(sensor_key)}/config"

    def is_sensor_discovery(self, topic: str) -> bool:
        head = f"{self.discovery_prefix}/device/{self.device_id}_"
        return topic.startswith(head) and topic.endswith("/config")

    @property
    def sensor_info(self) -> str:
        """Retained JSON of the sensor published for (its key, address, model): what `mqtt forget` reads."""
        return f"{self.base}/sensor/info"

    @property
    def ha_status(self) -> str:
        return f"{self.discovery_prefix}/status"
