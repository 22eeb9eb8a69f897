"""Discovery: which nearby BLE devices match a device profile (by service UUID or name)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import asdict, dataclass
from typing import Any

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from monitor.errors import DeviceError
from monitor.profiles import Registry


def is_target(target: str, address: str, name: str | None) -> bool:
    """Whether a device is the one asked for: by address or advertised name, any case."""
    want = target.upper()
    return want in (address.upper(), (name or "").upper())


@dataclass(frozen=True)
class Found:
    """One advertising device, and the profile it matches (None: no profile)."""

    name: str
    address: str
    rssi: int | None
    profile: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


async def scan(registry: Registry, timeout_s: float, backend: Any = None,
               stop_at: str | None = None) -> list[Found]:
    """Devices heard within `timeout_s` (sooner once `stop_at`, a name or address, is heard),
    strongest first; adapter problems become DeviceError."""
    heard: dict[str, Found] = {}
    done = asyncio.Event()

    def seen(device: BLEDevice, adv: AdvertisementData) -> None:
        name = adv.local_name or device.name or ""
        profile = registry.match(name, adv.service_uuids)
        heard[device.address] = Found(name, device.address, adv.rssi, profile.id if profile else None)
        if stop_at and is_target(stop_at, device.address, name):
            done.set()

    try:
        async with BleakScanner(detection_callback=seen, backend=backend):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout_s)
    except Exception as e:  # no adapter, BlueZ not running, permission: one clear line for the user
        raise DeviceError("bluetooth", f"cannot scan: no usable Bluetooth adapter or BlueZ service "
                                       f"({type(e).__name__}: {e})") from None
    return sorted(heard.values(), key=lambda f: (f.profile is None, -(f.rssi or -999)))


async def resolve(registry: Registry, target: str, timeout_s: float, backend: Any = None) -> Found:
    """The scanned device named or addressed `target`, or DeviceError saying what was heard."""
    found = await scan(registry, timeout_s, backend, stop_at=target)
    for f in found:
        if is_target(target, f.address, f.name):
            return f
    heard = ", ".join(f"{f.name or '?'} ({f.address})" for f in found[:5]) or "nothing"
    raise DeviceError(target, f"not found in a {timeout_s:g} s scan (heard: {heard}); "
                              "is it on and in range? give --profile ID to wait for it")
