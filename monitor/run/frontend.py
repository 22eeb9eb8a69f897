"""The dashboard's stream: the same pipeline as headless, plus the front end's listeners (the Board,
today's totals, the guided calibration's tap), the user's request queue fed by keys and MQTT, and the
Feeder that publishes views. Assembled here once, before the pipeline exists, so nothing mutates it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from monitor.coach.actions import Actions
from monitor.coach.coach import Coach
from monitor.coach.stretches import load_catalogue
from monitor.decode import Decoder
from monitor.engine.calibration import Calibration
from monitor.engine.engine import PostureEngine
from monitor.pipeline import Pipeline, Sink
from monitor.run.build import Run, StreamParts, attach_mqtt, link_extra
from monitor.run.stream import Stream
from monitor.sessions.marks import LabelMarks
from monitor.sessions.writer import RecordingWriter
from monitor.sinks.stats import StatsStore
from monitor.sinks.totals import DayTotals
from monitor.sources.base import Source
from monitor.sources.live import LiveSource
from monitor.timebase import TimeBase
from monitor.ui.board import Board
from monitor.ui.calibrating import CalibrationDriver, Saver
from monitor.ui.feeder import Feeder
from monitor.ui.stored_week import StoredWeek

Timeline = tuple[tuple[float, str], ...]


def dashboard_stream(run: Run, parts: StreamParts, decoder: Decoder,
                     recorder: RecordingWriter | None) -> Stream:
    assert run.board is not None and parts.coach is not None
    src = parts.source
    marks = LabelMarks(recorder.write_labels, run.board.note) if recorder is not None else None
    feeder = make_dashboard(run.board, decoder, parts.engine, parts.coach, src.rate_hz, parts.timebase,
                            parts.store, parts.sinks, link_view(src, decoder), calibration_saver(src),
                            parts.earlier, link_extra(src, decoder), marks)
    attach_mqtt(run, parts, feeder.pipeline, run.board.request, feeder.link)
    return Stream(src, feeder.pipeline, recorder, feed=feeder.feed, finish=feeder.finish)


def make_dashboard(board: Board, decoder: Decoder, engine: PostureEngine | None, coach: Coach, rate_hz: float,
                   timebase: TimeBase, store: StatsStore | None = None, sinks: Sequence[Sink] = (),
                   link: Callable[[], dict[str, Any]] | None = None, saver: Saver | None = None,
                   earlier: Mapping[str, float] | None = None,
                   extra: Callable[[], dict[str, Any]] | None = None,
                   marks: LabelMarks | None = None) -> Feeder:
    """The dashboard's pipeline and feeder: the Board, today's totals (seeded with `earlier`), the
    recording's label marks and the guided calibration's tap are among the pipeline's listeners from
    the start; keys and MQTT commands go to the Board's request queue, applied by the feeder on the
    stream's thread (so a label reaches the recording from there, on the stream's clock)."""
    totals = DayTotals(timebase, earlier)
    calibration = CalibrationDriver(engine, rate_hz, board, saver)
    used, on_stretches = _stretch_memory(store, timebase, lambda: pipeline.last_t_s)
    actions = Actions(coach, load_catalogue(), used, on_stretches, board.actions, calibration.command,
                      marks.mark if marks is not None else None)
    listeners: list[Sink] = [*sinks, totals, board, *([marks] if marks is not None else [])]
    pipeline = Pipeline(decoder, engine, listeners, rate_hz, coach=coach,
                        taps=[calibration.tap], extra=extra)
    return Feeder(pipeline, coach, board, actions, calibration, totals, link,
                  timeline=earlier_timeline(store, timebase),
                  week=StoredWeek(store) if store is not None else None)


def link_view(src: Source, decoder: Decoder) -> Callable[[], dict[str, Any]] | None:
    """The sensor link as the dashboard and the MQTT state show it (None: no live link)."""
    if not isinstance(src, LiveSource):
        return None

    def view() -> dict[str, Any]:
        s = src.link.status
        measured = decoder.frames.measured_rate_hz() if decoder.frames is not None else None
        return {"state": s.state, "battery_pct": s.battery_pct, "rate_hz": measured or src.rate_hz}
    return view


def calibration_saver(src: Source) -> Saver | None:
    """A live sensor's dashboard calibration is stored for it, as `calibrate` does."""
    if not isinstance(src, LiveSource) or src.profile is None:
        return None
    profile, device = src.profile.id, src.link.target

    def save(cal: Calibration, source: str) -> str:
        from monitor.calibrate.store import CalibrationStore

        path = CalibrationStore().save(profile, device, cal, None, source)
        return f"stored for {device} ({path.name})"

    return save


def _stretch_memory(store: StatsStore | None, timebase: TimeBase, now_s: Callable[[], float]
                    ) -> tuple[dict[str, str], Callable[[list[str]], None] | None]:
    """With a statistics store, stretch rotation carries over from earlier days and runs."""
    if store is None:
        return {}, None

    def used(ids: list[str]) -> None:
        store.used_stretches(timebase.local(now_s()).isoformat(timespec="seconds"), ids)

    return store.stretches_used(), used


def earlier_timeline(store: StatsStore | None, timebase: TimeBase) -> Timeline:
    """Today's posture changes before this run, in this run's stream seconds (a gap marks the restart)."""
    if store is None:
        return ()
    day = timebase.day(0.0)
    spans = [(wall_s - timebase.epoch_utc_s, posture) for wall_s, posture in store.postures(day)]
    return (*spans, (0.0, "unknown")) if spans else ()
