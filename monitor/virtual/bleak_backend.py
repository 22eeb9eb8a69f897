"""bleak backends built on bumble: `BleakScanner(backend=BumbleScanner)` and
`BleakClient(device, backend=BumbleClient)` reach virtual sensors over the in-process link, so the
production client code runs unchanged with no radio."""

from __future__ import annotations

import contextlib
import itertools
import uuid
from typing import Any

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError
from bumble.core import UUID, AdvertisingData
from bumble.device import Advertisement, Connection, Device, Peer
from bumble.gatt import Characteristic

from monitor.virtual.link import detach, make_device

_ADDRESSES = (f"F0:F1:F2:F3:{i >> 8:02X}:{i & 0xFF:02X}" for i in itertools.count(1))
_PROPS = [(Characteristic.Properties.READ, "read"), (Characteristic.Properties.WRITE, "write"),
          (Characteristic.Properties.WRITE_WITHOUT_RESPONSE, "write-without-response"),
          (Characteristic.Properties.NOTIFY, "notify"), (Characteristic.Properties.INDICATE, "indicate")]


def _uuid128(u: UUID) -> str:
    """bleak's form of any bumble UUID: full 128-bit, lower case (bumble stores it little-endian)."""
    return str(uuid.UUID(bytes=bytes(reversed(u.to_bytes(force_128=True)))))


def _adv_data(adv: Advertisement) -> AdvertisementData:
    d = adv.data
    name = d.get(AdvertisingData.COMPLETE_LOCAL_NAME) or d.get(AdvertisingData.SHORTENED_LOCAL_NAME)
    uuids = [_uuid128(u) for t in (AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                                      AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS)
             for u in (d.get(t) or [])]
    return AdvertisementData(local_name=name if isinstance(name, str) else None, manufacturer_data={},
                             service_data={}, service_uuids=uuids, tx_power=None, rssi=adv.rssi,
                             platform_data=(adv,))


class BumbleScanner(BaseBleakScanner):
    """Scans the in-process link with a bumble central of its own."""

    def __init__(self, detection_callback: AdvertisementDataCallback | None,
                 service_uuids: list[str] | None, scanning_mode: str = "active", **kwargs: Any) -> None:
        super().__init__(detection_callback, service_uuids)
        self._device: Device | None = None

    async def start(self) -> None:
        self.seen_devices = {}
        self._device = make_device("posture-monitor scanner", next(_ADDRESSES))
        self._device.on("advertisement", self._on_advertisement)
        await self._device.power_on()
        await self._device.start_scanning(filter_duplicates=False)

    def _on_advertisement(self, adv: Advertisement) -> None:
        data = _adv_data(adv)
        if not self.is_allowed_uuid(data.service_uuids):
            return
        address = str(adv.address).split("/")[0]
        device = self.create_or_update_device(address, address, data.local_name, adv, data)
        self.call_detection_callbacks(device, data)

    async def stop(self) -> None:
        if self._device is not None:
            await self._device.stop_scanning()
            detach(self._device)
            await self._device.power_off()
            self._device = None


class BumbleClient(BaseBleakClient):
    """A GATT client over bumble: discovery, reads, writes and notifications."""

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(address_or_ble_device, **kwargs)
        self._device: Device | None = None
        self._conn: Connection | None = None
        self._peer: Peer | None = None

    @property
    def mtu_size(self) -> int:
        return self._conn.att_mtu if self._conn is not None else 23

    @property
    def name(self) -> str:
        return self.address

    @property
    def is_connected(self) -> bool:
        return self._conn is not None

    async def connect(self, pair: bool = False, **kwargs: Any) -> None:
        self._device = make_device("posture-monitor", next(_ADDRESSES))
        await self._device.power_on()
        try:
            self._conn = await self._device.connect(self.address, timeout=self._timeout)
        except Exception as e:  # bumble raises its own timeout and HCI errors
            await self._release()
            raise BleakError(f"could not connect to {self.address}: {e}") from e
        self._conn.on("disconnection", self._on_disconnection)
        self._peer = Peer(self._conn)
        await self._peer.discover_services()
        self.services = await self._collect()

    async def _collect(self) -> BleakGATTServiceCollection:
        assert self._peer is not None
        out = BleakGATTServiceCollection()
        for svc in self._peer.services:
            bs = BleakGATTService(svc, svc.handle, _uuid128(svc.uuid))
            out.add_service(bs)
            for ch in await svc.discover_characteristics():
                props = [name for flag, name in _PROPS if ch.properties & flag]
                bc = BleakGATTCharacteristic(ch, ch.handle, _uuid128(ch.uuid), props,  # type: ignore[arg-type]
                                             lambda: self.mtu_size - 3, bs)
                out.add_characteristic(bc)
                for desc in await ch.discover_descriptors():
                    out.add_descriptor(BleakGATTDescriptor(desc, desc.handle, _uuid128(desc.type), bc))
        return out

    def _on_disconnection(self, *_: Any) -> None:
        self._conn = None
        if self._device is not None:
            detach(self._device)
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def _release(self) -> None:
        if self._device is not None:
            detach(self._device)
            await self._device.power_off()
            self._device = None

    async def disconnect(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):  # already gone: nothing to undo
                await conn.disconnect()
        await self._release()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("virtual sensors need no pairing")

    async def unpair(self) -> None:
        raise NotImplementedError("virtual sensors need no pairing")

    async def read_gatt_char(self, characteristic: BleakGATTCharacteristic, **kwargs: Any) -> bytearray:
        return bytearray(await characteristic.obj.read_value())

    async def read_gatt_descriptor(self, descriptor: BleakGATTDescriptor, **kwargs: Any) -> bytearray:
        return bytearray(await descriptor.obj.read_value())

    async def write_gatt_char(self, characteristic: BleakGATTCharacteristic, data: Any,
                              response: bool) -> None:
        await characteristic.obj.write_value(bytes(data), with_response=response)

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        await descriptor.obj.write_value(bytes(data), with_response=True)

    async def start_notify(self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback,
                           **kwargs: Any) -> None:
        await characteristic.obj.subscribe(lambda value: callback(bytearray(value)))

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        await characteristic.obj.unsubscribe()
