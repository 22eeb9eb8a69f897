"""Walking a recording's records, and finding the next intact one after damage.

Format version 1 has no sync marker and its CRC covers the payload only, so a record is taken as intact
only when every part of it agrees: the head's three reserved bytes are zero, its length fits in the file,
the payload's own counts give exactly that length (the fixed layouts of FRAMES, SAMPLES, LABELS,
LABEL_EDITS, TRUTH; a JSON record starts with `{`) and the CRC-32 matches. After a damaged record the
walk resynchronises at the first later offset where a record of a known type (2-7) passes all of those
checks: 24 zero bits, the type, the layout and 32 CRC bits make a false start at a random offset about
as likely as 2**-56, and a cut or zeroed stretch of the file never looks like one (a zero-length or
zeroed record fails the layout and type checks). Each damaged stretch becomes one Damage span."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from monitor.sessions.format import (
    COUNT_HEAD,
    MAX_PAYLOAD,
    RECORD_HEAD,
    SAMPLES_HEAD,
    RecordType,
    SampleFlags,
    pad8,
)

RESYNC = re.compile(rb"[\x02-\x07]\x00\x00\x00")  # type byte of a known record after the header, 3 zeros
JSON_TYPES = (RecordType.HEADER, RecordType.META)
U16 = struct.Struct("<H")


@dataclass
class Damage:
    """A damaged stretch of the file: where it starts, how many bytes, why, and the stream time it
    held as estimated from the intact records around it (`before_t_s` .. `after_t_s`)."""

    offset: int
    length: int
    reason: str
    before_t_s: float | None = None
    after_t_s: float | None = None  # None: nothing intact after it (a damaged tail)
    lost_s: float | None = None  # estimated by estimate_lost()

    @property
    def end(self) -> int:
        return self.offset + self.length


@dataclass(frozen=True)
class Found:
    """An intact record: its offset, type and payload (a view into the file)."""

    offset: int
    rtype: int
    payload: memoryview

    @property
    def end(self) -> int:
        return self.offset + RECORD_HEAD.size + len(self.payload)


def layout_length(rtype: int, payload: memoryview) -> int | None:
    """The payload length a record of this type must have by its own counts (None: no fixed layout);
    ValueError when the payload is too short to hold its counts."""
    if rtype in (RecordType.LABELS, RecordType.LABEL_EDITS, RecordType.TRUTH, RecordType.FRAMES):
        if len(payload) < COUNT_HEAD.size:
            raise ValueError("record too short for its count")
        (n,) = COUNT_HEAD.unpack_from(payload, 0)
        if rtype == RecordType.TRUTH:
            return COUNT_HEAD.size + pad8(4 * n) + pad8(n)
        if rtype != RecordType.FRAMES:
            return COUNT_HEAD.size + 16 * n + pad8(2 * n)
        at = COUNT_HEAD.size + pad8(8 * n) + pad8(n)
        if at + 2 * n > len(payload):
            raise ValueError("frame lengths run past the end of the record")
        data = int(np.frombuffer(payload, np.uint16, n, at).sum(dtype=np.int64))
        return at + pad8(2 * n) + pad8(data)
    if rtype == RecordType.SAMPLES:
        if len(payload) < SAMPLES_HEAD.size:
            raise ValueError("record too short for its head")
        n, flags, _ = SAMPLES_HEAD.unpack_from(payload, 0)
        if flags & ~(SampleFlags.GYRO | SampleFlags.TIME_INDEXED):
            raise ValueError(f"unknown sample flags {flags:#x}")
        t_bytes = (4 if flags & SampleFlags.TIME_INDEXED else 8) * n
        return SAMPLES_HEAD.size + pad8(t_bytes) + pad8(12 * n) * (2 if flags & SampleFlags.GYRO else 1)
    return None


def layout_fits(rtype: int, payload: memoryview) -> bool:
    """The payload's counts agree with its length (JSON records: it starts as an object)."""
    if rtype in JSON_TYPES:
        return bytes(payload[:1]) == b"{"
    try:
        expected = layout_length(rtype, payload)
    except ValueError:
        return False
    return expected is None or expected == len(payload)


def problem_at(buf: memoryview, pos: int) -> str | None:
    """Why the record at `pos` cannot be trusted (its head, extent or CRC), None when it is intact."""
    end = len(buf)
    if pos + RECORD_HEAD.size > end:
        return "truncated record head"
    rtype, length, crc = RECORD_HEAD.unpack_from(buf, pos)
    if rtype == 0 or bytes(buf[pos + 1:pos + 4]) != b"\0\0\0":  # no record has type 0 (zeroed bytes)
        return "damaged record head (type 0 or reserved bytes not zero)"
    body = pos + RECORD_HEAD.size
    if length == 0:  # no record is empty, and zeroed bytes under one type byte would pass the CRC (of b"")
        return "damaged record head (an empty record)"
    if length > MAX_PAYLOAD or body + length > end:
        return f"truncated or damaged record (its head says {length} bytes)"
    payload = buf[body:body + length]
    if zlib.crc32(payload) != crc:
        return "checksum mismatch (corrupted record)"
    if not layout_fits(rtype, payload):
        what = "not a JSON object" if rtype in JSON_TYPES else "its counts do not match its length"
        return f"malformed record of type {rtype} ({what})"
    return None


def next_intact(buf: memoryview, start: int) -> int:
    """The offset of the first intact record of a known type at or after `start` (len(buf): none)."""
    for m in RESYNC.finditer(buf, start):
        if problem_at(buf, m.start()) is None:
            return int(m.start())
    return len(buf)


def walk(buf: memoryview, pos: int) -> Iterator[Found | Damage]:
    """Every intact record from `pos` on, and a Damage for each stretch between them that is not one.
    A record with a good CRC whose counts do not fit is skipped whole (its extent is verified)."""
    end = len(buf)
    while pos < end:
        reason = problem_at(buf, pos)
        if reason is None:
            rtype, length, _ = RECORD_HEAD.unpack_from(buf, pos)
            body = pos + RECORD_HEAD.size
            yield Found(pos, rtype, buf[body:body + length])
            pos = body + length
            continue
        resume = next_intact(buf, pos + 1)
        yield Damage(pos, resume - pos, reason)
        pos = resume


def estimate_lost(spans: list[Damage], period_s: float) -> None:
    """Fill each span's `lost_s`: between intact neighbours, the stream time between the last record
    before it and the first after it, less one sample period; a damaged tail at the file's average
    stream seconds per byte up to it."""
    for d in spans:
        before = d.before_t_s if d.before_t_s is not None else 0.0
        if d.after_t_s is not None:
            d.lost_s = max(0.0, d.after_t_s - before - period_s)
        elif d.before_t_s is not None and d.offset > 0:
            d.lost_s = d.length * d.before_t_s / d.offset


def lost_text(spans: list[Damage]) -> str:
    """'about 12.3 s' of stream time the spans held, or 'time unknown' when none can be estimated."""
    known = [d.lost_s for d in spans if d.lost_s is not None]
    return f"about {sum(known):.1f} s" if known else "time unknown"


def damage_note(path: object, spans: list[Damage]) -> str | None:
    """One warning line for replay and evaluate: the damaged spans skipped (None when there are none)."""
    if not spans:
        return None
    if len(spans) == 1:
        d = spans[0]
        return (f"warning: {path}: damaged at byte {d.offset} ({d.length} bytes, {lost_text(spans)} lost: "
                f"{d.reason}); every intact record is used")
    size = sum(d.length for d in spans)
    return (f"warning: {path}: {len(spans)} damaged spans ({size} bytes from byte {spans[0].offset}, "
            f"{lost_text(spans)} lost); every intact record is used (`posture-monitor info` lists them)")
