"""MQTT beside any stream: the publisher runs in its own thread and event loop, so a synchronous
replay, the dashboard's worker or a BLE loop all feed the same sink; stopping drains the outbox
for a few seconds, and whatever is left waits in the outbox for the next start."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monitor.paths import data_dir
from monitor.sinks.mqtt.commands import Command
from monitor.sinks.mqtt.discovery import discovery_payload
from monitor.sinks.mqtt.link import MqttLink
from monitor.sinks.mqtt.outbox import Outbox
from monitor.sinks.mqtt.settings import MqttSettings
from monitor.sinks.mqtt.topics import Topics


def outbox_path(s: MqttSettings) -> Path:
    """One outbox per broker and device: what was queued for one broker is never delivered to another."""
    return data_dir() / f"mqtt-outbox-{s.outbox_key}.sqlite"


class MqttService:
    def __init__(self, s: MqttSettings, on_command: Callable[[Command], None], say: Callable[[str], None],
                 model: str = "posture sensor", path: Path | None = None) -> None:
        self.s = s
        self.topics = Topics(s.prefix, s.device_id, s.discovery_prefix)
        self.outbox = Outbox(path or outbox_path(s), s.outbox_max)
        discovery = discovery_payload(self.topics, s.device_name, model)
        self.link = MqttLink(s, self.topics, self.outbox, discovery, on_command, say)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._main, name="mqtt", daemon=True)

    def start(self) -> MqttService:
        self.thread.start()
        self._ready.wait(5.0)
        return self

    def _main(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        self.loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self.link.wakeup = asyncio.Event()
        self._ready.set()
        await self.link.run(self._stop)

    def wake(self) -> None:
        """From any thread: there is something new in the outbox."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.link.wakeup.set)

    def wait_connected(self, timeout_s: float) -> bool:
        end = time.monotonic() + timeout_s
        while not self.link.connected and time.monotonic() < end:
            time.sleep(0.02)
        return self.link.connected

    def stop(self, drain_s: float = 5.0) -> dict[str, Any]:
        """Deliver what is pending (up to `drain_s`), say offline, disconnect; the figures."""
        loop, stop = self.loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
            loop.call_soon_threadsafe(self.link.wakeup.set)
        self.thread.join(drain_s)
        f = self.link.figures
        figures = {"connects": f.connects, "published": f.published, "pending": len(self.outbox),
                   "dropped_states": self.outbox.dropped_states, "commands_rejected": self.link.gate.rejected}
        if not self.thread.is_alive():
            self.outbox.close()
        return figures
