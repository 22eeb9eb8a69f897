"""MQTT beside a run: the publisher service (its own thread), the sink on the first stream's pipeline,
and commands from the broker routed to the coach's request queue (the dashboard's when there is one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from monitor.coach.coach import Coach
from monitor.config import Config
from monitor.pipeline import Pipeline
from monitor.sinks.mqtt.commands import Command
from monitor.sinks.mqtt.discovery import SensorInfo
from monitor.sinks.mqtt.service import MqttService
from monitor.sinks.mqtt.settings import from_config
from monitor.sinks.mqtt.sink import MqttSink, Probe
from monitor.sources.base import Source
from monitor.timebase import TimeBase

Request = Callable[[str, Any], None]
DRAIN_S = 2.0  # a clean stop gives the outbox this long to reach the broker; the rest waits for next time


def start_mqtt(cfg: Config, request: Request, say: Callable[[str], None], demo: bool = False
               ) -> MqttService | None:
    """Start publishing if a broker is configured (a demo as its own device); None otherwise."""
    s = from_config(cfg, demo)
    if s is None:
        return None

    def on_command(c: Command) -> None:
        request(c.name, c.arg)

    service = MqttService(s, on_command, say).start()
    say(f"MQTT: publishing to {s.describe()} under {service.topics.base}/")
    return service


def mqtt_sink(service: MqttService, timebase: TimeBase, probe: Probe,
              earlier: Mapping[str, float] | None) -> MqttSink:
    return MqttSink(service.outbox, service.topics, service.s, timebase, probe, service.wake, earlier)


def probe_of(pipeline: Pipeline, coach: Coach | None, src: Source | None = None,
             link: Callable[[], dict[str, Any]] | None = None) -> Probe:
    """Live values for the state message: the engine's latest tilt (as the dashboard shows it: from
    upright sitting while sitting), the coach's bout and times, the sensor link and who the sensor is."""
    link = link or (_link_view(pipeline, src) if src is not None else None)
    sensor = sensor_of(src) if src is not None else None

    def probe(t_s: float) -> dict[str, Any]:
        status = pipeline.engine.status() if pipeline.engine is not None else None
        out: dict[str, Any] = {"tilt_deg": status.shown_tilt_deg if status is not None else None}
        if coach is not None:
            out.update(bout_s=coach.bout_s(t_s), break_due_s=coach.break_due_s(t_s),
                       snoozed_until_s=coach.st.snoozed_until_s, dnd_until_s=coach.st.dnd_until_s)
        if link is not None:
            s = link()
            out["battery_pct"] = s.get("battery_pct")
            out["link"] = "online" if s.get("state") == "streaming" else "offline"
        if sensor is not None:
            out["sensor"] = sensor()
        return out
    return probe


def _link_view(pipeline: Pipeline, src: Source) -> Callable[[], dict[str, Any]] | None:
    from monitor.run.frontend import link_view

    return link_view(src, pipeline.decoder)


def sensor_of(src: Source) -> Callable[[], SensorInfo | None] | None:
    """Who a live sensor is, once connected: address, model (as it reports it, else its profile's)
    and firmware; None for sources that are no sensor (a replay, the simulator)."""
    from monitor.sources.live import LiveSource

    if not isinstance(src, LiveSource):
        return None
    status, profile = src.link.status, src.link.profile

    def info() -> SensorInfo | None:
        if status.address is None:
            return None
        d = status.device_info
        return SensorInfo(status.address, d.get("model") or profile.name, None, d.get("firmware"),
                          d.get("hardware"))
    return info


def stop_mqtt(service: MqttService | None, say: Callable[[str], None]) -> None:
    """Say offline, give the outbox DRAIN_S to drain, and tell the user what is left."""
    if service is None:
        return
    f = service.stop(DRAIN_S)
    left = f" ({f['pending']} left in the outbox for the next start)" if f["pending"] else ""
    say(f"MQTT: {f['published']} messages delivered{left}")
