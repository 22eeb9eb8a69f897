"""The stream side of MQTT: a sink that turns events into outbox messages (an event message, then the
new state) and, on ticks, publishes tilt: a small change (over `tilt_min_change_deg`) at most
`tilt_rate_hz`, a jump of `tilt_jump_deg` at once (at most once a second, not while walking: the pelvis
swings with every step), nothing while it holds still.
Stream times in events and state also go out as wall-clock ISO times, since `t_s` means nothing to Home
Assistant. A sensor that becomes known (address, model, firmware) is announced as its own device. It
never touches the network; the publisher thread does."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from monitor.events import Event
from monitor.sinks.mqtt.discovery import SensorInfo, sensor_discovery_payload
from monitor.sinks.mqtt.outbox import EVENT, STATE, Outbox
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.topics import Topics
from monitor.sinks.totals import DayTotals
from monitor.timebase import TimeBase

# live values at t_s: tilt_deg, bout_s, break_due_s, snoozed_until_s, dnd_until_s, battery_pct, link, sensor
Probe = Callable[[float], dict[str, Any]]
JUMP_EVERY_S = 1.0  # tilt jumps go out at most this often
WALL_TIMES = {"until_s": "until", "started_s": "started_at", "emitted_s": "emitted_at"}  # event fields


def _dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


class MqttSink:
    """`earlier`: the statistics store's totals for the run's first day, so `sitting_today_min` and
    `breaks_today` continue after a restart; they drop to zero at local midnight of `timebase`."""

    def __init__(self, outbox: Outbox, topics: Topics, settings: MqttSettings, timebase: TimeBase,
                 probe: Probe | None = None, wake: Callable[[], None] | None = None,
                 earlier: Mapping[str, float] | None = None) -> None:
        self.outbox, self.topics, self.s, self.timebase = outbox, topics, settings, timebase
        self.probe, self.wake = probe, wake or (lambda: None)
        self.totals = DayTotals(timebase, earlier)
        self.posture, self.slouching, self.dnd_until_s = "unknown", False, 0.0
        self.last_state: dict[str, Any] | None = None
        self.last_state_t_s = -math.inf
        self.link: str | None = None
        self.sensor: SensorInfo | None = None
        self.last_tick_s: float | None = None
        self.events = 0
        self.run_id = uuid.uuid4().hex[:8]  # with the count, `id` lets a consumer drop QoS 1 redeliveries

    def handle(self, event: Event) -> None:
        self._advance(event.t_s)
        self._follow(event)
        self.totals.handle(event)
        body = {"event_type": event.kind, "timestamp": self.timebase.utc_iso(event.t_s),
                "t_s": round(event.t_s, 3), "id": f"{self.run_id}-{self.events}", **self._details(event)}
        self.outbox.put(self.topics.event, _dumps(body), False, EVENT)
        self.events += 1
        self._state(event.t_s, force=True)
        self.wake()

    def _details(self, event: Event) -> dict[str, Any]:
        """The event's fields, with each stream time also as a wall-clock ISO time."""
        d = event.details()
        for key, name in WALL_TIMES.items():
            if isinstance(d.get(key), int | float):
                d[name] = self.timebase.utc_iso(float(d[key]))
        return d

    def _follow(self, ev: Event) -> None:
        if ev.kind == "posture_changed":
            self.posture = str(getattr(ev, "posture", "unknown"))
            if self.posture != "sitting":
                self.slouching = False
        elif ev.kind in ("slouch_started", "slouch_ended"):
            self.slouching = ev.kind == "slouch_started"
        elif ev.kind == "do_not_disturb":
            self.dnd_until_s = float(getattr(ev, "until_s", 0.0))

    def tick(self, t_s: float) -> None:
        self._advance(t_s)
        if t_s - self.last_state_t_s >= min(JUMP_EVERY_S, 1.0 / self.s.tilt_rate_hz) \
                and self._state(t_s, force=False):
            self.wake()

    def _advance(self, t_s: float) -> None:
        """Today's totals up to `t_s` (an event's state counts the time before it, however the stream
        is chunked); crossing local midnight first publishes the state at midnight, when the totals
        start again from zero (a replay's big chunks would otherwise skip that moment)."""
        last_s = self.last_tick_s
        if last_s is not None and t_s > last_s:
            midnight_s = self.timebase.next_midnight_t_s(last_s)
            if midnight_s <= t_s:
                self.totals.tick(midnight_s)
                self._state(midnight_s, force=True)
        self.totals.tick(t_s)
        self.last_tick_s = t_s if last_s is None else max(last_s, t_s)

    def _state(self, t_s: float, force: bool) -> bool:
        """Put a state message when forced (an event) or when tilt, battery or link changed."""
        live = self.probe(t_s) if self.probe is not None else {}
        state = self._compose(t_s, live)
        self._link(state.get("link"))
        self._sensor(live.get("sensor"))
        last = self.last_state
        if not force and last is not None and not self._moved(last, state, t_s - self.last_state_t_s):
            return False
        self.outbox.put(self.topics.state, _dumps(state), True, STATE)
        self.last_state, self.last_state_t_s = state, t_s
        return True

    def _moved(self, last: dict[str, Any], now: dict[str, Any], since_s: float) -> bool:
        """Worth a state without an event: a tilt jump, a small tilt change once its interval is up,
        or a new battery reading."""
        a, b = last.get("tilt_deg"), now.get("tilt_deg")
        change = math.inf if (a is None) != (b is None) else 0.0 if a is None or b is None else abs(a - b)
        if change >= self.s.tilt_jump_deg and since_s >= JUMP_EVERY_S and self.posture != "walking":
            return True  # (a walking pelvis swings with every step: no news)
        if change > self.s.tilt_min_change_deg and since_s >= 1.0 / self.s.tilt_rate_hz:
            return True
        return last.get("battery_pct") != now.get("battery_pct")

    def _link(self, link: str | None) -> None:
        if link is not None and link != self.link:
            self.link = link
            self.outbox.put(self.topics.sensor_availability, link.encode(), True, STATE)

    def _sensor(self, sensor: SensorInfo | None) -> None:
        """A sensor seen for the first time, or with new device information: its own device in Home
        Assistant, and the retained note of it that `mqtt forget` reads."""
        if sensor is None or sensor == self.sensor:
            return
        self.sensor = sensor
        payload = sensor_discovery_payload(self.topics, sensor, self.s.device_name)
        self.outbox.put(self.topics.sensor_discovery(sensor.key), _dumps(payload), False, EVENT)
        info = {"key": sensor.key, "address": sensor.address, "model": sensor.model}
        self.outbox.put(self.topics.sensor_info, _dumps(info), True, EVENT)

    def _iso(self, t_s: object) -> str | None:
        return self.timebase.utc_iso(t_s) if isinstance(t_s, float | int) and math.isfinite(t_s) else None

    def state(self, t_s: float) -> dict[str, Any]:
        return self._compose(t_s, self.probe(t_s) if self.probe is not None else {})

    def _compose(self, t_s: float, live: dict[str, Any]) -> dict[str, Any]:
        d = self.totals.totals
        tilt = live.get("tilt_deg")
        dnd_until_s = float(live.get("dnd_until_s", self.dnd_until_s))
        snoozed_s = live.get("snoozed_until_s")
        return {"posture": self.posture, "sitting": self.posture == "sitting", "slouching": self.slouching,
                "tilt_deg": None if tilt is None or not math.isfinite(tilt) else round(float(tilt), 1),
                "bout_s": round(float(live.get("bout_s", 0.0))), "sitting_today_min":
                round(d.get("sitting_s", 0.0) / 60.0, 1), "breaks_today": int(d.get("breaks", 0)),
                "dnd": t_s < dnd_until_s, "battery_pct": live.get("battery_pct"),
                "link": live.get("link", "online"), "timestamp": self.timebase.utc_iso(t_s),
                "break_due": self._iso(live.get("break_due_s")),
                "snoozed_until": self._iso(snoozed_s) if snoozed_s is not None and snoozed_s > t_s else None,
                "dnd_until": self._iso(dnd_until_s) if dnd_until_s > t_s else None}

    def close(self, summary: dict[str, Any]) -> None:
        self._link("offline")
        self.wake()
