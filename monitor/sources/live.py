"""Live streaming: sensor links deliver notifications; every `batch_s` they go to the recorder
(already written as they arrived) and through decode -> engine -> sinks as one Frames item."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from monitor.pipeline import Pipeline
from monitor.samples import Frames
from monitor.sessions.writer import RecordingWriter
from monitor.sources.ble import LinkStatus, SensorLink


@dataclass
class LiveStream:
    """One sensor: its link, its pipeline, its optional recording, and what arrived since the last batch."""

    link: SensorLink
    pipeline: Pipeline
    recorder: RecordingWriter | None = None
    report: Callable[[LinkStatus], None] | None = None  # told of every link state change
    feed: Callable[[Frames], object] | None = None  # instead of pipeline.feed (the dashboard's feeder)
    finish: Callable[[], None] | None = None  # after the pipeline closed
    pending: list[tuple[float, str, bytes]] = field(default_factory=list)

    def on_frame(self, t_s: float, uuid: str, data: bytes) -> None:
        self.pending.append((t_s, uuid, data))
        if self.recorder is not None:
            self.recorder.add_frame(t_s, uuid, data)

    def on_state(self, status: LinkStatus) -> None:
        if status.state != "streaming" and self.recorder is not None:
            self.recorder.flush()  # a lost link never costs frames already received
        if self.report is not None:
            self.report(status)

    def measured_rate_hz(self) -> float | None:
        """The sensor's real sample rate, from arrival times (None before enough frames)."""
        frames = self.pipeline.decoder.frames
        return frames.measured_rate_hz() if frames is not None else None

    def link_summary(self) -> dict[str, object]:
        """What the end-of-run summary says about the link: faults, battery, device, measured rate."""
        s, p = self.link.status, self.pipeline
        measured = self.measured_rate_hz()
        out: dict[str, object] = {
            "address": s.address, "connects": s.connects, "drops": s.drops, "stalls": s.stalls,
            "frames": s.frames, "battery_pct": s.battery_pct, **s.device_info,
            "reconnect_s_max": round(max(s.reconnect_s), 3) if s.reconnect_s else None}
        if measured is not None:
            out["rate_hz_measured"] = round(measured, 2)
            out["rate_drift_pct"] = round(100.0 * (measured / p.rate_hz - 1.0), 2)
        return out

    def drain(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        feed = self.feed or self.pipeline.feed
        feed(Frames(np.array([t for t, _, _ in batch]), [c for _, c, _ in batch], [d for _, _, d in batch]))


async def run_live(streams: list[LiveStream], until: Callable[[], bool] | None = None,
                   batch_s: float = 0.1) -> None:
    """Run every stream's link and feed batches until `until()` is true (or forever)."""
    for s in streams:
        s.link.on_frame, s.link.on_state = s.on_frame, s.on_state
    tasks = [asyncio.create_task(s.link.run()) for s in streams]
    try:
        while until is None or not until():
            await asyncio.sleep(batch_s)
            for s in streams:
                s.drain()
    finally:
        for s in streams:
            s.link.stop()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await t
        for s in streams:
            s.drain()
            if s.recorder is not None:
                s.recorder.close()
