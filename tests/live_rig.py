"""A live BLE rig for tests: a virtual sensor on the in-process bumble link, reached through bleak's
BleakScanner/BleakClient with our bumble backends, on the run's Bluetooth hub, and consumed the way a
run consumes it (a LiveSource into a Stream). Pacing is the sensor's; every check is in sample time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.decode import Decoder
from monitor.decode.clock import ClockSettings
from monitor.engine import PostureEngine
from monitor.events import Event
from monitor.pipeline import Pipeline
from monitor.profiles import Registry
from monitor.run.stream import Stream
from monitor.sessions.writer import RecordingWriter
from monitor.sim import SimulatedWearer
from monitor.sim.calibration import demo_calibration
from monitor.sim.wearer import SensorModel
from monitor.sources.ble import LinkSettings, SensorLink
from monitor.sources.live import BleHub, LiveSource
from monitor.virtual.bleak_backend import BumbleClient, BumbleScanner
from monitor.virtual.fleet import nearest_rate_hz
from monitor.virtual.sensor import VirtualSensor

REG = Registry.load()
HANG_S = 120.0  # only bounds a hang; never part of what a test checks


class Collect:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def handle(self, event: Event) -> None:
        self.events.append(event)

    def close(self, summary: dict[str, object]) -> None:
        pass

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@dataclass
class Rig:
    hub: BleHub
    sensor: VirtualSensor
    stream: Stream
    sink: Collect
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def link(self) -> SensorLink:
        src = self.stream.source
        assert isinstance(src, LiveSource)
        return src.link

    def run_until(self, done: Callable[[], bool], at: dict[float, Callable[[], None]] | None = None) -> bool:
        """Consume in this thread until `done()` (checked after every item) or a hang; True if done.
        `at`: actions to take once the stream is that many sample seconds past its first sample."""
        end, due = time.monotonic() + HANG_S, dict(sorted((at or {}).items()))

        def check(_t_s: float) -> None:
            for when in [w for w in due if self.stream_s() >= w]:
                due.pop(when)()
            if done() or time.monotonic() > end:
                self.stop.set()
        self.stream.consume(self.stop, check)
        return done()

    def stream_s(self) -> float:
        """Sample seconds since the first sample (the wearer's own timeline)."""
        p = self.stream.pipeline
        return p.last_t_s - (p.first_t_s or p.last_t_s)

    def on_sensor(self, act: Callable[[VirtualSensor], object]) -> Callable[[], None]:
        """An action on the virtual sensor, run on the Bluetooth loop (where the sensor lives)."""
        return lambda: self.hub.soon(lambda: act(self.sensor))

    def close(self) -> None:
        self.stop.set()
        self.stream.close()
        self.hub.call(self.sensor.stop(), timeout_s=10.0)
        self.hub.close()


def rig(profile_id: str, seed: int, rate_hz: float, speed: float, recorder: RecordingWriter | None = None,
        settings: LinkSettings | None = None) -> Rig:
    """A virtual sensor streaming a seeded wearer (no simulated drops) at `speed` x real time."""
    p = REG.get(profile_id)
    rate_hz = nearest_rate_hz(p, rate_hz)  # what the sensor really streams at
    wearer = SimulatedWearer(seed=seed, rate_hz=rate_hz, sensor=SensorModel(drop_every_s=1e9, gap_every_s=1e9))
    hub = BleHub(speed)
    sensor = VirtualSensor(p, (c.block for c in wearer.chunks()), speed=speed,
                           address=f"C0:98:E5:00:{seed:02X}:01")
    hub.call(sensor.start(), timeout_s=30.0)
    link = SensorLink(sensor.name, p, rate_hz=rate_hz, scanner_backend=BumbleScanner, client_backend=BumbleClient,
                      settings=settings or LinkSettings(stall_s=1.5 * speed, backoff_min_s=0.05,
                                                        connect_timeout_s=3.0))
    sink = Collect()
    engine = PostureEngine(rate_hz, demo_calibration(seed, rate_hz))
    pipeline = Pipeline(Decoder(p, rate_hz, ClockSettings().scaled(speed)), engine, [sink], rate_hz)
    return Rig(hub, sensor, Stream(LiveSource(hub, link, rate_hz), pipeline, recorder), sink)
