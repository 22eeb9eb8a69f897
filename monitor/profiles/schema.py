"""The device profile schema, in the one schema layer (monitor/schema.py): every error names the file,
the key path and the bad value, so a user writing a profile sees exactly what to fix. What one key
cannot say alone (offsets against the frame, the rate codes) is checked in loader.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from monitor.errors import ProfileError
from monitor.profiles.nudge import NUDGE_NAMES
from monitor.schema import Spec
from monitor.schema import check as check_value

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HEX = r"^([0-9a-fA-F]{2}|\{[a-z0-9_]+\})*$"
BYTES = r"^([0-9a-fA-F]{2})+$"
ID = r"^[a-z0-9][a-z0-9-]*$"


def _t(required: bool = False, /, **keys: Spec) -> Spec:
    """A table with these keys."""
    return Spec("table", keys=keys, required=required)


def _list(items: Spec, required: bool = False, min_items: int = 0, max_items: int | None = None) -> Spec:
    return Spec("list", items=items, required=required, min_items=min_items, max_items=max_items)


def _str(required: bool = False, pattern: str | None = None, choices: tuple[str, ...] = (),
         help: str = "") -> Spec:
    return Spec("str", help, pattern=pattern, choices=choices, required=required)


def _int(lo: int | None = None, hi: int | None = None, required: bool = False, unit: str = "") -> Spec:
    return Spec("int", unit=unit, lo=lo, hi=hi, required=required)


def _uuid(required: bool = False) -> Spec:
    return _str(required, UUID, help="a lowercase 128-bit UUID")


BOOL = Spec("bool")
WRITE = _t(characteristic=_uuid(True), hex=_str(True, HEX, help="hex bytes and {placeholders}"),
           response=BOOL)
WRITES = _list(WRITE)
NUDGE_WRITE = _t(characteristic=_uuid(True), hex=_str(True, BYTES, help="hex bytes"), service=_uuid(),
                 response=BOOL, delay_ms=_int(0, 10000, unit="ms"))
NUDGE = _t(writes=_list(NUDGE_WRITE, True, 1))
ENDIAN = _str(choices=("little", "big"))
FIELD = _t(name=_str(True, r"^[a-z][a-z0-9_]*$", help="lowercase letters, digits and _"),
           offset=_int(0, required=True, unit="bytes"),
           type=_str(True, choices=("u8", "i8", "u16", "i16", "u32", "i32", "f32")),
           scale=Spec("num", "raw units to g or deg/s", nonzero=True), endian=ENDIAN, plane=_int(0, 1))
MATCH = _t(at=_int(0, required=True, unit="bytes"), hex=_str(True, BYTES, help="hex bytes"))
STAMP_KEYS = {"offset": _int(0, required=True, unit="bytes"),
              "type": _str(True, choices=("u8", "u16", "u32", "u64")), "endian": ENDIAN}
COUNTER = _t(**STAMP_KEYS)
TIMESTAMP = _t(**STAMP_KEYS, unit_s=Spec("num", unit="s", lo=1e-12, required=True),
               stamps=_str(choices=("first", "last")))
STREAM = _t(characteristic=_uuid(True), sample_bytes=_int(1, 512, True, "bytes"),
            header_bytes=_int(0, 512, unit="bytes"), samples_per_frame=_int(0, 64),
            frame_bytes=_int(1, 512, unit="bytes"), reassemble=BOOL, planes=_int(1, 2), match=_list(MATCH),
            timestamp=TIMESTAMP, counter=COUNTER, fields=_list(FIELD, True, 1))
RATE_HZ = Spec("num", unit="Hz", lo=0.01, hi=2000)
SCHEMA = _t(
    id=_str(True, ID, help="lowercase letters, digits and -"), name=_str(True),
    version=_int(1, required=True), notes=_str(), unverified=_list(_str()),
    discovery=_t(True, name_patterns=_list(_str()), service_uuids=_list(_uuid())),
    gatt=_t(True, service=_uuid(True), battery=_uuid(), subscribe_first=BOOL, also_subscribe=_list(_uuid())),
    streams=_list(STREAM, True, 1),
    rate=_t(True, supported_hz=_list(RATE_HZ, True, 1), default_hz=replace(RATE_HZ, required=True),
            codes=Spec("table", values=_str(pattern=BYTES, help="hex bytes")), writes=WRITES),
    start=_t(writes=WRITES), stop=_t(writes=WRITES),
    nudge=_t(**dict.fromkeys(NUDGE_NAMES, NUDGE)),
    axes=_t(map=_list(_str(choices=("x", "y", "z", "-x", "-y", "-z")), min_items=3, max_items=3)),
    limits=_t(acc_g=Spec("num", unit="g", lo=0.5, hi=1000),
              gyro_dps=Spec("num", unit="deg/s", lo=10, hi=1e5)))


def check(value: Any, schema: Spec, path: object, key: str = "") -> None:
    """Raise ProfileError for the first value that breaks the schema."""
    check_value(value, schema, key, lambda k, v, reason: ProfileError(path, k or "(document)", v, reason))
