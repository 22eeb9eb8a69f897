"""`--mqtt` on run, replay and demo: the publisher service, its sink on the pipeline, and commands from
the broker routed to the coach (through the dashboard's queue when there is one)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from monitor.cli.common import say_stderr
from monitor.config import Config
from monitor.pipeline import Pipeline
from monitor.sinks.mqtt.commands import Command
from monitor.timebase import TimeBase

if TYPE_CHECKING:
    from monitor.sinks.mqtt.service import MqttService

Request = Callable[[str, Any], None]


def probe_of(pipeline: Pipeline, coach: Any, link: Callable[[], dict[str, Any]] | None = None
             ) -> Callable[[float], dict[str, Any]]:
    """Live values for the state message: the engine's latest tilt, the coach's bout, the sensor link."""
    def probe(t_s: float) -> dict[str, Any]:
        est = getattr(pipeline.engine, "estimates", None)
        tilt = float(est.tilt_deg[-1]) if est is not None and len(est.t_s) else math.nan
        out: dict[str, Any] = {"tilt_deg": tilt, "bout_s": coach.bout_s(t_s) if coach else 0.0}
        if link is not None:
            s = link()
            out["battery_pct"] = s.get("battery_pct")
            out["link"] = "online" if s.get("state") == "streaming" else "offline"
        return out
    return probe


def attach_mqtt(cfg: Config, pipeline: Pipeline, request: Request, clock: TimeBase,
                probe: Callable[[float], dict[str, Any]], say: Callable[[str], None] = say_stderr,
                model: str = "posture sensor") -> MqttService | None:
    """Start publishing if a broker is configured; None otherwise."""
    from monitor.sinks.mqtt.settings import from_config

    s = from_config(cfg)
    if s is None:
        return None
    from monitor.sinks.mqtt.service import MqttService  # aiomqtt only when publishing
    from monitor.sinks.mqtt.sink import MqttSink

    def on_command(c: Command) -> None:
        request(c.name, c.arg)

    service = MqttService(s, on_command, say, model).start()
    say(f"MQTT: publishing to {s.describe()} under {service.topics.base}/")
    pipeline.sinks.append(MqttSink(service.outbox, service.topics, s, clock, probe, service.wake))
    return service


def stop_mqtt(service: MqttService | None, say: Callable[[str], None] = say_stderr) -> None:
    if service is None:
        return
    f = service.stop()
    left = f" ({f['pending']} left in the outbox for the next start)" if f["pending"] else ""
    say(f"MQTT: {f['published']} messages delivered{left}")
