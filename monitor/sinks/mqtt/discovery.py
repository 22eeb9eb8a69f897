"""Home Assistant device discovery: one `homeassistant/device/<id>/config` payload with `dev`, `o` and
`cmps` (sensors, binary sensors, the event entity, buttons and the do-not-disturb switch)."""

from __future__ import annotations

from typing import Any

from monitor import __version__
from monitor.events.coach import all_event_types
from monitor.sinks.mqtt.topics import Topics

POSTURES = ["sitting", "standing", "walking", "lying", "unknown"]
ORIGIN = {"name": "posture-monitor", "sw": __version__,
          "url": "https://github.com/posture-monitor/posture-monitor"}


def _flag(key: str) -> str:
    return f"{{{{ 'ON' if value_json.{key} else 'OFF' }}}}"


def _value(key: str) -> str:
    return f"{{{{ value_json.{key} }}}}"


def components(t: Topics) -> dict[str, dict[str, Any]]:
    """Each entity: platform `p`, a unique_id, where its state comes from, HA classes."""
    uid, st = t.device_id, t.state
    c: dict[str, dict[str, Any]] = {
        "sitting": {"p": "binary_sensor", "name": "Sitting", "dev_cla": "occupancy", "stat_t": st,
                    "val_tpl": _flag("sitting")},
        "slouching": {"p": "binary_sensor", "name": "Slouching", "dev_cla": "problem", "stat_t": st,
                      "val_tpl": _flag("slouching"), "icon": "mdi:human-handsdown"},
        "posture": {"p": "sensor", "name": "Posture", "dev_cla": "enum", "options": POSTURES, "stat_t": st,
                    "val_tpl": _value("posture")},
        "pelvic_tilt": {"p": "sensor", "name": "Pelvic tilt", "unit_of_meas": "°", "stat_cla": "measurement",
                        "sug_dsp_prc": 1, "stat_t": st, "val_tpl": _value("tilt_deg"),
                        "icon": "mdi:angle-acute"},
        "bout": {"p": "sensor", "name": "Current sitting bout", "dev_cla": "duration", "unit_of_meas": "s",
                 "stat_t": st, "val_tpl": _value("bout_s")},
        "sitting_today": {"p": "sensor", "name": "Sitting today", "dev_cla": "duration",
                          "unit_of_meas": "min", "stat_cla": "total_increasing", "stat_t": st,
                          "val_tpl": _value("sitting_today_min")},
        "breaks_today": {"p": "sensor", "name": "Breaks today", "stat_cla": "total_increasing", "stat_t": st,
                         "val_tpl": _value("breaks_today"), "icon": "mdi:human-greeting"},
        "battery": {"p": "sensor", "name": "Sensor battery", "dev_cla": "battery", "unit_of_meas": "%",
                    "stat_cla": "measurement", "ent_cat": "diagnostic", "stat_t": st,
                    "val_tpl": _value("battery_pct")},
        "sensor_link": {"p": "binary_sensor", "name": "Sensor link", "dev_cla": "connectivity",
                        "ent_cat": "diagnostic", "stat_t": t.sensor_availability, "pl_on": "online",
                        "pl_off": "offline"},
        "events": {"p": "event", "name": "Posture events", "stat_t": t.event,
                   "event_types": list(all_event_types())},
        "calibrate": {"p": "button", "name": "Calibrate", "cmd_t": t.command("calibrate"),
                      "ent_cat": "config"},
        "start_break": {"p": "button", "name": "Start break", "cmd_t": t.command("start_break")},
        "snooze": {"p": "button", "name": "Snooze break", "cmd_t": t.command("snooze")},
        "skip": {"p": "button", "name": "Skip break", "cmd_t": t.command("skip")},
        "dnd": {"p": "switch", "name": "Do not disturb", "cmd_t": t.command("dnd"), "stat_t": st,
                "val_tpl": _flag("dnd"), "icon": "mdi:bell-off"},
    }
    for key, comp in c.items():
        comp["unique_id"] = f"{uid}_{key}"
    return c


def discovery_payload(t: Topics, model: str = "posture sensor") -> dict[str, Any]:
    return {
        "dev": {"ids": [t.device_id], "name": "Posture monitor", "mf": "posture-monitor", "mdl": model,
                "sw": __version__},
        "o": ORIGIN,
        "avty": [{"topic": t.availability}],
        "qos": 1,
        "cmps": components(t),
    }
