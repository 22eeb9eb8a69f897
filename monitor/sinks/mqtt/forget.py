"""`mqtt forget`: remove this install's devices from Home Assistant and clear its retained topics.

Home Assistant drops a device when its discovery topic gets an empty retained message. The app's
device topic is known from the settings; the sensor's comes from the retained `<base>/sensor/info`
note the sink keeps, so a sensor announced by an earlier run is forgotten too."""

from __future__ import annotations

import asyncio
import contextlib
import json

import aiomqtt

from monitor.errors import MonitorError
from monitor.sinks.mqtt.discovery import forget_payloads
from monitor.sinks.mqtt.link import make_client
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.topics import Topics

RETAINED_WAIT_S = 1.0  # how long to wait for the broker's retained sensor note


class BrokerError(MonitorError):
    """The broker cannot be reached or refused us. Exit code 3."""

    exit_code = 3


def forget(s: MqttSettings) -> list[str]:
    """The topics cleared (discovery topics first)."""
    try:
        return asyncio.run(_forget(s))
    except aiomqtt.MqttError as e:
        raise BrokerError(f"MQTT broker {s.describe()}: {e}") from None


async def _forget(s: MqttSettings) -> list[str]:
    topics = Topics(s.prefix, s.device_id, s.discovery_prefix)
    async with make_client(s) as client:
        keys = await _sensor_keys(client, topics)
        cleared = [*forget_payloads(topics, keys), (topics.sensor_info, b"")]
        for topic, payload in cleared:
            await client.publish(topic, payload, qos=1, retain=True)
    return [topic for topic, _ in cleared]


async def _sensor_keys(client: aiomqtt.Client, topics: Topics) -> list[str]:
    """The sensor the last run announced, from its retained note (none if there is no note)."""
    await client.subscribe(topics.sensor_info, qos=1)
    keys: list[str] = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(RETAINED_WAIT_S):
            async for message in client.messages:
                key = _key(message.payload)
                if key:
                    keys.append(key)
                break
    await client.unsubscribe(topics.sensor_info)
    return keys


def _key(payload: object) -> str | None:
    if not isinstance(payload, bytes | bytearray) or not payload:
        return None
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        body = json.loads(payload)
        key = body.get("key") if isinstance(body, dict) else None
        if isinstance(key, str) and key.isalnum():
            return key
    return None
