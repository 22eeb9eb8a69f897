"""The one place a run is made: its sources, and per source a complete pipeline (decoder, engine,
coach, sinks, the user's request queue), the recording, MQTT and the dashboard's stream side, all
from a RunSpec. Nothing changes a pipeline after this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.cli.common import say_stderr
from monitor.coach.actions import Actions
from monitor.coach.coach import Coach
from monitor.coach.settings import CoachSettings
from monitor.coach.stretches import load_catalogue
from monitor.config import Config, values_for
from monitor.decode import Decoder
from monitor.decode.clock import ClockSettings
from monitor.engine.calibration import Calibration
from monitor.engine.engine import PostureEngine
from monitor.engine.factory import engine_from_config
from monitor.pipeline import Pipeline, Sink
from monitor.run.decoded import decode_watch
from monitor.run.recording import make_recorder
from monitor.run.sources import Opened, open_sources
from monitor.run.spec import BleSpec, ReplaySpec, RunSpec
from monitor.run.stream import Stream
from monitor.sinks.console import ConsoleSink
from monitor.sinks.stats import StatsSink, StatsStore, earlier_today
from monitor.sources.base import Source
from monitor.sources.recorded import ReplaySource
from monitor.timebase import TimeBase
from monitor.ui.board import Board

if TYPE_CHECKING:  # MQTT and BLE are imported only by runs that use them
    from monitor.sinks.mqtt.service import MqttService


@dataclass
class Run:
    """Everything a run holds, for the driver to stream and then close in order."""

    spec: RunSpec
    opened: Opened
    streams: list[Stream]
    say: Callable[[str], None]
    board: Board | None = None
    mqtt: MqttService | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        """Finish every stream (decoder flush, sinks, recordings), then MQTT offline, then the links."""
        for s in self.streams:
            s.close()
        if self.mqtt is not None:
            from monitor.run.mqtt import stop_mqtt

            stop_mqtt(self.mqtt, self.say)
        for close in self.closers:
            close()
        self.opened.close()


def coach_settings(cfg: Config, working_hours: bool = True) -> CoachSettings:
    """The coach's settings: every config key that sets a CoachSettings field, in its unit (the minutes
    keys in seconds: monitor/config.py), and whether working hours apply to this run."""
    return CoachSettings(**values_for(cfg, CoachSettings), quiet_outside_work=working_hours)


def build(spec: RunSpec) -> Run:
    board = Board() if spec.front_end == "dashboard" else None
    say = board.note if board is not None else say_stderr
    opened = open_sources(spec.source, spec.cfg, say)
    run = Run(spec, opened, [], say, board)
    try:
        for i, (src, cal) in enumerate(zip(opened.sources, opened.calibrations, strict=True)):
            stream = _stream(run, src, cal, i)
            stream.watch = decode_watch(spec, stream.pipeline.decoder.frames, src)
            run.streams.append(stream)
    except BaseException:
        run.close()
        raise
    return run


def _stream(run: Run, src: Source, cal: Calibration | None, index: int) -> Stream:
    spec = run.spec
    timebase = TimeBase(src.epoch_utc_s)
    engine = engine_from_config(spec.cfg, src.rate_hz, cal)
    coach = Coach(coach_settings(spec.cfg, spec.working_hours), timebase) if spec.coach else None
    store = StatsStore(demo=spec.demo) if _wants_stats(spec) else None
    earlier = earlier_today(store, timebase) if store is not None else None
    sinks: list[Sink] = [StatsSink(store, timebase, under_way(engine, coach))] if store is not None else []
    front = run.board is not None and index == 0
    if not front and spec.front_end != "none":
        sinks.append(ConsoleSink(spec.cfg["output.json"], sensor=_label(run, src)))
    sinks += list(spec.extra_sinks)  # type: ignore[arg-type]
    actions = Actions(coach, load_catalogue()) if coach is not None and not front else None
    request = run.board.request if run.board is not None and front else actions.request if actions else None
    sinks += reaching_sinks(run, src, index, request)
    parts = StreamParts(src, timebase, engine, coach, store, earlier, sinks, cal)
    if front:
        from monitor.run.frontend import dashboard_stream

        assert run.board is not None
        recorder = make_recorder(spec, src, cal, index, run.say)
        return dashboard_stream(run, parts, _decoder(src, spec), recorder)
    decoder = _decoder(src, spec)
    pipeline = Pipeline(decoder, engine, sinks, src.rate_hz, coach=coach, extra=link_extra(src, decoder))
    if actions is not None:
        pipeline.actions = actions
        if index == 0:
            attach_mqtt(run, parts, pipeline, actions.request)
    return Stream(src, pipeline, make_recorder(spec, src, cal, index, run.say), label=_label(run, src))


def reaching_sinks(run: Run, src: Source, index: int,
                   request: Callable[[str, Any], None] | None) -> list[Sink]:
    """What reaches the person beyond the screen: desktop notifications and the terminal bell (the
    first stream of a live run or the demo, not a replay of the past), and nudges on the body for a
    sensor whose profile declares an actuator."""
    out: list[Sink] = []
    if index == 0 and request is not None and not isinstance(run.spec.source, ReplaySpec):
        from monitor.sinks.notify import desktop_sinks

        out += desktop_sinks(run.spec.cfg, request, run.say)
    if run.spec.live:
        from monitor.sinks.nudge import NudgeSink
        from monitor.sources.live import LiveSource

        if isinstance(src, LiveSource) and src.link.profile.nudges:
            out.append(NudgeSink(src.nudge))
    return out


@dataclass
class StreamParts:
    """What every stream is made of, before its front end decides how it is fed."""

    source: Source
    timebase: TimeBase
    engine: PostureEngine
    coach: Coach | None
    store: StatsStore | None
    earlier: dict[str, float] | None
    sinks: list[Sink]
    calibration: Calibration | None


def attach_mqtt(run: Run, parts: StreamParts, pipeline: Pipeline, request: Callable[[str, Any], None],
                 link: Callable[[], dict[str, Any]] | None = None) -> None:
    """The first stream publishes, when a broker is configured."""
    if not run.spec.mqtt or run.mqtt is not None:
        return
    from monitor.sinks.mqtt.settings import from_config

    if from_config(run.spec.cfg) is None:
        return
    from monitor.run.mqtt import mqtt_sink, probe_of, start_mqtt  # aiomqtt only when publishing
    run.mqtt = start_mqtt(run.spec.cfg, request, run.say, demo=run.spec.demo)
    if run.mqtt is not None:
        probe = probe_of(pipeline, parts.coach, parts.source, link)
        pipeline.sinks.append(mqtt_sink(run.mqtt, parts.timebase, probe, parts.earlier))


def under_way(engine: PostureEngine, coach: Coach | None) -> Callable[[float], tuple[float, float]]:
    """The sitting bout (the coach's) and the slouch (the engine's) still under way at t_s."""
    def at(t_s: float) -> tuple[float, float]:
        status = engine.status()
        since = status.slouch_since_s if status.slouching else None
        return (coach.bout_s(t_s) if coach is not None else 0.0,
                max(0.0, t_s - since) if since is not None else 0.0)
    return at


def _wants_stats(spec: RunSpec) -> bool:
    return spec.stats if spec.stats is not None else spec.real_sensor


def _label(run: Run, src: Source) -> str | None:
    """With several sensors in one run, each console line says which one."""
    return src.name if len(run.opened.sources) > 1 else None


def _decoder(src: Source, spec: RunSpec) -> Decoder:
    if src.profile is None:
        return Decoder()
    return Decoder(src.profile, src.rate_hz, clock_settings(src, spec))


def clock_settings(src: Source, spec: RunSpec) -> ClockSettings:
    """A live virtual sensor's jitter is in wall seconds, so its clock's margins scale with the speed; a
    replay uses the settings its live run used (kept in the header), so it times samples the same way."""
    if isinstance(spec.source, BleSpec):
        return ClockSettings().scaled(spec.source.speed)
    if isinstance(spec.source, ReplaySpec) and isinstance(src, ReplaySource):
        kept = src.rec.header.get("clock")
        if isinstance(kept, dict):
            return ClockSettings.from_dict(kept)
    return ClockSettings()


def link_extra(src: Source, decoder: Decoder) -> Callable[[], dict[str, Any]] | None:
    """A live link's figures for the summary, with the sensor's real rate measured from arrivals."""
    if src.stream_s() is None:  # only live sources keep a clock of their own
        return None

    def extra() -> dict[str, Any]:
        out: dict[str, Any] = dict(src.summary())
        measured = decoder.frames.measured_rate_hz() if decoder.frames is not None else None
        if measured is not None:
            out["rate_hz_measured"] = round(measured, 2)
            out["rate_drift_pct"] = round(100.0 * (measured / src.rate_hz - 1.0), 2)
        return {"link": out}
    return extra


