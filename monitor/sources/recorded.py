"""Replay of a recording as a source: its samples or its raw frames with their arrival times, in
live-sized chunks, paced by a Pacer. The stream's epoch is the recording's."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from monitor.profiles.model import Profile
from monitor.samples import Frames, SampleBlock, SourceItem, concat
from monitor.sessions.reader import FrameLog, Recording
from monitor.sources.base import PacedSource
from monitor.sources.pacing import Pacer, chunk_samples
from monitor.timebase import TimeBase


def frames_of(log: FrameLog, payloads: list[bytes], start: int = 0, stop: int | None = None) -> Frames:
    """Notifications [start, stop) of a recording's frame log as a live-shaped Frames item."""
    chars = [log.characteristics[c] for c in log.char_index[start:stop]]
    return Frames(log.t_s[start:stop], chars, payloads[start:stop])


def replay_items(rec: Recording, speed: float | None,
                 stop: threading.Event | None = None) -> Iterator[SourceItem]:
    """Stream a recording in the chunks and timing a live sensor would produce."""
    pacer = Pacer(speed, stop)
    rate = float(rec.header.get("sample_rate_hz") or 100.0)
    size = chunk_samples(rate, speed)
    for part in sample_chunks(rec, size):
        if pacer.stop.is_set():
            return
        pacer.wait_until(float(part.t_s[-1]))
        yield part
    if rec.has_frames:
        yield from _frames(rec, speed, pacer)


def sample_chunks(rec: Recording, size: int) -> Iterator[SampleBlock]:
    """The recording's samples in chunks of `size` whatever its records hold (a SAMPLES record is a
    few seconds; a chunk may span several), the last one shorter."""
    held: list[SampleBlock] = []
    count = 0
    for stored in rec.stored:
        held.append(stored.to_block())
        count += stored.n
        if count < size:
            continue
        joined = concat(held) if len(held) > 1 else held[0]
        whole = count - count % size
        for i in range(0, whole, size):
            yield joined.slice(i, i + size)
        held, count = ([joined.slice(whole, count)], count - whole) if count > whole else ([], 0)
    if count:
        yield concat(held) if len(held) > 1 else held[0]


def _frames(rec: Recording, speed: float | None, pacer: Pacer) -> Iterator[Frames]:
    log = rec.frames()
    payloads = log.payloads()
    per = 1 if speed is not None else 4096
    for i in range(0, len(log), per):
        if pacer.stop.is_set():
            return
        pacer.wait_until(float(log.t_s[min(i + per, len(log)) - 1]))
        yield frames_of(log, payloads, i, i + per)


class ReplaySource(PacedSource):
    """A recording, replayed at `speed` x real time (None: as fast as possible)."""

    def __init__(self, rec: Recording, speed: float | None, profile: Profile | None) -> None:
        self.rec, self.speed, self.profile = rec, speed, profile
        self.name = rec.path.name
        self.rate_hz = float(rec.header.get("sample_rate_hz") or 100.0)
        self.timebase = TimeBase.from_header(rec.header)

    @property
    def epoch_utc_s(self) -> float:
        return self.timebase.epoch_utc_s

    @property
    def duration_s(self) -> float | None:
        last = self.rec.last_sample_t_s
        return self.rec.last_frame_t_s if last is None else last

    def items(self, stop: threading.Event) -> Iterator[SourceItem]:
        return replay_items(self.rec, self.speed, stop)
