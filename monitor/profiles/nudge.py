"""Nudges on the body: a profile's `[nudge.<name>]` writes that make the sensor itself buzz, beep or
light up (MetaMotion's haptic motor and LED, Thingy:52's LED and speaker, the micro:bit's LED matrix).

Data, not code: each nudge is a list of fixed GATT writes, each to a characteristic in a named service
(the profile's own service by default), with an optional pause after the previous write, so that a
"tap tap" or "show an arrow, then clear it" is declared in the TOML file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.errors import ProfileError

NUDGE_NAMES = ("slouch", "break", "break_warning")  # what the coach can ask the body for
MAX_WRITE_BYTES = 20  # one ATT write at the default MTU of 23


@dataclass(frozen=True)
class NudgeWrite:
    """One fixed write of a nudge: these bytes to this characteristic of this service."""

    characteristic: str
    hex: str
    service: str
    response: bool = True
    delay_ms: int = 0  # pause after the previous write, in the actuator's own (wall) time

    @property
    def data(self) -> bytes:
        return bytes.fromhex(self.hex)


@dataclass(frozen=True)
class Nudge:
    """A named nudge ("slouch", "break", ...): its writes, in order."""

    name: str
    writes: tuple[NudgeWrite, ...]


def build_nudges(table: dict[str, Any], path: Path, default_service: str,
                 fixed: dict[str, str]) -> tuple[Nudge, ...]:
    """The checked nudges of a schema-valid `[nudge]` table. `fixed`: characteristic -> service of
    the profile's other characteristics (streams, commands), which a nudge may not move."""
    services = dict(fixed)
    out = []
    for name, body in table.items():
        writes = tuple(_write(w, path, f"nudge.{name}.writes[{i}]", default_service, services)
                       for i, w in enumerate(body["writes"]))
        out.append(Nudge(name, writes))
    return tuple(out)


def _write(w: dict[str, Any], path: Path, key: str, default_service: str,
           services: dict[str, str]) -> NudgeWrite:
    write = NudgeWrite(w["characteristic"], w["hex"].lower(), w.get("service", default_service),
                       w.get("response", True), w.get("delay_ms", 0))
    if len(write.data) > MAX_WRITE_BYTES:
        raise ProfileError(path, f"{key}.hex", w["hex"],
                           f"is {len(write.data)} bytes: more than one {MAX_WRITE_BYTES}-byte write")
    if write.delay_ms and key.endswith("writes[0]"):
        raise ProfileError(path, f"{key}.delay_ms", write.delay_ms,
                           "the first write has no previous write to wait for")
    known = services.setdefault(write.characteristic, write.service)
    if known != write.service:
        raise ProfileError(path, f"{key}.service", write.service,
                           f"characteristic {write.characteristic} is in service {known}")
    return write
