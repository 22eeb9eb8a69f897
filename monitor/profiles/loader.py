"""Read a profile TOML, check it against the schema and its own consistency, build a Profile."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from monitor.errors import ProfileError
from monitor.profiles.model import FieldSpec, Profile, RateSpec, StampSpec, StreamSpec, Write
from monitor.profiles.nudge import build_nudges
from monitor.profiles.schema import SCHEMA, check

PLACEHOLDERS = ("code", "hz_u16", "hz_ascii", "period_ms_u16", "period_10ms_u8")


def load_profile(path: Path) -> Profile:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ProfileError(path, "(file)", None, f"cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(path, "(file)", None, f"not valid TOML: {e}") from None
    return build(doc, path)


def build(doc: dict[str, Any], path: Path) -> Profile:
    check(doc, SCHEMA, path)
    streams = tuple(_stream(s, path, f"streams[{i}]") for i, s in enumerate(doc["streams"]))
    if not any("acc" in s.provides for s in streams):
        raise ProfileError(path, "streams", None, "no stream provides acc_x, acc_y and acc_z")
    gatt, disc = doc["gatt"], doc["discovery"]
    if not disc.get("name_patterns") and not disc.get("service_uuids"):
        raise ProfileError(path, "discovery", disc, "needs name_patterns or service_uuids")
    lim = doc.get("limits", {})
    return Profile(
        id=doc["id"], name=doc["name"], version=doc["version"], path=path, service=gatt["service"],
        name_patterns=tuple(disc.get("name_patterns", ())),
        service_uuids=tuple(disc.get("service_uuids", ())),
        streams=streams, rate=_rate(doc["rate"], path),
        start=_writes(doc.get("start", {}), path, "start"),
        stop=_writes(doc.get("stop", {}), path, "stop"),
        subscribe_first=gatt.get("subscribe_first", False),
        also_subscribe=tuple(gatt.get("also_subscribe", ())),
        battery_characteristic=gatt.get("battery"),
        axes=tuple(doc.get("axes", {}).get("map", ("x", "y", "z"))),
        acc_range_g=float(lim.get("acc_g", 16.0)), gyro_range_dps=float(lim.get("gyro_dps", 2000.0)),
        notes=doc.get("notes", ""), unverified=tuple(doc.get("unverified", ())),
        nudges=build_nudges(doc.get("nudge", {}), path, gatt["service"], _fixed_services(doc)))


def _fixed_services(doc: dict[str, Any]) -> dict[str, str]:
    """Characteristic -> service of everything outside the nudges: all in the profile's service."""
    writes = [*doc["rate"].get("writes", ()), *doc.get("start", {}).get("writes", ()),
              *doc.get("stop", {}).get("writes", ())]
    uuids = [*(s["characteristic"] for s in doc["streams"]), *(w["characteristic"] for w in writes),
             *doc["gatt"].get("also_subscribe", ())]
    return {u: doc["gatt"]["service"] for u in uuids}


def _stream(s: dict[str, Any], path: Path, key: str) -> StreamSpec:
    planes = s.get("planes", 1)
    fields = tuple(FieldSpec(f["name"], f["offset"], f["type"], float(f.get("scale", 1.0)),
                             f.get("endian", "little") == "big", f.get("plane", 0)) for f in s["fields"])
    plane_bytes = s["sample_bytes"] // planes
    for i, f in enumerate(fields):
        if f.offset + f.dtype.itemsize > plane_bytes or f.plane >= planes:
            raise ProfileError(path, f"{key}.fields[{i}].offset", f.offset,
                               f"a {f.type} there does not fit in a {plane_bytes}-byte sample")
    spec = StreamSpec(s["characteristic"], fields, s["sample_bytes"], s.get("header_bytes", 0),
                      s.get("samples_per_frame", 1), s.get("frame_bytes"),
                      tuple((m["at"], bytes.fromhex(m["hex"])) for m in s.get("match", ())),
                      s.get("reassemble", False), planes, _stamp(s, path, key))
    for axis in ("acc", "gyro"):
        names = {f.name for f in fields if f.name.startswith(axis + "_")}
        if names and names != {f"{axis}_x", f"{axis}_y", f"{axis}_z"}:
            raise ProfileError(path, f"{key}.fields", sorted(names), f"{axis} needs x, y and z")
    if spec.frame_bytes is not None and spec.samples_in(spec.frame_bytes) and \
            spec.header_bytes + spec.samples_per_frame * spec.sample_bytes > spec.frame_bytes:
        raise ProfileError(path, f"{key}.frame_bytes", spec.frame_bytes, "too short for its samples")
    _match_in_frame(spec, path, key)
    if spec.reassemble and (spec.frame_bytes is None or not spec.match):
        raise ProfileError(path, f"{key}.reassemble", True, "needs frame_bytes and match bytes to sync on")
    return spec


def _match_in_frame(spec: StreamSpec, path: Path, key: str) -> None:
    """Every match lies inside the frame (its fixed length, else the shortest frame: the header and
    one sample, or the samples it always holds): bytes beyond it are never there, so no frame matches."""
    length = spec.frame_bytes or spec.header_bytes + spec.sample_bytes * max(1, spec.samples_per_frame)
    for i, (at, want) in enumerate(spec.match):
        if at + len(want) > length:
            raise ProfileError(path, f"{key}.match[{i}].at", at,
                               f"{len(want)} byte(s) there run past the {length}-byte frame")


def _stamp(s: dict[str, Any], path: Path, key: str) -> StampSpec | None:
    """The stream's timestamp or frame counter: one of them at most, inside the frame header and
    clear of the bytes that identify the frame."""
    if "timestamp" in s and "counter" in s:
        raise ProfileError(path, f"{key}.counter", s["counter"],
                           "a stream has a timestamp or a counter, not both")
    name = "timestamp" if "timestamp" in s else "counter"
    t = s.get(name)
    if t is None:
        return None
    stamp = StampSpec(t["offset"], t["type"], float(t.get("unit_s", 0.0)), t.get("stamps", "first"),
                      t.get("endian", "little") == "big")
    header = s.get("header_bytes", 0)
    if stamp.offset + stamp.size > header:
        raise ProfileError(path, f"{key}.{name}.offset", stamp.offset,
                           f"a {stamp.type} {name} there lies beyond the {header}-byte frame header")
    for m in s.get("match", ()):
        at, size = m["at"], len(m["hex"]) // 2
        if at < stamp.offset + stamp.size and stamp.offset < at + size:
            raise ProfileError(path, f"{key}.{name}.offset", stamp.offset,
                               f"the {name} overlaps the match bytes at {at}")
    return stamp


def _writes(table: dict[str, Any], path: Path, key: str) -> tuple[Write, ...]:
    out = []
    for i, w in enumerate(table.get("writes", ())):
        for name in re.findall(r"\{([a-z0-9_]+)\}", w["hex"]):
            if name not in PLACEHOLDERS:
                raise ProfileError(path, f"{key}.writes[{i}].hex", w["hex"],
                                   f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
        out.append(Write(w["characteristic"], w["hex"], w.get("response", True)))
    return tuple(out)


def _rate(r: dict[str, Any], path: Path) -> RateSpec:
    spec = RateSpec(tuple(float(x) for x in r["supported_hz"]), float(r["default_hz"]),
                    _writes(r, path, "rate"), dict(r.get("codes", {})))
    if spec.default_hz not in spec.supported_hz:
        raise ProfileError(path, "rate.default_hz", r["default_hz"], "is not in rate.supported_hz")
    if any("{code}" in w.hex for w in spec.writes):
        missing = [hz for hz in r["supported_hz"] if _rate_key(hz) not in spec.codes]
        if missing:
            raise ProfileError(path, "rate.codes", spec.codes, f"has no code for {missing[0]} Hz")
    return spec


def _rate_key(hz: float) -> str:
    return f"{hz:g}"


def fill(w: Write, rate_hz: float, rate: RateSpec) -> bytes:
    """The bytes of a write, placeholders replaced for this sample rate."""
    period_ms = round(1000 / rate_hz)
    values = {"code": rate.codes.get(_rate_key(rate_hz), ""),
              "hz_u16": round(rate_hz).to_bytes(2, "little").hex(),
              "hz_ascii": str(round(rate_hz)).encode().hex(),
              "period_ms_u16": period_ms.to_bytes(2, "little").hex(),
              "period_10ms_u8": max(1, min(255, round(period_ms / 10))).to_bytes(1, "little").hex()}
    return bytes.fromhex(re.sub(r"\{([a-z0-9_]+)\}", lambda m: values[m.group(1)], w.hex))

