"""Byte layout of a recording (see docs/recording-format.md): preamble, then CRC-checked records."""

from __future__ import annotations

import struct
import zlib
from enum import IntEnum

import numpy as np

MAGIC = b"PMREC\x00\r\n"
FORMAT_VERSION = 1
PREAMBLE = struct.Struct("<8sHH")  # magic, format version, reserved
RECORD_HEAD = struct.Struct("<B3xII")  # type, payload length, crc32 of payload
COUNT_HEAD = struct.Struct("<I4x")  # n items (padded to 8 bytes)
SAMPLES_HEAD = struct.Struct("<IBxxxd")  # n, flags, rate_hz
MAX_PAYLOAD = 64 * 1024 * 1024


class RecordType(IntEnum):
    HEADER = 1
    FRAMES = 2
    SAMPLES = 3
    LABELS = 4
    TRUTH = 5
    META = 6
    LABEL_EDITS = 7  # label spans that override earlier labels (`posture-monitor label`)


class SampleFlags:
    GYRO = 1
    TIME_INDEXED = 2  # t_s == index / rate_hz exactly; indices stored as uint32


def pad8(n: int) -> int:
    return (n + 7) & ~7


def record_bytes(rtype: RecordType, payload: bytes) -> bytes:
    """One whole record, header and payload, ready for a single write()."""
    return RECORD_HEAD.pack(int(rtype), len(payload), zlib.crc32(payload)) + payload


def pack_arrays(head: bytes, *arrays: np.ndarray) -> bytes:
    """Concatenate a fixed head and arrays, each padded to 8 bytes so reads stay aligned."""
    parts = [head]
    for a in arrays:
        raw = np.ascontiguousarray(a).tobytes()
        parts.append(raw + b"\0" * (pad8(len(raw)) - len(raw)))
    return b"".join(parts)


class ArrayCursor:
    """Reads consecutive 8-byte-aligned arrays out of a payload buffer without copying."""

    def __init__(self, buf: memoryview, offset: int) -> None:
        self.buf, self.pos = buf, offset

    def take(self, dtype: type | str, count: int) -> np.ndarray:
        dt = np.dtype(dtype)
        nbytes = dt.itemsize * count
        if self.pos + nbytes > len(self.buf):
            raise ValueError("array runs past the end of its record")
        arr = np.frombuffer(self.buf, dt, count, self.pos)
        self.pos += pad8(nbytes)
        return arr
