"""A live run: one or more BLE sensors (real, or virtual ones on the in-process bumble link), each its
own stream of link -> decode -> engine -> console, optionally recorded; link states on stderr."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.cli.common import say_stderr
from monitor.config import Config
from monitor.decode import Decoder
from monitor.decode.clock import ClockSettings
from monitor.errors import InputError
from monitor.pipeline import Pipeline
from monitor.profiles import Profile, Registry
from monitor.sinks.console import ConsoleSink
from monitor.sources.ble import LinkSettings, LinkStatus, SensorLink
from monitor.sources.live import LiveStream, run_live
from monitor.virtual.fleet import make_sensor, nearest_rate_hz, simulated_blocks
from monitor.virtual.sensor import VirtualSensor


@dataclass
class LiveOptions:
    """What `run` and `demo --ble` ask for; times are on the run's clock (speed x real time)."""

    devices: list[str] = field(default_factory=list)
    profile_id: str | None = None
    record: Path | None = None
    force: bool = False
    rate_hz: float | None = None
    duration_s: float | None = None
    speed: float = 1.0
    virtual: list[str] = field(default_factory=list)  # profile ids of in-process virtual sensors
    seed: int = 0
    scan_timeout_s: float = 5.0
    stats: bool | None = None  # None: real sensors go to the statistics store, virtual ones do not
    coach: bool = True  # False: the stream only decodes (calibration consumes the blocks itself)
    virtual_script: str = "day"  # what virtual wearers do: "day" (the simulator) or "calibration"


def _reporter(name: str, say: Callable[[str], None]) -> Any:
    last: list[str] = []

    def report(s: LinkStatus) -> None:
        if last and last[-1] == s.state:
            return
        last.append(s.state)
        info = ", ".join(f"{k} {v}" for k, v in s.device_info.items())
        extra = f" ({s.address}{'; ' + info if info else ''})" if s.state == "streaming" else ""
        why = f" after {s.last_error}" if s.state == "reconnecting" and s.last_error else ""
        say(f"{name}: {s.state}{extra}{why}")
    return report


def _link_view(stream: LiveStream) -> dict[str, Any]:
    s = stream.link.status
    return {"state": s.state, "battery_pct": s.battery_pct,
            "rate_hz": stream.measured_rate_hz() or stream.pipeline.rate_hz}


class LiveSession:
    """Builds the virtual sensors, streams and recorders for one run, and tears them down."""

    def __init__(self, cfg: Config, opts: LiveOptions) -> None:
        self.cfg, self.opts = cfg, opts
        self.registry = Registry.load(cfg["paths.profiles_dir"])
        self.sensors: list[VirtualSensor] = []
        self.calibrations: dict[str, Any] = {}
        self.backends: tuple[Any, Any] = (None, None)
        self.board: Any = None  # a dashboard Board: the first sensor feeds it instead of stdout
        self.stop: threading.Event | None = None  # set by the dashboard's quit
        self.say: Callable[[str], None] = say_stderr  # link states: stderr, or the dashboard's notices
        self.mqtt: Any = None  # the MQTT service, when a broker is configured

    async def run(self) -> int:
        try:
            await self.start_virtual()
            streams = [await self._stream(d, i) for i, d in enumerate(self._devices())]
            await run_live(streams, until=self._until())
            for s in streams:
                s.pipeline.close()
                if s.finish is not None:
                    s.finish()
        finally:
            await self.stop_virtual()
            from monitor.cli.mqtt_wiring import stop_mqtt

            stop_mqtt(self.mqtt, self.say)
        return 0

    async def stop_virtual(self) -> None:
        for sensor in self.sensors:
            await sensor.stop()
        self.sensors.clear()

    def _until(self) -> Any:
        duration_s, clock, stop = self.opts.duration_s, self._clock(), self.stop
        start = clock()
        return lambda: ((duration_s is not None and clock() - start >= duration_s)
                        or (stop is not None and stop.is_set()))

    def _clock(self) -> Any:
        speed = self.opts.speed
        return lambda: time.monotonic() * speed

    def _devices(self) -> list[str]:
        devices = self.opts.devices or [s.name for s in self.sensors]
        if not devices:
            raise InputError("give --device NAME_OR_ADDRESS (or --virtual PROFILE for a simulated sensor)")
        return devices

    async def start_virtual(self) -> None:
        if not self.opts.virtual:
            return
        from monitor.cli.streams import _demo_calibration
        from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner

        self.backends = (BumbleScanner, BumbleClient)
        for i, pid in enumerate(self.opts.virtual):
            p = self.registry.get(pid)
            rate = nearest_rate_hz(p, self.opts.rate_hz)
            sensor = make_sensor(p, i, self._virtual_blocks(self.opts.seed + i, rate), self.opts.speed)
            await sensor.start()
            self.sensors.append(sensor)
            self.calibrations[sensor.name] = _demo_calibration(self.opts.seed + i, rate)
            self.say(f"virtual sensor {sensor.name} ({sensor.address}, {p.id}) on the in-process link")

    def _virtual_blocks(self, seed: int, rate_hz: float) -> Any:
        if self.opts.virtual_script == "calibration":
            from monitor.sim.calibration import calibration_blocks

            return calibration_blocks(seed, rate_hz, repeat=True)
        return simulated_blocks(seed, rate_hz)

    async def _profile(self, device: str) -> Profile:
        if self.opts.profile_id:
            return self.registry.get(self.opts.profile_id)
        from monitor.errors import DeviceError
        from monitor.sources.scan import resolve

        found = await resolve(self.registry, device, self.opts.scan_timeout_s, self.backends[0])
        if found.profile is None:
            raise DeviceError(device, f"matches no device profile (name {found.name!r}); give --profile ID")
        return self.registry.get(found.profile)

    async def _stream(self, device: str, index: int) -> LiveStream:
        p = await self._profile(device)
        rate = nearest_rate_hz(p, self.opts.rate_hz)
        if self.opts.rate_hz and rate != self.opts.rate_hz:
            self.say(f"{device}: {p.id} does not offer {self.opts.rate_hz:g} Hz; using {rate:g} Hz")
        speed = self.opts.speed
        link = SensorLink(device, p, rate_hz=rate, scanner_backend=self.backends[0],
                          client_backend=self.backends[1], clock=self._clock(),
                          settings=LinkSettings(stall_s=3.0 * speed, scan_timeout_s=self.opts.scan_timeout_s))
        cal = self._calibration(p, device)
        from monitor.cli.streams import make_engine

        label = device if len(self.opts.devices or self.sensors) > 1 else None
        ui = self.board is not None and index == 0
        sinks: list[Any] = [] if ui else [ConsoleSink(self.cfg["output.json"], sensor=label)]
        pipeline = Pipeline(Decoder(p, rate, ClockSettings().scaled(speed)), make_engine(self.cfg, rate, cal),
                            sinks, rate)
        recorder = self._recorder(p, device, rate, cal, index)
        stream = LiveStream(link, pipeline, recorder, _reporter(device, self.say))
        pipeline.extra = lambda: {"link": stream.link_summary()}
        if self.opts.coach:
            self._add_coach(stream, ui)
        return stream

    def _calibration(self, p: Profile, device: str) -> Any:
        """The stored calibration of this sensor (from `calibrate`), else the virtual wearer's, else none."""
        from monitor.calibrate.store import CalibrationStore

        stored = CalibrationStore().load(p.id, device)
        if stored is not None:
            self.say(f"{device}: using the calibration of {stored.created}")
            return stored.calibration_obj()
        if device not in self.calibrations and not self.opts.virtual:
            self.say(f"{device}: not calibrated (angles are approximate): run posture-monitor calibrate")
        return self.calibrations.get(device)

    async def first_stream(self) -> LiveStream:
        """The first device's stream (after `start_virtual`), for commands that consume blocks."""
        return await self._stream(self._devices()[0], 0)

    def _add_coach(self, stream: LiveStream, ui: bool) -> None:
        """Coach and statistics on the wall clock (a real sensor); the dashboard's feeder for the first."""
        from monitor.cli.wiring import make_coach, stats_sink, wall_clock_of_monotonic

        real, wall = not self.opts.virtual, wall_clock_of_monotonic(self.opts.speed)
        coach, pipeline = make_coach(self.cfg, wall if real else None), stream.pipeline
        store = None
        if self.opts.stats if self.opts.stats is not None else real:
            sink = stats_sink(wall)
            pipeline.sinks.append(sink)
            store = sink.store
        if ui:
            from monitor.cli.ui_run import calibration_saver, make_feeder

            link = stream.link
            feeder = make_feeder(pipeline, coach, self.board, store, link=lambda: _link_view(stream),
                                 save_calibration=calibration_saver(link.profile.id, link.target))
            stream.feed = feeder.feed
            stream.finish = feeder.finish
            request = self.board.request
        else:
            from monitor.coach.actions import Actions
            from monitor.coach.stretches import load_catalogue

            pipeline.coach = coach
            pipeline.actions = actions = Actions(coach, load_catalogue())
            request = actions.request
        if self.mqtt is None:  # the first sensor publishes
            self._attach_mqtt(stream, coach, request, wall)

    def _attach_mqtt(self, stream: LiveStream, coach: Any, request: Any, clock: Any) -> None:
        from monitor.cli.mqtt_wiring import attach_mqtt, probe_of

        probe = probe_of(stream.pipeline, coach, lambda: _link_view(stream))
        model = stream.link.profile.name
        self.mqtt = attach_mqtt(self.cfg, stream.pipeline, request, clock, probe, self.say, model)

    def _recorder(self, p: Profile, device: str, rate_hz: float, cal: Any, index: int) -> Any:
        path = self.opts.record
        if path is None:
            return None
        from monitor.sessions.writer import RecordingWriter, base_header

        if index > 0:
            path = path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
        header = base_header(profile=p.id, address=device, sample_rate_hz=rate_hz,
                             calibration=cal.to_dict() if cal is not None else None)
        self.say(f"{device}: recording raw frames to {path}")
        return RecordingWriter(path, header, overwrite=self.opts.force)


def run_with_dashboard(session: LiveSession, subtitle: str) -> int:
    """The live streams in a worker thread with their own event loop; the dashboard in this one."""
    import asyncio

    from monitor.cli.ui_run import show
    from monitor.ui.board import Board

    board = session.board = Board()
    session.say = board.note

    def runner(stop: threading.Event) -> None:
        session.stop = stop
        asyncio.run(session.run())

    return show(board, runner, subtitle, session.cfg["output.json"], lambda: {})
