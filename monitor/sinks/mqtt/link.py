"""The broker connection (aiomqtt): connect with a last will, announce availability and discovery,
deliver the outbox in order (QoS 1, deleted only on PUBACK), take commands, re-announce when Home
Assistant comes back; on any loss, reconnect with backoff and jitter, forever."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiomqtt

from monitor.sinks.mqtt.commands import Command, Gate
from monitor.sinks.mqtt.outbox import Message, Outbox
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.topics import Topics

WINDOW = 20  # messages in flight at once (mosquitto's default max_inflight_messages)
QUIET = logging.getLogger("posture_monitor.mqtt")  # aiomqtt warns on every queued publish; we report
QUIET.setLevel(logging.ERROR)                       # link problems ourselves, once


def make_client(s: MqttSettings, will: aiomqtt.Will | None = None) -> aiomqtt.Client:
    """A client for the configured broker: TLS, credentials, protocol version, a unique client id."""
    tls = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None) if s.tls else None
    version = aiomqtt.ProtocolVersion.V5 if s.protocol == "5" else aiomqtt.ProtocolVersion.V311
    return aiomqtt.Client(s.host, s.port, username=s.username, password=s.password, protocol=version,
                          identifier=f"{s.device_id}-{uuid.uuid4().hex[:8]}", keepalive=s.keepalive_s,
                          will=will, tls_context=tls, timeout=10.0, logger=QUIET,
                          max_inflight_messages=WINDOW)


@dataclass
class LinkFigures:
    connects: int = 0
    published: int = 0
    announced: int = 0
    errors: list[str] = field(default_factory=list)


class MqttLink:
    def __init__(self, s: MqttSettings, topics: Topics, outbox: Outbox, discovery: dict[str, Any],
                 on_command: Callable[[Command], None], say: Callable[[str], None]) -> None:
        self.s, self.topics, self.outbox, self.discovery = s, topics, outbox, discovery
        self.on_command, self.say = on_command, say
        self.gate = Gate(topics.base, say)
        self.figures = LinkFigures()
        self.wakeup = asyncio.Event()
        self.connected = False
        self.last_state: bytes | None = None
        self.sensor_discovery: dict[str, bytes] = {}
        self._later: asyncio.Task[None] | None = None

    def client(self) -> aiomqtt.Client:
        return make_client(self.s, aiomqtt.Will(self.topics.availability, "offline", 1, True))

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, serve until `stop` or a loss, back off, again."""
        backoff_s = self.s.backoff_min_s
        while not stop.is_set():
            try:
                async with self.client() as client:
                    self._connected()
                    backoff_s = self.s.backoff_min_s
                    await self._serve(client, stop)
                    await self._goodbye(client)
            except (aiomqtt.MqttError, OSError, ssl.SSLError) as e:
                self._lost(e)
            self.connected = False
            if not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff_s * random.uniform(0.8, 1.2))
                backoff_s = min(backoff_s * 2.0, self.s.backoff_max_s)

    def _connected(self) -> None:
        self.connected = True
        self.figures.connects += 1
        if self.figures.errors:
            self.say(f"MQTT: connected to {self.s.describe()}")

    def _lost(self, e: Exception) -> None:
        reason = f"{type(e).__name__}: {e}"
        if not self.figures.errors or self.figures.errors[-1] != reason:
            self.say(f"MQTT: {self.s.describe()}: {reason}; retrying, messages wait in the outbox")
        self.figures.errors.append(reason)

    async def _serve(self, client: aiomqtt.Client, stop: asyncio.Event) -> None:
        await client.publish(self.topics.availability, "online", qos=1, retain=True)
        await client.subscribe(self.topics.commands, qos=1)
        await client.subscribe(self.topics.ha_status, qos=1)
        await self._announce(client)
        tasks = [asyncio.create_task(self._deliver(client, stop)), asyncio.create_task(self._listen(client))]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for t in pending:
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t
        for t in done:
            t.result()  # a lost connection raises here

    async def _announce(self, client: aiomqtt.Client) -> None:
        """The app's discovery, each sensor's that went out before, then the last state."""
        await client.publish(self.topics.discovery, json.dumps(self.discovery), qos=1)
        for topic, payload in list(self.sensor_discovery.items()):
            await client.publish(topic, payload, qos=1)
        self.figures.announced += 1
        if self.last_state is not None:
            await client.publish(self.topics.state, self.last_state, qos=1, retain=True)

    async def _deliver(self, client: aiomqtt.Client, stop: asyncio.Event) -> None:
        """Oldest first, up to WINDOW in flight; a message leaves the outbox only once acknowledged."""
        while True:
            batch = self.outbox.peek(WINDOW)
            if not batch:
                if stop.is_set():
                    return
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), 0.5)
                continue
            await asyncio.gather(*(self._publish(client, m) for m in batch))
            self.outbox.ack([m.id for m in batch])
            self.figures.published += len(batch)

    async def _publish(self, client: aiomqtt.Client, m: Message) -> None:
        await client.publish(m.topic, m.payload, qos=1, retain=m.retain)
        if m.topic == self.topics.state:
            self.last_state = m.payload
        elif self.topics.is_sensor_discovery(m.topic):  # a sensor's device: again on HA's restart
            self.sensor_discovery[m.topic] = m.payload

    async def _listen(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            topic = str(message.topic)
            payload = message.payload if isinstance(message.payload, bytes) else str(message.payload).encode()
            if topic == self.topics.ha_status:
                if payload == b"online":  # Home Assistant restarted: announce again after a random delay
                    self._later = asyncio.create_task(self._announce_later(client))
                continue
            command = self.gate(topic, payload)
            if command is not None:
                self.on_command(command)

    async def _announce_later(self, client: aiomqtt.Client) -> None:
        await asyncio.sleep(random.uniform(0.0, self.s.announce_delay_max_s))
        with contextlib.suppress(aiomqtt.MqttError):  # a lost link is noticed by the other tasks
            await self._announce(client)

    async def _goodbye(self, client: aiomqtt.Client) -> None:
        """A clean stop: the app says offline itself (the will is for crashes)."""
        await client.publish(self.topics.availability, "offline", qos=1, retain=True)
