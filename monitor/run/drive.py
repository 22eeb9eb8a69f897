"""Driving a built run: headless (events on stdout, a progress bar on stderr) or under the dashboard
(the stream in a thread, the UI in this one). Either way a signal or the end of the source stops every
stream, and the run closes in order: pipelines and recordings, MQTT offline, then the links."""

from __future__ import annotations

import json
import threading

from monitor.cli.progress import Progress
from monitor.run.build import Run, build
from monitor.run.spec import BleSpec, RunSpec, SimulatorSpec
from monitor.run.stopping import Stopper
from monitor.run.stream import Stream
from monitor.sinks.summary import summary_json, summary_lines
from monitor.sources.recorded import ReplaySource


def execute(spec: RunSpec) -> int:
    """Build the run, stream it until its source ends or a signal, close it; the exit code."""
    with Stopper() as stopper:
        run = build(spec)
        try:
            if spec.front_end == "dashboard":
                _dashboard(run, stopper)
            else:
                _headless(run, stopper)
        finally:
            stopper.event.set()
            run.close()
        if spec.front_end == "dashboard":
            _print_summary(run)
    return stopper.exit_code


class Workers:
    """Streams consumed in their own threads; the first failure stops the others and is kept."""

    def __init__(self, streams: list[Stream], stop: threading.Event) -> None:
        self.stop, self.errors = stop, list[Exception]()
        self.threads = [threading.Thread(target=self._consume, args=(s,), name=f"stream-{i + 1}", daemon=True)
                        for i, s in enumerate(streams)]
        for t in self.threads:
            t.start()

    def _consume(self, stream: Stream) -> None:
        try:
            stream.consume(self.stop)
        except Exception as e:  # reported by the CLI once every stream has stopped
            self.errors.append(e)
            self.stop.set()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()
        if self.errors:
            raise self.errors[0]


def _headless(run: Run, stopper: Stopper) -> None:
    """The first stream in this thread (with progress), any others in their own."""
    others = Workers(run.streams[1:], stopper.event)
    total_s = _duration_s(run)
    progress = Progress(total_s or 0.0, enabled=None if total_s else False)
    try:
        run.streams[0].consume(stopper.event, progress.update)
    finally:
        progress.done()
        others.join()


def _dashboard(run: Run, stopper: Stopper) -> None:
    """The UI in this thread until quit (or a signal); the streams in theirs."""
    from monitor.ui.app import make_app

    assert run.board is not None
    workers = Workers(run.streams, stopper.event)
    workers.errors = run.board.errors  # the app sees a failed stream and exits
    try:
        make_app(run.board, subtitle=run.spec.title, stop_event=stopper.event).run()
    finally:
        workers.join()


def _print_summary(run: Run) -> None:
    """After the terminal is restored: the dashboard stream's summary (the others printed theirs)."""
    summary = run.streams[0].pipeline.summary()
    if run.spec.cfg["output.json"]:
        print(json.dumps(summary_json(summary)))
    else:
        print("\n".join(summary_lines(summary)))


def _duration_s(run: Run) -> float | None:
    """Stream seconds the run will last, for the progress bar (None: until stopped)."""
    src, first = run.spec.source, run.opened.sources[0]
    if isinstance(first, ReplaySource):
        return first.duration_s
    return src.duration_s if isinstance(src, SimulatorSpec | BleSpec) else None
