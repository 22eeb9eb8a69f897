"""The GATT table a profile implies: its service with data, command and battery characteristics,
the services of its nudge actuators (LED, motor, speaker), plus a Device Information service, built
as bumble objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bumble.gatt import (
    GATT_BATTERY_LEVEL_CHARACTERISTIC,
    GATT_BATTERY_SERVICE,
    GATT_DEVICE_INFORMATION_SERVICE,
    GATT_FIRMWARE_REVISION_STRING_CHARACTERISTIC,
    GATT_HARDWARE_REVISION_STRING_CHARACTERISTIC,
    GATT_MODEL_NUMBER_STRING_CHARACTERISTIC,
    Characteristic,
    CharacteristicValue,
    Service,
)

from monitor.profiles import Profile

P = Characteristic.Properties
STANDARD_BATTERY = "00002a19-0000-1000-8000-00805f9b34fb"


def _write_targets(profile: Profile) -> set[str]:
    writes = [*profile.rate.writes, *profile.start, *profile.stop]
    return {w.characteristic.lower() for w in writes} | {c.lower() for c in profile.also_subscribe}


def _nudge_targets(profile: Profile) -> dict[str, list[str]]:
    """Service -> the characteristics the profile's nudges write to, in the order first written."""
    out: dict[str, list[str]] = {}
    for w in (w for n in profile.nudges for w in n.writes):
        chars = out.setdefault(w.service.lower(), [])
        if w.characteristic.lower() not in chars:
            chars.append(w.characteristic.lower())
    return out


def _characteristic(uuid: str, writable: bool, on_write: Callable[[str, bytes], None]) -> Characteristic[Any]:
    props = P.READ | P.NOTIFY
    value: Any = b""
    if writable:
        props |= P.WRITE | P.WRITE_WITHOUT_RESPONSE
        value = CharacteristicValue(read=lambda _c: b"", write=lambda _c, data: on_write(uuid, bytes(data)))
    return Characteristic(uuid, props, Characteristic.READABLE | Characteristic.WRITEABLE, value)


def build(profile: Profile, on_write: Callable[[str, bytes], None], battery: Callable[[], int],
          info: dict[str, str]) -> tuple[list[Service], dict[str, Characteristic[Any]]]:
    """Services for the profile; `on_write(uuid, data)` hears every command and nudge write."""
    chars: dict[str, Characteristic[Any]] = {}
    nudged = _nudge_targets(profile)
    own = nudged.pop(profile.service.lower(), [])
    targets = _write_targets(profile) | set(own)
    for uuid in [*(c.lower() for c in profile.characteristics), *sorted(targets)]:
        if uuid not in chars:
            chars[uuid] = _characteristic(uuid, uuid in targets, on_write)
    services = [Service(profile.service, list(chars.values()))]
    for service, uuids in nudged.items():
        extra = {u: _characteristic(u, True, on_write) for u in uuids}
        services.append(Service(service, list(extra.values())))
        chars.update(extra)
    if profile.battery_characteristic:
        level: Characteristic[bytes] = Characteristic(
            GATT_BATTERY_LEVEL_CHARACTERISTIC, P.READ | P.NOTIFY, Characteristic.READABLE,
            CharacteristicValue(read=lambda _c: bytes([battery()])))
        services.append(Service(GATT_BATTERY_SERVICE, [level]))
    services.append(Service(GATT_DEVICE_INFORMATION_SERVICE, [
        Characteristic(uuid, P.READ, Characteristic.READABLE, info[key].encode())
        for key, uuid in (("model", GATT_MODEL_NUMBER_STRING_CHARACTERISTIC),
                          ("firmware", GATT_FIRMWARE_REVISION_STRING_CHARACTERISTIC),
                          ("hardware", GATT_HARDWARE_REVISION_STRING_CHARACTERISTIC))]))
    return services, chars
