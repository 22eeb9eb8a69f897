"""Device profiles as typed, validated data: what a sensor advertises, streams and understands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from monitor.profiles.nudge import Nudge

TYPES = {"u8": "u1", "i8": "i1", "u16": "u2", "i16": "i2", "u32": "u4", "i32": "i4", "f32": "f4", "u64": "u8"}
SAMPLE_FIELDS = ("acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z")


@dataclass(frozen=True)
class FieldSpec:
    """One value in a sample: where it sits, how it is stored, how to scale it to g or deg/s."""

    name: str
    offset: int  # bytes from the start of the sample (within its plane)
    type: str  # key of TYPES
    scale: float = 1.0
    big_endian: bool = False
    plane: int = 0  # planar layouts (Movesense) store all acc samples, then all gyro samples

    @property
    def dtype(self) -> np.dtype:
        return np.dtype((">" if self.big_endian else "<") + TYPES[self.type])


@dataclass(frozen=True)
class StampSpec:
    """A sensor timestamp or frame counter in the frame header: it decides sample spacing and gaps.

    A timestamp counts ticks of `unit_s` seconds and times the first or the last sample of the frame;
    a counter (unit_s 0) goes up by one per frame. Both wrap around at the width of their type."""

    offset: int  # bytes from the start of the frame
    type: str  # an unsigned key of TYPES
    unit_s: float = 0.0  # seconds per tick; 0: a frame counter
    stamps: str = "first"  # which sample of the frame a timestamp times: "first" or "last"
    big_endian: bool = False

    @property
    def is_counter(self) -> bool:
        return self.unit_s == 0.0

    @property
    def size(self) -> int:
        return np.dtype(TYPES[self.type]).itemsize

    @property
    def modulus(self) -> int:
        """Where the value wraps around to 0."""
        return 1 << (8 * self.size)

    def read(self, frame: bytes) -> int:
        return int.from_bytes(frame[self.offset:self.offset + self.size], self._order)

    def write(self, value: int) -> bytes:
        return (value % self.modulus).to_bytes(self.size, self._order)

    @property
    def _order(self) -> Literal["little", "big"]:
        return "big" if self.big_endian else "little"


@dataclass(frozen=True)
class StreamSpec:
    """One kind of notification: its characteristic, the bytes that identify it, its sample layout."""

    characteristic: str
    fields: tuple[FieldSpec, ...]
    sample_bytes: int
    header_bytes: int = 0
    samples_per_frame: int = 1  # 0: as many as the frame length holds
    frame_bytes: int | None = None  # fixed frame length, when there is one
    match: tuple[tuple[int, bytes], ...] = ()  # (offset, bytes) every frame must carry
    reassemble: bool = False  # frames may be split across or packed into notifications
    planes: int = 1
    stamp: StampSpec | None = None  # the sensor's timestamp or frame counter, when the frame has one

    @property
    def provides(self) -> frozenset[str]:
        return frozenset(f.name.split("_")[0] for f in self.fields if f.name in SAMPLE_FIELDS)

    def carries(self, buf: bytes | bytearray, start: int = 0) -> bool:
        """Whether the frame starting at `start` in buf holds this stream's identifying bytes."""
        return all(buf[start + at:start + at + len(want)] == want for at, want in self.match)

    def samples_in(self, length: int) -> int:
        """Samples in a frame of this length (0 when the length is not valid)."""
        if self.frame_bytes is not None:
            return self.samples_per_frame if length == self.frame_bytes else 0
        body = length - self.header_bytes
        if body <= 0 or body % self.sample_bytes:
            return 0
        n = body // self.sample_bytes
        return n if self.samples_per_frame in (0, n) else 0


@dataclass(frozen=True)
class Write:
    """A GATT write; `hex` may hold placeholders filled from the sample rate."""

    characteristic: str
    hex: str
    response: bool = True


@dataclass(frozen=True)
class RateSpec:
    supported_hz: tuple[float, ...]
    default_hz: float
    writes: tuple[Write, ...] = ()
    codes: dict[str, str] = field(default_factory=dict)  # rate (Hz, as text) -> hex code


@dataclass(frozen=True)
class Profile:
    """A sensor model, loaded from one TOML file in device_profiles/."""

    id: str
    name: str
    version: int
    path: Path
    service: str
    name_patterns: tuple[str, ...]
    service_uuids: tuple[str, ...]
    streams: tuple[StreamSpec, ...]
    rate: RateSpec
    start: tuple[Write, ...] = ()
    stop: tuple[Write, ...] = ()
    subscribe_first: bool = False
    also_subscribe: tuple[str, ...] = ()
    battery_characteristic: str | None = None
    axes: tuple[str, str, str] = ("x", "y", "z")
    acc_range_g: float = 16.0
    gyro_range_dps: float = 2000.0
    notes: str = ""
    unverified: tuple[str, ...] = ()
    nudges: tuple[Nudge, ...] = ()  # what the sensor's own actuators can do to prompt the wearer

    @property
    def has_gyro(self) -> bool:
        return any("gyro" in s.provides for s in self.streams)

    @property
    def characteristics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.characteristic for s in self.streams))

    def nudge(self, name: str) -> Nudge | None:
        """The profile's nudge of that name ("slouch", "break"), or None when it declares none."""
        return next((n for n in self.nudges if n.name == name), None)
