"""One sensor's path through a run: its source's items are recorded as they arrived (raw frames and
arrival times, so a replay is the live run again) and fed to its pipeline, or to the dashboard's
feeder for the stream the dashboard shows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from monitor.pipeline import Pipeline
from monitor.run.decoded import DecodeWatch
from monitor.samples import Frames, SourceItem
from monitor.sessions.writer import RecordingWriter
from monitor.sources.base import Source


@dataclass
class Stream:
    source: Source
    pipeline: Pipeline
    recorder: RecordingWriter | None = None
    feed: Callable[[SourceItem], object] | None = None  # the dashboard feeder's, else pipeline.feed
    finish: Callable[[], None] | None = None  # after the pipeline closed (the dashboard's last view)
    label: str | None = None
    watch: DecodeWatch | None = None  # ends the run when no frame decodes (monitor/run/decoded.py)

    def consume(self, stop: threading.Event, on_item: Callable[[float], None] | None = None) -> None:
        """Feed every item until the source ends or `stop` is set; `on_item(t_s)` after each."""
        feed = self.feed or self.pipeline.feed
        for item in self.source.items(stop):
            if self.recorder is not None and isinstance(item, Frames):
                self.recorder.add_frames(item)
            feed(item)
            if self.watch is not None and isinstance(item, Frames):
                self.watch.after(item)
            if on_item is not None:
                on_item(self.pipeline.last_t_s)
        if self.watch is not None and not stop.is_set():
            self.watch.ended()

    def close(self) -> None:
        """Stop the source, then finish the pipeline (held frames, sinks), then the recording."""
        self.source.close()
        self.pipeline.close()
        if self.finish is not None:
            self.finish()
        if self.recorder is not None:
            self.recorder.close()
