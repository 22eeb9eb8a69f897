"""A small JSON-schema-like checker for profile TOML: every error names the file, the key path and
the bad value, so a user writing a profile sees exactly what to fix."""

from __future__ import annotations

import re
from typing import Any

from monitor.errors import ProfileError
from monitor.profiles.nudge import NUDGE_NAMES

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HEX = r"^([0-9a-fA-F]{2}|\{[a-z0-9_]+\})*$"
BYTES = r"^([0-9a-fA-F]{2})+$"
ID = r"^[a-z0-9][a-z0-9-]*$"

WRITE = {"type": "table", "keys": {
    "characteristic": {"type": "str", "pattern": UUID, "required": True},
    "hex": {"type": "str", "pattern": HEX, "required": True},
    "response": {"type": "bool"}}}
WRITES = {"type": "list", "items": WRITE}
NUDGE_WRITE = {"type": "table", "keys": {
    "characteristic": {"type": "str", "pattern": UUID, "required": True},
    "hex": {"type": "str", "pattern": BYTES, "required": True},
    "service": {"type": "str", "pattern": UUID},
    "response": {"type": "bool"},
    "delay_ms": {"type": "int", "min": 0, "max": 10000}}}
NUDGE = {"type": "table", "keys": {"writes": {"type": "list", "items": NUDGE_WRITE, "required": True,
                                              "min_items": 1}}}
FIELD = {"type": "table", "keys": {
    "name": {"type": "str", "pattern": r"^[a-z][a-z0-9_]*$", "required": True},
    "offset": {"type": "int", "min": 0, "required": True},
    "type": {"type": "str", "enum": ["u8", "i8", "u16", "i16", "u32", "i32", "f32"], "required": True},
    "scale": {"type": "num"},
    "endian": {"type": "str", "enum": ["little", "big"]},
    "plane": {"type": "int", "min": 0, "max": 1}}}
MATCH = {"type": "table", "keys": {"at": {"type": "int", "min": 0, "required": True},
                                   "hex": {"type": "str", "pattern": BYTES, "required": True}}}
STAMP_KEYS: dict[str, Any] = {
    "offset": {"type": "int", "min": 0, "required": True},
    "type": {"type": "str", "enum": ["u8", "u16", "u32", "u64"], "required": True},
    "endian": {"type": "str", "enum": ["little", "big"]}}
COUNTER = {"type": "table", "keys": STAMP_KEYS}
TIMESTAMP = {"type": "table", "keys": {
    **STAMP_KEYS,
    "unit_s": {"type": "num", "min": 1e-12, "required": True},
    "stamps": {"type": "str", "enum": ["first", "last"]}}}
STREAM = {"type": "table", "keys": {
    "characteristic": {"type": "str", "pattern": UUID, "required": True},
    "sample_bytes": {"type": "int", "min": 1, "required": True},
    "header_bytes": {"type": "int", "min": 0},
    "samples_per_frame": {"type": "int", "min": 0, "max": 64},
    "frame_bytes": {"type": "int", "min": 1, "max": 512},
    "reassemble": {"type": "bool"},
    "planes": {"type": "int", "min": 1, "max": 2},
    "match": {"type": "list", "items": MATCH},
    "timestamp": TIMESTAMP,
    "counter": COUNTER,
    "fields": {"type": "list", "items": FIELD, "required": True, "min_items": 1}}}
SCHEMA = {"type": "table", "keys": {
    "id": {"type": "str", "pattern": ID, "required": True},
    "name": {"type": "str", "required": True},
    "version": {"type": "int", "min": 1, "required": True},
    "notes": {"type": "str"},
    "unverified": {"type": "list", "items": {"type": "str"}},
    "discovery": {"type": "table", "required": True, "keys": {
        "name_patterns": {"type": "list", "items": {"type": "str"}},
        "service_uuids": {"type": "list", "items": {"type": "str", "pattern": UUID}}}},
    "gatt": {"type": "table", "required": True, "keys": {
        "service": {"type": "str", "pattern": UUID, "required": True},
        "battery": {"type": "str", "pattern": UUID},
        "subscribe_first": {"type": "bool"},
        "also_subscribe": {"type": "list", "items": {"type": "str", "pattern": UUID}}}},
    "streams": {"type": "list", "items": STREAM, "required": True, "min_items": 1},
    "rate": {"type": "table", "required": True, "keys": {
        "supported_hz": {"type": "list", "items": {"type": "num", "min": 0.01}, "required": True,
                         "min_items": 1},
        "default_hz": {"type": "num", "min": 0.01, "required": True},
        "codes": {"type": "table", "values": {"type": "str", "pattern": BYTES}},
        "writes": WRITES}},
    "start": {"type": "table", "keys": {"writes": WRITES}},
    "stop": {"type": "table", "keys": {"writes": WRITES}},
    "nudge": {"type": "table", "keys": {name: NUDGE for name in NUDGE_NAMES}},
    "axes": {"type": "table", "keys": {
        "map": {"type": "list", "items": {"type": "str", "enum": ["x", "y", "z", "-x", "-y", "-z"]},
                "min_items": 3, "max_items": 3}}},
    "limits": {"type": "table", "keys": {"acc_g": {"type": "num", "min": 0.5},
                                         "gyro_dps": {"type": "num", "min": 10}}}}}

_PY: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "bool": bool, "num": (int, float),
                                           "list": list, "table": dict}


def check(value: Any, schema: dict[str, Any], path: object, key: str = "") -> None:
    """Raise ProfileError for the first value that breaks the schema."""
    kind = schema["type"]
    ok = isinstance(value, _PY[kind]) and not (kind in ("int", "num") and isinstance(value, bool))
    if not ok:
        raise ProfileError(path, key or "(document)", value, f"must be a {kind}")
    if kind == "table":
        _check_table(value, schema, path, key)
    elif kind == "list":
        _check_list(value, schema, path, key)
    else:
        _check_scalar(value, schema, path, key)


def _check_table(value: dict[str, Any], schema: dict[str, Any], path: object, key: str) -> None:
    keys = schema.get("keys")
    for k, v in value.items():
        sub = f"{key}.{k}" if key else k
        if keys is None:
            check(v, schema["values"], path, sub)
        elif k not in keys:
            raise ProfileError(path, sub, v, f"unknown key (known: {', '.join(sorted(keys))})")
        else:
            check(v, keys[k], path, sub)
    for k, sub_schema in (keys or {}).items():
        if sub_schema.get("required") and k not in value:
            raise ProfileError(path, f"{key}.{k}" if key else k, None, "is required")


def _check_list(value: list[Any], schema: dict[str, Any], path: object, key: str) -> None:
    if len(value) < schema.get("min_items", 0) or len(value) > schema.get("max_items", 1 << 30):
        raise ProfileError(path, key, value, "has the wrong number of items")
    for i, item in enumerate(value):
        check(item, schema["items"], path, f"{key}[{i}]")


def _check_scalar(value: Any, schema: dict[str, Any], path: object, key: str) -> None:
    if "enum" in schema and value not in schema["enum"]:
        raise ProfileError(path, key, value, f"must be one of {', '.join(schema['enum'])}")
    if "pattern" in schema and not re.match(schema["pattern"], value):
        raise ProfileError(path, key, value, "has the wrong format")
    if "min" in schema and value < schema["min"]:
        raise ProfileError(path, key, value, f"must be at least {schema['min']}")
    if "max" in schema and value > schema["max"]:
        raise ProfileError(path, key, value, f"must be at most {schema['max']}")
