"""A recording's report section: the recording replayed through the same run as `replay` (built by
monitor.run.build from a ReplaySpec: decoder, engine and coach from the config, the recording's own
calibration and clock), with one extra sink that keeps every event (engine and coach) and, after each
block, the engine's per-sample estimates, its status (upright-sitting reference) and the coach's bout.
Blocks are cut to `piece_s` so the reference and the bout are sampled that often; the engine and the
coach give the same events however a stream is chunked."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from monitor.config import Config
from monitor.engine.engine import POSTURES
from monitor.events import Event
from monitor.events.types import describe
from monitor.labels import NAMES, LabelSegments
from monitor.pipeline import Pipeline
from monitor.report.timeline import Curve, Marker, Runs, Spans, Timeline
from monitor.run.build import build
from monitor.run.spec import ReplayCalibration, ReplaySpec, RunSpec
from monitor.samples import SampleBlock, SourceItem
from monitor.sinks.totals import Accountant, apply
from monitor.timebase import TimeBase

PIECE_S = 30.0  # how often the reference and the bout are sampled (stream seconds)


@dataclass
class SeriesSink:
    """Keeps what the report draws; `watch` gives it the pipeline whose engine and coach it reads."""

    events: list[Event] = field(default_factory=list)
    t_s: list[NDArray[np.float64]] = field(default_factory=list)
    posture: list[NDArray[np.int8]] = field(default_factory=list)
    tilt_deg: list[NDArray[np.float64]] = field(default_factory=list)
    slouch: list[NDArray[np.bool_]] = field(default_factory=list)
    status: list[tuple[float, float, float, float]] = field(default_factory=list)  # t, ref, bout, sitting
    referenced: list[bool] = field(default_factory=list)  # per status: calibrated or a reference found
    quiet: list[str | None] = field(default_factory=list)  # per status: why the coach kept quiet
    threshold_deg: float = 8.0
    pipeline: Pipeline | None = None

    def watch(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def handle(self, event: Event) -> None:
        self.events.append(event)

    def tick(self, t_s: float) -> None:
        """After each block: its estimates (fresh arrays per block, kept as they are) and the status."""
        assert self.pipeline is not None and self.pipeline.engine is not None
        engine, coach = self.pipeline.engine, self.pipeline.coach
        est = engine.estimates
        if est is None:
            return
        self.t_s.append(est.t_s)
        self.posture.append(est.posture)
        self.tilt_deg.append(est.tilt_deg)
        self.slouch.append(est.slouch)
        st = engine.status()
        self.threshold_deg = st.slouch_threshold_deg
        bout = coach.bout_s(t_s) if coach is not None else np.nan
        self.status.append((t_s, st.sit_reference_deg, bout, float(st.posture == "sitting")))
        self.referenced.append(st.calibrated or st.auto_reference is not None)
        self.quiet.append(coach.quiet_reason(t_s) if coach is not None else None)

    def close(self, summary: dict[str, Any]) -> None:
        pass


def in_pieces(feed: Callable[[SourceItem], object], size: int) -> Callable[[SourceItem], object]:
    """A feed that passes sample blocks on in pieces of at most `size` samples (frames as they are)."""
    def fed(item: SourceItem) -> None:
        if not isinstance(item, SampleBlock):
            feed(item)
            return
        for i in range(0, len(item), size):
            feed(item.slice(i, i + size))
    return fed


def replay(path: Path, cfg: Config, calibration: ReplayCalibration | None = None,
           profile_id: str | None = None, piece_s: float = PIECE_S) -> tuple[SeriesSink, TimeBase, float]:
    """Run the recording through the replay run; the filled sink, the stream's time base, the limit."""
    sink = SeriesSink()
    source = ReplaySpec(path, None, profile_id, calibration or ReplayCalibration())
    run = build(RunSpec(cfg, source, "none", f"report {path.name}", stats=False, mqtt=False,
                        extra_sinks=(sink,)))
    try:
        stream = run.streams[0]
        sink.watch(stream.pipeline)
        stream.feed = in_pieces(stream.pipeline.feed, max(1, round(piece_s * stream.source.rate_hz)))
        stream.consume(threading.Event())
    finally:
        run.close()
    coach = run.streams[0].pipeline.coach
    limit_s = coach.s.sitting_limit_s if coach is not None else cfg["engine.sitting_limit_min"] * 60.0
    return sink, TimeBase(run.streams[0].source.epoch_utc_s), limit_s


def recording_timeline(path: Path, cfg: Config, calibration: ReplayCalibration | None = None,
                       profile_id: str | None = None) -> Timeline:
    """The report section of one recording."""
    from monitor.sessions import open_recording

    labels = open_recording(path).labels()
    sink, timebase, limit_s = replay(path, cfg, calibration, profile_id)
    return timeline_of(sink, timebase, limit_s, labels, path.name)


def timeline_of(sink: SeriesSink, timebase: TimeBase, limit_s: float, labels: LabelSegments,
                title: str) -> Timeline:
    """What the sink kept, on the wall clock of the stream's epoch."""
    epoch = timebase.epoch_utc_s
    t = np.concatenate(sink.t_s) if sink.t_s else np.zeros(0)
    posture = np.concatenate(sink.posture) if sink.posture else np.zeros(0, np.int8)
    slouch = np.concatenate(sink.slouch) if sink.slouch else np.zeros(0, bool)
    wall = t + epoch
    flags = Runs.from_per_sample(wall, slouch.astype(np.int8), ("upright", "slouched"))
    on = flags.code == 1
    tl = Timeline(title, float(wall[0]) if len(t) else epoch, float(wall[-1]) if len(t) else epoch,
                  Runs.from_per_sample(wall, posture, POSTURES), Spans(flags.start_s[on], flags.end_s[on]),
                  label_runs(labels, epoch), threshold_deg=sink.threshold_deg, limit_s=limit_s)
    st = np.array(sink.status, np.float64).reshape(-1, 4)
    since = referenced_from(sink)
    tilt = np.concatenate(sink.tilt_deg) if sink.tilt_deg else np.zeros(0)
    tl.tilt_back_deg = Curve(wall, np.where(t >= since, -tilt, np.nan))
    tl.reference_back_deg = Curve(st[:, 0] + epoch, np.where(st[:, 0] >= since, -st[:, 1], np.nan))
    tl.bout_s = Curve(st[:, 0] + epoch, st[:, 2])
    tl.markers = sorted((Marker(epoch + ev.t_s, ev.kind, describe(ev)) for ev in sink.events),
                        key=lambda m: m.t_s)
    tl.quiet = quiet_spans(sink, epoch)
    tl.notes = notes_of(sink, since, epoch, tl.quiet)
    tl.totals = totals_of(sink.events, timebase, float(t[-1]) if len(t) else 0.0)
    if len(st):  # the bout still under way at the end counts too
        tl.totals["longest_bout_s"] = max(tl.totals.get("longest_bout_s", 0.0), float(st[-1, 2]))
    return tl


def referenced_from(sink: SeriesSink) -> float:
    """Stream time from which the engine had a tilt reference: the start when calibrated at its first
    block, else its first `reference_found` (inf: never)."""
    if sink.referenced[:1] == [True] and not any(ev.kind == "reference_found" for ev in sink.events):
        return -np.inf
    found = [ev.t_s for ev in sink.events if ev.kind == "reference_found"]
    later = [t for (t, *_), ok in zip(sink.status, sink.referenced, strict=True) if ok]
    return min([*found, *later], default=np.inf)


def quiet_spans(sink: SeriesSink, epoch: float) -> list[tuple[float, float, str]]:
    """Wall-clock spans over which the coach kept quiet, with why (sampled once a piece)."""
    out: list[tuple[float, float, str]] = []
    prev_t = sink.t_s[0][0] if sink.t_s and len(sink.t_s[0]) else 0.0
    for (t, *_), why in zip(sink.status, sink.quiet, strict=True):
        if why is not None and out and out[-1][2] == why and out[-1][1] == epoch + prev_t:
            out[-1] = (out[-1][0], epoch + t, why)
        elif why is not None:
            out.append((epoch + prev_t, epoch + t, why))
        prev_t = t
    return out


def notes_of(sink: SeriesSink, since: float, epoch: float,
             quiet: list[tuple[float, float, str]]) -> list[str]:
    """What the page says under the figure: where the tilt starts, when the coach kept quiet."""
    notes = []
    if np.isinf(since) and since > 0:
        notes.append("No pelvic tilt is drawn: the engine never had a reference (no calibration, and it "
                     "found none).")
    elif np.isfinite(since):
        notes.append(f"Pelvic tilt from {local_hms(epoch + since)}, when the engine found its upright "
                     f"reference (the recording has no calibration).")
    for start, end, why in quiet:
        notes.append(f"The coach kept quiet ({why}) from {local_hms(start)} to {local_hms(end)}: no "
                     f"prompts or nudges then.")
    return notes


def local_hms(unix_s: float) -> str:
    return dt.datetime.fromtimestamp(unix_s).astimezone().strftime("%H:%M:%S")


def label_runs(labels: LabelSegments, epoch_utc_s: float) -> Runs | None:
    """The recording's labels as runs named by their label names (None without labels)."""
    if len(labels) == 0:
        return None
    codes = sorted(set(labels.code.tolist()))
    names = tuple(NAMES.get(c, str(c)) for c in codes)
    index = np.searchsorted(np.array(codes), labels.code).astype(np.int16)
    return Runs(labels.start_s + epoch_utc_s, labels.end_s + epoch_utc_s, index, names)


def totals_of(events: list[Event], timebase: TimeBase, last_t_s: float) -> dict[str, float]:
    """The statistics store's columns for the whole recording (every day added up, the longest bout
    the longest of them), from the same accounting the store uses."""
    acc, totals = Accountant(timebase), dict[str, float]()
    for ev in events:
        apply(totals, acc.on_event(ev))
    apply(totals, acc.on_tick(last_t_s))
    return totals
