"""The live BLE source: find a sensor, configure it per its profile, stream raw notifications,
and survive the real world (lost links, stalls, restarts) by reconnecting forever with
exponential backoff and jitter. Every notification goes to `on_frame` the moment it arrives."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.exc import BleakError

from monitor.profiles import Profile, fill
from monitor.sources.scan import is_target

DEVICE_INFO = {"model": "00002a24-0000-1000-8000-00805f9b34fb",
               "firmware": "00002a26-0000-1000-8000-00805f9b34fb",
               "hardware": "00002a27-0000-1000-8000-00805f9b34fb"}
FrameCallback = Callable[[float, str, bytes], None]


@dataclass(frozen=True)
class LinkSettings:
    stall_s: float = 3.0  # no frame for this long while streaming: force a reconnect
    backoff_min_s: float = 0.5
    backoff_max_s: float = 30.0
    jitter: float = 0.3  # +- share of each backoff delay, so many clients do not retry in step
    scan_timeout_s: float = 5.0
    connect_timeout_s: float = 10.0  # connect + discovery + configuration, or the attempt is abandoned
    battery_every_s: float = 300.0


@dataclass
class LinkStatus:
    """What the dashboard and the summary show about the link."""

    state: str = "connecting"  # connecting / streaming / reconnecting / stalled / stopped
    address: str | None = None
    connects: int = 0
    drops: int = 0
    stalls: int = 0
    frames: int = 0
    battery_pct: int | None = None
    device_info: dict[str, str] = field(default_factory=dict)
    reconnect_s: list[float] = field(default_factory=list)  # link lost -> streaming again
    last_error: str | None = None
    nudges: int = 0  # nudges sent to the sensor's actuators


def backoff_s(attempt: int, s: LinkSettings, rng: random.Random) -> float:
    base = min(s.backoff_max_s, s.backoff_min_s * 2.0 ** attempt)
    return base * (1.0 + s.jitter * rng.uniform(-1.0, 1.0))


class SensorLink:
    """One sensor, by name or address, streamed until `stop()`."""

    def __init__(self, target: str, profile: Profile, on_frame: FrameCallback | None = None, *,
                 rate_hz: float | None = None,
                 settings: LinkSettings | None = None, scanner_backend: Any = None,
                 client_backend: Any = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_state: Callable[[LinkStatus], None] | None = None) -> None:
        self.target, self.profile = target, profile
        self.on_frame: FrameCallback = on_frame or (lambda _t, _c, _d: None)
        self.rate_hz = rate_hz or profile.rate.default_hz
        self.s = settings or LinkSettings()
        self.backends = {"scanner": scanner_backend, "client": client_backend}
        self.clock, self.on_state = clock, on_state
        self.status = LinkStatus()
        self._last_frame = 0.0
        self._lost_at: float | None = None
        self._stopping = asyncio.Event()
        self._rng = random.Random()
        self._client: BleakClient | None = None  # while streaming: where nudges go
        self._nudging = asyncio.Lock()  # one nudge at a time: their writes never interleave

    def _set(self, state: str) -> None:
        self.status.state = state
        if self.on_state:
            self.on_state(self.status)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Stream until `stop()`; a stop interrupts whatever the link is waiting for. Frames are
        timed on `clock`, the stream's clock (t = 0 when the run started)."""
        inner = asyncio.create_task(self._retry_forever())
        stopper = asyncio.create_task(self._stopping.wait())
        await asyncio.wait({inner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (inner, stopper):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._set("stopped")

    async def _retry_forever(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            self._set("connecting" if self.status.connects == 0 else "reconnecting")
            try:
                if await self._session():
                    attempt = 0
            except Exception as e:  # any stack error is one failed attempt; the link retries forever
                self.status.last_error = f"{type(e).__name__}: {e}"
            if self._stopping.is_set():
                break
            self._lost_at = self._lost_at or self.clock()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), backoff_s(attempt, self.s, self._rng))
            attempt += 1

    async def _find(self) -> BLEDevice:
        def hit(d: BLEDevice, adv: Any) -> bool:
            return is_target(self.target, d.address, adv.local_name or d.name)

        device = await BleakScanner.find_device_by_filter(hit, timeout=self.s.scan_timeout_s,
                                                          backend=self.backends["scanner"])
        if device is None:
            raise LookupError(f"no sensor {self.target!r} found")
        return device

    async def _session(self) -> bool:
        """Connect, configure, stream until the link is lost or stalls. True if it streamed."""
        device = await self._find()
        lost = asyncio.Event()
        client = BleakClient(device, disconnected_callback=lambda _c: lost.set(),
                             backend=self.backends["client"])
        try:
            await asyncio.wait_for(self._setup(client), self.s.connect_timeout_s)
            self.status.address, self.status.connects = device.address, self.status.connects + 1
            self._last_frame = self.clock()
            self._client = client
            self._set("streaming")
            if self._lost_at is not None:
                self.status.reconnect_s.append(self.clock() - self._lost_at)
                self._lost_at = None
            await self._watch(client, lost)
            return True
        finally:
            self._client = None
            with contextlib.suppress(Exception):
                await client.disconnect()

    async def nudge(self, name: str) -> bool:
        """Send the profile's writes for nudge `name` ("slouch", "break": a buzz, a blink, a tone) to
        the sensor while it streams. False when the profile declares no such nudge, the link is not
        streaming, or a write failed (the stream carries on; the link notices a lost connection)."""
        nudge = self.profile.nudge(name)
        if nudge is None:
            return False
        async with self._nudging:
            client = self._client
            if client is None or self.status.state != "streaming":
                return False
            try:
                for i, w in enumerate(nudge.writes):
                    if i and w.delay_ms:
                        await asyncio.sleep(w.delay_ms / 1000)
                    sent = client.write_gatt_char(w.characteristic, w.data, response=w.response)
                    await asyncio.wait_for(sent, self.s.connect_timeout_s)  # a dead link never holds a nudge
            except Exception as e:  # any stack error: this nudge is lost, the link decides about itself
                self.status.last_error = f"nudge {name}: {type(e).__name__}: {e}"
                return False
        self.status.nudges += 1
        return True

    async def _setup(self, client: BleakClient) -> None:
        await client.connect()
        await self._read_info(client)
        await self._configure(client)

    async def _read_info(self, client: BleakClient) -> None:
        for key, uuid in DEVICE_INFO.items():
            if client.services.get_characteristic(uuid) is not None:
                with contextlib.suppress(BleakError):
                    raw = await client.read_gatt_char(uuid)
                    self.status.device_info[key] = raw.decode(errors="replace")
        await self._read_battery(client)

    async def _read_battery(self, client: BleakClient) -> None:
        uuid = self.profile.battery_characteristic
        if uuid and client.services.get_characteristic(uuid) is not None:
            with contextlib.suppress(BleakError):
                self.status.battery_pct = (await client.read_gatt_char(uuid))[0]

    async def _configure(self, client: BleakClient) -> None:
        p = self.profile
        if p.subscribe_first:
            await self._subscribe(client)
        for w in (*p.rate.writes, *p.start):
            await client.write_gatt_char(w.characteristic, fill(w, self.rate_hz, p.rate), response=w.response)
        if not p.subscribe_first:
            await self._subscribe(client)

    async def _subscribe(self, client: BleakClient) -> None:
        for uuid in (*self.profile.also_subscribe, *self.profile.characteristics):
            await client.start_notify(uuid, self._make_handler(uuid))

    def _make_handler(self, uuid: str) -> Callable[[Any, bytearray], None]:
        data_chars = {c.lower() for c in self.profile.characteristics}

        def handle(_char: Any, data: bytearray) -> None:
            if uuid.lower() not in data_chars:
                return  # control-point responses are not sensor data
            now = self.clock()
            self._last_frame = now
            self.status.frames += 1
            self.on_frame(now, uuid.lower(), bytes(data))
        return handle

    async def _watch(self, client: BleakClient, lost: asyncio.Event) -> None:
        next_battery = self.clock() + self.s.battery_every_s
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), 0.1)
            if lost.is_set():
                self.status.drops += 1
                self._lost_at = self.clock()
                return
            if self.clock() - self._last_frame > self.s.stall_s:
                self.status.stalls += 1
                self._lost_at = self.clock()
                self._set("stalled")
                return
            if self.clock() >= next_battery:
                await self._read_battery(client)
                next_battery = self.clock() + self.s.battery_every_s
