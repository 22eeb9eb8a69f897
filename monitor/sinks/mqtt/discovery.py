"""Home Assistant device discovery: one `homeassistant/device/<id>/config` payload per device, with `dev`,
`o` and `cmps`. The app is one device (posture, sitting, slouch, tilt, the bout, today's totals, when a
break is due, snooze and do-not-disturb, the event entity, buttons and the switch); each sensor is its
own device beside it (`via_device`: the app), with its battery and link, its MAC as a connection and its
model and firmware. Every component carries `qos` (Home Assistant reads it per component, not from the
device) and an icon where its device class gives none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor import __version__
from monitor.events.coach import all_event_types
from monitor.sinks.mqtt.topics import Topics

POSTURES = ["sitting", "standing", "walking", "lying"]  # "unknown" is no state: the entity shows unknown
QOS = 1
ORIGIN = {"name": "posture-monitor", "sw": __version__,
          "url": "https://github.com/posture-monitor/posture-monitor"}


@dataclass(frozen=True)
class SensorInfo:
    """What the app knows of a sensor: its address (a MAC on Linux), profile model and what it reported
    in its device information service."""

    address: str
    model: str = "posture sensor"
    manufacturer: str | None = None
    firmware: str | None = None
    hardware: str | None = None

    @property
    def key(self) -> str:
        """The sensor's part of ids and topics: its address in lowercase hex digits only."""
        return "".join(ch for ch in self.address.lower() if ch.isalnum()) or "sensor"

    @property
    def is_mac(self) -> bool:
        return len(self.key) == 12 and all(ch in "0123456789abcdef" for ch in self.key)


def _flag(key: str) -> str:
    return f"{{{{ 'ON' if value_json.{key} else 'OFF' }}}}"


def _value(key: str) -> str:
    return f"{{{{ value_json.{key} }}}}"


def _or_none(key: str) -> str:
    """A value that may be null: Home Assistant's MQTT sensor reads the text `None` as no state."""
    return f"{{{{ value_json.{key} if value_json.{key} is not none else 'None' }}}}"


def _timestamp(name: str, key: str, icon: str) -> dict[str, Any]:
    return {"p": "sensor", "name": name, "dev_cla": "timestamp", "val_tpl": _or_none(key), "icon": icon}


def _app_entities(t: Topics) -> dict[str, dict[str, Any]]:
    """The app's entities reading the state topic."""
    return {
        "sitting": {"p": "binary_sensor", "name": "Sitting", "dev_cla": "occupancy",
                    "val_tpl": _flag("sitting"), "icon": "mdi:seat-recline-normal"},
        "slouching": {"p": "binary_sensor", "name": "Slouching", "dev_cla": "problem",
                      "val_tpl": _flag("slouching"), "icon": "mdi:human-handsdown"},
        "posture": {"p": "sensor", "name": "Posture", "dev_cla": "enum", "options": POSTURES,
                    "val_tpl": "{{ value_json.posture if value_json.posture in "
                               f"{POSTURES!r} else 'None' }}}}", "icon": "mdi:human"},
        "pelvic_tilt": {"p": "sensor", "name": "Pelvic tilt", "unit_of_meas": "°", "stat_cla": "measurement",
                        "sug_dsp_prc": 1, "val_tpl": _or_none("tilt_deg"), "icon": "mdi:angle-acute"},
        "bout": {"p": "sensor", "name": "Current sitting bout", "dev_cla": "duration", "unit_of_meas": "s",
                 "val_tpl": _value("bout_s"), "icon": "mdi:timer-sand"},
        "sitting_today": {"p": "sensor", "name": "Sitting today", "dev_cla": "duration",
                          "unit_of_meas": "min", "stat_cla": "total_increasing",
                          "val_tpl": _value("sitting_today_min"), "icon": "mdi:chair-rolling"},
        "breaks_today": {"p": "sensor", "name": "Breaks today", "stat_cla": "total_increasing",
                         "val_tpl": _value("breaks_today"), "icon": "mdi:human-greeting"},
        "break_due": _timestamp("Break due", "break_due", "mdi:alarm"),
        "snoozed_until": _timestamp("Break snoozed until", "snoozed_until", "mdi:alarm-snooze"),
        "dnd_until": _timestamp("Do not disturb until", "dnd_until", "mdi:bell-sleep"),
        "dnd": {"p": "switch", "name": "Do not disturb", "cmd_t": t.command("dnd"), "val_tpl": _flag("dnd"),
                "icon": "mdi:bell-off"},
    }


def _app_controls(t: Topics) -> dict[str, dict[str, Any]]:
    """The event entity and the buttons."""
    return {
        "events": {"p": "event", "name": "Posture events", "stat_t": t.event,
                   "event_types": list(all_event_types()), "icon": "mdi:bell-ring-outline"},
        "calibrate": {"p": "button", "name": "Calibrate", "cmd_t": t.command("calibrate"),
                      "ent_cat": "config", "icon": "mdi:target"},
        "start_break": {"p": "button", "name": "Start break", "cmd_t": t.command("start_break"),
                        "icon": "mdi:human-handsup"},
        "snooze": {"p": "button", "name": "Snooze break", "cmd_t": t.command("snooze"),
                   "icon": "mdi:alarm-snooze"},
        "skip": {"p": "button", "name": "Skip break", "cmd_t": t.command("skip"), "icon": "mdi:skip-next"},
    }


def components(t: Topics) -> dict[str, dict[str, Any]]:
    """The app device's entities, each with platform `p`, a unique_id, where its state comes from and
    its QoS."""
    c = _app_entities(t)
    for comp in c.values():
        comp["stat_t"] = t.state
    c.update(_app_controls(t))
    return _finish(c, t.device_id)


def sensor_components(t: Topics, sensor: SensorInfo) -> dict[str, dict[str, Any]]:
    """The sensor device's entities: battery and the BLE link (diagnostic)."""
    c: dict[str, dict[str, Any]] = {
        "battery": {"p": "sensor", "name": "Battery", "dev_cla": "battery", "unit_of_meas": "%",
                    "stat_cla": "measurement", "ent_cat": "diagnostic", "stat_t": t.state,
                    "val_tpl": _or_none("battery_pct")},
        "link": {"p": "binary_sensor", "name": "Link", "dev_cla": "connectivity", "ent_cat": "diagnostic",
                 "stat_t": t.sensor_availability, "pl_on": "online", "pl_off": "offline"},
    }
    return _finish(c, t.sensor_device_id(sensor.key))


def _finish(c: dict[str, dict[str, Any]], uid: str) -> dict[str, dict[str, Any]]:
    for key, comp in c.items():
        comp["unique_id"] = f"{uid}_{key}"
        comp["qos"] = QOS
    return c


def discovery_payload(t: Topics, name: str, model: str = "posture-monitor") -> dict[str, Any]:
    """The app device. `name` is what Home Assistant calls it (and builds entity ids from)."""
    return {
        "dev": {"ids": [t.device_id], "name": name, "mf": "posture-monitor", "mdl": model, "sw": __version__},
        "o": ORIGIN,
        "avty": [{"topic": t.availability}],
        "qos": QOS,
        "cmps": components(t),
    }


def sensor_discovery_payload(t: Topics, sensor: SensorInfo, app_name: str) -> dict[str, Any]:
    """A sensor as its own device, reached through the app (`via_device`)."""
    dev: dict[str, Any] = {"ids": [t.sensor_device_id(sensor.key)], "name": f"{app_name} sensor",
                           "mdl": sensor.model, "via_device": t.device_id}
    if sensor.is_mac:
        dev["cns"] = [["mac", ":".join(sensor.key[i:i + 2] for i in range(0, 12, 2))]]
    for key, value in (("mf", sensor.manufacturer), ("sw", sensor.firmware), ("hw", sensor.hardware)):
        if value:
            dev[key] = value
    return {"dev": dev, "o": ORIGIN, "avty": [{"topic": t.availability}], "qos": QOS,
            "cmps": sensor_components(t, sensor)}


def forget_payloads(t: Topics, sensor_keys: list[str]) -> list[tuple[str, bytes]]:
    """What removes the devices from Home Assistant and clears this install's retained topics: an
    empty retained message on each discovery topic, state and availability."""
    topics = [t.discovery, *(t.sensor_discovery(k) for k in sensor_keys), t.state, t.availability,
              t.sensor_availability]
    return [(topic, b"") for topic in topics]
