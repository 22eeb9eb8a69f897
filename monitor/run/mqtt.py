"""MQTT beside a run: the publisher service (its own thread), the sink on the first stream's pipeline,
and commands from the broker routed to the coach's request queue (the dashboard's when there is one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from monitor.config import Config
from monitor.sinks.mqtt.commands import Command
from monitor.sinks.mqtt.service import MqttService
from monitor.sinks.mqtt.settings import from_config
from monitor.sinks.mqtt.sink import MqttSink, Probe
from monitor.timebase import TimeBase

Request = Callable[[str, Any], None]
DRAIN_S = 2.0  # a clean stop gives the outbox this long to reach the broker; the rest waits for next time


def start_mqtt(cfg: Config, request: Request, say: Callable[[str], None],
               model: str = "posture sensor", demo: bool = False) -> MqttService | None:
    """Start publishing if a broker is configured (a demo as its own device); None otherwise."""
    s = from_config(cfg, demo)
    if s is None:
        return None

    def on_command(c: Command) -> None:
        request(c.name, c.arg)

    service = MqttService(s, on_command, say, model).start()
    say(f"MQTT: publishing to {s.describe()} under {service.topics.base}/")
    return service


def mqtt_sink(service: MqttService, timebase: TimeBase, probe: Probe,
              earlier: Mapping[str, float] | None) -> MqttSink:
    return MqttSink(service.outbox, service.topics, service.s, timebase, probe, service.wake, earlier)


def stop_mqtt(service: MqttService | None, say: Callable[[str], None]) -> None:
    """Say offline, give the outbox DRAIN_S to drain, and tell the user what is left."""
    if service is None:
        return
    f = service.stop(DRAIN_S)
    left = f" ({f['pending']} left in the outbox for the next start)" if f["pending"] else ""
    say(f"MQTT: {f['published']} messages delivered{left}")
