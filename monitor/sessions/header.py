"""A recording's header record, checked in one place: its bytes must be a UTF-8 JSON object, and each
field it holds must have its type and lie within its bounds (HEADER_FIELDS, specs of the shared schema
layer, monitor/schema.py). A bad header is one RecordingError naming the file, the field and the value,
never a traceback further on. Keys the table does not name are kept as they are: a newer minor revision
may add them."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.errors import RecordingError
from monitor.schema import Spec, check
from monitor.sessions.format import FORMAT_VERSION

Check = Callable[[Any], str | None]  # None: fine, else what is wrong with the value
START_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ")  # as TimeBase.from_header reads them


@dataclass(frozen=True)
class HeaderField:
    """One header key: its schema spec (monitor/schema.py), whether null is allowed, a further check
    for what a spec cannot say (a profile id or object, a calibration's matrix)."""

    key: str
    spec: Spec
    nullable: bool = True
    check: Check | None = None


def _profile(value: Any) -> str | None:
    """A profile id, or the object form `{"id": ..., "version": ...}` with a string id."""
    if isinstance(value, str):
        return None if value.strip() else "must name a device profile"
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"].strip():
        return 'expected a profile id or {"id": "...", "version": ...} with a string id'
    version = value.get("version")
    whole = isinstance(version, int) and not isinstance(version, bool)
    fine = version is None or isinstance(version, str) or whole
    return None if fine else "version must be a whole number or a string"


def _calibration(value: dict[str, Any]) -> str | None:
    """A calibration as `Calibration.to_dict()` writes it: a finite 3 x 3 rotation, a 3-value bias."""
    rotation, bias = value.get("rotation"), value.get("gyro_bias_dps", [0.0, 0.0, 0.0])
    rows_ok = isinstance(rotation, list) and len(rotation) == 3 and all(
        isinstance(r, list) and len(r) == 3 and all(_finite(x) for x in r) for r in rotation)
    if not rows_ok:
        return "rotation must be a 3 x 3 matrix of finite numbers"
    if not (isinstance(bias, list) and len(bias) == 3 and all(_finite(x) for x in bias)):
        return "gyro_bias_dps must be three finite numbers"
    return None if _finite(value.get("sit_deg", 0.0)) else "sit_deg must be a finite number"


def _start_time(value: str) -> str | None:
    for fmt in START_FORMATS:
        try:
            dt.datetime.strptime(value, fmt)
            return None
        except ValueError:
            continue
    return "expected UTC ISO 8601 such as 2026-11-23T09:00:00.000Z"


HEADER_FIELDS = (
    HeaderField("format_version", Spec("int", "format the file was written in", lo=1, hi=FORMAT_VERSION),
                nullable=False),
    HeaderField("app_version", Spec("str", "posture-monitor version that wrote the file")),
    HeaderField("epoch_utc_s", Spec("num", "Unix time (UTC) of t = 0", "s", 0.0, 253402300799.0)),
    HeaderField("start_time", Spec("str", "t = 0 as UTC ISO 8601"), check=_start_time),
    HeaderField("profile", Spec("any", "device profile of raw frames"), check=_profile),
    HeaderField("address", Spec("str", "sensor BLE address")),
    HeaderField("sample_rate_hz", Spec("num", "nominal sample rate", "Hz", 0.0, 2000.0, lo_open=True)),
    HeaderField("calibration", Spec("table", "calibration in force"), check=_calibration),
    HeaderField("speed", Spec("num", "times real time of the live run", "x", 0.0, 1e6, lo_open=True)),
    HeaderField("clock", Spec("table", "the live run's sample clock settings")),
    HeaderField("kind", Spec("str", "what the records hold", choices=("frames", "samples"))),
    HeaderField("source", Spec("table", "where the data came from")),
    HeaderField("simulation", Spec("table", "simulator seed, mounting, bias")),
)


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def parse_header(path: Path, raw: bytes, offset: int) -> dict[str, Any]:
    """The header record's payload as a checked dict, `profile` given as its id (a `{"id", "version"}`
    object also keeps `profile_version`); RecordingError naming the file, field and value otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RecordingError(path, f"header is not UTF-8 text (byte {e.start} of the header is "
                             f"{raw[e.start]:#04x})", offset) from None
    try:
        header = json.loads(text)
    except json.JSONDecodeError as e:
        raise RecordingError(path, f"header is not valid JSON ({e.msg} at line {e.lineno} "
                             f"column {e.colno})", offset) from None
    if not isinstance(header, dict):
        raise RecordingError(path, f"header is a JSON {type(header).__name__.replace('list', 'array')}, "
                             "not an object", offset)
    check_fields(path, header, offset)
    return normalised(header)


def check_fields(path: Path, header: dict[str, Any], offset: int) -> None:
    """Every field that must be there is, and every known key holds a value its spec allows."""
    def fail(key: str, value: object, reason: str) -> RecordingError:
        shown = "missing" if value is None and key not in header else f"= {_shown(value)}"
        return RecordingError(path, f"header field {key} {shown}: {reason}", offset)

    for f in HEADER_FIELDS:
        if f.key not in header:
            if not f.nullable:
                raise fail(f.key, None, "every recording has it")
            continue
        value = header[f.key]
        if value is None and f.nullable:
            continue
        check(value, f.spec, f.key, fail)
        if f.check is not None and (problem := f.check(value)) is not None:
            raise fail(f.key, value, problem)


def _shown(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def normalised(header: dict[str, Any]) -> dict[str, Any]:
    """`profile` as the id string whichever form the file used."""
    profile = header.get("profile")
    if isinstance(profile, dict):
        header = {**header, "profile": profile["id"]}
        if profile.get("version") is not None:
            header["profile_version"] = profile["version"]
    return header
