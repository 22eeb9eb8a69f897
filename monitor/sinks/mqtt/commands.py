"""Commands from MQTT, checked against a schema before anything acts on them. A rejected message is
reported once per kind of problem and otherwise ignored: no payload can crash the app or run code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.coach.settings import DND_DEFAULT_S
from monitor.sinks.mqtt.topics import COMMANDS

MAX_PAYLOAD = 256
PRESS = ("", "PRESS", "press", "{}")
LIMIT_MIN = {"snooze": 120.0, "dnd": 24 * 60.0}


@dataclass(frozen=True)
class Command:
    """`name` one of COMMANDS; `arg`: snooze minutes (None: the default), dnd seconds or None for off."""

    name: str
    arg: float | None = None


class Rejected(ValueError):
    pass


def parse(topic_base: str, topic: str, payload: bytes) -> Command:
    """The command a message asks for, or Rejected with the reason."""
    if not topic.startswith(topic_base + "/cmd/"):
        raise Rejected("not a command topic")
    name = topic[len(topic_base) + 5:]
    if name not in COMMANDS:
        raise Rejected(f"unknown command {name[:40]!r}")
    if len(payload) > MAX_PAYLOAD:
        raise Rejected(f"{name}: payload over {MAX_PAYLOAD} bytes")
    try:
        text = payload.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise Rejected(f"{name}: payload is not UTF-8") from None
    if name == "dnd":
        return _dnd(text)
    if name == "snooze" and text not in PRESS:
        return Command("snooze", _minutes(name, _json(name, text), "minutes") * 60.0)
    if text not in PRESS:
        raise Rejected(f"{name}: expected an empty payload or PRESS")
    return Command(name)


def _dnd(text: str) -> Command:
    if text.upper() == "ON":  # as the dashboard's `d`
        return Command("dnd", DND_DEFAULT_S)
    if text.upper() == "OFF":
        return Command("dnd", None)
    body = _json("dnd", text)
    on = body.get("on")
    if not isinstance(on, bool):
        raise Rejected("dnd: expected ON, OFF or {\"on\": true|false, \"minutes\": N}")
    if not on:
        return Command("dnd", None)
    return Command("dnd", _minutes("dnd", body, "minutes", DND_DEFAULT_S / 60.0) * 60.0)


def _json(name: str, text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise Rejected(f"{name}: payload is not JSON") from None
    if not isinstance(body, dict) or set(body) - {"on", "minutes"}:
        raise Rejected(f"{name}: expected an object with only 'on' and 'minutes'")
    return body


def _minutes(name: str, body: dict[str, Any], key: str, default: float | None = None) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= LIMIT_MIN[name]:
        raise Rejected(f"{name}: {key} must be a number from 1 to {LIMIT_MIN[name]:g}")
    return float(value)


class Gate:
    """Parses each message; reports each distinct rejection once through `say`."""

    def __init__(self, topic_base: str, say: Callable[[str], None]) -> None:
        self.base, self.say = topic_base, say
        self.seen: set[str] = set()
        self.rejected = 0

    def __call__(self, topic: str, payload: bytes) -> Command | None:
        try:
            return parse(self.base, topic, payload)
        except Rejected as e:
            self.rejected += 1
            if str(e) not in self.seen and len(self.seen) < 100:
                self.seen.add(str(e))
                self.say(f"MQTT command ignored: {e}")
            return None
