"""Replay of a recording: yields its samples or frames in live-sized chunks, paced by a Pacer."""

from __future__ import annotations

from collections.abc import Iterator

from monitor.samples import Frames, SourceItem
from monitor.sessions.reader import FrameLog, Recording
from monitor.sources.pacing import Pacer, chunk_samples


def frames_of(log: FrameLog, payloads: list[bytes], start: int = 0, stop: int | None = None) -> Frames:
    """Notifications [start, stop) of a recording's frame log as a live-shaped Frames item."""
    chars = [log.characteristics[c] for c in log.char_index[start:stop]]
    return Frames(log.t_s[start:stop], chars, payloads[start:stop])


def replay_items(rec: Recording, speed: float | None) -> Iterator[SourceItem]:
    """Stream a recording in the chunks and timing a live sensor would produce."""
    pacer = Pacer(speed)
    rate = float(rec.header.get("sample_rate_hz") or 100.0)
    size = chunk_samples(rate, speed)
    for stored in rec.stored:
        block = stored.to_block()
        for i in range(0, len(block), size):
            part = block.slice(i, i + size)
            pacer.wait_until(float(part.t_s[-1]))
            yield part
    if rec.has_frames:
        log = rec.frames()
        payloads = log.payloads()
        per = 1 if speed is not None else 4096
        for i in range(0, len(log), per):
            pacer.wait_until(float(log.t_s[min(i + per, len(log)) - 1]))
            yield frames_of(log, payloads, i, i + per)
