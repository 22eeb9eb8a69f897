"""A virtual sensor: a bumble peripheral that advertises like the real model, honours the profile's
start/stop/rate writes and streams frames encoded per the profile from sample blocks.

Fault injection for tests: drop the link, stall, send garbage, restart under another address."""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
from collections.abc import Iterator
from typing import Any

import numpy as np
from bumble.core import UUID, AdvertisingData
from bumble.device import Device
from bumble.hci import Address

from monitor.decode.layout import encode_frames, stamp_values
from monitor.profiles import Profile, fill
from monitor.samples import SampleBlock
from monitor.virtual import gatt_table
from monitor.virtual.link import detach, make_device


def advertised_name(profile: Profile) -> str:
    """A name the profile's own patterns accept (e.g. 'WT*' -> 'WT-virtual')."""
    for pattern in profile.name_patterns:
        name = pattern.replace("*", "-virtual")
        if fnmatch.fnmatchcase(name, pattern):
            return name
    return f"{profile.id}-virtual"


class VirtualSensor:
    """Streams `blocks` (sensor-frame samples) as the real device would, at `speed` x real time."""

    def __init__(self, profile: Profile, blocks: Iterator[SampleBlock], address: str = "C0:98:E5:00:00:01",
                 name: str | None = None, speed: float = 1.0, hci: Any = None) -> None:
        self.profile, self.blocks, self.speed = profile, blocks, speed
        self.hci = hci  # (source, sink) of a real HCI transport; None: the in-process link
        self.address, self.name = address, name or advertised_name(profile)
        self.rate_hz = profile.rate.default_hz
        self.writes: list[tuple[str, bytes]] = []
        self.subscribed: set[str] = set()
        self.started = not profile.start  # sensors without start commands stream once subscribed
        self.battery_pct = 87
        self.sent_frames = 0
        self.device: Device | None = None
        self.chars: dict[str, Any] = {}
        self._task: asyncio.Task[None] | None = None
        self._stall_until = 0.0
        self._hold_until = 0.0  # frames made until then are sent late, in one burst
        self._held: list[tuple[str, bytes]] = []
        self._lose_frames = 0  # this many of the next frames are made but never sent
        self.lost_frames = 0
        self.finished = False  # the source ran out: connected but silent from then on

    # -- life cycle -------------------------------------------------------------------------
    async def start(self) -> None:
        self.device = (Device.with_hci(self.name, Address(self.address), *self.hci) if self.hci
                       else make_device(self.name, self.address))
        services, self.chars = gatt_table.build(self.profile, self._on_write, lambda: self.battery_pct,
                                                {"model": self.profile.name, "firmware": "virtual-1.0",
                                                 "hardware": "bumble"})
        self.device.add_services(services)
        for uuid, ch in self.chars.items():
            ch.on("subscription", lambda conn, enabled, *a, u=uuid: self._on_subscription(u, enabled))
        self.device.on("disconnection", lambda *_: self._reset_link_state())
        await self.device.power_on()
        await self._advertise()
        self._task = asyncio.create_task(self._stream())

    async def _advertise(self) -> None:
        assert self.device is not None
        ad = [(AdvertisingData.COMPLETE_LOCAL_NAME, self.name.encode())]
        if self.profile.service_uuids:
            ad.append((AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                       UUID(self.profile.service_uuids[0]).to_bytes(force_128=True)))
        await self.device.start_advertising(advertising_data=bytes(AdvertisingData(ad)), auto_restart=True,
                                          advertising_interval_min=20, advertising_interval_max=20)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        if self.device is not None:
            with contextlib.suppress(Exception):
                await self.device.stop_advertising()
                await self.drop_link()
            detach(self.device)
            await self.device.power_off()

    # -- GATT callbacks ---------------------------------------------------------------------
    def _on_subscription(self, uuid: str, enabled: Any) -> None:
        (self.subscribed.add if enabled else self.subscribed.discard)(uuid)

    def _on_write(self, uuid: str, data: bytes) -> None:
        self.writes.append((uuid, data))
        p = self.profile
        for hz in p.rate.supported_hz:
            if any(w.characteristic.lower() == uuid and "{" in w.hex and fill(w, hz, p.rate) == data
                   for w in p.rate.writes + p.start):
                self.rate_hz = hz
        if p.start and data == fill(p.start[-1], self.rate_hz, p.rate):
            self.started = True
        if p.stop and data == fill(p.stop[0], self.rate_hz, p.rate):
            self.started = False

    def _reset_link_state(self) -> None:
        self.subscribed.clear()
        self.started = not self.profile.start

    # -- streaming --------------------------------------------------------------------------
    @property
    def streaming(self) -> bool:
        data = {c.lower() for c in self.profile.characteristics}
        return self.started and data <= self.subscribed

    async def _stream(self) -> None:
        """One notification per frame, paced at the current rate and speed."""
        loop = asyncio.get_running_loop()
        pending: list[tuple[str, bytes]] = []
        next_t = loop.time()
        ahead = asyncio.create_task(self._next_slices())
        slices: list[SampleBlock] = []
        while True:
            if not self.streaming or loop.time() < self._stall_until:
                await asyncio.sleep(0.02)
                next_t = loop.time()
                continue
            if not pending:
                if not slices:
                    slices = await ahead
                    if not slices:
                        self.finished = True
                        return
                    ahead = asyncio.create_task(self._next_slices())  # simulate ahead, off the loop
                pending = self._frames(slices.pop(0))
            await self._send(pending.pop(0), loop.time())
            next_t += 1.0 / (self.rate_hz * self.speed * self._frames_per_sample())
            await asyncio.sleep(max(0.0, next_t - loop.time()))

    async def _send(self, frame: tuple[str, bytes], now_s: float) -> None:
        """Notify one frame in its turn, unless a fault loses it or holds it back for a later burst."""
        if self._lose_frames > 0:
            self._lose_frames -= 1
            self.lost_frames += 1
            return
        if now_s < self._hold_until:
            self._held.append(frame)
            return
        for uuid, data in [*self._held, frame]:
            try:
                await self.device.notify_subscribers(self.chars[uuid], data)  # type: ignore[union-attr]
                self.sent_frames += 1
            except Exception:  # the central vanished mid-send: like a radio, carry on
                continue
        self._held.clear()

    async def _next_slices(self) -> list[SampleBlock]:
        """The next source block (made in a thread), cut into 1 s slices so encoding never stalls."""
        block = await asyncio.to_thread(next, self.blocks, None)
        if block is None:
            return []
        step = max(1, round(block.rate_hz))
        return [block.slice(i, i + step) for i in range(0, len(block), step)]

    def _frames_per_sample(self) -> float:
        """Frames per sample of this characteristic (2 streams: acc and gyro alternate)."""
        return float(len(self.profile.streams))

    def _frames(self, block: SampleBlock) -> list[tuple[str, bytes]]:
        """Frames for a block: one per sample, streams interleaved; a timestamp or frame counter the
        profile declares is filled from the samples' times, as the real sensor stamps them."""
        out: list[list[tuple[str, bytes]]] = []
        for spec in self.profile.streams:
            per = spec.samples_per_frame or 1
            values = {}
            for kind, arr in (("acc", block.acc_g), ("gyro", block.gyro_dps)):
                if arr is not None:
                    values.update({f"{kind}_{a}": arr[:, i] for i, a in enumerate("xyz")})
            values = {f.name: values[f.name] for f in spec.fields if f.name in values}
            stamps = stamp_values(spec, block.t_s, per, block.rate_hz) if spec.stamp else None
            out.append([(spec.characteristic.lower(), f) for f in encode_frames(spec, values, per, stamps)])
        return [x for group in zip(*out, strict=False) for x in group]

    # -- faults ------------------------------------------------------------------------------
    async def drop_link(self) -> None:
        """Disconnect every central, as when the sensor goes out of range."""
        assert self.device is not None
        for conn in list(self.device.connections.values()):
            await conn.disconnect()

    def stall(self, seconds: float) -> None:
        """Stay connected but send nothing for a while."""
        self._stall_until = asyncio.get_running_loop().time() + seconds

    def hold(self, seconds: float) -> None:
        """Keep measuring but deliver nothing for `seconds` (wall), then everything at once: late
        frames, as after a busy radio or a retransmission burst. Nothing is lost."""
        self._hold_until = asyncio.get_running_loop().time() + seconds

    def lose(self, stream_s: float) -> None:
        """Measure but never send the next `stream_s` of frames: a real loss of that many samples."""
        self._lose_frames = round(stream_s * self.rate_hz * self._frames_per_sample())

    async def send_garbage(self, count: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        uuid = self.profile.characteristics[0].lower()
        for _ in range(count):
            await self.device.notify_subscribers(  # type: ignore[union-attr]
                self.chars[uuid], rng.bytes(int(rng.integers(1, 40))))

    async def restart(self, address: str) -> None:
        """Power-cycle under a new address (some sensors rotate random addresses)."""
        await self.stop()
        self.address = address
        self.subscribed.clear()
        await self.start()
